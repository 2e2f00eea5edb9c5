/**
 * The records a batch attempt has read and prepared, kept in this worker's memory between its
 * steps so each PSA record is read once: resolve keeps what it reported (under the digest the
 * workflow passes on), post takes it back by that digest and keeps what it posted, reconcile takes
 * that back by the transaction it became. A miss (another worker ran the earlier step, the entry was
 * dropped, or it is too old) reads the record again exactly as the step always could, so any number
 * of workers behave as one. Whatever changes in ConnectWise after the read is caught where it
 * matters: ConnectWise refuses to mark a superseded GL entry exported (activities/mark-exported).
 */
import type { RecordRef } from '../domain/contract';
import type { Preparation, PreparedRecord } from './prepare-records';

/** Records kept per accounting company; the oldest are dropped first (a worker's memory stays bounded). */
export const DEFAULT_PREPARED_RECORDS_KEPT = 1000;
/** How long a prepared record is reused: a step further away reads the record and the chart afresh. */
export const PREPARED_RECORD_TTL_MS = 10 * 60_000;

type GlSource = 'psa' | 'current';

const resolvedKey = (batchId: string, glSource: GlSource, ref: Pick<RecordRef, 'kind' | 'id'>, digest: string) => `resolved|${batchId}|${glSource}|${ref.kind}:${ref.id}|${digest}`;
const postedKey = (glSource: GlSource, ref: Pick<RecordRef, 'kind' | 'id'>, entity: string, txnId: string) => `posted|${glSource}|${ref.kind}:${ref.id}|${entity}:${txnId}`;

export interface PreparedRecords {
  /** Resolve reported `prepared` (with its digest) for this batch run. */
  resolved(batchId: string, glSource: GlSource, prepared: PreparedRecord): void;
  /** What resolve reported for the record under `digest`, if this worker still has it. */
  takeResolved(batchId: string, glSource: GlSource, ref: RecordRef, digest: string): PreparedRecord | undefined;
  /** Post confirmed `prepared` as this transaction (created, updated or found). */
  posted(glSource: GlSource, prepared: PreparedRecord, entity: string, txnId: string): void;
  /** What post sent (or found) as this transaction, if this worker still has it. */
  takePosted(glSource: GlSource, ref: RecordRef, entity: string, txnId: string): PreparedRecord | undefined;
  readonly size: number;
}

export function preparedRecords(options: { maxRecords?: number; ttlMs?: number; now?: () => number } = {}): PreparedRecords {
  const maxRecords = options.maxRecords ?? DEFAULT_PREPARED_RECORDS_KEPT;
  const ttlMs = options.ttlMs ?? PREPARED_RECORD_TTL_MS;
  const now = options.now ?? Date.now;
  // Insertion order is age order: the first entry is the oldest.
  const entries = new Map<string, { at: number; prepared: PreparedRecord }>();

  const keep = (key: string, prepared: PreparedRecord) => {
    entries.delete(key);
    entries.set(key, { at: now(), prepared });
    while (entries.size > maxRecords) entries.delete(entries.keys().next().value!);
  };
  /** The entry, if fresh; taken out either way (a step that fails reads the record again on its retry). */
  const take = (key: string) => {
    const entry = entries.get(key);
    entries.delete(key);
    return entry && now() - entry.at <= ttlMs ? entry.prepared : undefined;
  };

  return {
    resolved: (batchId, glSource, prepared) => keep(resolvedKey(batchId, glSource, prepared.ref, prepared.digest), prepared),
    takeResolved: (batchId, glSource, ref, digest) => take(resolvedKey(batchId, glSource, ref, digest)),
    posted: (glSource, prepared, entity, txnId) => keep(postedKey(glSource, prepared.ref, entity, txnId), prepared),
    takePosted: (glSource, ref, entity, txnId) => take(postedKey(glSource, ref, entity, txnId)),
    get size() {
      return entries.size;
    },
  };
}

/** Each item's kept preparation, else its record read again (the misses in one read), in item order. */
export async function keptOrRead<T>(items: readonly T[], take: (item: T) => PreparedRecord | undefined, read: (missing: T[]) => Promise<Preparation[]>): Promise<Preparation[]> {
  const kept = items.map(take);
  const missing = items.filter((_, i) => !kept[i]);
  const fresh = missing.length > 0 ? await read(missing) : [];
  let next = 0;
  return kept.map((k) => (k ? { ok: true as const, ...k } : fresh[next++]!));
}
