/**
 * The ConnectWise sandbox renders only the rows a list request can answer with (rows named by id,
 * the page of an unfiltered list), and its answers are exactly those of rendering every row and
 * filtering, sorting and paging them: for the unposted lists, invoices and time entries, with id
 * conditions alone, combined with other conditions, `or`, orderBy, fields, numbered and
 * forward-only paging, counts and single rows; and still after records are marked exported, a
 * batch is deleted and a time entry removed.
 */
import { apiRoutes } from '../../../dev/sandbox/connectwise/api-routes';
import { createBatch, deleteBatch, exportSelection, isUnposted } from '../../../dev/sandbox/connectwise/lifecycle';
import { seedState } from '../../../dev/sandbox/connectwise/admin';
import { generateRecords } from '../../../dev/sandbox/connectwise/generator';
import { documentedEntryIds, transfersExpensesAsBill } from '../../../dev/sandbox/connectwise/gl-export';
import { countResponse, listResponse, knownFields } from '../../../dev/sandbox/connectwise/query';
import { DOCUMENTED_FIELDS } from '../../../dev/sandbox/connectwise/documented-fields';
import { forgetIds } from '../../../dev/sandbox/connectwise/lookups';
import type { SandboxState } from '../../../dev/sandbox/connectwise/state';
import {
  renderInvoice,
  renderTimeEntry,
  renderUnpostedAdjustment,
  renderUnpostedExpense,
  renderUnpostedInvoice,
  renderUnpostedPurchase,
  renderUnpostedTransfer,
} from '../../../dev/sandbox/connectwise/wire';

const BASE = 'http://sandbox/v4_6_release/apis/3.0';

/** Every row rendered, as the sandbox answered before it rendered lazily: the reference. */
function everyRow(s: SandboxState, path: string): unknown[] {
  switch (path) {
    case '/finance/accounting/unpostedinvoices':
      return s.invoices.filter((i) => isUnposted(s, i)).map((i) => renderUnpostedInvoice(s, i));
    case '/finance/accounting/unpostedexpenses':
      return s.expenses.filter((e) => isUnposted(s, e)).map((e) => renderUnpostedExpense(s, e));
    case '/finance/accounting/unpostedprocurement':
      return [
        ...s.purchaseOrders.filter((p) => isUnposted(s, p)).map((p) => renderUnpostedPurchase(s, p)),
        ...s.adjustments.filter((a) => isUnposted(s, a)).map((a) => renderUnpostedAdjustment(s, a)),
        ...s.transfers.filter((t) => isUnposted(s, t)).map((t) => renderUnpostedTransfer(s, t)),
      ];
    case '/finance/invoices':
      return s.invoices.map((i) => renderInvoice(s, i));
    case '/time/entries':
      return s.timeEntries.map((t) => renderTimeEntry(s, t));
  }
  throw new Error(`no reference for ${path}`);
}

