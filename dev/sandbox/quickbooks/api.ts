/**
 * The data service under /v3/company/{realmId}/: reads by Id, create/update/delete/void, query,
 * batch, CDC, preferences and company info, with QuickBooks' envelopes. `mutated` tells the
 * server to persist the realm.
 */
import { canonicalEntity, isNameList, isTransaction, QUERYABLE_ENTITIES } from './entity-names';
import { QboFault, dataFault, invalidReference, objectNotFound, unsupported, validation, type Answer } from './faults';
import { executeWrite, type Operation } from './operations';
import { runQuery } from './query-engine';
import { parseQuery } from './query-parser';
import { qboTimestamp, type QboEntity, type RealmState } from './state';
import { lastUpdated, rowsChangedSince } from './table-index';

export const MAX_BATCH_ITEMS = 30;
export const MAX_REQUEST_ID = 50;
export const MAX_BATCH_REQUEST_ID = 36;
export const MAX_BATCH_BID_WITH_REQUEST_ID = 10;

export interface ApiRequest {
  method: string;
  /** Path below /v3/company/{realmId}/, without a leading slash. */
  path: string;
  params: URLSearchParams;
  contentType: string;
  body: string;
}

export interface ApiResult {
  answer: Answer;
  mutated: boolean;
}

function ok(body: Record<string, unknown>): Answer {
  return { status: 200, body: { ...body, time: qboTimestamp() } };
}

function faultAnswer(err: unknown): Answer {
  if (err instanceof QboFault) return err.answer;
  throw err;
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through to the fault below
  }
  throw validation('2010', 'Request has invalid or unsupported property', 'The request body is not a JSON object.');
}

/** POST /{entity} with ?operation=... (and include=void turning an update into a void). */
function writeOperation(params: URLSearchParams): Operation {
  const op = (params.get('operation') ?? 'create').toLowerCase();
  const include = (params.get('include') ?? '').toLowerCase().split(',');
  if (op === 'update' && include.includes('void')) return 'void';
  if (op === 'create' || op === 'update' || op === 'delete' || op === 'void') return op;
  throw unsupported(`Operation ${op} is not supported.`);
}

function writeEntity(realm: RealmState, entity: string, op: Operation, body: Record<string, unknown>, allowDuplicateDocNum: boolean): QboEntity {
  return executeWrite(realm, entity, op, body, { allowDuplicateDocNum });
}

function readOne(realm: RealmState, entity: string, id: string): Answer {
  const row = realm.entities[entity]?.[id];
  if (!row) throw objectNotFound();
  return ok({ [entity]: row });
}

function query(realm: RealmState, req: ApiRequest): Answer {
  const sql = req.method === 'GET' ? req.params.get('query') : req.body;
  if (!sql) throw validation('4000', 'Error parsing query', 'QueryParserError: Encountered "<EOF>"; a query is required.');
  return ok({ QueryResponse: runQuery(realm, parseQuery(sql)) });
}

