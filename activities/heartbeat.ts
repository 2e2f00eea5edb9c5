/**
 * Keeps an activity's heartbeat going while it works, so the server notices a dead worker within the
 * heartbeat timeout (30 s) instead of waiting out the start-to-close timeout. Outside an activity
 * (a direct call in a test or a benchmark loop) it does nothing.
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

export function withHeartbeat<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    const context = activityContext();
    if (!context) return fn(...args);
    const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
    try {
      return await fn(...args);
    } finally {
      clearInterval(timer);
    }
  };
}
