/**
 * Indexes over a realm's entity tables, so the lookups clients make answer in time independent of
 * how many rows a table holds: equality and IN on Id, DocNumber, TxnDate, DisplayName and Name, and
 * change data capture by MetaData.LastUpdatedTime. An index is built the first time a table is
 * asked and then kept current by `noteRowWritten` / `noteRowRemoved`, which every write of a stored
 * row calls. A table object replaced whole (a working copy, a loaded state) starts without indexes.
 * Indexes only narrow the rows a query looks at; the query's own conditions still decide each row,
 * so an answer is the same as a scan's.
 */
import type { QboEntity } from './state';

type Table = Record<string, QboEntity>;

/** A property by case-insensitive dotted path; a reference (`{ value }`) reads as its Id. */
export function readField(entity: QboEntity, path: string): unknown {
  let cur: unknown = entity;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const obj = cur as Record<string, unknown>;
    const key = Object.keys(obj).find((k) => k.toLowerCase() === part.toLowerCase());
    cur = key === undefined ? undefined : obj[key];
  }
  if (cur && typeof cur === 'object' && 'value' in (cur as object)) return (cur as { value: unknown }).value;
  return cur;
}

export const looksLikeTime = (s: string): boolean => /^\d{4}-\d{2}-\d{2}T/.test(s);

/** Properties whose equality lookups are indexed (lower-case). */
export const INDEXED_FIELDS: ReadonlySet<string> = new Set(['id', 'docnumber', 'txndate', 'displayname', 'name']);

/**
 * The key under which a value is found by `=`: for printable ASCII text that is not a timestamp,
 * queries compare case-insensitively and nothing else can equal it, so the lower-cased text. Other
 * values (numbers, timestamps, other characters) compare by rules an exact key cannot follow: they
 * are always looked at. Missing values never equal anything.
 */
const PLAIN = /^[\x20-\x7e]*$/;
const IRREGULAR = Symbol('irregular');
type Key = string | typeof IRREGULAR | undefined;

export function plainKey(value: unknown): string | undefined {
  return typeof value === 'string' && PLAIN.test(value) && !looksLikeTime(value) ? value.toLowerCase() : undefined;
}

function keyOf(value: unknown): Key {
  if (value === undefined || value === null) return undefined;
  return plainKey(value) ?? IRREGULAR;
}

class FieldIndex {
  private readonly byKey = new Map<string, Set<string>>();
  private readonly irregular = new Set<string>();
  private readonly keys = new Map<string, Key>();

  constructor(
    private readonly field: string,
    table: Table,
  ) {
    for (const [id, row] of Object.entries(table)) this.put(id, row);
  }

  put(id: string, row: QboEntity | undefined): void {
    this.remove(id);
    const key = row === undefined ? undefined : keyOf(readField(row, this.field));
    if (key === undefined) return;
    this.keys.set(id, key);
    if (key === IRREGULAR) this.irregular.add(id);
    else {
      let ids = this.byKey.get(key);
      if (!ids) this.byKey.set(key, (ids = new Set()));
      ids.add(id);
    }
  }

  remove(id: string): void {
    const key = this.keys.get(id);
    if (key === undefined) return;
    this.keys.delete(id);
    if (key === IRREGULAR) this.irregular.delete(id);
    else {
      const ids = this.byKey.get(key)!;
      ids.delete(id);
      if (ids.size === 0) this.byKey.delete(key);
    }
  }

  /** Ids of every row that can equal one of `keys` (plain keys). */
  candidates(keys: readonly string[]): Set<string> {
    const out = new Set(this.irregular);
    for (const key of keys) for (const id of this.byKey.get(key) ?? []) out.add(id);
    return out;
  }
}

/** Times rows took (ms, Id), in time order while writes come in time order; rebuilt otherwise. */
class ChangeLog {
  private entries: Array<[number, string]> = [];
  private sorted = true;

  constructor(private readonly table: Table) {
    this.rebuild();
  }

