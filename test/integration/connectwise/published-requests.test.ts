/**
 * What the product sends to ConnectWise, against ConnectWise's published Manage schema: every
 * request the client makes while the product's own code paths run (collecting unposted records,
 * GL export, batch creation and lookup, a GL account PATCH, the go-live checklist's reads) must
 * name a documented operation, documented query parameters, conditions/orderBy/fields over
 * documented fields of the answered model, and a body of the documented request model.
 */
import { collectActivities } from '../../../activities/collect';
import { RECORD_KINDS } from '../../../domain/contract';
import { agreementChanges } from '../../../integrations/agreement-changes';
import { gatherChecklistFacts } from '../../../integrations/checklist-facts';
import { lineOrigins } from '../../../integrations/line-origins';
import { MAPPED_TYPES } from '../../../domain/gl';
import { cwDate, expenseDetailIds, exportedRecords, exportFlagsFor, glExportRequest, glExportToRecords, replaceOps, type ConnectWiseClient } from '../../../integrations/connectwise';
import { markRecordsExported } from '../../../activities/mark-exported';
import type { QuickBooksClient } from '../../../integrations/quickbooks';
import { checkValue, itemModel, loadManageSchema, operationFor, undocumentedPath, type ManageSchema } from '../../helpers/cw-schema';
import { startFixture, type Fixture } from './sandbox-fixture';

/**
 * Request fields the product may send although the published schema types them otherwise: each
 * only with its source. `Model.field` -> source.
 */
const ALLOWED: Record<string, string> = {
  'PatchOperation.value': 'JSON Patch (RFC 6902), which ConnectWise PATCH takes: value is any JSON value; the generated type narrows it to an object',
};

interface Sent {
  method: string;
  url: URL;
  body: unknown;
}

let fx: Fixture;
let cw: ConnectWiseClient;
let schema: ManageSchema;
const sent: Sent[] = [];
const realFetch = globalThis.fetch;

beforeAll(async () => {
  schema = loadManageSchema();
  fx = await startFixture({ seed: 'demo' });
  cw = fx.client();
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url);
    if (url.href.startsWith(fx.sandbox.baseUrl)) {
      sent.push({ method: (init?.method ?? 'GET').toUpperCase(), url, body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined });
    }
    return realFetch(input, init);
  }) as typeof fetch;
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  await fx.dispose();
});

/** Field paths a conditions string compares (`status/id=3 and name like "A*"` -> status/id, name). */
export function conditionFields(conditions: string): string[] {
  const bare = conditions.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\[[^\]]*\]/g, '[]');
  const out: string[] = [];
  for (const m of bare.matchAll(/([A-Za-z_][\w/]*)\s*(?:!=|<=|>=|=|<|>|\s(?:not\s+)?(?:contains|like|in)\b)/gi)) {
    if (!/^(and|or|not)$/i.test(m[1]!)) out.push(m[1]!);
  }
  return out;
}

function problemsOf(req: Sent): string[] {
  const path = req.url.pathname.slice(new URL(fx.sandbox.baseUrl).pathname.length);
  const where = `${req.method} ${path}`;
  const documented = operationFor(schema, req.method, path);
  if (!documented) return [`${where}: no such operation in the published schema`];
  const { operation } = documented;
  const problems: string[] = [];
  // A /count answers Count; its conditions are over the listed model.
  const listed = /\/count$/i.test(path) ? operationFor(schema, 'GET', path.replace(/\/count$/i, ''))?.operation : operation;
  const model = itemModel(listed?.responses.get(200) ?? listed?.responses.get(201));
  for (const [key, value] of req.url.searchParams) {
    if (!operation.query.has(key)) {
      problems.push(`${where}: query parameter ${key} is not documented`);
      continue;
    }
    if (!model) continue;
    const fields =
      key === 'conditions' ? conditionFields(value) : key === 'orderBy' ? value.split(',').map((s) => s.trim().split(/\s+/)[0]!) : key === 'fields' ? value.split(',') : [];
    for (const f of fields) {
      const bad = undocumentedPath(schema, model, f);
      if (bad) problems.push(`${where}: ${key} names ${f}, but ${model} documents no ${bad}`);
    }
  }
  if (req.body !== undefined) {
    if (!operation.requestBody) problems.push(`${where}: sends a body, the operation documents none`);
    else problems.push(...checkValue(schema, req.body, operation.requestBody, `${where} body`, '', true));
  }
  return problems.filter((p) => !Object.keys(ALLOWED).some((k) => p.includes(`(${k})`)));
}