function cdc(realm: RealmState, params: URLSearchParams): Answer {
  const names = (params.get('entities') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const since = Date.parse(params.get('changedSince') ?? '');
  if (!names.length || Number.isNaN(since)) throw validation('2020', 'Required param missing, need to supply the required value for the API', 'Required parameters entities and changedSince are missing or invalid');
  const responses = names.map((name) => {
    const entity = canonicalEntity(name);
    if (!entity || !QUERYABLE_ENTITIES.has(entity)) throw unsupported(`CDC is not supported for ${name}.`);
    const rows = realm.entities[entity] ?? {};
    const changed: Array<Record<string, unknown>> = rowsChangedSince(rows, since) ?? Object.values(rows).filter((r) => lastUpdated(r) >= since);
    for (const t of realm.tombstones) {
      if (t.entity === entity && Date.parse(t.deletedAt) >= since) {
        changed.push({ Id: t.Id, status: 'Deleted', domain: 'QBO', MetaData: { LastUpdatedTime: t.deletedAt } });
      }
    }
    return changed.length ? { [entity]: changed, startPosition: 1, maxResults: changed.length } : {};
  });
  return ok({ CDCResponse: [{ QueryResponse: responses }] });
}

const BATCH_META_KEYS = new Set(['bId', 'operation', 'optionsData', 'Query', 'CDCQuery', 'ReportQuery']);

/**
 * Items of one batch cannot see objects created earlier in the same batch (QuickBooks runs them
 * serially but against the company as it was), so a reference to such an Id is refused.
 */
function refuseSameBatchRefs(value: unknown, createdInBatch: Set<string>, path: string): void {
  if (!value || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const at = path ? `${path}.${k}` : k;
    if (/Ref$/.test(k) && v && typeof v === 'object' && 'value' in v) {
      const id = String((v as { value: unknown }).value);
      if (createdInBatch.has(id)) throw invalidReference('Names', id, at);
    } else {
      refuseSameBatchRefs(v, createdInBatch, at);
    }
  }
}

/** Runs one batch item; a refused item changes nothing (see operations.ts). */
function batchItem(realm: RealmState, item: Record<string, unknown>, requestId: string | null, createdInBatch: Set<string>): { result: Record<string, unknown>; realm: RealmState; mutated: boolean } {
  const bId = String(item.bId ?? '');
  const fault = (f: QboFault) => ({ result: { bId, ...(f.answer.body as Record<string, unknown>), time: undefined }, realm, mutated: false });
  try {
    if (requestId && bId.length > MAX_BATCH_BID_WITH_REQUEST_ID) {
      throw validation('6000', 'A business validation error has occurred while processing your request', `Business Validation Error: You cannot enter more than 50 characters in the request_id field (requestid ${requestId.length} + bId ${bId.length} characters).`, 'bId');
    }
    if (typeof item.Query === 'string') {
      const answer = query(realm, { method: 'POST', path: 'query', params: new URLSearchParams(), contentType: 'application/text', body: item.Query });
      return { result: { bId, QueryResponse: (answer.body as Record<string, unknown>).QueryResponse }, realm, mutated: false };
    }
    const key = Object.keys(item).find((k) => !BATCH_META_KEYS.has(k));
    const entity = key ? canonicalEntity(key) : undefined;
    if (!key || !entity || !(isNameList(entity) || isTransaction(entity))) throw unsupported('A batch item needs one entity, a Query or a CDCQuery.');
    const op = String(item.operation ?? 'create').toLowerCase();
    if (!['create', 'update', 'delete', 'void'].includes(op)) throw unsupported(`Operation ${op} is not supported.`);
    refuseSameBatchRefs(item[key], createdInBatch, key);
    const options = String(item.optionsData ?? '').toLowerCase().split(',');
    const row = writeEntity(realm, entity, op as Operation, item[key] as Record<string, unknown>, options.includes('allowduplicatedocnum'));
    if (op === 'create') createdInBatch.add(row.Id);
    return { result: { bId, [entity]: row }, realm, mutated: true };
  } catch (err) {
    if (err instanceof QboFault) return fault(err);
    throw err;
  }
}

function batch(realm: RealmState, req: ApiRequest): { answer: Answer; realm: RealmState; mutated: boolean } {
  const body = parseJson(req.body);
  const items = body.BatchItemRequest;
  if (!Array.isArray(items) || items.length === 0) throw validation('2020', 'Required param missing, need to supply the required value for the API', 'Required parameter BatchItemRequest is missing in the request');
  if (items.length > MAX_BATCH_ITEMS) {
    throw validation('1040', 'Batch size exceeds allowed limit', `The batch has ${items.length} items; at most ${MAX_BATCH_ITEMS} are allowed.`);
  }
  const requestId = req.params.get('requestid');
  let current = realm;
  let mutated = false;
  const createdInBatch = new Set<string>();
  const responses: Array<Record<string, unknown>> = [];
  for (const item of items as Array<Record<string, unknown>>) {
    const r = batchItem(current, item, requestId, createdInBatch);
    current = r.realm;
    mutated ||= r.mutated;
    const { time: _time, ...result } = r.result;
    responses.push(result);
  }
  return { answer: ok({ BatchItemResponse: responses }), realm: current, mutated };
}

/** Handles one data-service request against `realm` (a working copy). */
export function handleApi(realm: RealmState, req: ApiRequest): { answer: Answer; realm: RealmState; mutated: boolean } {
  const segments = req.path.split('/').filter(Boolean);
  try {
    if (segments[0] === 'query' && (req.method === 'GET' || req.method === 'POST')) return { answer: query(realm, req), realm, mutated: false };
    if (segments[0] === 'batch' && req.method === 'POST') return batch(realm, req);
    if (segments[0] === 'cdc' && req.method === 'GET') return { answer: cdc(realm, req.params), realm, mutated: false };
    if (segments[0] === 'companyinfo' && req.method === 'GET') return { answer: ok({ CompanyInfo: realm.companyInfo }), realm, mutated: false };
    if (segments[0] === 'preferences') {
      if (req.method === 'GET') return { answer: ok({ Preferences: realm.preferences }), realm, mutated: false };
      const row = writeEntity(realm, 'Preferences', 'update', parseJson(req.body), false);
      return { answer: ok({ Preferences: row }), realm, mutated: true };
    }
    const entity = canonicalEntity(segments[0] ?? '');
    if (!entity || entity === 'Preferences' || entity === 'CompanyInfo') {
      return { answer: dataFault(404, 'ValidationFault', [{ code: '500', message: 'Unsupported Operation', detail: `No resource at /${req.path}` }]), realm, mutated: false };
    }
    if (req.method === 'GET' && segments.length === 2) return { answer: readOne(realm, entity, segments[1]), realm, mutated: false };
    if (req.method === 'POST' && segments.length === 1) {
      const op = writeOperation(req.params);
      const include = (req.params.get('include') ?? '').toLowerCase().split(',');
      const row = writeEntity(realm, entity, op, parseJson(req.body), include.includes('allowduplicatedocnum'));
      return { answer: ok({ [entity]: row }), realm, mutated: true };
    }
    throw unsupported(`Operation ${req.method} /${req.path} is not supported.`);
  } catch (err) {
    return { answer: faultAnswer(err), realm, mutated: false };
  }
}
