/**
 * Keeps an activity's heartbeat going while it works, so the server notices a dead worker within the
 * heartbeat timeout (30 s) instead of waiting out the start-to-close timeout. Every beat carries the
 * latest details the activity recorded through `heartbeat` (at first those of the previous
 * attempt), never empty ones, so a retry reading `heartbeatDetails` finds them. The beats stop when
 * the activity ends or is cancelled. Outside an activity (a direct call in a test or a benchmark
 * loop) it does nothing.
 */
import { Context } from '@temporalio/activity';

export const HEARTBEAT_EVERY_MS = 10_000;

function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

const latestDetails = new WeakMap<Context, { details: unknown }>();

/** What the previous attempt last recorded with `heartbeat` (undefined on a first attempt or outside an activity). */
export function earlierHeartbeat<T>(): T | undefined {
  return activityContext()?.info.heartbeatDetails as T | undefined;
}

/** Records `details` as the attempt's latest and sends them now; without details, re-sends the latest. */
export function heartbeat(details?: unknown): void {
  const context = activityContext();
  if (!context) return;
  if (details !== undefined) latestDetails.set(context, { details });
  context.heartbeat(details ?? latestDetails.get(context)?.details ?? context.info.heartbeatDetails);
}

export function withHeartbeat<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    const context = activityContext();
    if (!context) return fn(...args);
    const beat = () => context.heartbeat(latestDetails.get(context)?.details ?? context.info.heartbeatDetails);
    const timer = setInterval(beat, HEARTBEAT_EVERY_MS);
    const stop = () => clearInterval(timer);
    context.cancellationSignal.addEventListener('abort', stop, { once: true });
    try {
      return await fn(...args);
    } finally {
      stop();
      context.cancellationSignal.removeEventListener('abort', stop);
    }
  };
}
