/**
 * Typed QuickBooks Online v3 client for one company (realm). Posts whatever entity body it is
 * given (the GL engine builds them); every write carries a requestid so retries replay.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ConnectionLife } from '../../domain/connection-health';
import { LedgerError, isLedgerError } from '../../domain/errors';
import type { CallBudget } from '../call-budget';
import { chunk } from '../../domain/chunk';
import { MAX_BATCH_ITEMS, toBatchRequestItem, type BatchItem, type BatchItemResult } from './batch';
import type { QuickBooksConfig } from './config';
import {
  ENTITY_SCHEMAS,
  entityPath,
  supportsDocNumberFilter,
  type EntityName,
  type EntityOf,
  type NameListEntity,
  type TransactionEntity,
} from './entities';
import { faultFromJson, faultToLedgerError } from './faults';
import { MAX_QUERY_RESULTS, buildCount, buildSelect, type QueryCondition, type QueryOptions } from './query';
import { MAX_BATCH_BID_WITH_REQUEST_ID, MAX_BATCH_REQUEST_ID, MAX_REQUEST_ID, checkRequestId, newRequestId } from './request-id';
import { batchResponseSchema, entityBaseSchema, queryResponseSchema, type QuickBooksPreferences } from './schemas';
import { QuickBooksTransport, checkShape, type QuickBooksRequest } from './transport';

export interface WriteOptions {
  /** Reuse the same id when retrying a write yourself; generated when absent. */
  requestId?: string;
  /** `include=allowduplicatedocnum`: skip the duplicate DocNumber check. */
  allowDuplicateDocNum?: boolean;
}

export interface QueryPage<E extends EntityName> {
  rows: EntityOf<E>[];
  startPosition: number;
  /** Rows returned (QuickBooks reports this, not the limit asked for). */
  maxResults: number;
}

export type WritableEntity = TransactionEntity | Exclude<NameListEntity, 'TaxCode'>;
type EntityBody = Record<string, unknown>;
type ObjectRef = { Id: string; SyncToken: string };

const deletedSchema = z.looseObject({ Id: z.string(), status: z.string() });

/** QuickBooks stores DocNumber in at most 21 characters. */
const MAX_DOC_NUMBER = 21;

export class QuickBooksClient {
  private readonly transport: QuickBooksTransport;
  private readonly maxBatchItems: number;
  private budget?: CallBudget;

  constructor(private readonly config: QuickBooksConfig) {
    this.transport = new QuickBooksTransport(config);
    this.maxBatchItems = Math.min(MAX_BATCH_ITEMS, Math.max(1, config.maxBatchItems ?? MAX_BATCH_ITEMS));
  }

  /**
   * The same client (same transport and tokens) whose every call, retries included, stays within
   * `budget`: one per activity attempt.
   */
  withBudget(budget: CallBudget): QuickBooksClient {
    const view = Object.create(this) as QuickBooksClient;
    view.budget = budget;
    return view;
  }

  private call<S extends z.ZodType>(req: QuickBooksRequest, schema: S): Promise<z.infer<S>> {
    return this.transport.call(req, schema, this.budget);
  }

  get realmId(): string {
    return this.config.realmId;
  }

  /** The connection's dates from the token store (never a token): how long syncing can go on. */
  async connectionLife(): Promise<ConnectionLife> {
    const { refreshTokenExpiresAt, refreshTokenHardExpiresAt, refreshedAt } = await this.config.tokens.load();
    return { refreshTokenExpiresAt, refreshTokenHardExpiresAt, refreshedAt };
  }

  // ---------------------------------------------------------------- reads

  async read<E extends EntityName>(entity: E, id: string): Promise<EntityOf<E>> {
    const schema = z.looseObject({ [entity]: ENTITY_SCHEMAS[entity] });
    const body = await this.call({ method: 'GET', path: `${entityPath(entity)}/${encodeURIComponent(id)}`, isReadById: true }, schema);
    return (body as Record<string, unknown>)[entity] as EntityOf<E>;
  }