describe('the product sends only what the published ConnectWise schema defines', () => {
  it('finds condition fields outside literals', () => {
    expect(conditionFields('status/id=3 and name like "a = b" or dateExpense < [2026-01-01T00:00:00Z] and id in (1,2)')).toEqual(['status/id', 'name', 'dateExpense', 'id']);
  });

  it('collect, export, batch creation and lookup, a GL account change, the checklist reads', async () => {
    sent.length = 0;
    const collect = collectActivities({ psa: cw });
    for (const kind of RECORD_KINDS) {
      const page = await collect.collectUnposted({ kind, page: 1, pageSize: 50, thruDate: '2099-12-31' });
      expect(page.refs.length).toBeGreaterThan(0);
      if (kind === 'expense') {
        // References collected before they kept the expense's own id look it up by the rows' ids: the same ids.
        const detailIds = page.refs.map((r) => [Number(r.id), r.detailId]);
        expect(detailIds.every(([, d]) => typeof d === 'number')).toBe(true);
        expect([...(await expenseDetailIds(cw, page.refs.map((r) => Number(r.id)))).entries()]).toEqual(detailIds);
      }
      const exported = await cw.exportGl(glExportRequest(kind, page.refs.slice(0, 2), `req-${kind}`));
      const rowIds = new Map(page.refs.flatMap((r) => (r.rowId === undefined ? [] : [[r.id, r.rowId] as const])));
      const ids = glExportToRecords(exported, { transferExpensesAsBill: true, rowIds }).flatMap((r) => r.glEntryIds!);
      await cw.createBatch({ batchIdentifier: `req-${kind}`, ...exportFlagsFor(kind), processedRecordIds: ids });
      expect(await cw.findBatch(`req-${kind}`)).toBeDefined();
    }
    const [row] = await cw.glAccounts.all({ conditions: 'glType="AR"' });
    await cw.patchGlAccount(row!.id, replaceOps({ segment2: 'Sales' }));
    const ledger = { realmId: 'none', read: () => Promise.reject(new Error('no ledger here')), getPreferences: () => Promise.reject(new Error('no ledger here')) };
    await gatherChecklistFacts({ psa: cw, ledger: ledger as unknown as QuickBooksClient }, {});

    const methods = new Set(sent.map((r) => r.method));
    expect([...methods].sort()).toEqual(['GET', 'PATCH', 'POST']);
    expect(sent.flatMap(problemsOf)).toEqual([]);
  });

  it('the agreement-change reads: agreements changed in a window, their invoices, billing statuses, unposted invoices', async () => {
    sent.length = 0;
    await agreementChanges(cw).postedStaleRecords({ since: '2000-01-01T00:00:00Z', until: '2099-12-31T00:00:00Z' });
    expect(sent.map((r) => r.url.pathname.replace(/^.*\/apis\/3\.0/, '')).sort()).toEqual(
      expect.arrayContaining(['/finance/accounting/unpostedinvoices', '/finance/agreements', '/finance/billingStatuses', '/finance/invoices']),
    );
    expect(sent.flatMap(problemsOf)).toEqual([]);
  });

  it('the reads that rebuild GL line contexts: records, time entries, catalog items, and what they name', async () => {
    const glExport = await cw.exportGl({ batchIdentifier: 'req-origins', exportInvoicesFlag: true, exportExpensesFlag: true, exportProductsFlag: true });
    const rows = await cw.unpostedProcurement.all();
    const records = glExportToRecords(glExport, { transferExpensesAsBill: true, rowIds: new Map(rows.map((r) => [r.unpostedProductId, r.id])) });
    sent.length = 0;
    // Every mapped type consulted for every line, and two owner levels, so every lookup goes out.
    const mappings = [{ accountType: 'Revenue', mappedType: 'My Company: Owner', mappedRecord: 'A', recordId: 1 }, { accountType: 'Revenue', mappedType: 'My Company: Owner', mappedRecord: 'B', recordId: 2 }] as const;
    const origins = await lineOrigins(cw).read(records.map((record) => ({ record, rowId: rows.find((r) => r.unpostedProductId === record.recordId)?.id })), { consults: () => MAPPED_TYPES, mappings });
    expect(origins.size).toBe(records.length);
    expect(sent.map((r) => r.url.pathname.replace(/^.*\/apis\/3\.0/, '')).sort()).toEqual(
      expect.arrayContaining(['/finance/invoices', '/finance/accounting/unpostedexpenses', '/finance/accounting/unpostedprocurement', '/time/entries', '/procurement/catalog', '/system/locations', '/system/departments', '/project/projects', '/service/tickets', '/finance/agreements', '/time/chargeCodes']),
    );
    expect(sent.flatMap(problemsOf)).toEqual([]);
  });

  // Last: it leaves records exported that the reads above expect unposted.
  it('reading a batch back, deleting it and marking some of its records exported again; the recent batches', async () => {
    sent.length = 0;
    const collect = collectActivities({ psa: cw });
    for (const kind of RECORD_KINDS) {
      const page = await collect.collectUnposted({ kind, pageSize: 50, thruDate: '2099-12-31' });
      const refs = page.refs.slice(0, 3);
      const rowIds = new Map(refs.flatMap((r) => (r.rowId === undefined ? [] : [[r.id, r.rowId] as const])));
      // Expenses known by their own id, as the unposted row names it.
      const expenseIds = new Map(refs.flatMap((r) => (r.detailId === undefined ? [] : [[Number(r.id), r.detailId] as const])));
      const records = glExportToRecords(await cw.exportGl(glExportRequest(kind, refs, `rev-${kind}`)), { transferExpensesAsBill: true, rowIds, expenseIds });
      await cw.createBatch({ batchIdentifier: `rev-${kind}`, ...exportFlagsFor(kind), processedRecordIds: records.flatMap((r) => r.glEntryIds!) });
      const batch = (await cw.findBatch(`rev-${kind}`))!;
      // Read back as posting left them: the same records (an expense by its own id, which the batch's entries name) with the same GL entries (procurement's row entry included).
      const back = await exportedRecords(cw, batch, kind);
      expect(back.map((d) => (d.ok ? [d.record.recordId, d.record.revision, [...d.record.glEntryIds!].sort()] : d.error.message))).toEqual(
        records.map((r) => [r.recordId, r.revision, [...r.glEntryIds!].sort()]),
      );
      await cw.deleteBatch(batch.id);
      await markRecordsExported(cw, { batchIdentifier: `rev-${kind}-K`, kind, glEntryIds: records[0]!.glEntryIds! });
    }
    await cw.batches.all({ conditions: `_info/lastUpdated > ${cwDate(new Date(Date.now() - 30 * 86_400_000))}` });
    expect([...new Set(sent.map((r) => r.method))].sort()).toEqual(['DELETE', 'GET', 'POST']);
    expect(sent.flatMap(problemsOf)).toEqual([]);
  });
});
