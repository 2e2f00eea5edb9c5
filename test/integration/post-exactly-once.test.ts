/**
 * postRecords exactly once against the real sandboxes (ConnectWise and QuickBooks over HTTP), with
 * the real clients and activities run in a mock activity context:
 *   - two attempts overlapping (the retry starts while the slow first attempt still waits for its
 *     `/batch` answer) send one requestid, so QuickBooks creates each transaction once;
 *   - an expense posted as a JournalEntry is found again after "transfer expenses as a bill" was
 *     turned on, instead of being created again as a Bill;
 *   - a `/batch` answer that loses one item and faults another keeps every created transaction:
 *     the unclear items are looked up again, and nothing is created twice.
 * The overlap is forced by holding the `/batch` requests, never by timing.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { collectActivities } from '../../activities/collect';
import { postActivities } from '../../activities/post';
import { resolveActivities } from '../../activities/resolve';
import { RECORD_KINDS, type PostInput, type PostOutcome, type RecordKind, type RecordRef, type ResolveOutcome } from '../../domain/contract';
import { ledgerContextCache } from '../../integrations/ledger-context';
import type { QuickBooksClient } from '../../integrations/quickbooks';
import { TRANSACTION_ENTITIES } from '../../integrations/quickbooks/entities';
import { stackLedgerClient, startLedgerStack, type LedgerStack } from '../../dev/stack/ledger-stack';

let stack: LedgerStack;
beforeEach(async () => {
  stack = await startLedgerStack({ checklistPassed: false });
  await stack.psa.admin.generate({ invoices: 2, expenses: 6, procurement: 2, seed: 7 });
}, 60_000);
afterEach(async () => {
  await stack?.close();
});

type Fetch = typeof globalThis.fetch;

function ledgerWith(fetch: Fetch = globalThis.fetch): QuickBooksClient {
  return stackLedgerClient(stack, { fetch });
}

/** Fresh activities (their own ledger-context cache, so a changed PSA setting is seen at once). */
function activities(ledger: QuickBooksClient) {
  const shared = { psa: stack.deps.psa, ledger, realmId: ledger.realmId, ledgerContext: ledgerContextCache({ psa: stack.deps.psa, ledger }) };
  return { ...resolveActivities(shared), ...postActivities(shared) };
}

const attempt = (n: number) => new MockActivityEnvironment({ attempt: n, startToCloseTimeoutMs: 300_000 });

async function unpostedRefs(kinds: readonly RecordKind[] = RECORD_KINDS): Promise<RecordRef[]> {
  const collect = collectActivities({ psa: stack.deps.psa });
  const refs: RecordRef[] = [];
  for (const kind of kinds) refs.push(...(await collect.collectUnposted({ kind, page: 1, pageSize: 100 })).refs);
  return refs;
}

/** Records ready to post, at most one `/batch` call's worth so each attempt sends one request. */
async function resolved(acts: ReturnType<typeof activities>, refs: RecordRef[]): Promise<Array<Extract<ResolveOutcome, { status: 'ready' }>>> {
  const outcomes: ResolveOutcome[] = await attempt(1).run(acts.resolveRecords, { refs, glSource: 'psa' as const });
  return outcomes.filter((o): o is Extract<ResolveOutcome, { status: 'ready' }> => o.status === 'ready').slice(0, 10);
}

function post(n: number, acts: ReturnType<typeof activities>, input: PostInput): Promise<PostOutcome[]> {
  return attempt(n).run(acts.postRecords, input);
}

const MARKER = /\[ledgerline:(LL[0-9a-f]+)\]/;

/** Transactions per idempotency marker in QuickBooks, and the kinds they are. */
async function ledgerMarkers(): Promise<Map<string, string[]>> {
  const ledger = ledgerWith();
  const byMarker = new Map<string, string[]>();
  for (const entity of TRANSACTION_ENTITIES.filter((e) => e !== 'Payment')) {
    for (const row of await ledger.queryAll(entity)) {
      const marker = MARKER.exec(String((row as { PrivateNote?: string }).PrivateNote ?? ''))?.[1];
      if (marker) byMarker.set(marker, [...(byMarker.get(marker) ?? []), entity]);
    }
  }
  return byMarker;
}

const isPosted = (o: PostOutcome): o is Extract<PostOutcome, { status: 'posted' | 'alreadyPosted' }> => o.status === 'posted' || o.status === 'alreadyPosted';

/** Wraps fetch: `/batch` requests are seen (requestid), may be held, and their answers rewritten. */
function batchSpy(options: { holdUntil?: number; rewrite?: (body: { BatchItemResponse: Array<Record<string, unknown>> }, call: number) => unknown } = {}) {
  const requestIds: string[] = [];
  const sentItems: Array<Record<string, unknown>> = [];
  const held: Array<() => void> = [];
  const fetch: Fetch = async (input, init) => {
    const url = new URL(String(input));
    if (!url.pathname.endsWith('/batch')) return globalThis.fetch(input, init);
    requestIds.push(url.searchParams.get('requestid') ?? '');
    sentItems.push(...(JSON.parse(String(init?.body)) as { BatchItemRequest: Array<Record<string, unknown>> }).BatchItemRequest);
    const call = requestIds.length;
    if (options.holdUntil && call < options.holdUntil) await new Promise<void>((r) => held.push(r));
    else held.splice(0).forEach((release) => release());
    const res = await globalThis.fetch(input, init);
    if (!options.rewrite) return res;
    const body = options.rewrite((await res.json()) as { BatchItemResponse: Array<Record<string, unknown>> }, call);
    return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
  };
  return { fetch, requestIds, sentItems };
}

