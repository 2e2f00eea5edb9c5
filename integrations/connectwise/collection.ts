/**
 * One ConnectWise collection endpoint (`/x`, `/x/{id}`, `/x/count`) with the list query parameters
 * and Link-header paging. `all()` follows rel="next" until the server stops offering one.
 */
import { z } from 'zod';
import { CountSchema } from './schemas/common';
import { parseLinkHeader } from './paging';
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
    const headers = { 'pagination-type': 'forward-only' };
    let next: string | undefined = this.path;
    let params: Record<string, string | number | undefined> = { pageSize: MAX_PAGE_SIZE, ...query };
    while (next) {
      const res: { data: T[]; headers: Headers } = await this.transport.request({ method: 'GET', path: next, query: params, schema: this.listSchema, headers });
      yield res.data;
      next = parseLinkHeader(res.headers.get('link')).next;
      params = {};
    }
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
