/**
 * ConnectWise records read by id on behalf of a batch run, shared by its chunks and by the checks
 * that need the same records (an invoice's agreement: whether it changed, and its type): each id is
 * read once per batch run, in `id in (...)` lists, and kept a short while so an edit is seen by a
 * later run. A failed read is not kept: the next one asks again.
 */
import { readInLists } from './connectwise';

export interface BatchLookups {
  /**
   * The records of `collection` with these ids, by id (an id ConnectWise does not return is absent).
   * `read` lists one `in (...)` list; the ids of a batch run already read are not asked again.
   */
  byIds<T extends { id: number }>(collection: string, ids: Iterable<number>, batchId: string | undefined, read: (inList: string) => Promise<T[]>): Promise<Map<number, T>>;
}

/** How long a batch run's records are reused: long enough for its chunks, short enough to see an edit. */
export const BATCH_LOOKUP_TTL_MS = 10 * 60_000;
/** Batch runs whose records stay cached; the oldest is dropped first. */
const CACHED_BATCHES = 8;

export function batchLookups(options: { ttlMs?: number; now?: () => number } = {}): BatchLookups {
  const ttlMs = options.ttlMs ?? BATCH_LOOKUP_TTL_MS;
  const now = options.now ?? Date.now;
  const batches = new Map<string, { at: number; records: Map<string, Promise<unknown>> }>();

  function cacheFor(batchId: string | undefined): Map<string, Promise<unknown>> {
    if (batchId === undefined) return new Map();
    const held = batches.get(batchId);
    if (held && now() - held.at <= ttlMs) return held.records;
    batches.delete(batchId);
    const fresh = { at: now(), records: new Map<string, Promise<unknown>>() };
    batches.set(batchId, fresh);
    while (batches.size > CACHED_BATCHES) batches.delete(batches.keys().next().value!);
    return fresh.records;
  }

  return {
    async byIds(collection, ids, batchId, read) {
      const cache = cacheFor(batchId);
      const key = (id: number) => `${collection}:${id}`;
      const wanted = [...new Set(ids)];
      const missing = wanted.filter((id) => !cache.has(key(id)));
      if (missing.length > 0) {
        const rows = readInLists(missing, read).then((list) => new Map(list.map((r) => [r.id, r])));
        for (const id of missing) {
          const one = rows.then((m) => m.get(id));
          cache.set(key(id), one);
          one.catch(() => cache.delete(key(id)));
        }
      }
      const found = await Promise.all(wanted.map(async (id) => [id, await cache.get(key(id))] as const));
      return new Map(found.filter((f): f is readonly [number, Awaited<ReturnType<typeof read>>[number]] => f[1] !== undefined));
    },
  };
}
