/**
 * Procurement records are marked exported by their unposted row's id (the GL entry of the header).
 * References collected before they carried `rowId` (a batch an earlier worker started) still
 * resolve, post, reconcile and are marked exported: the row ids are looked up by unpostedProductId.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { collectActivities } from '../../activities/collect';
import { markExportedActivities } from '../../activities/mark-exported';
import { postActivities } from '../../activities/post';
import { reconcileActivities } from '../../activities/reconcile';
import { resolveActivities } from '../../activities/resolve';
import type { PostOutcome, ReconcileOutcome, RecordRef, ResolveOutcome } from '../../domain/contract';
import { ledgerContextCache } from '../../integrations/ledger-context';
import { stackLedgerClient, startLedgerStack, type LedgerStack } from '../../dev/stack/ledger-stack';

let stack: LedgerStack;
beforeAll(async () => {
  stack = await startLedgerStack({ checklistPassed: false });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

it('procurement references without rowId (collected by an earlier worker) post and are marked exported', async () => {
  const collected = (await collectActivities({ psa: stack.deps.psa }).collectUnposted({ kind: 'procurement', pageSize: 100 })).refs;
  expect(collected.every((r) => typeof r.rowId === 'number')).toBe(true);
  const refs: RecordRef[] = collected.map(({ rowId: _rowId, ...old }) => old);

  const ledger = stackLedgerClient(stack);
  const shared = { psa: stack.deps.psa, ledger, realmId: ledger.realmId, ledgerContext: ledgerContextCache({ psa: stack.deps.psa, ledger }) };
  const env = new MockActivityEnvironment({ attempt: 1, startToCloseTimeoutMs: 300_000 });
  const resolved: ResolveOutcome[] = await env.run(resolveActivities(shared).resolveRecords, { refs, glSource: 'psa' as const });
  const ready = resolved.filter((o): o is Extract<ResolveOutcome, { status: 'ready' }> => o.status === 'ready');
  expect(ready.length).toBe(refs.length);
  const posted: PostOutcome[] = await env.run(postActivities(shared).postRecords, { batchId: 'old-refs', glSource: 'psa' as const, records: ready.map((o) => ({ ref: o.ref, draftDigest: o.draftDigest })) });
  const ok = posted.filter((p): p is Extract<PostOutcome, { status: 'posted' | 'alreadyPosted' }> => p.status !== 'failed');
  expect(ok.length).toBe(refs.length);
  const reconciled: ReconcileOutcome[] = await env.run(reconcileActivities(shared).reconcileRecords, {
    glSource: 'psa' as const,
    posted: ok.map((p) => ({ ref: p.ref, entity: p.entity, txnId: p.txnId })),
  });
  expect(reconciled.every((r) => r.confirmed)).toBe(true);
  // Each record's processedRecordIds include its unposted row's id.
  const rowIds = new Set(collected.map((r) => r.rowId));
  expect(reconciled.every((r) => r.glEntryIds.some((id) => rowIds.has(id)))).toBe(true);

  await env.run(markExportedActivities(shared).markExported, { batchIdentifier: 'old-refs-0-P', kind: 'procurement' as const, glEntryIds: reconciled.flatMap((r) => r.glEntryIds) });
  expect(await stack.deps.psa.unpostedProcurement.count()).toBe(0);
}, 120_000);
