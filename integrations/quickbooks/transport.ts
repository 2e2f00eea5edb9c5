/**
 * One HTTP exchange with QuickBooks, plus the policies around it: bearer auth with one refresh on
 * 401, minorversion and requestid on the URL, fault parsing, zod checking, and retries of transient
 * failures. Writes are retried only with a requestid, which makes the server replay instead of
 * executing twice. With a call budget, no request starts and no retry waits past its deadline (the
 * call fails with a retryable Timeout instead), and its signal aborts the request in flight.
 */
import type { z } from 'zod';
import { LedgerError, isLedgerError } from '../../domain/errors';
import { budgetExhausted, remainingMs, sleepWithin, throwIfCancelled, type CallBudget } from '../call-budget';
import { DEFAULT_MINOR_VERSION, DEFAULT_RETRY, type QuickBooksConfig, type RetryPolicy } from './config';
import { faultFromJson, faultToLedgerError, parseFaultBody } from './faults';
import { refreshAccessToken } from './oauth';
import { pacerFor, QUICKBOOKS_LIMITS, type RequestPacer } from './pacer';
import { credentialUrlProblem } from '../../config/secure-url';
import { redirectRefused } from '../redirects';
import { describeForeignBody } from '../response-body';
import type { QuickBooksTokens } from './token-store';
import type { ConnectionReport } from '../../domain/connection-health';

export interface QuickBooksRequest {
  method: 'GET' | 'POST';
  /** Relative to /v3/company/{realmId}/, e.g. `invoice` or `query`. */
  path: string;
  params?: Record<string, string>;
  json?: unknown;
  /** Sent as `application/text` (the POST form of /query). */
  text?: string;
  requestId?: string;
  isReadById?: boolean;
}

/** Refreshes in flight per realm and token source, so concurrent calls in one process share one. */
const refreshesInFlight = new Map<string, Promise<QuickBooksTokens>>();
const storeIds = new WeakMap<object, number>();
let nextStoreId = 0;

/** Refreshes for one realm run one after another in this process, whatever their token source. */
const realmQueues = new Map<string, Promise<unknown>>();

function oneAtATimePerRealm<T>(realmId: string, fn: () => Promise<T>): Promise<T> {
  const previous = realmQueues.get(realmId) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.catch(() => undefined);
  realmQueues.set(realmId, tail);
  void tail.then(() => {
    if (realmQueues.get(realmId) === tail) realmQueues.delete(realmId);
  });
  return run;
}

/** Token files are one source however many store objects point at them; other stores are their own. */
function tokenSourceKey(realmId: string, store: object): string {
  const path = (store as { path?: unknown }).path;
  if (typeof path === 'string') return `${realmId}|file:${path}`;
  if (!storeIds.has(store)) storeIds.set(store, ++nextStoreId);
  return `${realmId}|store:${storeIds.get(store)}`;
}

const EXPIRY_MARGIN_MS = 60_000;

function describe(req: QuickBooksRequest): string {
  const op = req.params?.operation ? `?operation=${req.params.operation}` : '';
  return `${req.method} /${req.path}${op}`;
}

/** Refusals already reported (by the refresh), so the call that failed with them does not report again. */
const reportedRefusals = new WeakSet<object>();

function isRefusal(err: unknown): err is LedgerError {
  return isLedgerError(err) && (err.type === 'AuthenticationFailed' || err.type === 'PermissionDenied');
}

export class QuickBooksTransport {
  private tokens?: QuickBooksTokens;
  /** A refusal was reported and no call has succeeded since. */
  private refusing = false;
  private readonly retry: RetryPolicy;
  private readonly doFetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly pacer: RequestPacer;

  constructor(private readonly config: QuickBooksConfig) {
    // Bearer tokens go to the API, the client secret and refresh token to the token URL: https only.
    for (const [setting, url] of [['QBO_BASE_URL', config.baseUrl], ['QBO_TOKEN_URL', config.tokenUrl]] as const) {
      const problem = credentialUrlProblem(url);
      if (problem) {
        throw new LedgerError('InvalidInput', `QuickBooks ${setting} ${url} ${problem}`, {
          fix: `Set ${setting} to Intuit's https URL (README: Pointing at a real ConnectWise site and QuickBooks company).`,
        });
      }
    }
    this.retry = { ...DEFAULT_RETRY, ...config.retry };
    this.doFetch = config.fetch ?? fetch;
    this.sleep = config.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.pacer = pacerFor(config.baseUrl, config.realmId, { ...QUICKBOOKS_LIMITS, ...config.limits });
  }

  /** Sends with retries; the parsed body is checked against `schema`. */
  async call<S extends z.ZodType>(req: QuickBooksRequest, schema: S, budget?: CallBudget): Promise<z.infer<S>> {
    return (await this.callWithTid(req, schema, budget)).data;
  }