describe('postRecords exactly once', () => {
  it('overlapping attempts send one requestid and create each transaction once', async () => {
    const spy = batchSpy({ holdUntil: 2 });
    const acts = activities(ledgerWith(spy.fetch));
    const ready = await resolved(acts, await unpostedRefs());
    expect(ready.length).toBeGreaterThanOrEqual(6);
    const input: PostInput = { batchId: 'b-overlap', glSource: 'psa', records: ready.map((r) => ({ ref: r.ref, draftDigest: r.draftDigest })) };

    // Attempt 1 holds its /batch until attempt 2 has looked up (finding nothing) and sent its own.
    const [first, second] = await Promise.all([post(1, acts, input), post(2, acts, input)]);

    expect(spy.requestIds).toHaveLength(2);
    expect(new Set(spy.requestIds).size).toBe(1);
    expect(first.filter((o) => !isPosted(o))).toEqual([]);
    expect(second.filter((o) => !isPosted(o))).toEqual([]);
    const markers = await ledgerMarkers();
    expect(markers.size).toBe(ready.length);
    expect([...markers.values()].filter((kinds) => kinds.length !== 1)).toEqual([]);
  });

  it('finds an expense posted as a JournalEntry after "transfer expenses as a bill" was turned on', async () => {
    stack.psa.admin.changeAccountingSetup({ transferExpensesAsBillFlag: false });
    const refs = await unpostedRefs(['expense']);
    const before = activities(ledgerWith());
    const asEntries = await resolved(before, refs);
    expect(asEntries.every((r) => r.entity === 'JournalEntry')).toBe(true);
    const posted = await post(1, before, { batchId: 'b-1', glSource: 'psa', records: asEntries.map((r) => ({ ref: r.ref, draftDigest: r.draftDigest })) });
    expect(posted.every((o) => o.status === 'posted')).toBe(true);

    // The mark-exported step never happened (lost); ops turned the setting on; the next batch runs.
    stack.psa.admin.changeAccountingSetup({ transferExpensesAsBillFlag: true });
    const after = activities(ledgerWith());
    const asBills = await resolved(after, refs);
    expect(asBills.some((r) => r.entity === 'Bill')).toBe(true);
    const again = await post(1, after, { batchId: 'b-2', glSource: 'psa', records: asBills.map((r) => ({ ref: r.ref, draftDigest: r.draftDigest })) });

    expect(again.map((o) => [o.status, o.status === 'failed' ? o.error.message : o.entity])).toEqual(asBills.map(() => ['alreadyPosted', 'JournalEntry']));
    const markers = await ledgerMarkers();
    expect([...markers.values()]).toEqual(asEntries.map(() => ['JournalEntry']));
  });

  it('keeps every created transaction when the /batch answer loses one item and faults another', async () => {
    const answered: Array<Record<string, unknown>> = [];
    const spy = batchSpy({
      rewrite: (body, call) => {
        if (call > 1) return body;
        answered.push(...body.BatchItemResponse);
        const [lost, faulted, ...rest] = body.BatchItemResponse;
        void lost;
        const fault = { bId: faulted!.bId, Fault: { type: 'SystemFault', Error: [{ code: '10000', Message: 'An application error has occurred', Detail: 'System Failure Error' }] } };
        return { ...body, BatchItemResponse: [fault, ...rest] };
      },
    });
    const acts = activities(ledgerWith(spy.fetch));
    const ready = await resolved(acts, await unpostedRefs());
    const outcomes = await post(1, acts, { batchId: 'b-partial', glSource: 'psa', records: ready.map((r) => ({ ref: r.ref, draftDigest: r.draftDigest })) });

    expect(outcomes.filter((o) => !isPosted(o))).toEqual([]);
    const createdIds = answered.map((item) => String((Object.values(item).find((v) => typeof v === 'object' && v !== null && 'Id' in v) as { Id: string }).Id));
    expect(outcomes.map((o) => (isPosted(o) ? o.txnId : '')).sort()).toEqual(createdIds.sort());
    const markers = await ledgerMarkers();
    expect(markers.size).toBe(ready.length);
    expect([...markers.values()].filter((kinds) => kinds.length !== 1)).toEqual([]);
  });
});

