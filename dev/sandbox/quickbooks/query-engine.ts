/** Runs a parsed query over a realm's rows, with QuickBooks' paging and envelope rules. */
import type { Condition, ParsedQuery, Scalar } from './query-parser';
import { validation } from './faults';
import type { QboEntity, RealmState } from './state';
import { QUERYABLE_ENTITIES, canonicalEntity } from './entity-names';
import { looksLikeTime, readField as read, rowsMatchable } from './table-index';

/** Properties QuickBooks refuses in WHERE (its XSD marks them not filterable). */
const NOT_FILTERABLE: Record<string, string[]> = { Payment: ['docnumber'], Customer: ['notes'], Vendor: ['notes'], Employee: ['notes'] };

/** Name lists hide inactive rows unless the query filters on Active itself. */
const HIDES_INACTIVE = new Set(['Account', 'Item', 'Customer', 'Vendor', 'Employee', 'Class', 'Term', 'TaxCode']);

function compare(actual: unknown, expected: Scalar): number | undefined {
  if (actual === undefined || actual === null) return undefined;
  if (typeof expected === 'boolean') return actual === expected ? 0 : 1;
  if (typeof actual === 'number' || typeof expected === 'number') {
    const a = Number(actual);
    const b = Number(expected);
    if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
    return a - b;
  }
  const a = String(actual);
  const b = String(expected);
  if (looksLikeTime(a) || looksLikeTime(b)) {
    const ta = Date.parse(a);
    const tb = Date.parse(b.length === 10 ? `${b}T00:00:00Z` : b);
    if (!Number.isNaN(ta) && !Number.isNaN(tb)) return ta - tb;
  }
  // String comparisons in QuickBooks queries ignore case.
  return a.toLowerCase().localeCompare(b.toLowerCase());
}

function likeToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('%')
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'is');
}

function matches(entity: QboEntity, c: Condition): boolean {
  const actual = read(entity, c.field);
  switch (c.op) {
    case 'IN':
      return c.values.some((v) => compare(actual, v) === 0);
    case 'LIKE':
      return actual !== undefined && likeToRegExp(String(c.values[0])).test(String(actual));
    default: {
      const r = compare(actual, c.values[0]);
      if (r === undefined) return false;
      return { '=': r === 0, '!=': r !== 0, '<': r < 0, '>': r > 0, '<=': r <= 0, '>=': r >= 0 }[c.op];
    }
  }
}

/** Ordering: numeric strings (Ids, numbers) as numbers, everything else as in comparisons. */
function orderCompare(a: unknown, b: unknown): number {
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : -1;
  if (b === undefined || b === null) return 1;
  const numeric = /^-?\d+(\.\d+)?$/;
  if (numeric.test(String(a)) && numeric.test(String(b))) return Number(a) - Number(b);
  return compare(a, b as Scalar) ?? 0;
}

function byId(a: QboEntity, b: QboEntity): number {
  return Number(a.Id) - Number(b.Id) || a.Id.localeCompare(b.Id);
}

/** A narrowed row: the named properties that have a value, always with Id, marked sparse. */
function project(row: QboEntity, fields: string[]): QboEntity {
  const out: Record<string, unknown> = { Id: row.Id };
  for (const f of fields) {
    const key = Object.keys(row).find((k) => k.toLowerCase() === f.toLowerCase());
    if (key !== undefined) out[key] = row[key];
  }
  out.domain = row.domain;
  out.sparse = true;
  return out as QboEntity;
}

/** The rows a WHERE can match: narrowed by the first indexed `=` or `IN` condition, else all. */
function tableRows(rows: Record<string, QboEntity>, where: readonly Condition[]): QboEntity[] {
  for (const c of where) {
    if (c.op !== '=' && c.op !== 'IN') continue;
    const narrowed = rowsMatchable(rows, c.field, c.op === '=' ? c.values.slice(0, 1) : c.values);
    if (narrowed) return narrowed;
  }
  return Object.values(rows);
}

export function runQuery(realm: RealmState, q: ParsedQuery): Record<string, unknown> {
  const entity = canonicalEntity(q.entity);
  if (!entity || !QUERYABLE_ENTITIES.has(entity)) {
    throw validation('4000', 'Error parsing query', `QueryParserError: Invalid content. Unknown entity ${q.entity}`);
  }
  for (const c of q.where) {
    if (NOT_FILTERABLE[entity]?.includes(c.field.toLowerCase())) {
      throw validation('4001', 'Invalid query', `QueryValidationError: property '${c.field}' is not queryable`);
    }
  }
  const where = [...q.where];
  if (HIDES_INACTIVE.has(entity) && !where.some((c) => c.field.toLowerCase() === 'active')) {
    where.push({ field: 'Active', op: '=', values: [true] });
  }
  const source =
    entity === 'Preferences' ? [realm.preferences] : entity === 'CompanyInfo' ? [realm.companyInfo] : tableRows(realm.entities[entity] ?? {}, q.where);
  let rows = source.filter((row) => where.every((c) => matches(row, c)));
  if (q.count) return { totalCount: rows.length };
  rows = rows.sort((a, b) => {
    for (const o of q.orderBy) {
      const r = orderCompare(read(a, o.field), read(b, o.field));
      if (r !== 0) return o.desc ? -r : r;
    }
    return byId(a, b);
  });
  let page: QboEntity[] = rows.slice(q.startPosition - 1, q.startPosition - 1 + q.maxResults);
  if (page.length === 0) return {};
  if (q.select) page = page.map((row) => project(row, q.select!));
  return { [entity]: page, startPosition: q.startPosition, maxResults: page.length };
}
