/**
 * List semantics shared by every collection: conditions, childConditions, orderBy, fields,
 * page/pageSize (default 25, max 1000) and the RFC 5988 Link header with first/prev/next/last.
 */
import { ConditionsSyntaxError, evaluateConditions, parseConditions, type ConditionNode } from './conditions';
import { CwHttpError } from './cw-errors';

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
 */
function forwardOnly(items: readonly unknown[], selfUrl: URL, known: KnownFields): ListResult {
  const params = selfUrl.searchParams;
  if (params.get('orderBy')) throw new CwHttpError(400, 'InvalidObject', 'orderBy cannot be used with forward-only pagination');
  const pageSize = Math.min(intParam(params, 'pageSize', DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  const after = params.get('pageId') ? intParam(params, 'pageId', 0) : 0;
  const remaining = sortByQuery(filterByQuery(items, params, known), null).filter((item) => Number(valueAt(item, ['id'])) > after);
  const page = remaining.slice(0, pageSize);
  const headers: Record<string, string> = {};
  if (remaining.length > pageSize) {
    const next = new URL(selfUrl);
    next.searchParams.delete('page');
    next.searchParams.set('pageSize', String(pageSize));
    next.searchParams.set('pageId', String(valueAt(page[page.length - 1], ['id'])));
    headers.Link = `<${next.toString()}>; rel="next"`;
  }
  return { body: page.map((item) => projectFields(item, params.get('fields'))), headers };
}

/** Filter, sort, page and project a collection; `selfUrl` is the absolute request URL for Link. */
export function listResponse(items: readonly unknown[], selfUrl: URL, requestHeaders: Record<string, string | string[] | undefined> = {}, known?: KnownFields): ListResult {
  if (String(requestHeaders['pagination-type'] ?? '').toLowerCase() === 'forward-only') return forwardOnly(items, selfUrl, known);
  const params = selfUrl.searchParams;
  const filtered = sortByQuery(filterByQuery(items, params, known), params.get('orderBy'));
  const pageSize = Math.min(intParam(params, 'pageSize', DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  const page = intParam(params, 'page', 1);
  const lastPage = Math.max(1, Math.ceil(filtered.length / pageSize));
  const body = filtered.slice((page - 1) * pageSize, page * pageSize).map((item) => projectFields(item, params.get('fields')));
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

export function countResponse(items: readonly unknown[], params: URLSearchParams, known?: KnownFields): { count: number } {
  return { count: filterByQuery(items, params, known).length };
}
