/**
 * One ConnectWise collection endpoint (`/x`, `/x/{id}`, `/x/count`) with the list query parameters
 * and Link-header paging. `all()` follows rel="next" until the server stops offering one.
 */
import { z } from 'zod';
import { LedgerError } from '../../domain/errors';
import { CountSchema } from './schemas/common';
import { pageIdOf, parseLinkHeader } from './paging';
import type { ConnectWiseTransport } from './transport';

export const MAX_PAGE_SIZE = 1000;

export interface ListQuery {
  conditions?: string;
  childConditions?: string;
  customFieldConditions?: string;
  orderBy?: string;
  /** Projection: comma list, nested with `/`. The result is then partial; validate accordingly. */
  fields?: string;
  page?: number;
  /** Default 25 (server), max 1000. */
  pageSize?: number;
}

export interface Page<T> {
  items: T[];
  /** Absolute URL of the next page (rel="next"), if any. */
  next?: string;
}

/** Forward-only list query: no orderBy or page (the server orders by id); `pageId` = ids above it. */
export type ForwardOnlyQuery = Omit<ListQuery, 'orderBy' | 'page'> & { pageId?: number };

export interface ForwardOnlyPage<T> {
  items: T[];
  /** The cursor of the next page (rel="next"'s pageId); absent once the list is exhausted. */
  nextPageId?: number;
}

const FORWARD_ONLY = { 'pagination-type': 'forward-only' } as const;

export class Collection<T> {
  private readonly listSchema: z.ZodType<T[]>;

  constructor(
    private readonly transport: ConnectWiseTransport,
    readonly path: string,
    private readonly itemSchema: z.ZodType<T>,
  ) {
    this.listSchema = z.array(itemSchema);
  }

  async list(query: ListQuery = {}): Promise<Page<T>> {
    if (query.pageSize !== undefined && (query.pageSize < 1 || query.pageSize > MAX_PAGE_SIZE)) {
      throw new RangeError(`pageSize must be 1..${MAX_PAGE_SIZE}`);
    }
    const res = await this.transport.request({ method: 'GET', path: this.path, query: { ...query }, schema: this.listSchema });
    return { items: res.data, next: parseLinkHeader(res.headers.get('link')).next };
  }

  /** Every page, following Link rel="next" (pageSize defaults to the maximum to save calls). */
  async *pages(query: ListQuery = {}): AsyncGenerator<T[]> {
    let page = await this.list({ pageSize: MAX_PAGE_SIZE, ...query });
    yield page.items;
    while (page.next) {
      const res = await this.transport.request({ method: 'GET', path: page.next, schema: this.listSchema });
      page = { items: res.data, next: parseLinkHeader(res.headers.get('link')).next };
      yield page.items;
    }
  }

  async all(query: ListQuery = {}): Promise<T[]> {
    const out: T[] = [];
    for await (const items of this.pages(query)) out.push(...items);
    return out;
  }

  /**
   * Forward-only paging (`pagination-type: forward-only`): ordered by id, no orderBy, the `pageId`
   * cursor travels in Link rel="next". Not every endpoint supports it; page/pageSize is the default.
   */
  async *pagesForwardOnly(query: Omit<ListQuery, 'orderBy' | 'page'> = {}): AsyncGenerator<T[]> {
    let next: string | undefined = this.path;
    let params: Record<string, string | number | undefined> = { pageSize: MAX_PAGE_SIZE, ...query };
    while (next) {
      const res: { data: T[]; headers: Headers } = await this.transport.request({ method: 'GET', path: next, query: params, schema: this.listSchema, headers: FORWARD_ONLY });
      yield res.data;
      next = parseLinkHeader(res.headers.get('link')).next;
      params = {};
    }
  }

  /**
   * One forward-only page: the records with an id above `pageId`, in id order. Records that leave or
   * join the list meanwhile never shift a later page, unlike numbered pages. The next cursor is the
   * Link rel="next" pageId; an empty page or no rel="next" ends the list (ConnectWise may offer a
   * next link on the last page, which then answers empty). A cursor that does not move forward is
   * refused rather than read forever.
   */
  async listForwardOnly(query: ForwardOnlyQuery = {}): Promise<ForwardOnlyPage<T>> {
    if (query.pageSize !== undefined && (query.pageSize < 1 || query.pageSize > MAX_PAGE_SIZE)) {
      throw new RangeError(`pageSize must be 1..${MAX_PAGE_SIZE}`);
    }
    const res = await this.transport.request({ method: 'GET', path: this.path, query: { ...query }, schema: this.listSchema, headers: FORWARD_ONLY });
    const next = parseLinkHeader(res.headers.get('link')).next;
    if (res.data.length === 0 || next === undefined) return { items: res.data };
    const nextPageId = pageIdOf(next);
    if (nextPageId === undefined || nextPageId <= (query.pageId ?? 0)) {
      throw new LedgerError('ResponseShapeMismatch', `ConnectWise's forward-only ${this.path} answered a next page that does not move past id ${query.pageId ?? 0}`, {
        fix: 'Check that this ConnectWise version supports forward-only paging on this endpoint.',
        details: { path: this.path, pageId: query.pageId ?? 0 },
      });
    }
    return { items: res.data, nextPageId };
  }

  async get(id: number | string): Promise<T> {
    const res = await this.transport.request({ method: 'GET', path: `${this.path}/${encodeURIComponent(String(id))}`, schema: this.itemSchema });
    return res.data;
  }

  async count(query: Pick<ListQuery, 'conditions' | 'childConditions' | 'customFieldConditions'> = {}): Promise<number> {
    const res = await this.transport.request({ method: 'GET', path: `${this.path}/count`, query: { ...query }, schema: CountSchema });
    return res.data.count;
  }
}
