/**
 * QuickBooks fault bodies -> LedgerError. Three shapes reach us: the data service's
 * `{"Fault":{"Error":[{Message,Detail,code,element}],"type"}}`, the API gateway's lowercase
 * `{"fault":{"error":[{message,detail,code}],"type"}}`, and XML `IntuitResponse` (throttling often
 * answers in XML even when JSON was asked for). Codes arrive as strings; we keep them as strings.
 */
import { QUICKBOOKS_RECONNECT_STEP } from '../../domain/connection-health';
import { LedgerError, type LedgerErrorType } from '../../domain/errors';
import { bounded } from '../response-body';

export interface QuickBooksFaultError {
  code: string;
  message: string;
  detail: string;
  element?: string;
}

export interface QuickBooksFault {
  type: string;
  errors: QuickBooksFaultError[];
}

const DEFAULT_THROTTLE_WAIT_MS = 60_000;

function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function errorsFrom(list: unknown, upper: boolean): QuickBooksFaultError[] {
  if (!Array.isArray(list)) return [];
  return list.map((e: Record<string, unknown>) => ({
    code: text(e.code ?? e.Code),
    message: text(upper ? (e.Message ?? e.message) : (e.message ?? e.Message)),
    detail: text(upper ? (e.Detail ?? e.detail) : (e.detail ?? e.Detail)),
    element: text(e.element) || undefined,
  }));
}

/** Pulls a fault out of a JSON value (an envelope or a batch item), or undefined when none. */
export function faultFromJson(body: unknown): QuickBooksFault | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const upper = b.Fault as Record<string, unknown> | undefined;
  if (upper && typeof upper === 'object') {
    return { type: text(upper.type), errors: errorsFrom(upper.Error, true) };
  }
  const lower = b.fault as Record<string, unknown> | undefined;
  if (lower && typeof lower === 'object') {
    return { type: text(lower.type), errors: errorsFrom(lower.error, false) };
  }
  return undefined;
}

function xmlUnescape(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Reads `<IntuitResponse><Fault type=".."><Error code=".."><Message/><Detail/></Error></Fault>`. */
export function faultFromXml(body: string): QuickBooksFault | undefined {
  const fault = /<Fault\b([^>]*)>([\s\S]*?)<\/Fault>/i.exec(body);
  if (!fault) return undefined;
  const type = /\btype="([^"]*)"/i.exec(fault[1])?.[1] ?? '';
  const errors: QuickBooksFaultError[] = [];
  const errorRe = /<Error\b([^>]*)>([\s\S]*?)<\/Error>/gi;
  for (let m = errorRe.exec(fault[2]); m; m = errorRe.exec(fault[2])) {
    const inner = m[2];
    errors.push({
      code: /\bcode="([^"]*)"/i.exec(m[1])?.[1] ?? '',
      message: xmlUnescape(/<Message>([\s\S]*?)<\/Message>/i.exec(inner)?.[1] ?? ''),
      detail: xmlUnescape(/<Detail>([\s\S]*?)<\/Detail>/i.exec(inner)?.[1] ?? ''),
      element: /\belement="([^"]*)"/i.exec(m[1])?.[1] || undefined,
    });
  }
  return { type, errors };
}

/** Parses a raw response body in whichever of the three shapes it came. */
export function parseFaultBody(raw: string): QuickBooksFault | undefined {
  const trimmed = raw.trimStart();
  if (trimmed.startsWith('<')) return faultFromXml(trimmed);
  try {
    return faultFromJson(JSON.parse(trimmed));
  } catch {
    return undefined;
  }
}

/** Gateway messages look like `message=ThrottleExceeded; errorCode=003001; statusCode=429`. */
function normalisedCode(e: QuickBooksFaultError): string {
  if (e.code) return e.code.replace(/^0+(?=\d)/, '');
  const m = /errorCode=0*(\d+)/.exec(e.message);
  return m ? m[1] : '';
}

const REFERENCE_CODES = new Set(['610', '2500']);
const AUTH_CODES = new Set(['100', '3200']);
const PERMISSION_CODES = new Set(['120', '3100']);
const CONFLICT_CODES = new Set(['5010', '600']);

export interface FaultContext {
  /** e.g. "POST /invoice"; names the call in messages. */
  endpoint: string;
  httpStatus?: number;
  intuitTid?: string | null;
  retryAfterHeader?: string | null;
  /** A read by Id: 610 then means the object itself is missing, not a reference in a body. */
  isReadById?: boolean;
  requestId?: string;
  /** What came instead of a fault (describeForeignBody), when none could be read. */
  foreignBody?: string;
}