  /** Like `call`, also returning the `intuit_tid` of the answer (batch items carry no header). */
  async callWithTid<S extends z.ZodType>(req: QuickBooksRequest, schema: S, budget?: CallBudget): Promise<{ data: z.infer<S>; intuitTid?: string }> {
    const endpoint = describe(req);
    const canRetry = req.method === 'GET' || req.path === 'query' || req.requestId !== undefined;
    for (let attempt = 1; ; attempt++) {
      throwIfCancelled(budget);
      if (remainingMs(budget) <= 0) throw budgetExhausted(`QuickBooks ${endpoint}`);
      try {
        const { body, intuitTid } = await this.sendAuthorised(req, endpoint, budget);
        if (this.refusing) {
          this.refusing = false;
          this.report({ kind: 'ok', at: new Date().toISOString() });
        }
        return { data: checkShape(schema, body, endpoint), intuitTid };
      } catch (err) {
        throwIfCancelled(budget);
        if (isRefusal(err) && !reportedRefusals.has(err)) this.reportRefusal(err, false);
        if (!isLedgerError(err) || !err.retryable || !canRetry || attempt >= this.retry.maxAttempts) throw err;
        const delay = this.delayFor(err, attempt);
        // A wait that would end past the deadline is not taken: the next activity attempt retries.
        if (delay >= remainingMs(budget)) throw budgetExhausted(`QuickBooks ${endpoint}`, err);
        await sleepWithin(delay, budget?.signal, this.sleep);
      }
    }
  }

  private report(report: ConnectionReport): void {
    try {
      this.config.onConnection?.(report);
    } catch {
      // A report is advice: it never fails the call.
    }
  }

  private reportRefusal(err: LedgerError, revoked: boolean): void {
    reportedRefusals.add(err);
    this.refusing = true;
    this.report({ kind: 'refused', at: new Date().toISOString(), revoked, detail: err.message.slice(0, 300) });
  }

  private delayFor(err: LedgerError, attempt: number): number {
    if (err.type === 'RateLimited' && err.retryAfterMs !== undefined) return err.retryAfterMs;
    return Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
  }

  private async currentTokens(): Promise<QuickBooksTokens> {
    this.tokens ??= await this.config.tokens.load();
    const exp = this.tokens.accessTokenExpiresAt ? Date.parse(this.tokens.accessTokenExpiresAt) : NaN;
    if (!Number.isNaN(exp) && exp - EXPIRY_MARGIN_MS <= Date.now()) return this.refresh(this.tokens.accessToken);
    return this.tokens;
  }

  /** One refresh per realm at a time in this process; the store serialises across processes. */
  private async refresh(staleAccessToken: string): Promise<QuickBooksTokens> {
    const key = tokenSourceKey(this.config.realmId, this.config.tokens);
    let pending = refreshesInFlight.get(key);
    if (!pending) {
      pending = oneAtATimePerRealm(this.config.realmId, () =>
        this.config.tokens.rotate(staleAccessToken, async (current) => {
          const next = await refreshAccessToken(
            { tokenUrl: this.config.tokenUrl, clientId: this.config.clientId, clientSecret: this.config.clientSecret, fetch: this.doFetch, timeoutMs: this.config.timeoutMs },
            current.refreshToken,
          );
          // QuickBooks states the hard expiry only when asked; an answer without it keeps the known one.
          return { ...next, refreshTokenHardExpiresAt: next.refreshTokenHardExpiresAt ?? current.refreshTokenHardExpiresAt };
        }),
      ).finally(() => refreshesInFlight.delete(key));
      refreshesInFlight.set(key, pending);
    }
    try {
      this.tokens = await pending;
    } catch (err) {
      // invalid_grant: the refresh token is revoked, expired or outdated: the connection is gone.
      if (isRefusal(err) && !reportedRefusals.has(err)) this.reportRefusal(err, err.details?.code === 'invalid_grant');
      throw err;
    }
    const { refreshTokenExpiresAt, refreshTokenHardExpiresAt, refreshedAt } = this.tokens;
    this.report({ kind: 'life', at: new Date().toISOString(), refreshed: true, life: { refreshTokenExpiresAt, refreshTokenHardExpiresAt, refreshedAt } });
    return this.tokens;
  }

  private async sendAuthorised(req: QuickBooksRequest, endpoint: string, budget: CallBudget | undefined): Promise<{ body: unknown; intuitTid?: string }> {
    let tokens = await this.currentTokens();
    let res = await this.send(req, endpoint, tokens.accessToken, budget);
    // An expired or revoked access token: refresh (maybe another worker already did) and resend. The
    // token another worker stored can itself be dead by now, so a refused resend refreshes once more,
    // from that token; refused after that, the connection itself is refused.
    for (let refreshes = 0; res.status === 401 && refreshes < 2; refreshes++) {
      tokens = await this.refresh(tokens.accessToken);
      res = await this.send(req, endpoint, tokens.accessToken, budget);
    }
    return { body: this.interpret(req, endpoint, res), intuitTid: res.headers.get('intuit_tid') ?? undefined };
  }