describe('company settings', () => {
  it('with custom transaction numbers off, sends no DocNumber and still posts each invoice once after a lost /batch answer', async () => {
    stack.qbo.admin.setPreferences({ SalesFormsPrefs: { CustomTxnNumbers: false } });
    // The first /batch answer is lost whole: QuickBooks created everything, the worker saw nothing.
    const spy = batchSpy({ rewrite: (body, call) => (call === 1 ? { ...body, BatchItemResponse: [] } : body) });
    const acts = activities(ledgerWith(spy.fetch));
    const ready = await resolved(acts, await unpostedRefs(['invoice']));
    expect(ready.length).toBeGreaterThanOrEqual(2);
    expect(ready.map((r) => r.docNumber)).toEqual(ready.map(() => '(numbered by QuickBooks)'));
    const input: PostInput = { batchId: 'b-autonumber', glSource: 'psa', records: ready.map((r) => ({ ref: r.ref, draftDigest: r.draftDigest })) };

    const outcomes = await post(1, acts, input);
    expect(outcomes.map((o) => o.status)).toEqual(ready.map(() => 'posted'));
    // Found again by the look-up (marker among the transactions of the record's date), not resent.
    expect(spy.requestIds).toHaveLength(1);
    const sentBodies = spy.sentItems.map((item) => (item.Invoice ?? item.CreditMemo) as Record<string, unknown>);
    expect(sentBodies.filter((b) => 'DocNumber' in b)).toEqual([]);

    const markers = await ledgerMarkers();
    expect(markers.size).toBe(ready.length);
    expect([...markers.values()].filter((kinds) => kinds.length !== 1)).toEqual([]);
    const ledger = ledgerWith();
    for (const o of outcomes.filter(isPosted)) {
      const [row] = await ledger.queryAll(o.entity as 'Invoice', { where: [{ field: 'Id', op: '=', value: o.txnId }] });
      expect(row.DocNumber).toMatch(/^\d+$/);
      expect(row.DocNumber).not.toBe(o.ref.number);
    }

    // A later attempt finds every one of them and creates nothing.
    const again = await post(2, acts, input);
    expect(again.map((o) => o.status)).toEqual(ready.map(() => 'alreadyPosted'));
    expect(spy.requestIds).toHaveLength(1);
  });

  it('a currency the company cannot post in fails the record before anything is sent, with the fix', async () => {
    const refs = await unpostedRefs(['invoice']);
    const failures = async () => {
      const outcomes: ResolveOutcome[] = await attempt(1).run(activities(ledgerWith()).resolveRecords, { refs, glSource: 'psa' as const });
      return outcomes.map((o) => (o.status === 'failed' ? `${o.error.type}: ${o.error.message} | ${o.error.fix}` : 'ready'));
    };
    stack.qbo.admin.setPreferences({ CurrencyPrefs: { HomeCurrency: { value: 'CAD' }, MultiCurrencyEnabled: false } });
    for (const f of await failures()) {
      expect(f).toMatch(/^ValidationRejected: .* is in USD, but this QuickBooks company posts only in its home currency CAD \(multicurrency is off\)/);
      expect(f).toMatch(/turn on multicurrency in QuickBooks/);
    }
    stack.qbo.admin.setPreferences({ CurrencyPrefs: { MultiCurrencyEnabled: true } });
    stack.qbo.admin.addCurrency('EUR', 'Euro');
    stack.qbo.admin.addCurrency('USD', 'United States Dollar', false);
    for (const f of await failures()) expect(f).toMatch(/is in USD, which is not one of this QuickBooks company's active currencies \(CAD, EUR\)/);
    stack.qbo.admin.addCurrency('USD', 'United States Dollar');
    expect(await failures()).toEqual(refs.map(() => 'ready'));
    expect(await ledgerMarkers()).toEqual(new Map());
  });

  it('an inactive customer fails the record naming it: before sending once the chart shows it, from the 610 fault before that', async () => {
    const before = activities(ledgerWith());
    const ready = await resolved(before, await unpostedRefs(['invoice']));
    expect(ready.length).toBeGreaterThanOrEqual(1);
    // Made inactive after this worker read the chart: QuickBooks refuses with 610.
    const ledger = ledgerWith();
    for (const c of await ledger.listCustomers()) await ledger.update('Customer', { Id: c.Id, SyncToken: c.SyncToken, Active: false });
    const outcomes = await post(1, before, { batchId: 'b-inactive', glSource: 'psa', records: ready.map((r) => ({ ref: r.ref, draftDigest: r.draftDigest })) });
    for (const o of outcomes) {
      expect(o.status).toBe('failed');
      if (o.status !== 'failed') continue;
      expect(o.error.message).toMatch(/because customer ".+" \(Id \d+\) is inactive \(fault 610 on CustomerRef\)/);
      expect(o.error.fix).toMatch(/^Make customer ".+" \(Id \d+\) active again in QuickBooks/);
    }
    // With a fresh chart the record fails before anything is sent.
    const after: ResolveOutcome[] = await attempt(1).run(activities(ledgerWith()).resolveRecords, { refs: ready.map((r) => r.ref), glSource: 'psa' as const });
    for (const o of after) {
      expect(o.status).toBe('failed');
      if (o.status !== 'failed') continue;
      expect(o.error.message).toMatch(/Customer ".+" is inactive in QuickBooks, which refuses references to inactive entries \(fault 610\)/);
      expect(o.error.fix).toMatch(/Make customer ".+" active again in QuickBooks/);
    }
    expect(await ledgerMarkers()).toEqual(new Map());
  });
});
