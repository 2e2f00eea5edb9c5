/**
 * List semantics shared by every collection: conditions, childConditions, orderBy, fields,
 * page/pageSize (default 25, max 1000) and the RFC 5988 Link header with first/prev/next/last.
 */
import { ConditionsSyntaxError, evaluateConditions, parseConditions, type ConditionNode } from './conditions';
import { CwHttpError, notFound } from './cw-errors';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 1000;

export interface ListResult {
  body: unknown[];
  headers: Record<string, string>;
}

function parse(param: string, text: string | null) {
  if (!text) return undefined;
  try {
    return parseConditions(text);
  } catch (err) {
    if (err instanceof ConditionsSyntaxError) throw new CwHttpError(400, 'InvalidObject', `${param}: ${err.message}`);
    throw err;
  }
}

/** Field names every collection accepts in conditions although no model lists them (`lastUpdated` is `_info/lastUpdated`). */
const ALWAYS_RECOGNISED = ['lastUpdated'];

/** The first field a condition tree names that `known` (lower-case) lacks. */
function unknownField(node: ConditionNode | undefined, known: ReadonlySet<string>): string | undefined {
  if (!node) return undefined;
  if (node.kind !== 'cmp') return unknownField(node.left, known) ?? unknownField(node.right, known);
  return known.has(node.path[0]!.toLowerCase()) ? undefined : node.path.join('/');
}

/** Documented field names of a collection (lower-case) for condition checks; undefined = not checked. */
export type KnownFields = ReadonlySet<string> | undefined;

export function knownFields(fields: readonly string[] | undefined): KnownFields {
  return fields && new Set([...fields, ...ALWAYS_RECOGNISED].map((f) => f.toLowerCase()));
}

/** ConnectWise's answer to a condition on a field the model does not have. */
function refuseUnknown(node: ConditionNode | undefined, known: KnownFields): void {
  const field = known && unknownField(node, known);
  if (field) throw new CwHttpError(400, 'ApiFindCondition', `${field} is not a recognized name.`);
}

/** Apply conditions + childConditions (both must hold); a field the collection's model lacks is refused. */
export function filterByQuery<T>(items: readonly T[], params: URLSearchParams, known?: KnownFields): T[] {
  const conditions = parse('conditions', params.get('conditions'));
  const childConditions = parse('childConditions', params.get('childConditions'));
  refuseUnknown(conditions, known);
  refuseUnknown(childConditions, known);
  return items.filter((item) => evaluateConditions(conditions, item) && evaluateConditions(childConditions, item));
}

function valueAt(obj: unknown, path: string[]): unknown {
  let v = obj;
  for (const seg of path) {
    if (!v || typeof v !== 'object') return undefined;
    const key = Object.keys(v).find((k) => k.toLowerCase() === seg.toLowerCase());
    v = key === undefined ? undefined : (v as Record<string, unknown>)[key];
  }
  return v;
}

function sortByQuery<T>(items: T[], orderBy: string | null): T[] {
  if (!orderBy) return [...items].sort((a, b) => Number(valueAt(a, ['id'])) - Number(valueAt(b, ['id'])));
  const keys = orderBy.split(',').map((part) => {
    const [field, dir = 'asc'] = part.trim().split(/\s+/);
    if (!field || !/^(asc|desc)$/i.test(dir)) throw new CwHttpError(400, 'InvalidObject', `orderBy: cannot read "${part.trim()}"`);
    return { path: field.split('/'), sign: dir.toLowerCase() === 'desc' ? -1 : 1 };
  });
  return [...items].sort((a, b) => {
    for (const { path, sign } of keys) {
      const x = valueAt(a, path);
      const y = valueAt(b, path);
      if (x === y) continue;
      if (x === undefined || x === null) return -sign;
      if (y === undefined || y === null) return sign;
      const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      if (cmp !== 0) return cmp * sign;
    }
    return 0;
  });
}

