/**
 * Keeps an activity's heartbeat going while it works, so the server notices a dead worker within the
 * heartbeat timeout (30 s) instead of waiting out the start-to-close timeout. Outside an activity
 * (a direct call in a test or a benchmark loop) it does nothing.
 *
 * Every heartbeat replaces the details a retried attempt reads back (`info.heartbeatDetails`), so the
 * periodic beat re-sends the latest details given to `heartbeat` (at first, what the previous
 * attempt left) instead of sending none.
 */
import { Context } from '@temporalio/activity';

export const HEARTBEAT_EVERY_MS = 10_000;

/** The latest details per running attempt, for the periodic beat to repeat. */
const latestDetails = new WeakMap<Context, { details: unknown }>();

function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

function latestOf(context: Context): unknown {
  return (latestDetails.get(context) ?? { details: context.info.heartbeatDetails }).details;
}

/** Heartbeat with these details and keep them as the ones the periodic beat re-sends. */
export function heartbeat(details?: unknown): void {
  const context = activityContext();
  if (!context) return;
  latestDetails.set(context, { details });
  context.heartbeat(details);
}

export function withHeartbeat<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    const context = activityContext();
    if (!context) return fn(...args);
    const timer = setInterval(() => context.heartbeat(latestOf(context)), HEARTBEAT_EVERY_MS);
    try {
      return await fn(...args);
    } finally {
      clearInterval(timer);
    }
  };
}