  async getPreferences(): Promise<QuickBooksPreferences> {
    const body = await this.call({ method: 'GET', path: 'preferences' }, z.looseObject({ Preferences: ENTITY_SCHEMAS.Preferences }));
    return body.Preferences;
  }

  getPayment(id: string): Promise<EntityOf<'Payment'>> {
    return this.read('Payment', id);
  }

  /** Runs a statement as given (build it with `buildSelect`); returns the raw QueryResponse. */
  async queryStatement(statement: string): Promise<Record<string, unknown>> {
    // Long statements go in a POST body: URLs have length limits, bodies do not.
    const req =
      statement.length > 1500
        ? { method: 'POST' as const, path: 'query', text: statement }
        : { method: 'GET' as const, path: 'query', params: { query: statement } };
    const body = await this.call(req, queryResponseSchema);
    return body.QueryResponse;
  }

  async query<E extends EntityName>(entity: E, options: QueryOptions = {}): Promise<QueryPage<E>> {
    const statement = buildSelect(entity, options);
    const response = await this.queryStatement(statement);
    const rows = checkShape(z.array(ENTITY_SCHEMAS[entity]).optional(), response[entity], `GET /query (${entity})`) ?? [];
    return {
      rows: rows as EntityOf<E>[],
      startPosition: typeof response.startPosition === 'number' ? response.startPosition : options.startPosition ?? 1,
      maxResults: rows.length,
    };
  }

  /** Every matching row, paging with STARTPOSITION/MAXRESULTS until a page comes back short. */
  async queryAll<E extends EntityName>(
    entity: E,
    options: { where?: readonly QueryCondition[]; orderBy?: QueryOptions['orderBy']; pageSize?: number } = {},
  ): Promise<EntityOf<E>[]> {
    const pageSize = Math.min(MAX_QUERY_RESULTS, options.pageSize ?? MAX_QUERY_RESULTS);
    const all: EntityOf<E>[] = [];
    // A stable order keeps pages from overlapping when rows change between calls.
    const orderBy = options.orderBy ?? { field: 'Id' };
    for (let start = 1; ; ) {
      const page = await this.query(entity, { where: options.where, orderBy, startPosition: start, maxResults: pageSize });
      all.push(...page.rows);
      if (page.rows.length < pageSize) return all;
      start += page.rows.length;
    }
  }

  async count(entity: EntityName, where?: readonly QueryCondition[]): Promise<number> {
    const response = await this.queryStatement(buildCount(entity, where));
    return checkShape(z.number(), response.totalCount ?? 0, `GET /query (count ${entity})`);
  }

  /** Name lists; inactive rows only when asked (QuickBooks hides them by default). */
  private listNames<E extends NameListEntity>(entity: E, includeInactive = false): Promise<EntityOf<E>[]> {
    return this.queryAll(entity, { where: includeInactive ? [{ field: 'Active', op: 'IN', value: [true, false] }] : [] });
  }

  listAccounts(opts: { includeInactive?: boolean } = {}) {
    return this.listNames('Account', opts.includeInactive);
  }
  listItems(opts: { includeInactive?: boolean } = {}) {
    return this.listNames('Item', opts.includeInactive);
  }
  listCustomers(opts: { includeInactive?: boolean } = {}) {
    return this.listNames('Customer', opts.includeInactive);
  }
  listVendors(opts: { includeInactive?: boolean } = {}) {
    return this.listNames('Vendor', opts.includeInactive);
  }
  listEmployees(opts: { includeInactive?: boolean } = {}) {
    return this.listNames('Employee', opts.includeInactive);
  }
  listClasses(opts: { includeInactive?: boolean } = {}) {
    return this.listNames('Class', opts.includeInactive);
  }
  listTerms(opts: { includeInactive?: boolean } = {}) {
    return this.listNames('Term', opts.includeInactive);
  }
  listTaxCodes(opts: { includeInactive?: boolean } = {}) {
    return this.listNames('TaxCode', opts.includeInactive);
  }