/** `fields=id,name,status/id`: keep only those paths. */
export function projectFields(item: unknown, fields: string | null): unknown {
  if (!fields || !item || typeof item !== 'object') return item;
  const out: Record<string, unknown> = {};
  for (const spec of fields.split(',').map((f) => f.trim()).filter(Boolean)) {
    const path = spec.split('/');
    const value = valueAt(item, path);
    if (value === undefined) continue;
    let target = out;
    path.forEach((seg, i) => {
      if (i === path.length - 1) target[seg] = value;
      else target = (target[seg] ??= {}) as Record<string, unknown>;
    });
  }
  return out;
}

function intParam(params: URLSearchParams, name: string, fallback: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new CwHttpError(400, 'InvalidObject', `${name} must be a positive integer`);
  return n;
}

/**
 * Forward-only paging (request header `pagination-type: forward-only`): ordered by id, `pageId=N`
 * acts as `id > N`, `page` is ignored and `orderBy` refused; Link rel="next" carries the last id.
 * `sorted` is already filtered and in id order; only the page's rows are rendered.
 */
function forwardOnlyPage<R>(sorted: readonly R[], selfUrl: URL, idOf: (row: R) => number, render: (row: R) => unknown): ListResult {
  const params = selfUrl.searchParams;
  const pageSize = Math.min(intParam(params, 'pageSize', DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  const after = params.get('pageId') ? intParam(params, 'pageId', 0) : 0;
  // Rows in id order: the first one past `after` by binary search.
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (idOf(sorted[mid]!) > after) hi = mid;
    else lo = mid + 1;
  }
  const page = sorted.slice(lo, lo + pageSize);
  const headers: Record<string, string> = {};
  if (sorted.length - lo > pageSize) {
    const next = new URL(selfUrl);
    next.searchParams.delete('page');
    next.searchParams.set('pageSize', String(pageSize));
    next.searchParams.set('pageId', String(idOf(page[page.length - 1]!)));
    headers.Link = `<${next.toString()}>; rel="next"`;
  }
  return { body: page.map((row) => projectFields(render(row), params.get('fields'))), headers };
}

/** Numbered paging over filtered, ordered rows; only the page's rows are rendered. */
function numberedPage<R>(filtered: readonly R[], selfUrl: URL, render: (row: R) => unknown): ListResult {
  const params = selfUrl.searchParams;
  const pageSize = Math.min(intParam(params, 'pageSize', DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  const page = intParam(params, 'page', 1);
  const lastPage = Math.max(1, Math.ceil(filtered.length / pageSize));
  const body = filtered.slice((page - 1) * pageSize, page * pageSize).map((row) => projectFields(render(row), params.get('fields')));
  const headers: Record<string, string> = {};
  if (lastPage > 1) {
    const link = (n: number, rel: string) => {
      const u = new URL(selfUrl);
      u.searchParams.set('pageSize', String(pageSize));
      u.searchParams.set('page', String(n));
      return `<${u.toString()}>; rel="${rel}"`;
    };
    const parts: string[] = [];
    if (page > 1) parts.push(link(1, 'first'), link(Math.min(page - 1, lastPage), 'prev'));
    if (page < lastPage) parts.push(link(page + 1, 'next'), link(lastPage, 'last'));
    if (parts.length) headers.Link = parts.join(', ');
  }
  return { body, headers };
}

const isForwardOnly = (requestHeaders: Record<string, string | string[] | undefined>) => String(requestHeaders['pagination-type'] ?? '').toLowerCase() === 'forward-only';
const wireId = (item: unknown) => Number(valueAt(item, ['id']));
const same = <T>(x: T) => x;

/** Filter, sort, page and project a collection; `selfUrl` is the absolute request URL for Link. */
export function listResponse(items: readonly unknown[], selfUrl: URL, requestHeaders: Record<string, string | string[] | undefined> = {}, known?: KnownFields): ListResult {
  const params = selfUrl.searchParams;
  if (isForwardOnly(requestHeaders)) {
    if (params.get('orderBy')) throw new CwHttpError(400, 'InvalidObject', 'orderBy cannot be used with forward-only pagination');
    // Page parameters are read before the conditions, as ConnectWise refuses a bad pageSize first.
    intParam(params, 'pageSize', DEFAULT_PAGE_SIZE);
    if (params.get('pageId')) intParam(params, 'pageId', 0);
    return forwardOnlyPage(sortByQuery(filterByQuery(items, params, known), null), selfUrl, wireId, same);
  }
  return numberedPage(sortByQuery(filterByQuery(items, params, known), params.get('orderBy')), selfUrl, same);
}

/**
 * A collection read from stored rows that are rendered to the wire on demand. `withIds` gives the
 * rows whose wire id is one of `ids` (every such row, in `rows()` order), so a list confined to ids
 * renders only those; without conditions and orderBy only the page's rows are rendered. Answers are
 * the same as rendering every row and using listResponse.
 */
export interface ListSource<R> {
  rows(): readonly R[];
  id(row: R): number;
  render(row: R): unknown;
  withIds?(ids: readonly number[]): R[];
}

/** The ids a condition tree confines rows to (`id = n`, `id in (...)`, on either side of `and`). */
function idsNamed(node: ConditionNode | undefined): number[] | undefined {
  if (!node) return undefined;
  if (node.kind !== 'cmp') return node.kind === 'and' ? (idsNamed(node.left) ?? idsNamed(node.right)) : undefined;
  if (node.negate || node.path.length !== 1 || node.path[0]!.toLowerCase() !== 'id' || (node.op !== '=' && node.op !== 'in')) return undefined;
  if (!node.values.every((v) => v.kind === 'number' && Number.isInteger(v.value))) return undefined;
  return node.values.map((v) => (v as { value: number }).value);
}

/** Rows in id order (stable, as sortByQuery orders rendered items), sorting only when needed. */
function inIdOrder<R>(rows: readonly R[], id: (row: R) => number): readonly R[] {
  for (let i = 1; i < rows.length; i++) {
    if (id(rows[i - 1]!) > id(rows[i]!)) return [...rows].sort((a, b) => id(a) - id(b));
  }
  return rows;
}

function plainQuery(params: URLSearchParams): boolean {
  return !params.get('conditions') && !params.get('childConditions') && !params.get('orderBy');
}

/** The rendered items a query over `source` can match: those with a named id, else every row. */
function candidates<R>(source: ListSource<R>, params: URLSearchParams): unknown[] {
  const ids = source.withIds && idsNamed(parse('conditions', params.get('conditions')));
  return (ids ? source.withIds!(ids) : source.rows()).map((row) => source.render(row));
}

export function listFromSource<R>(source: ListSource<R>, selfUrl: URL, requestHeaders: Record<string, string | string[] | undefined> = {}, known?: KnownFields): ListResult {
  const params = selfUrl.searchParams;
  if (plainQuery(params)) {
    const sorted = inIdOrder(source.rows(), source.id);
    if (isForwardOnly(requestHeaders)) return forwardOnlyPage(sorted, selfUrl, source.id, (row) => source.render(row));
    return numberedPage(sorted, selfUrl, (row) => source.render(row));
  }
  return listResponse(candidates(source, params), selfUrl, requestHeaders, known);
}

export function countFromSource<R>(source: ListSource<R>, params: URLSearchParams, known?: KnownFields): { count: number } {
  if (!params.get('conditions') && !params.get('childConditions')) return { count: source.rows().length };
  return countResponse(candidates(source, params), params, known);
}

/** The row with this wire id, rendered (`what recId id` not found otherwise). */
export function oneFromSource<R>(source: ListSource<R>, id: number, what: string): unknown {
  const row = source.withIds ? source.withIds([id])[0] : source.rows().find((r) => source.id(r) === id);
  if (row === undefined) throw notFound(`${what} recId ${id}`);
  return source.render(row);
}

export function countResponse(items: readonly unknown[], params: URLSearchParams, known?: KnownFields): { count: number } {
  return { count: filterByQuery(items, params, known).length };
}
