/**
 * The activity boundary's error policy. A LedgerError keeps its type; business types become
 * non-retryable ApplicationFailures (they name the record and the fix), transient ones are retried
 * by Temporal, honouring a server's Retry-After as the next retry delay.
 */
import { ApplicationFailure } from '@temporalio/common';
import { isLedgerError } from '../domain/errors';

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
      throw toApplicationFailure(err);
    }
  };
}
