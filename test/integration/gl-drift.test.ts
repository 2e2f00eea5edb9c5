/**
 * Drift and glSource "current" end to end, on ConnectWise answers cut down to what the published
 * schema defines (every field the schema lacks is removed before the product sees it):
 *   1. the demo batch posts every closed record;
 *   2. four more invoices close, then a GL setup row changes in ConnectWise (Revenue, Service Type
 *      Help Desk, now Service Revenue) and one of those invoices loses its time entry;
 *   3. the next dry run lists exactly the lines today's setup resolves differently, as the sandbox's
 *      own record of what each line was resolved from says: record, line, the account ConnectWise
 *      used, today's, and the row that moves it; the invoice whose time entry is gone lists none
 *      and says its line was not checked, and why;
 *   4. a batch with glSource "current" posts those lines to today's account and fails that invoice
 *      alone, naming it and the fix.
 */
import { accountingBatch } from '../../workflows';
import type { BatchSummary } from '../../domain/batch-summary';
import { withStackWorkers } from '../../dev/stack/ledger-stack';
import { stackDataConverter, workflowBundle } from '../../dev/stack/temporal';
import { demoGlAccountString } from '../../dev/sandbox/shared/demo-chart';
import { isUnposted } from '../../dev/sandbox/connectwise/lifecycle';
import { entriesOf, siteResolver } from '../../dev/sandbox/connectwise/lookups';
import { documentedOnly, loadManageSchema, operationFor } from '../helpers/cw-schema';
import { postedLineAccounts, unpostedInvoiceRecords } from '../helpers/posted-lines';
import { stackPerFile } from '../helpers/stack-per-file';

const held = stackPerFile();
const realFetch = globalThis.fetch;
const removed: string[] = [];
let queue = 0;

beforeAll(() => {
  const schema = loadManageSchema();
  // Every ConnectWise answer the product reads, with only the fields the published schema defines.
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const res = await realFetch(input, init);
    const url = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url);
    const base = held.stack?.psa.baseUrl;
    if (!base || !url.href.startsWith(base) || res.status >= 300) return res;
    const type = operationFor(schema, (init?.method ?? 'GET').toUpperCase(), url.pathname.slice(new URL(base).pathname.length))?.operation.responses.get(res.status);
    const text = await res.text();
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    const body = type && text ? JSON.stringify(documentedOnly(schema, JSON.parse(text), type, removed)) : text;
    return new Response(body, { status: res.status, statusText: res.statusText, headers });
  }) as typeof fetch;
});
afterAll(() => {
  globalThis.fetch = realFetch;
});

function runBatch(input: Record<string, unknown>): Promise<BatchSummary> {
  const { env, stack } = held;
  const taskQueue = `it-drift-${++queue}`;
  return workflowBundle().then((bundle) =>
    withStackWorkers(stack, env.nativeConnection, taskQueue, stackDataConverter(), bundle, () =>
      env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: `it-drift-${queue}`, args: [input] }),
    ),
  );
}

const notChecked = (s: BatchSummary) => (s.warnings ?? []).filter((w) => /GL drift not checked/.test(w.warning));

it('a changed GL row: the next dry run lists exactly the lines that resolve differently, and glSource "current" posts them to today\'s account', async () => {
  const { stack } = held;
  const admin = stack.psa.admin;

  const demo = await runBatch({ batchId: 'DRIFT-DEMO' });
  expect(demo.status).toBe('Completed');
  expect(demo.drift).toEqual([]);
  expect(notChecked(demo)).toEqual([]);

  // Four invoices close; then the Help Desk service type maps to another account, and a time entry goes.
  const open = admin.snapshot().invoices.filter((i) => !i.closed);
  expect(open.length).toBeGreaterThan(1);
  admin.closeMany(open.map((i) => ({ kind: 'invoice' as const, id: i.id })));
  const before = admin.snapshot();
  const row = before.glAccounts.find((g) => g.glType === 'R' && (g.mappedType as { name: string }).name === 'Service: Type' && (g.mappedRecord as { name: string }).name === 'Help Desk')!;
  admin.changeMapping(row.id, { account: demoGlAccountString('Service Revenue') });

  // What moves, by the sandbox's own record of what each line was resolved from when it closed.
  const after = admin.snapshot();
  const today = siteResolver(after);
  const moved = after.invoices.filter((i) => isUnposted(after, i)).flatMap((inv) =>
    entriesOf(after, inv.entryIds).flatMap((e) => {
      const r = today.resolve(e.context);
      const account = r.account ?? e.account;
      const cls = r.class ?? '';
      return account === e.account && cls === (e.class ?? '') ? [] : [{ invoice: inv, entry: e, exported: [e.account, e.class].filter(Boolean).join(' / '), current: [account, cls].filter(Boolean).join(' / ') }];
    }),
  );
  expect(moved.length).toBeGreaterThan(1);
  const lost = moved[0]!;
  const lostEntry = lost.entry.timeEntryId!;
  admin.deleteTimeEntry(lostEntry);

  const dry = await runBatch({ batchId: 'DRIFT-DRY', dryRun: true, notify: { email: 'drift@msp.test' } });
  expect(dry.status).toBe('DryRun');
  const expected = moved.filter((m) => m !== lost).map((m) => ({ number: m.invoice.invoiceNumber, glEntryId: m.entry.id, exported: m.exported, current: m.current }));
  expect(dry.drift.map((d) => ({ number: d.number, glEntryId: d.glEntryId, exported: d.exported, current: d.current }))).toEqual(expect.arrayContaining(expected));
  expect(dry.drift).toHaveLength(expected.length);
  for (const d of dry.drift) {
    expect(d).toMatchObject({ kind: 'invoice', accountType: 'Revenue', why: 'account from Service: Type: Help Desk' });
    expect(d.line).toMatch(new RegExp(`^GL entry ${d.glEntryId} "`));
  }
  expect(notChecked(dry)).toEqual([{ kind: 'invoice', number: lost.invoice.invoiceNumber, warning: expect.stringContaining(`time entry ${lostEntry} was not found in ConnectWise`) }]);
  const mail = (await stack.mail.list()).find((m) => m.to.includes('drift@msp.test'))!;
  const text = (await stack.mail.read(mail.id))!.text!;
  expect(text).toContain('GL mapping changed since the record closed');
  expect(text).toContain('account from Service: Type: Help Desk');

  // glSource "current": the moved lines post to today's account; the invoice without its time entry fails alone.
  const records = (await unpostedInvoiceRecords(stack)).filter((r) => r.number !== lost.invoice.invoiceNumber);
  const current = await runBatch({ batchId: 'DRIFT-CUR', glSource: 'current', retryWindow: '1s' });
  expect(current.status).toBe('PartiallyFailed');
  expect(current.failures.map((f) => [f.number, f.type])).toEqual([[lost.invoice.invoiceNumber, 'MappingMissing']]);
  expect(current.failures[0]!.message).toContain(`time entry ${lostEntry} was not found in ConnectWise`);
  expect(current.failures[0]!.fix).toMatch(/glSource "psa"/);
  const todays = new Map(expected.map((e) => [e.glEntryId, e.current]));
  const asToday = records.map((r) => ({ ...r, lines: r.lines.map((l) => (todays.has(l.glEntryId) ? { ...l, account: todays.get(l.glEntryId)!.split(' / ')[0]! } : l)) }));
  expect(asToday.flatMap((r) => r.lines).filter((l) => todays.has(l.glEntryId))).toHaveLength(expected.length);
  const { expected: wanted, posted } = await postedLineAccounts(stack, asToday);
  expect(posted).toEqual(wanted);
}, 300_000);
