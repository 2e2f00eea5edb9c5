/**
 * One chunk of an accounting batch, as its own child workflow so no history grows with the batch:
 * resolve GL -> post (groups of up to 30, the accounting batch endpoint's size) -> reconcile ->
 * mark exactly the confirmed records exported in the PSA.
 */
import { patched, workflowInfo } from '@temporalio/workflow';
import { addEdit, addFailure, addPosted, addReconciled, addResolved, emptyChunkResult, psaBatchIdentifier, refKey, runTag, wouldCreateOf, type ChunkResult } from '../domain/batch-chunk';
import { chunk } from '../domain/chunk';
import { LINE_ACCOUNT_RECORDS } from '../domain/posting/line-accounts';
import { RECORD_KINDS, type MarkExportedInput, type MarkExportedResult, type PostOutcome, type ReconcileOutcome, type RecordRef } from '../domain/contract';
import { companyActivities, type RunCompany } from './helpers';

export interface ChunkInput {
  batchId: string;
  /** Unique within the batch (retry rounds use "r1-0", ...); part of the PSA batch identifier. */
  chunkKey: string;
  refs: RecordRef[];
  dryRun: boolean;
  glSource: 'psa' | 'current';
  /** The accounting company (absent in chunks started before companies had names: the only one). */
  company?: RunCompany;
}

/** Accounting API batch limit: at most 30 items per call. */
export const POST_GROUP_SIZE = 30;

/** A chunk of whole post groups, so every batch call but a batch's last carries the full 30 items. */
export const ACCOUNTING_CHUNK_SIZE = 4 * POST_GROUP_SIZE;

/** Records one reconcile reads back: a default chunk's, in one query per transaction kind. */
export const RECONCILE_GROUP_SIZE = ACCOUNTING_CHUNK_SIZE;

/** The default before chunks were whole post groups (100: groups of 30, 30, 30 and 10). */
export const FORMER_CHUNK_SIZE = 100;

