/**
 * Each PSA record is read once per batch attempt, against the real sandboxes over HTTP: resolve
 * reads and prepares the records, post and reconcile on the same worker reuse them; a worker that did
 * not resolve them reads them again and posts the same. A record reopened in ConnectWise after it was
 * read is posted as read, then left unmarked and named, while the others are marked exported.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { collectActivities } from '../../activities/collect';
import { markExportedActivities } from '../../activities/mark-exported';
import { postActivities } from '../../activities/post';
import { preparedRecords, type PreparedRecords } from '../../activities/prepared-records';
import { reconcileActivities } from '../../activities/reconcile';
import { resolveActivities } from '../../activities/resolve';
import type { PostOutcome, ReconcileOutcome, RecordRef, ResolveOutcome } from '../../domain/contract';
import { ledgerContextCache } from '../../integrations/ledger-context';
import { stackLedgerClient, startLedgerStack, type LedgerStack } from '../../dev/stack/ledger-stack';

let stack: LedgerStack;
/** The demo's own invoices, left out: the tests post six generated ones. */
let demo: Set<string>;
beforeEach(async () => {
  stack = await startLedgerStack({ checklistPassed: false });
  demo = new Set((await unpostedInvoices()).map((r) => r.id));
  await stack.psa.admin.generate({ invoices: 6, seed: 41 });
}, 60_000);
afterEach(async () => {
  await stack?.close();
});

/** One worker's batch activities, with its own store of prepared records (none: it keeps nothing). */
function worker(prepared: PreparedRecords | undefined) {
  const ledger = stackLedgerClient(stack);
  const shared = { psa: stack.deps.psa, ledger, realmId: ledger.realmId, ledgerContext: ledgerContextCache({ psa: stack.deps.psa, ledger }), prepared };
  return { ...resolveActivities(shared), ...postActivities(shared), ...reconcileActivities(shared), ...markExportedActivities(shared) };
}

const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> => new MockActivityEnvironment({ startToCloseTimeoutMs: 300_000 }).run(fn, ...args);

/** GL export requests ConnectWise answers while `body` runs: one per record kind read. */
async function exportsDuring<T>(body: () => Promise<T>): Promise<{ result: T; exports: number }> {
  let exports = 0;
  const stop = stack.psa.admin.onRequest(({ method, path }) => {
    if (method === 'POST' && path.toLowerCase() === '/finance/accounting/export') exports += 1;
  });
  try {
    return { result: await body(), exports };
  } finally {
    stop();
  }
}

async function unpostedInvoices(): Promise<RecordRef[]> {
  return (await collectActivities({ psa: stack.deps.psa }).collectUnposted({ kind: 'invoice', page: 1, pageSize: 100 })).refs;
}

/** The generated invoices still unposted. */
const invoices = async () => (await unpostedInvoices()).filter((r) => !demo.has(r.id));

type Ready = Extract<ResolveOutcome, { status: 'ready' }>;
type Posted = Extract<PostOutcome, { status: 'posted' | 'alreadyPosted' }>;

/** Resolve on one worker, post and reconcile on another (or the same), counting each step's reads. */
async function resolveAndPost(resolver: ReturnType<typeof worker>, poster: ReturnType<typeof worker>, batchId: string) {
  const all = await invoices();
  const resolved = await exportsDuring(() => run(resolver.resolveRecords, { refs: all, glSource: 'psa' as const, batchId }));
  const ready = resolved.result.filter((o): o is Ready => o.status === 'ready');
  const posted = await exportsDuring(() => run(poster.postRecords, { batchId, glSource: 'psa' as const, records: ready.map((r) => ({ ref: r.ref, draftDigest: r.draftDigest })) }));
  const done = posted.result.filter((o): o is Posted => o.status !== 'failed');
  const reconciled = await exportsDuring(() => run(poster.reconcileRecords, { glSource: 'psa' as const, posted: done.map((p) => ({ ref: p.ref, entity: p.entity, txnId: p.txnId })) }));
  return { ready, posted: done, reconciled: reconciled.result, exports: { resolve: resolved.exports, post: posted.exports, reconcile: reconciled.exports } };
}

describe('each PSA record is read once per batch attempt', () => {
  it('post and reconcile on the worker that resolved reuse its read; nothing is read again', async () => {
    const one = worker(preparedRecords());
    const { ready, posted, reconciled, exports } = await resolveAndPost(one, one, 'read-once');
    expect(ready).toHaveLength(6);
    expect(posted.map((p) => p.status)).toEqual(Array(6).fill('posted'));
    expect(reconciled.every((r: ReconcileOutcome) => r.confirmed)).toBe(true);
    expect(exports).toEqual({ resolve: 1, post: 0, reconcile: 0 });
  });

  it('a worker that did not resolve the records reads them again and posts the same transactions', async () => {
    const { ready, posted, reconciled, exports } = await resolveAndPost(worker(preparedRecords()), worker(preparedRecords()), 'other-worker');
    expect(posted).toHaveLength(ready.length);
    expect(reconciled.every((r) => r.confirmed)).toBe(true);
    expect(exports).toEqual({ resolve: 1, post: 1, reconcile: 0 });
    // A worker keeping nothing reads at every step, as before.
    const none = worker(undefined);
    const again = await resolveAndPost(none, none, 'keeps-nothing');
    expect(again.posted.map((p) => p.status)).toEqual(Array(6).fill('alreadyPosted'));
    expect(again.reconciled.every((r) => r.confirmed)).toBe(true);
    expect(again.exports).toEqual({ resolve: 1, post: 1, reconcile: 1 });
  });

  it('a record reopened after it was read is posted as read, then named and left unmarked; the others are marked exported', async () => {
    const one = worker(preparedRecords());
    const all = await invoices();
    const reopened = all[2]!;
    const resolved: ResolveOutcome[] = await run(one.resolveRecords, { refs: all, glSource: 'psa' as const, batchId: 'moving' });
    stack.psa.admin.reopen('invoice', Number(reopened.id));
    const ready = resolved.filter((o): o is Ready => o.status === 'ready');
    const posted = (await run(one.postRecords, { batchId: 'moving', glSource: 'psa' as const, records: ready.map((r) => ({ ref: r.ref, draftDigest: r.draftDigest })) })).filter((o): o is Posted => o.status !== 'failed');
    expect(posted).toHaveLength(6);
    const reconciled = await run(one.reconcileRecords, { glSource: 'psa' as const, posted: posted.map((p) => ({ ref: p.ref, entity: p.entity, txnId: p.txnId })) });
    const records = reconciled.map((r) => ({ ref: r.ref, glEntryIds: r.glEntryIds }));
    const input = { batchIdentifier: 'T-moving-0-I', kind: 'invoice' as const, glEntryIds: records.flatMap((r) => r.glEntryIds), records };

    const marked = await run(one.markExported, input);
    expect(marked.changed).toEqual([reopened]);
    expect(marked.psaBatchId).toBeDefined();
    const stillUnposted = (await invoices()).map((r) => r.id);
    expect(stillUnposted).toEqual([]);
    // Its earlier attempt (the answer lost) is found as such, naming the same record.
    expect(await run(one.markExported, input)).toEqual({ psaBatchId: marked.psaBatchId, alreadyExisted: true, changed: [reopened] });

    // Closed again, it is unposted once more, with new GL entries.
    stack.psa.admin.close('invoice', Number(reopened.id));
    expect((await invoices()).map((r) => r.id)).toEqual([reopened.id]);
  });
});