/** Retry-After is seconds or an HTTP date; absent or unreadable -> Intuit's advice of 60 s. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number {
  if (!header) return DEFAULT_THROTTLE_WAIT_MS;
  const secs = Number(header);
  if (Number.isFinite(secs) && secs >= 0) return Math.round(secs * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? DEFAULT_THROTTLE_WAIT_MS : Math.max(0, at - now);
}

function classify(code: string, status: number | undefined, ctx: FaultContext): LedgerErrorType {
  if (code === '3001' || status === 429) return 'RateLimited';
  if (status !== undefined && status >= 500) return 'Unavailable';
  if (AUTH_CODES.has(code) || status === 401) return 'AuthenticationFailed';
  if (PERMISSION_CODES.has(code) || status === 403) return 'PermissionDenied';
  if (REFERENCE_CODES.has(code)) return ctx.isReadById ? 'NotFound' : 'ReferenceNotFound';
  if (CONFLICT_CODES.has(code)) return 'Conflict';
  if (status === 404) return 'NotFound';
  if (code === '' && status === undefined) return 'ValidationRejected';
  if (code && Number(code) >= 10000) return 'Unavailable';
  return 'ValidationRejected';
}

const FIXES: Partial<Record<LedgerErrorType, string>> = {
  RateLimited: 'QuickBooks is throttling this company; the call is retried after the wait it asked for.',
  Unavailable: 'QuickBooks had a server-side problem; the call is retried.',
  AuthenticationFailed: `QuickBooks refused the OAuth tokens (invalid, expired or revoked). ${QUICKBOOKS_RECONNECT_STEP}`,
  PermissionDenied: 'Check that the app is connected to this QuickBooks company with the accounting scope.',
  ReferenceNotFound: 'Create or reactivate the referenced account, item, customer, vendor or class in QuickBooks, or fix the mapping.',
  Conflict: 'Re-read the object and apply the change again.',
  ValidationRejected: 'Correct the data QuickBooks rejected (see the detail) and post again.',
  NotFound: 'The object does not exist in this QuickBooks company.',
};

/**
 * Refusals whose fix is about company settings, not the data: recognised by code and wording
 * (QuickBooks has used 6210 for both a closed period and a duplicate document number).
 */
function specificFix(e: QuickBooksFaultError | undefined): string | undefined {
  if (!e) return undefined;
  const words = `${e.message} ${e.detail}`;
  if (/period (has )?closed|books are closed/i.test(words)) {
    return 'The record is dated inside the closed period in QuickBooks; reopen the period (Account and Settings > Advanced > Close the books) or re-date the record, then retry it.';
  }
  if (e.element === 'CurrencyRef' || /currency/i.test(words)) {
    return "The record's currency is not enabled in this QuickBooks company; turn on multicurrency and add the currency in QuickBooks, or post the record in the home currency.";
  }
  return undefined;
}

/** Turns a parsed fault (or a bare HTTP status) into the product's error taxonomy. */
export function faultToLedgerError(fault: QuickBooksFault | undefined, ctx: FaultContext): LedgerError {
  const errors = fault?.errors ?? [];
  const first = errors[0];
  const code = first ? normalisedCode(first) : '';
  const type = classify(code, ctx.httpStatus, ctx);
  const summary = first
    ? `${bounded(first.message || 'QuickBooks fault', 200)}${code ? ` (code ${code})` : ''}${first.detail ? `: ${bounded(first.detail)}` : ''}`
    : `HTTP ${ctx.httpStatus ?? '?'} with ${ctx.foreignBody ?? 'no fault body'}`;
  return new LedgerError(type, `QuickBooks ${ctx.endpoint} failed: ${summary}`, {
    fix: (type === 'ValidationRejected' || type === 'ReferenceNotFound' ? specificFix(first) : undefined) ?? FIXES[type],
    retryAfterMs: type === 'RateLimited' ? retryAfterMs(ctx.retryAfterHeader) : undefined,
    details: {
      endpoint: ctx.endpoint,
      httpStatus: ctx.httpStatus,
      code,
      message: first?.message === undefined ? undefined : bounded(first.message, 200),
      detail: first?.detail === undefined ? undefined : bounded(first.detail),
      element: first?.element,
      faultType: fault?.type,
      intuit_tid: ctx.intuitTid ?? undefined,
      requestId: ctx.requestId,
      errors: errors.length > 1 ? errors.map((e) => ({ code: normalisedCode(e), detail: e.detail })) : undefined,
    },
  });
}