  /** Payments changed since a moment (ISO date-time), for the payment sync. */
  listPayments(opts: { changedSince?: string } = {}) {
    const where: QueryCondition[] = opts.changedSince ? [{ field: 'MetaData.LastUpdatedTime', op: '>=', value: opts.changedSince }] : [];
    return this.queryAll('Payment', { where });
  }

  // ---------------------------------------------------------------- writes

  private writeParams(opts: WriteOptions, extra: Record<string, string> = {}): { requestId: string; params: Record<string, string> } {
    const requestId = checkRequestId(opts.requestId ?? newRequestId(), MAX_REQUEST_ID);
    const params = { ...extra };
    if (opts.allowDuplicateDocNum) params.include = params.include ? `${params.include},allowduplicatedocnum` : 'allowduplicatedocnum';
    return { requestId, params };
  }

  private async write<E extends EntityName>(entity: E, body: EntityBody, opts: WriteOptions, extra?: Record<string, string>): Promise<EntityOf<E>> {
    const { requestId, params } = this.writeParams(opts, extra);
    const schema = z.looseObject({ [entity]: ENTITY_SCHEMAS[entity] });
    const res = await this.call({ method: 'POST', path: entityPath(entity), params, json: body, requestId }, schema);
    return (res as Record<string, unknown>)[entity] as EntityOf<E>;
  }

  create<E extends WritableEntity>(entity: E, body: EntityBody, opts: WriteOptions = {}): Promise<EntityOf<E>> {
    if ('Id' in body) throw new LedgerError('InvalidInput', `A new ${entity} must not carry an Id (that would be an update)`);
    return this.write(entity, body, opts);
  }

  createInvoice(body: EntityBody, opts?: WriteOptions) {
    return this.create('Invoice', body, opts);
  }
  createCreditMemo(body: EntityBody, opts?: WriteOptions) {
    return this.create('CreditMemo', body, opts);
  }
  createBill(body: EntityBody, opts?: WriteOptions) {
    return this.create('Bill', body, opts);
  }
  createPurchase(body: EntityBody, opts?: WriteOptions) {
    return this.create('Purchase', body, opts);
  }
  createJournalEntry(body: EntityBody, opts?: WriteOptions) {
    return this.create('JournalEntry', body, opts);
  }
  createInventoryAdjustment(body: EntityBody, opts?: WriteOptions) {
    return this.create('InventoryAdjustment', body, opts);
  }
  createPayment(body: EntityBody, opts?: WriteOptions) {
    return this.create('Payment', body, opts);
  }

  /** Sparse by default: only the fields sent change (but sending Line replaces all lines). */
  update<E extends WritableEntity | 'Preferences'>(
    entity: E,
    body: EntityBody & ObjectRef,
    opts: WriteOptions & { sparse?: boolean } = {},
  ): Promise<EntityOf<E>> {
    return this.write(entity, { ...body, sparse: opts.sparse ?? true }, opts, { operation: 'update' });
  }

  async delete(entity: TransactionEntity, ref: ObjectRef, opts: WriteOptions = {}): Promise<{ Id: string; status: string }> {
    const { requestId, params } = this.writeParams(opts, { operation: 'delete' });
    const schema = z.looseObject({ [entity]: deletedSchema });
    const res = await this.call(
      { method: 'POST', path: entityPath(entity), params, json: { Id: ref.Id, SyncToken: ref.SyncToken }, requestId },
      schema,
    );
    return (res as Record<string, unknown>)[entity] as { Id: string; status: string };
  }

  /** Payments void through `operation=update&include=void`; other transactions through `operation=void`. */
  void<E extends TransactionEntity>(entity: E, ref: ObjectRef, opts: WriteOptions = {}): Promise<EntityOf<E>> {
    const body = { Id: ref.Id, SyncToken: ref.SyncToken, sparse: true };
    return entity === 'Payment'
      ? this.write(entity, body, opts, { operation: 'update', include: 'void' })
      : this.write(entity, body, opts, { operation: 'void' });
  }

  // ---------------------------------------------------------------- batch