  private url(req: QuickBooksRequest): string {
    const base = this.config.baseUrl.replace(/\/+$/, '');
    const url = new URL(`${base}/v3/company/${encodeURIComponent(this.config.realmId)}/${req.path}`);
    for (const [k, v] of Object.entries(req.params ?? {})) url.searchParams.set(k, v);
    url.searchParams.set('minorversion', String(this.config.minorVersion ?? DEFAULT_MINOR_VERSION));
    if (req.requestId) url.searchParams.set('requestid', req.requestId);
    return url.toString();
  }

  private async send(req: QuickBooksRequest, endpoint: string, accessToken: string, budget: CallBudget | undefined): Promise<{ status: number; headers: Headers; text: string }> {
    const headers: Record<string, string> = { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' };
    let body: string | undefined;
    if (req.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.text !== undefined) {
      headers['Content-Type'] = 'application/text';
      body = req.text;
    }
    const ambiguous = req.method === 'POST' && req.path !== 'query';
    const release = await this.pacer.admit(req.path === 'batch', endpoint, budget);
    // The request ends at the per-call timeout or the budget's deadline, whichever comes first.
    const left = remainingMs(budget);
    const timeoutMs = Math.max(1, Math.min(this.config.timeoutMs ?? 120_000, left));
    const signals = [AbortSignal.timeout(timeoutMs), ...(budget?.signal ? [budget.signal] : [])];
    try {
      const res = await this.doFetch(this.url(req), {
        method: req.method,
        headers,
        body,
        signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals),
        // A redirect would carry the bearer token to wherever it points: refused in interpret().
        redirect: 'manual',
      });
      return { status: res.status, headers: res.headers, text: await res.text() };
    } catch (err) {
      throwIfCancelled(budget);
      // A write whose answer never came may or may not have happened: say so, and how to find out.
      const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
      throw new LedgerError(
        timedOut ? 'Timeout' : 'Unavailable',
        `QuickBooks ${endpoint} ${timedOut ? 'timed out' : 'lost the connection'}${ambiguous ? '; the write may have been applied' : ''}`,
        {
          fix: ambiguous ? 'Retry with the same requestid (QuickBooks replays the original answer), or look the transaction up by its idempotency key.' : undefined,
          details: { endpoint, requestId: req.requestId, outcomeUnknown: ambiguous },
          cause: err,
        },
      );
    } finally {
      release();
    }
  }

  private interpret(req: QuickBooksRequest, endpoint: string, res: { status: number; headers: Headers; text: string }): unknown {
    const ctx = {
      endpoint,
      httpStatus: res.status,
      intuitTid: res.headers.get('intuit_tid'),
      retryAfterHeader: res.headers.get('retry-after'),
      isReadById: req.isReadById,
      requestId: req.requestId,
    };
    if (res.status >= 300 && res.status < 400) throw redirectRefused(`QuickBooks ${endpoint}`, res, 'QBO_BASE_URL');
    if (res.status < 200 || res.status >= 300) {
      const fault = parseFaultBody(res.text);
      throw faultToLedgerError(fault, fault ? ctx : { ...ctx, foreignBody: describeForeignBody(res.text) });
    }
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      const xmlFault = parseFaultBody(res.text);
      if (xmlFault) throw faultToLedgerError(xmlFault, ctx);
      throw new LedgerError('ResponseShapeMismatch', `QuickBooks ${endpoint} answered ${describeForeignBody(res.text)}`, {
        fix: SHAPE_FIX,
        details: { endpoint, intuit_tid: ctx.intuitTid ?? undefined },
      });
    }
    const fault = faultFromJson(body);
    if (fault) throw faultToLedgerError(fault, { ...ctx, httpStatus: undefined });
    return body;
  }
}

/** An answer outside QuickBooks' documented format: nothing was written on it; what to check. */
const SHAPE_FIX =
  'Check that QBO_BASE_URL is the QuickBooks API (https://quickbooks.api.intuit.com, or the sandbox host), not a proxy or web page, and status.developer.intuit.com; run again when it answers normally, and report a persisting one to Intuit with its intuit_tid.';

export function checkShape<S extends z.ZodType>(schema: S, body: unknown, endpoint: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || '(body)';
  throw new LedgerError('ResponseShapeMismatch', `QuickBooks ${endpoint} answered an unexpected shape at ${field}: ${issue?.message ?? 'invalid'}`, {
    fix: SHAPE_FIX,
    details: { endpoint, field },
  });
}
