/**
 * One chunk of an accounting batch as data: what the chunk workflow hands back to the batch, built
 * from the activities' outcomes. Pure, so the workflow only orchestrates.
 */
import type { RecordDiscrepancy, RecordDrift, RecordFailure, WouldCreate } from './batch-summary';
import { RECORD_KIND_INFO, type RecordKind } from './contract/record-kinds';
import type { ReconcileOutcome, RecordRef, ResolveOutcome } from './contract/activities';

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

export type ReadyRecord = Extract<ResolveOutcome, { status: 'ready' }>;

export function emptyChunkResult(chunkKey: string): ChunkResult {
  return { chunkKey, posted: [], failures: [], failedRefs: [], discrepancies: [], drift: [], wouldCreate: [], exportedBatches: [] };
}

/** A record that failed for a business reason: in the report with its fix, and up for `retryFailed`. */
export function addFailure(result: ChunkResult, ref: RecordRef, error: { type: string; message: string; fix: string }): void {
  result.failures.push({ kind: ref.kind, id: ref.id, number: ref.number, type: error.type as RecordFailure['type'], message: error.message, fix: error.fix });
  result.failedRefs.push(ref);
}

/** Records the resolve outcomes (drift, failures) and returns the records ready to post. */
export function addResolved(result: ChunkResult, outcomes: readonly ResolveOutcome[]): ReadyRecord[] {
  const ready: ReadyRecord[] = [];
  for (const outcome of outcomes) {
    result.drift.push(
      ...outcome.drift.map((d) => ({ kind: outcome.ref.kind, number: outcome.ref.number, accountType: d.accountType, exported: d.exported, current: d.current })),
    );
    if (outcome.status === 'ready') ready.push(outcome);
    else addFailure(result, outcome.ref, outcome.error);
  }
  return ready;
}

/** A dry run's answer: the transactions the ready records would create. */
export function wouldCreateOf(ready: readonly ReadyRecord[]): WouldCreate[] {
  return ready.map((r) => ({ kind: r.ref.kind, number: r.ref.number, entity: r.entity, docNumber: r.docNumber, total: r.total, lineCount: r.lineCount }));
}

/** Records the reconcile outcomes' discrepancies and returns the confirmed ones by record. */
export function addReconciled(result: ChunkResult, outcomes: readonly ReconcileOutcome[]): Map<string, ReconcileOutcome> {
  const confirmed = new Map<string, ReconcileOutcome>();
  for (const outcome of outcomes) {
    for (const d of outcome.discrepancies) result.discrepancies.push({ kind: outcome.ref.kind, number: outcome.ref.number, ...d });
    if (outcome.confirmed) confirmed.set(refKey(outcome.ref), outcome);
  }
  return confirmed;
}

export const refKey = (ref: RecordRef) => `${ref.kind}:${ref.id}`;

/** The PSA batch that marks one chunk's confirmed records of one kind exported: unique, so a retry finds it. */
export function psaBatchIdentifier(batchId: string, chunkKey: string, kind: RecordKind): string {
  return `${batchId}-${chunkKey}-${RECORD_KIND_INFO[kind].letter}`;
}