  private rebuild(): void {
    this.entries = [];
    for (const [id, row] of Object.entries(this.table)) {
      const t = lastUpdated(row);
      if (!Number.isNaN(t)) this.entries.push([t, id]);
    }
    this.entries.sort((a, b) => a[0] - b[0]);
    this.sorted = true;
  }

  note(id: string, row: QboEntity | undefined): void {
    if (!row) return;
    const t = lastUpdated(row);
    if (Number.isNaN(t)) return;
    const last = this.entries[this.entries.length - 1];
    if (last && t < last[0]) this.sorted = false;
    this.entries.push([t, id]);
  }

  /** Ids of rows that took a time at or after `since` (some may have changed again or gone). */
  since(since: number): Set<string> {
    if (!this.sorted) this.rebuild();
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid]![0] >= since) hi = mid;
      else lo = mid + 1;
    }
    const ids = new Set<string>();
    for (let i = lo; i < this.entries.length; i++) ids.add(this.entries[i]![1]);
    return ids;
  }
}

export const lastUpdated = (row: QboEntity): number => Date.parse(String((row.MetaData as { LastUpdatedTime?: string } | undefined)?.LastUpdatedTime));

interface TableIndexes {
  fields: Map<string, FieldIndex>;
  changes?: ChangeLog;
}

const indexes = new WeakMap<Table, TableIndexes>();

function indexesOf(table: Table): TableIndexes {
  let found = indexes.get(table);
  if (!found) indexes.set(table, (found = { fields: new Map() }));
  return found;
}

/** A stored row was created or replaced (or changed in place): its index entries follow it. */
export function noteRowWritten(table: Table | undefined, id: string): void {
  const found = table && indexes.get(table);
  if (!found) return;
  for (const index of found.fields.values()) index.put(id, table[id]);
  found.changes?.note(id, table[id]);
}

export function noteRowRemoved(table: Table | undefined, id: string): void {
  const found = table && indexes.get(table);
  if (!found) return;
  for (const index of found.fields.values()) index.remove(id);
}

/**
 * The rows that can satisfy `field = one of values`, or undefined when the index cannot narrow it
 * (a field not indexed, a value compared by other rules than text).
 */
export function rowsMatchable(table: Table, field: string, values: readonly unknown[]): QboEntity[] | undefined {
  const name = field.toLowerCase();
  if (!INDEXED_FIELDS.has(name)) return undefined;
  const keys: string[] = [];
  for (const v of values) {
    const key = plainKey(v);
    if (key === undefined) return undefined;
    keys.push(key);
  }
  const found = indexesOf(table);
  let index = found.fields.get(name);
  if (!index) found.fields.set(name, (index = new FieldIndex(name, table)));
  return [...index.candidates(keys)].map((id) => table[id]).filter((row): row is QboEntity => row !== undefined);
}

/** Integer-like keys, which objects enumerate first and in ascending order. */
const ARRAY_INDEX = /^(0|[1-9]\d*)$/;

/**
 * Rows whose LastUpdatedTime is at or after `since`, in the order the table enumerates them, or
 * undefined when that order cannot be reproduced from ids alone (keys that are not integers).
 */
export function rowsChangedSince(table: Table, since: number): QboEntity[] | undefined {
  const found = indexesOf(table);
  found.changes ??= new ChangeLog(table);
  const ids = [...found.changes.since(since)];
  if (!ids.every((id) => ARRAY_INDEX.test(id) && Number(id) < 2 ** 32 - 1)) return undefined;
  return ids
    .sort((a, b) => Number(a) - Number(b))
    .map((id) => table[id])
    .filter((row): row is QboEntity => row !== undefined && lastUpdated(row) >= since);
}

/**
 * The first of `rows` in the order their table enumerates them (`null` for none), or undefined when
 * their ids cannot tell that order (or there are no rows to order).
 */
export function firstInTableOrder(rows: QboEntity[] | undefined): QboEntity | null | undefined {
  if (!rows) return undefined;
  if (!rows.every((r) => ARRAY_INDEX.test(r.Id) && Number(r.Id) < 2 ** 32 - 1)) return undefined;
  return rows.reduce<QboEntity | null>((first, r) => (first === null || Number(r.Id) < Number(first.Id) ? r : first), null);
}
