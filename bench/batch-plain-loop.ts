/**
 * The accounting batch's work without Temporal: the same activity functions over the same clients,
 * called in-process through MockActivityEnvironment (they need an activity Context for heartbeats),
 * in the same shape as the workflows (collect pages -> chunks of 120 with 4 in flight -> resolve ->
 * post in groups of 30, concurrently -> reconcile -> mark exported per kind -> the report email),
 * without the checks whose watermarks and go-live state only Temporal keeps (checklist gate,
 * agreement and QuickBooks change checks). The benchmark's
 * baseline: durable throughput divided by this is what durability costs.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Activities as LedgerActivities } from '../activities';
import { emptySummary, finalStatus } from '../domain/batch-summary';
import { RECORD_KINDS, type PostOutcome, type RecordKind, type RecordRef, type ReconcileOutcome, type ResolveOutcome } from '../domain/contract';
import { COLLECT_PAGE_SIZE } from '../workflows/accounting-batch';
import { ACCOUNTING_CHUNK_SIZE as CHUNK_SIZE, POST_GROUP_SIZE } from '../workflows/accounting-batch-chunk';

/** The workflows' sizes; chunks in flight as domain/schemas.ts's maxConcurrentChunks default. */
const MAX_CONCURRENT_CHUNKS = 4;
const KIND_LETTER: Record<RecordKind, string> = { invoice: 'I', expense: 'E', procurement: 'P' };

export interface PlainLoopResult {
  collected: number;
  posted: number;
  alreadyPosted: number;
  failed: number;
}

function groups<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The workflows' start-to-close timeouts (workflows/helpers.ts: 10 minutes on the main queue, 5 on
 * the accounting queue): activities budget their calls within it, and the mock's default (1 s) would
 * cut a QuickBooks batch call short.
 */
const START_TO_CLOSE_MS = 5 * 60_000;

/** One activity call with a fresh mock context, as a worker would give each attempt. */
function call<K extends keyof LedgerActivities>(activities: LedgerActivities, name: K, ...args: Parameters<LedgerActivities[K]>): ReturnType<LedgerActivities[K]> {
  const fn = activities[name] as unknown as (...a: unknown[]) => Promise<unknown>;
  const env = new MockActivityEnvironment({ startToCloseTimeoutMs: START_TO_CLOSE_MS });
  return env.run(fn as never, ...(args as unknown as never[])) as ReturnType<LedgerActivities[K]>;
}

export async function runPlainBatch(activities: LedgerActivities, batchId: string): Promise<PlainLoopResult> {
  const result: PlainLoopResult = { collected: 0, posted: 0, alreadyPosted: 0, failed: 0 };
  const summary = emptySummary({ batchId, workflowId: `plain-${batchId}`, runId: 'plain', dryRun: false, overrideChecklist: true });
  const refs: RecordRef[] = [];
  for (const kind of ['invoice', 'expense', 'procurement'] as const) {
    for (let page = 1; ; page++) {
      const pageResult = await call(activities, 'collectUnposted', { kind, page, pageSize: COLLECT_PAGE_SIZE });
      refs.push(...pageResult.refs);
      if (!pageResult.hasMore) break;
    }
  }
  result.collected = refs.length;

  const runChunk = async (chunkKey: string, chunkRefs: RecordRef[]) => {
    const resolved: ResolveOutcome[] = await call(activities, 'resolveRecords', { refs: chunkRefs, glSource: 'psa', batchId });
    const ready = resolved.filter((o): o is Extract<ResolveOutcome, { status: 'ready' }> => o.status === 'ready');
    result.failed += resolved.length - ready.length;
    const postOutcomes: PostOutcome[] = (
      await Promise.all(
        groups(ready, POST_GROUP_SIZE).map((g) =>
          call(activities, 'postRecords', { batchId, glSource: 'psa', records: g.map((r) => ({ ref: r.ref, draftDigest: r.draftDigest })) }),
        ),
      )
    ).flat();
    const posted = postOutcomes.filter((o): o is Extract<PostOutcome, { status: 'posted' | 'alreadyPosted' }> => o.status !== 'failed');
    result.failed += postOutcomes.length - posted.length;
    const reconciled: ReconcileOutcome[] = (
      await Promise.all(
        groups(posted, POST_GROUP_SIZE).map((g) =>
          call(activities, 'reconcileRecords', { glSource: 'psa', posted: g.map((p) => ({ ref: p.ref, entity: p.entity, txnId: p.txnId })) }),
        ),
      )
    ).flat();
    const confirmed = reconciled.filter((r) => r.confirmed);
    for (const p of posted) {
      if (!confirmed.some((c) => c.ref.kind === p.ref.kind && c.ref.id === p.ref.id)) continue;
      result[p.status] += 1;
      summary.byKind[p.ref.kind][p.status] += 1;
    }
    await Promise.all(
      RECORD_KINDS.map((kind) => {
        const glEntryIds = confirmed.filter((c) => c.ref.kind === kind).flatMap((c) => c.glEntryIds);
        if (glEntryIds.length === 0) return undefined;
        return call(activities, 'markExported', { batchIdentifier: `${batchId}-${chunkKey}-${KIND_LETTER[kind]}`, kind, glEntryIds });
      }),
    );
  };

  const chunks = groups(refs, CHUNK_SIZE);
  let next = 0;
  const lane = async () => {
    while (next < chunks.length) {
      const index = next++;
      await runChunk(String(index), chunks[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAX_CONCURRENT_CHUNKS, chunks.length) }, lane));
  summary.status = finalStatus(summary);
  await call(activities, 'sendBatchReport', { summary });
  return result;
}