  /**
   * Sends items in chunks of at most 30. With a requestId, chunk i uses `${requestId}-${i}` (only
   * when there is more than one chunk) and bIds must be at most 10 characters. A chunk refused as
   * too large (HTTP 413) is split in two and resent, each half under an id derived from its parent.
   * A chunk that fails as a whole throws (see `batchSettled` for per-item results instead).
   */
  batch(items: readonly BatchItem[], opts: { requestId?: string } = {}): Promise<BatchItemResult[]> {
    return this.runBatch(items, opts, false);
  }

  /**
   * Like `batch`, but never loses what QuickBooks answered: a chunk that fails as a whole (lost,
   * timed out, refused) becomes that error on each of its items, so the items of the other chunks
   * keep their results. Items whose fate is unknown say `outcomeUnknown` (look them up first).
   */
  batchSettled(items: readonly BatchItem[], opts: { requestId?: string } = {}): Promise<BatchItemResult[]> {
    return this.runBatch(items, opts, true);
  }

  private async runBatch(items: readonly BatchItem[], opts: { requestId?: string }, settle: boolean): Promise<BatchItemResult[]> {
    let seq = 0;
    const withIds = items.map((item) => {
      const bId = item.bId ?? `b${++seq}`;
      if (opts.requestId !== undefined && bId.length > MAX_BATCH_BID_WITH_REQUEST_ID) {
        throw new LedgerError('InvalidInput', `bId "${bId}" is longer than ${MAX_BATCH_BID_WITH_REQUEST_ID} characters`);
      }
      return { bId, item };
    });
    const chunks = chunk(withIds, this.maxBatchItems);
    const results: BatchItemResult[] = [];
    for (const [index, part] of chunks.entries()) {
      const requestId =
        opts.requestId === undefined
          ? newRequestId()
          : checkRequestId(chunks.length === 1 ? opts.requestId : `${opts.requestId}-${index + 1}`, MAX_BATCH_REQUEST_ID);
      results.push(...(await this.sendBatchChunk(part, requestId, settle)));
    }
    return results;
  }

  private async sendBatchChunk(part: Array<{ bId: string; item: BatchItem }>, requestId: string, settle: boolean): Promise<BatchItemResult[]> {
    let answer: { data: z.infer<typeof batchResponseSchema>; intuitTid?: string };
    try {
      answer = await this.transport.callWithTid(
        { method: 'POST', path: 'batch', json: { BatchItemRequest: part.map(({ bId, item }) => toBatchRequestItem(item, bId)) }, requestId },
        batchResponseSchema,
        this.budget,
      );
    } catch (err) {
      if (err instanceof LedgerError && err.details?.httpStatus === 413 && part.length >= 2) {
        const half = Math.ceil(part.length / 2);
        return [
          ...(await this.sendBatchChunk(part.slice(0, half), derivedRequestId(requestId, 'a'), settle)),
          ...(await this.sendBatchChunk(part.slice(half), derivedRequestId(requestId, 'b'), settle)),
        ];
      }
      if (!settle || !isLedgerError(err)) throw err;
      // A transient failure of a write may have been applied: its items' fate is unknown.
      const outcomeUnknown = err.retryable || err.details?.outcomeUnknown === true;
      return part.map(({ bId }) => ({ bId, ok: false as const, error: err, ...(outcomeUnknown && { outcomeUnknown }) }));
    }
    const byId = new Map(answer.data.BatchItemResponse.map((r) => [r.bId, r as Record<string, unknown>]));
    return part.map(({ bId }) => {
      const item = byId.get(bId);
      if (!item) return unknownItem(bId, 'answered without it');
      return parseBatchAnswer(bId, item, answer.intuitTid, requestId);
    });
  }

  // ---------------------------------------------------------------- change data capture

