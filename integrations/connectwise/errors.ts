/**
 * ConnectWise failures as LedgerErrors. Error bodies are `{code, message, errors[]}`, except the
 * throttle body which says `error` instead of `code`; both are read, and the status decides the type.
 */
import { LedgerError, type LedgerErrorType } from '../../domain/errors';
import { bounded, describeForeignBody } from '../response-body';

interface CwErrorBody {
  code?: string;
  error?: string;
  message?: string;
  errors?: Array<{ code?: string; message?: string; resource?: string; field?: string }> | null;
}

function parseErrorBody(text: string): CwErrorBody | undefined {
  try {
    const body = JSON.parse(text) as unknown;
    return body && typeof body === 'object' ? (body as CwErrorBody) : undefined;
  } catch {
    return undefined;
  }
}

function typeForStatus(status: number): LedgerErrorType {
  if (status === 401) return 'AuthenticationFailed';
  if (status === 403) return 'PermissionDenied';
  if (status === 404) return 'NotFound';
  if (status === 409) return 'Conflict';
  if (status === 429) return 'RateLimited';
  if (status >= 500) return 'Unavailable';
  return 'ValidationRejected';
}

const FIXES: Partial<Record<LedgerErrorType, string>> = {
  AuthenticationFailed: 'Check the ConnectWise company ID, API public/private keys and clientId.',
  PermissionDenied: "Give the API member's security role the Accounting Interface and Table Setup rights.",
  NotFound: 'Check the record id and the codebase in the base URL.',
  ValidationRejected: 'Correct the request: see the field errors.',
  RateLimited: 'Slow down; the request is retried after the server-given delay.',
  Unavailable: 'ConnectWise is failing; retried with backoff.',
};

/** Retry-After is seconds (or an HTTP date); returns milliseconds or undefined. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function errorFromResponse(endpoint: string, status: number, text: string, retryAfter: string | null): LedgerError {
  const body = parseErrorBody(text);
  const type = typeForStatus(status);
  const code = body?.code ?? body?.error;
  const fieldErrors = (body?.errors ?? []).map((e) => ({ code: e.code, field: e.field, message: e.message }));
  const detail = bounded(fieldErrors.map((e) => `${e.field ?? '?'}: ${e.message ?? e.code ?? ''}`).join('; '));
  const said = body ? bounded(String(body.message ?? 'no message')) : `${describeForeignBody(text)} instead of ConnectWise's JSON error`;
  const message = `ConnectWise ${endpoint} -> ${status}${code ? ` ${code}` : ''}: ${said}${detail ? ` (${detail})` : ''}`;
  return new LedgerError(type, message, {
    fix: FIXES[type],
    retryAfterMs: status === 429 ? parseRetryAfter(retryAfter) : undefined,
    details: { endpoint, status, code, errors: fieldErrors.length ? fieldErrors : undefined },
  });
}

/** A request that never got a response: timed out, refused, or the connection dropped. */
export function errorFromNetwork(endpoint: string, err: unknown, timedOut: boolean): LedgerError {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (err as { code?: string })?.code;
  if (timedOut) {
    return new LedgerError('Timeout', `ConnectWise ${endpoint}: no response in time (the request may have been applied)`, {
      fix: 'Retried; for writes, look the record up before repeating it.',
      details: { endpoint },
      cause: err,
    });
  }
  return new LedgerError('Unavailable', `ConnectWise ${endpoint}: ${code ?? 'network error'} ${cause?.message ?? (err as Error)?.message ?? ''}`.trim(), {
    fix: FIXES.Unavailable,
    details: { endpoint, code },
    cause: err,
  });
}
