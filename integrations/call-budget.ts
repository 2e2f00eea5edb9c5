/**
 * A call budget: how long an outside call, retries and waits included, may take, and a signal that
 * ends it early. The activity layer builds one from its timeout and cancellation; integrations only
 * read it, so they stay free of Temporal. No budget means no limit beyond the client's own policy.
 */
import { LedgerError, isLedgerError } from '../domain/errors';

export interface CallBudget {
  /** Epoch milliseconds after which no request starts and no retry waits. */
  deadline?: number;
  /** Aborts requests in flight and waits between retries (the activity was cancelled). */
  signal?: AbortSignal;
}

/** Share of the attempt's timeout kept back for the activity's own bookkeeping, and its cap. */
export const SAFETY_MARGIN_SHARE = 0.1;
export const SAFETY_MARGIN_CAP_MS = 15_000;

/** The deadline of an attempt that started at `startedAt` and may run `timeoutMs`. */
export function deadlineWithin(startedAt: number, timeoutMs: number): number {
  return startedAt + timeoutMs - Math.min(timeoutMs * SAFETY_MARGIN_SHARE, SAFETY_MARGIN_CAP_MS);
}

/** Milliseconds left, or Infinity without a deadline. */
export function remainingMs(budget: CallBudget | undefined, now = Date.now()): number {
  return budget?.deadline === undefined ? Infinity : budget.deadline - now;
}

/** Rethrows the cancellation itself (its reason), so no layer mistakes it for a transient fault. */
export function throwIfCancelled(budget: CallBudget | undefined): void {
  if (budget?.signal?.aborted) throw budget.signal.reason ?? new Error('cancelled');
}

/** The retryable error of a call that ran out of its budget; the next attempt has a fresh one. */
export function budgetExhausted(endpoint: string, cause?: unknown): LedgerError {
  return new LedgerError('Timeout', `${endpoint} did not complete within this attempt's time budget`, {
    fix: 'Nothing to do: the next attempt retries it, looking up what was already created first.',
    // A write cut short keeps what its cause knew (outcomeUnknown: it may have been applied).
    details: { ...(isLedgerError(cause) ? cause.details : {}), endpoint, budgetExhausted: true },
    cause,
  });
}

/** A wait that ends early (rejecting with the reason) when the signal fires. */
export function sleepWithin(ms: number, signal: AbortSignal | undefined, sleep: (ms: number) => Promise<void>): Promise<void> {
  if (!signal) return sleep(ms);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    sleep(ms).then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