  /**
   * Objects of the given kinds changed since a moment (at most 30 days back, 1000 objects per
   * answer), including deleted ones as `{Id, status: "Deleted"}`: the only way to see deleted payments.
   */
  async changeDataCapture(entities: readonly EntityName[], changedSince: string): Promise<Record<string, Array<Record<string, unknown> & { Id: string; status?: string }>>> {
    const body = await this.call(
      { method: 'GET', path: 'cdc', params: { entities: entities.join(','), changedSince } },
      z.looseObject({ CDCResponse: z.array(z.looseObject({ QueryResponse: z.array(z.looseObject({})) })) }),
    );
    const out: Record<string, Array<Record<string, unknown> & { Id: string; status?: string }>> = {};
    for (const name of entities) out[name] = [];
    for (const response of body.CDCResponse) {
      for (const qr of response.QueryResponse) {
        for (const name of entities) {
          if (qr[name] === undefined) continue;
          const rows = checkShape(z.array(z.looseObject({ Id: z.string(), status: z.string().optional() })), qr[name], `GET /cdc (${name})`);
          out[name].push(...rows);
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- idempotency

  /**
   * Finds a transaction already carrying an idempotency key, before (re)creating it: by DocNumber
   * when the key fits there and the entity filters on it, else by a PrivateNote containing the key.
   */
  async findByIdempotencyKey<E extends TransactionEntity>(
    entity: E,
    key: string,
    opts: { by?: 'DocNumber' | 'PrivateNote' } = {},
  ): Promise<EntityOf<E> | undefined> {
    const byDocNumber = opts.by ? opts.by === 'DocNumber' : supportsDocNumberFilter(entity) && key.length <= MAX_DOC_NUMBER;
    if (byDocNumber) {
      const rows = await this.queryAll(entity, { where: [{ field: 'DocNumber', op: '=', value: key }] });
      return rows.find((r) => (r as Record<string, unknown>).DocNumber === key);
    }
    // LIKE can over-match (a key may contain `%`), so rows are checked again here.
    const rows = await this.queryAll(entity, { where: [{ field: 'PrivateNote', op: 'LIKE', value: `%${key}%` }] });
    return rows.find((r) => String((r as Record<string, unknown>).PrivateNote ?? '').includes(key));
  }
}

/** A deterministic child id (<= 36 chars) so a resent half replays rather than re-executes. */
function derivedRequestId(parent: string, suffix: string): string {
  return createHash('sha256').update(`${parent}/${suffix}`).digest('hex').slice(0, MAX_BATCH_REQUEST_ID);
}

/** An item QuickBooks may or may not have executed: retryable, to be looked up before resending. */
function unknownItem(bId: string, what: string): BatchItemResult {
  const error = new LedgerError('Unavailable', `QuickBooks POST /batch item ${bId}: ${what}; it may have been applied`, {
    fix: 'Nothing to do: it is looked up by its idempotency key before anything is created again.',
    details: { endpoint: 'POST /batch', field: `BatchItemResponse[bId=${bId}]`, outcomeUnknown: true },
  });
  return { bId, ok: false, error, outcomeUnknown: true };
}

function parseBatchAnswer(bId: string, answer: Record<string, unknown>, intuitTid: string | undefined, requestId: string): BatchItemResult {
  const endpoint = `POST /batch item ${bId}`;
  const fault = faultFromJson(answer);
  if (fault) return { bId, ok: false, error: faultToLedgerError(fault, { endpoint, intuitTid, requestId }) };
  if (answer.QueryResponse !== undefined) {
    const parsed = z.looseObject({}).safeParse(answer.QueryResponse);
    return parsed.success ? { bId, ok: true, queryResponse: parsed.data } : unknownItem(bId, 'answered a query response of an unexpected shape');
  }
  const name = Object.keys(answer).find((k) => k !== 'bId' && /^[A-Z]/.test(k));
  if (!name) return unknownItem(bId, 'answered neither an entity, a query answer nor a Fault');
  const value = entityBaseSchema.or(deletedSchema).safeParse(answer[name]);
  if (!value.success) return unknownItem(bId, `answered a ${name} of an unexpected shape`);
  return { bId, ok: true, entity: { name, value: value.data as Record<string, unknown> } };
}