export async function accountingBatchChunk(input: ChunkInput): Promise<ChunkResult> {
  const result = emptyChunkResult(input.chunkKey);
  const activities = companyActivities(input.company);
  const psaActivity = (summary: string) => activities.psa(summary);
  const accountingActivities = (summary: string) => activities.accounting(summary);

  // 1. resolve GL: per-record business errors come back as outcomes, not exceptions. A dry run asks
  //    where the lines of its first LINE_ACCOUNT_RECORDS records post (not every record's lines).
  const lineAccounts = input.dryRun && patched('dry-run-line-accounts') ? LINE_ACCOUNT_RECORDS : undefined;
  const resolved = await psaActivity(`resolve GL: ${input.refs.length} records (chunk ${input.chunkKey})`).resolveRecords({
    refs: input.refs,
    glSource: input.glSource,
    batchId: input.batchId,
    ...(lineAccounts !== undefined && { lineAccounts }),
  });
  const ready = addResolved(result, resolved);

  if (input.dryRun) {
    result.wouldCreate = wouldCreateOf(ready);
    return result;
  }

  // 2. post: each group is one accounting batch call; groups run concurrently, the batch-call
  //    queue's rate limit (the company's batch calls a minute) paces them across all workers.
  const postActivities = patched('posts-on-batch-call-queue') ? activities.batchCalls : accountingActivities;
  const postOutcomes: PostOutcome[] = (
    await Promise.all(
      chunk(ready, POST_GROUP_SIZE).map((group, i) =>
        postActivities(`post ${group.length} records (chunk ${input.chunkKey}, group ${i})`).postRecords({
          batchId: input.batchId,
          glSource: input.glSource,
          records: group.map((r) => ({ ref: r.ref, draftDigest: r.draftDigest })),
        }),
      ),
    )
  ).flat();

  const posted: Extract<PostOutcome, { status: 'posted' | 'alreadyPosted' }>[] = [];
  for (const outcome of postOutcomes) {
    if (outcome.status === 'failed') addFailure(result, outcome.ref, outcome.error);
    else posted.push(outcome);
    addEdit(result, outcome);
  }

  // 3. reconcile what the accounting package now holds against what we meant to post, in groups of
  //    RECONCILE_GROUP_SIZE (reading back is a query per kind, not a batch call). The first
  //    LINE_ACCOUNT_RECORDS confirmed records of the chunk say where their lines posted.
  const postedLineAccounts = patched('posted-line-accounts');
  const groupSize = patched('reconcile-in-chunk-groups') ? RECONCILE_GROUP_SIZE : POST_GROUP_SIZE;
  const reconciled: ReconcileOutcome[] = (
    await Promise.all(
      chunk(posted, groupSize).map((group, i) =>
        accountingActivities(`reconcile ${group.length} records (chunk ${input.chunkKey}, group ${i})`).reconcileRecords({
          glSource: input.glSource,
          posted: group.map((p) => ({ ref: p.ref, entity: p.entity, txnId: p.txnId })),
          ...(postedLineAccounts && i * groupSize < LINE_ACCOUNT_RECORDS && { lineAccounts: LINE_ACCOUNT_RECORDS - i * groupSize }),
        }),
      ),
    )
  ).flat();
  const confirmed = addReconciled(result, reconciled);

  // 4. mark exactly the confirmed records exported, one PSA batch per record kind, named by the
  //    batch run (the parent's) so a reused batchId never meets an earlier run's PSA batch, and by
  //    its named company, if any. The kinds' batches are separate PSA writes: made at once.
  //    Each names its records, so one reopened in ConnectWise since it was read is left out and named.
  const info = workflowInfo();
  const exports: MarkExportedInput[] = [];
  for (const kind of RECORD_KINDS) {
    const records = [...confirmed.values()].filter((c) => c.ref.kind === kind).map((c) => ({ ref: c.ref, glEntryIds: c.glEntryIds }));
    const glEntryIds = records.flatMap((r) => r.glEntryIds);
    if (glEntryIds.length === 0) continue;
    const run = patched('psa-batch-per-run') ? runTag(info.parent?.runId ?? info.runId) : undefined;
    exports.push({ kind, batchIdentifier: psaBatchIdentifier(input.batchId, input.chunkKey, kind, run, input.company?.name), glEntryIds, records });
  }
  const markExported = (e: MarkExportedInput) => psaActivity(`mark ${e.glEntryIds.length} GL entries exported (${e.batchIdentifier})`).markExported(e);
  const marked: MarkExportedResult[] = [];
  if (exports.length > 1 && patched('kinds-exported-together')) {
    const settled = await Promise.allSettled(exports.map(markExported));
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    marked.push(...settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])));
  } else {
    for (const e of exports) marked.push(await markExported(e));
  }
  const changed = new Set(marked.flatMap((m) => m.changed ?? []).map(refKey));
  for (const p of posted) {
    if (changed.has(refKey(p.ref))) addFailure(result, p.ref, changedWhilePosting(p));
    else if (confirmed.has(refKey(p.ref))) addPosted(result, p.ref, p.status, p.total);
    if (p.taxDelta) (result.taxDeltas ??= []).push({ kind: p.ref.kind, number: p.ref.number, ...p.taxDelta });
  }
  result.exportedBatches.push(...exports.filter((_, i) => marked[i]?.psaBatchId !== undefined).map((e) => e.batchIdentifier));
  return result;
}

/** Why a record posted to the accounting package is not marked exported: it was reopened meanwhile. */
function changedWhilePosting(p: { ref: RecordRef; entity: string; txnId: string }): { type: string; message: string; fix: string } {
  return {
    type: 'Conflict',
    message: `${p.ref.kind} ${p.ref.number} was reopened in ConnectWise while this batch posted it: QuickBooks has ${p.entity} ${p.txnId} from the version read, and ConnectWise does not have it marked exported`,
    fix: `Close it again in ConnectWise: the next batch (or retryFailed) takes ${p.entity} ${p.txnId} as its posting, updated in place if the new version differs. If it should not be in the books, void or delete ${p.entity} ${p.txnId} in QuickBooks.`,
  };
}
