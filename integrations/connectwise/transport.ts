/**
 * One HTTP exchange with ConnectWise over Node's global fetch: headers, per-attempt timeout,
 * error mapping, zod validation, and client-side retries with exponential backoff and full jitter.
 *
 * Retry rule: reads (and POSTs that only read, like accounting export) retry every transient error.
 * Writes retry only when the server says it did nothing (429, 5xx); after a timeout or dropped
 * connection a write may have committed, so the error surfaces for the caller to look before retrying.
 */
import type { z } from 'zod';
import { LedgerError } from '../../domain/errors';
import { connectWiseHeaders } from './auth';
import type { ConnectWiseConfig } from './config';
import { errorFromNetwork, errorFromResponse } from './errors';
import { parseJsonExact } from '../exact-json';
import { redirectRefused } from '../redirects';
import { describeForeignBody } from '../response-body';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions<S extends z.ZodType> {
  method: HttpMethod;
  /** Path below the base URL (`/company/companies`) or an absolute URL (a Link `next`). */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  schema: S;
  /** Safe to repeat after an ambiguous failure; defaults to true for GET. */
  idempotent?: boolean;
  /** Extra request headers, e.g. `pagination-type`. */
  headers?: Record<string, string>;
}

export interface TransportResponse<T> {
  data: T;
  status: number;
  headers: Headers;
}

export interface TransportHooks {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Called before each retry wait; for metrics and tests (never sees credentials). */
  onRetry?: (info: { endpoint: string; attempt: number; delayMs: number; error: LedgerError }) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ConnectWiseTransport {
  private readonly headers: Record<string, string>;

  constructor(
    readonly config: ConnectWiseConfig,
    private readonly hooks: TransportHooks = {},
  ) {
    this.headers = connectWiseHeaders(config);
  }

  /**
   * A path below the base URL, or an absolute URL the server named (a Link `next`), which must be
   * on the configured host: the request carries the API member's credentials.
   */
  url(path: string, query: Record<string, QueryValue> = {}): string {
    const url = new URL(/^https?:\/\//i.test(path) ? path : `${this.config.baseUrl}${path}`);
    const base = new URL(this.config.baseUrl);
    if (url.origin !== base.origin) {
      throw new LedgerError('ResponseShapeMismatch', `ConnectWise named a next page at ${url.origin}, not at the configured ${base.origin}; it was not requested, since every request carries the API member's keys`, {
        fix: 'If the site moved, set CW_BASE_URL to its new API URL; otherwise report the Link header to ConnectWise support.',
        details: { linkOrigin: url.origin, baseOrigin: base.origin },
      });
    }
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  async request<S extends z.ZodType>(opts: RequestOptions<S>): Promise<TransportResponse<z.output<S>>> {
    const url = this.url(opts.path, opts.query);
    const endpoint = `${opts.method} ${new URL(url).pathname.replace(/^.*\/apis\/3\.0/, '')}`;
    const idempotent = opts.idempotent ?? opts.method === 'GET';
    const { maxAttempts } = this.config.retry;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(url, endpoint, opts);
      } catch (err) {
        if (!(err instanceof LedgerError) || !err.retryable || attempt >= maxAttempts) throw err;
        const serverRejected = err.type === 'RateLimited' || (err.details?.status as number | undefined) !== undefined;
        if (!idempotent && !serverRejected) throw err;
        const delayMs = this.delayFor(err, attempt);
        if (delayMs === undefined) throw err;
        this.hooks.onRetry?.({ endpoint, attempt, delayMs, error: err });
        await (this.hooks.sleep ?? defaultSleep)(delayMs);
      }
    }
  }

  /** Retry-After when the server gave one (within the cap), otherwise capped backoff with full jitter. */
  private delayFor(err: LedgerError, attempt: number): number | undefined {
    const { baseDelayMs, maxDelayMs, maxRetryAfterMs } = this.config.retry;
    if (err.retryAfterMs !== undefined) return err.retryAfterMs <= maxRetryAfterMs ? err.retryAfterMs : undefined;
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    return Math.round((this.hooks.random ?? Math.random)() * ceiling);
  }

  private async attempt<S extends z.ZodType>(url: string, endpoint: string, opts: RequestOptions<S>): Promise<TransportResponse<z.output<S>>> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.config.timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method: opts.method,
        headers: { ...this.headers, ...opts.headers, ...(opts.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: controller.signal,
        // A redirect would carry the credentials to wherever it points: refused below instead.
        redirect: 'manual',
      });
      text = await res.text();
    } catch (err) {
      throw errorFromNetwork(endpoint, err, timedOut);
    } finally {
      clearTimeout(timer);
    }
    if (res.status >= 300 && res.status < 400) throw redirectRefused(`ConnectWise ${endpoint}`, res, 'CW_BASE_URL');
    if (!res.ok) throw errorFromResponse(endpoint, res.status, text, res.headers.get('retry-after'));
    return { data: parseBody(endpoint, text, opts.schema), status: res.status, headers: res.headers };
  }
}

/** Validate a response body; a mismatch names the endpoint and the first offending field. */
export function parseBody<S extends z.ZodType>(endpoint: string, text: string, schema: S): z.output<S> {
  let json: unknown;
  try {
    json = text === '' ? undefined : parseJsonExact(text);
  } catch {
    throw new LedgerError('ResponseShapeMismatch', `ConnectWise ${endpoint} answered ${describeForeignBody(text)}`, {
      fix: "Check that CW_BASE_URL is the site's API URL (https://<api host>/<codebase>/apis/3.0), not a web page or proxy, and that the site is up.",
      details: { endpoint },
    });
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length ? issue.path.map(String).join('.') : '(body)';
  throw new LedgerError('ResponseShapeMismatch', `ConnectWise ${endpoint} returned an unexpected shape at ${field}: ${issue.message}`, {
    fix: 'Check CW_API_VERSION (the model version pinned in the Accept header) against the site; the model may have changed.',
    details: { endpoint, field, issues: parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) },
  });
}
