/**
 * The call budget of the running activity attempt: its deadline is the attempt's start plus its
 * start-to-close timeout, less a safety margin (10 %, at most 15 s) for recording what was done,
 * and its signal is the attempt's cancellation. Outside an activity there is no budget.
 */
import { Context } from '@temporalio/activity';
import { deadlineWithin, type CallBudget } from '../integrations/call-budget';

/** `startedAt`: when this attempt began running here (the activity's first line). */
export function activityCallBudget(startedAt = Date.now()): CallBudget {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return {};
  }
  const timeoutMs = context.info.startToCloseTimeoutMs;
  return {
    ...(timeoutMs > 0 && { deadline: deadlineWithin(startedAt, timeoutMs) }),
    signal: context.cancellationSignal,
  };
}
