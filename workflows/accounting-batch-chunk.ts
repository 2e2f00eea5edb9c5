/**
 * One chunk of an accounting batch, as its own child workflow so no history grows with the batch:
 * resolve GL -> post (groups of up to 30, the accounting batch endpoint's size) -> reconcile ->
 * mark exactly the confirmed records exported in the PSA.
 */
import type { PostOutcome, RecordKind, RecordRef, ReconcileOutcome, ResolveOutcome } from '../activities/contracts';
import type { RecordDiscrepancy, RecordDrift, RecordFailure, WouldCreate } from '../domain/batch-summary';
import { accountingActivities, psaActivity } from './activity-options';

export interface ChunkInput {
  batchId: string;
  /** Unique within the batch (retry rounds use "r1-0", ...); part of the PSA batch identifier. */
  chunkKey: string;
  refs: RecordRef[];
  dryRun: boolean;
  glSource: 'psa' | 'current';
}

export interface ChunkResult {
  chunkKey: string;
  posted: { ref: RecordRef; status: 'posted' | 'alreadyPosted'; total: string }[];
  failures: RecordFailure[];
  /** Refs of failed records, so `retryFailed` can try exactly these again. */
  failedRefs: RecordRef[];
  discrepancies: RecordDiscrepancy[];
  drift: RecordDrift[];
  wouldCreate: WouldCreate[];
  exportedBatches: string[];
}

/** Accounting API batch limit: at most 30 items per call. */
export const POST_GROUP_SIZE = 30;

const KIND_LETTER: Record<RecordKind, string> = { invoice: 'I', expense: 'E', procurement: 'P' };

function groups<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function failureOf(ref: RecordRef, error: { type: string; message: string; fix: string }): RecordFailure {
  return { kind: ref.kind, id: ref.id, number: ref.number, type: error.type as RecordFailure['type'], message: error.message, fix: error.fix };
}

function driftOf(outcome: ResolveOutcome): RecordDrift[] {
  return outcome.drift.map((d) => ({
    kind: outcome.ref.kind,
    number: outcome.ref.number,
    accountType: d.accountType,
    exported: d.exported,
    current: d.current,
  }));
}

export async function accountingBatchChunk(input: ChunkInput): Promise<ChunkResult> {
  const result: ChunkResult = {
    chunkKey: input.chunkKey,
    posted: [],
    failures: [],
    failedRefs: [],
    discrepancies: [],
    drift: [],
    wouldCreate: [],
    exportedBatches: [],
  };
  const fail = (ref: RecordRef, error: { type: string; message: string; fix: string }) => {
    result.failures.push(failureOf(ref, error));
    result.failedRefs.push(ref);
  };

  // 1. resolve GL: per-record business errors come back as outcomes, not exceptions.
  const resolved = await psaActivity(`resolve GL: ${input.refs.length} records (chunk ${input.chunkKey})`).resolveRecords({
    refs: input.refs,
    glSource: input.glSource,
  });
  const ready: Extract<ResolveOutcome, { status: 'ready' }>[] = [];
  for (const outcome of resolved) {
    result.drift.push(...driftOf(outcome));
    if (outcome.status === 'ready') ready.push(outcome);
    else fail(outcome.ref, outcome.error);
  }

  if (input.dryRun) {
    result.wouldCreate = ready.map((r) => ({
      kind: r.ref.kind,
      number: r.ref.number,
      entity: r.entity,
      docNumber: r.docNumber,
      total: r.total,
      lineCount: r.lineCount,
    }));
    return result;
  }

  // 2. post: each group is one accounting batch call; groups run concurrently, the accounting
  //    queue's rate limit paces them across all workers.
  const postOutcomes: PostOutcome[] = (
    await Promise.all(
      groups(ready, POST_GROUP_SIZE).map((group, i) =>
        accountingActivities(`post ${group.length} records (chunk ${input.chunkKey}, group ${i})`).postRecords({
          batchId: input.batchId,
          glSource: input.glSource,
          records: group.map((r) => ({ ref: r.ref, draftDigest: r.draftDigest })),
        }),
      ),
    )
  ).flat();

  const posted: Extract<PostOutcome, { status: 'posted' | 'alreadyPosted' }>[] = [];
  for (const outcome of postOutcomes) {
    if (outcome.status === 'failed') fail(outcome.ref, outcome.error);
    else posted.push(outcome);
  }

  // 3. reconcile what the accounting package now holds against what we meant to post.
  const reconciled: ReconcileOutcome[] = (
    await Promise.all(
      groups(posted, POST_GROUP_SIZE).map((group, i) =>
        accountingActivities(`reconcile ${group.length} records (chunk ${input.chunkKey}, group ${i})`).reconcileRecords({
          glSource: input.glSource,
          posted: group.map((p) => ({ ref: p.ref, entity: p.entity, txnId: p.txnId })),
        }),
      ),
    )
  ).flat();
  const confirmed = new Map<string, ReconcileOutcome>();
  for (const outcome of reconciled) {
    for (const d of outcome.discrepancies) {
      result.discrepancies.push({ kind: outcome.ref.kind, number: outcome.ref.number, ...d });
    }
    if (outcome.confirmed) confirmed.set(`${outcome.ref.kind}:${outcome.ref.id}`, outcome);
  }
  for (const p of posted) {
    if (confirmed.has(`${p.ref.kind}:${p.ref.id}`)) result.posted.push({ ref: p.ref, status: p.status, total: p.total });
  }

  // 4. mark exactly the confirmed records exported, one PSA batch per record kind.
  for (const kind of ['invoice', 'expense', 'procurement'] as const) {
    const glEntryIds = [...confirmed.values()].filter((c) => c.ref.kind === kind).flatMap((c) => c.glEntryIds);
    if (glEntryIds.length === 0) continue;
    const batchIdentifier = `${input.batchId}-${input.chunkKey}-${KIND_LETTER[kind]}`;
    await psaActivity(`mark ${glEntryIds.length} GL entries exported (${batchIdentifier})`).markExported({ batchIdentifier, kind, glEntryIds });
    result.exportedBatches.push(batchIdentifier);
  }
  return result;
}