function answer(state: SandboxState, path: string, query: Record<string, string>, headers: Record<string, string> = {}) {
  const router = apiRoutes(() => state);
  const url = new URL(`${BASE}${path}?${new URLSearchParams(query)}`);
  const { route, params } = router.match('GET', path);
  try {
    return route.handler({ params, url, body: undefined, headers });
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function reference(state: SandboxState, path: string, query: Record<string, string>, headers: Record<string, string> = {}) {
  const url = new URL(`${BASE}${path}?${new URLSearchParams(query)}`);
  try {
    const r = listResponse(everyRow(state, path), url, headers, knownFields(DOCUMENTED_FIELDS[path]?.fields));
    return { status: 200, body: r.body, headers: r.headers };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

const PATHS = ['/finance/accounting/unpostedinvoices', '/finance/accounting/unpostedexpenses', '/finance/accounting/unpostedprocurement', '/finance/invoices', '/time/entries'];

function rowIds(state: SandboxState, path: string): number[] {
  return everyRow(state, path).map((r) => (r as { id: number }).id);
}

function queriesFor(ids: number[], earlier: number[]): Array<{ query: Record<string, string>; headers?: Record<string, string> }> {
  const some = [ids[0]!, ids[3]!, ids[ids.length - 1]!, 999_999_999];
  return [
    // Rows listed before records changed: some have left the list since.
    { query: { conditions: `id in (${earlier.slice(0, 40).join(',')})`, pageSize: '1000' } },
    { query: {} },
    { query: { pageSize: '7', page: '3' } },
    { query: { pageSize: '1000' } },
    { query: { pageSize: '5' }, headers: { 'pagination-type': 'forward-only' } },
    { query: { pageSize: '5', pageId: String(ids[4]!) }, headers: { 'pagination-type': 'forward-only' } },
    { query: { conditions: `id in (${some.join(',')})` } },
    { query: { conditions: `id = ${ids[2]!}`, fields: 'id' } },
    { query: { conditions: `id in (${some.join(',')}) and id != ${ids[0]!}`, orderBy: 'id desc' } },
    { query: { conditions: `id != ${ids[1]!} and id in (${some.join(',')})` } },
    { query: { conditions: `id in (${some.join(',')}) or id = ${ids[5]!}` } },
    { query: { conditions: `not id in (${some.join(',')})`, pageSize: '3' } },
    { query: { conditions: `id in (${some.join(',')})`, pageSize: '2' }, headers: { 'pagination-type': 'forward-only' } },
    { query: { orderBy: 'id desc', pageSize: '4' } },
    { query: { conditions: 'id in (1,2' } },
    { query: { conditions: 'noSuchField = 1' } },
  ];
}

/** Checks every path; returns the row ids listed, for the next check to ask for again. */
function expectSameAnswers(state: SandboxState, earlier: Record<string, number[]> = {}): Record<string, number[]> {
  const listed: Record<string, number[]> = {};
  for (const path of PATHS) {
    const ids = rowIds(state, path);
    listed[path] = ids;
    for (const { query, headers } of queriesFor(ids, earlier[path] ?? ids)) {
      expect([path, query, answer(state, path, query, headers)]).toEqual([path, query, reference(state, path, query, headers)]);
    }
    for (const conditions of [undefined, `id in (${ids.slice(0, 3).join(',')})`]) {
      const params = new URLSearchParams(conditions ? { conditions } : {});
      const counted = answer(state, `${path}/count`, Object.fromEntries(params)) as { body: unknown };
      expect([path, conditions, counted.body]).toEqual([path, conditions, countResponse(everyRow(state, path), params)]);
    }
    const one = answer(state, `${path}/${ids[ids.length - 1]!}`, {}) as { body: unknown };
    expect(one.body).toEqual(everyRow(state, path)[ids.length - 1]);
    expect(answer(state, `${path}/999999999`, {})).toEqual({ error: expect.stringContaining('recId 999999999 not found') });
  }
  return listed;
}

describe('ConnectWise sandbox lists', () => {
  it('answer as rendering every row does, before and after records change', () => {
    const state = seedState('demo');
    generateRecords(state, { invoices: 60, expenses: 25, procurement: 25, seed: 7 });
    const before = expectSameAnswers(state);

    // Mark some records of each kind exported: they leave the unposted lists.
    const selection = exportSelection(state, { exportInvoicesFlag: true, exportExpensesFlag: true, exportProductsFlag: true });
    const asBill = transfersExpensesAsBill(state);
    const entryIds = [
      ...selection.invoices.slice(0, 10).flatMap((r) => documentedEntryIds(state, 'invoice', r, asBill)),
      ...selection.expenses.slice(0, 5).flatMap((r) => documentedEntryIds(state, 'expense', r, asBill)),
      ...selection.purchases.slice(0, 3).flatMap((r) => documentedEntryIds(state, 'purchase', r, asBill)),
    ];
    const { batch } = createBatch(state, { batchIdentifier: 'lists-1', exportInvoicesFlag: true, exportExpensesFlag: true, exportProductsFlag: true, processedRecordIds: entryIds });
    expect(rowIds(state, '/finance/accounting/unpostedinvoices').length).toBe(before['/finance/accounting/unpostedinvoices']!.length - 10);
    expectSameAnswers(state, before);

    deleteBatch(state, batch.id);
    const at = state.timeEntries.length - 2;
    state.timeEntries.splice(at, 1);
    forgetIds(state.timeEntries);
    expectSameAnswers(state, before);
  });
});
