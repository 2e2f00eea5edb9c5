/**
 * The activity boundary's error policy. A LedgerError keeps its type; business types become
 * non-retryable ApplicationFailures (they name the record and the fix), transient ones are retried
 * by Temporal, honouring a server's Retry-After as the next retry delay. A cancellation is never
 * turned into anything else: the CancelledFailure itself is rethrown, however deep it was wrapped
 * and whatever error the cancelled work ended with, so Temporal records the attempt as cancelled.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { isLedgerError } from '../domain/errors';

/** The CancelledFailure behind an error: in its cause chain, or the attempt's own cancellation. */
export function cancellationOf(err: unknown): CancelledFailure | undefined {
  const seen = new Set<unknown>();
  for (let e: unknown = err; e instanceof Error && !seen.has(e); e = e.cause) {
    if (e instanceof CancelledFailure) return e;
    seen.add(e);
  }
  let signal: AbortSignal | undefined;
  try {
    signal = Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
  return signal.aborted && signal.reason instanceof CancelledFailure ? signal.reason : undefined;
}

export function toApplicationFailure(err: unknown): unknown {
  if (!isLedgerError(err)) return err;
  return ApplicationFailure.create({
    message: err.fix ? `${err.message} Fix: ${err.fix}` : err.message,
    type: err.type,
    nonRetryable: !err.retryable,
    nextRetryDelay: err.retryAfterMs,
    details: err.details ? [err.details] : undefined,
  });
}

/** Wraps an activity so every thrown LedgerError crosses the boundary with the policy above. */
export function atBoundary<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      throw cancellationOf(err) ?? toApplicationFailure(err);
    }
  };
}
