/**
 * What every workflow shares: input parsing, the activity proxies and their retry policy, and one
 * readable line from a failure chain.
 *
 * Business errors are non-retryable at the activity boundary (ApplicationFailure nonRetryable), so
 * the retry policy only ever retries transient faults. Each call can carry a one-line summary, shown
 * in the UI's event history (ids and counts only, never customer data).
 */
import type { ActivityOptions, Duration, RetryPolicy } from '@temporalio/common';
import { ApplicationFailure, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { z } from 'zod';
import type { Activities } from '../activities';
import type { Notify } from '../domain/contract';
import { BATCH_STOPPING_ERROR_TYPES } from '../domain/errors';
import { innermostFailure } from '../domain/failure-chain';
import { describeZodError } from '../domain/schemas';
import { accountingQueueFor } from './definitions';

/** The workflow's input through its schema; a bad one fails the run at once, naming each field. */
export function parseWorkflowInput<S extends z.ZodType>(workflow: string, schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) throw ApplicationFailure.nonRetryable(`Invalid ${workflow} input: ${describeZodError(parsed.error, schema)}`, 'InvalidInput');
  return parsed.data;
}

/**
 * The run's report recipient, checked before anything is written: one MAIL_ALLOWED_RECIPIENTS does
 * not allow (or a member without an e-mail) fails the run at once as invalid input. Behind
 * patched('report-recipient-checked'): runs started before it go without.
 */
export async function checkReportRecipient(workflow: string, notify: Notify | undefined): Promise<void> {
  if (notify === undefined || !patched('report-recipient-checked')) return;
  try {
    await mainQueueActivities('1 minute', 'check the report recipient').checkReportRecipient({ notify });
  } catch (err) {
    const cause = innermostFailure(err);
    if (cause?.type !== 'InvalidInput' && cause?.type !== 'NotFound') throw err;
    throw ApplicationFailure.nonRetryable(`Invalid ${workflow} input: ${cause.message}`, 'InvalidInput');
  }
}

export const TRANSIENT_RETRY: RetryPolicy = {
  initialInterval: '2 seconds',
  backoffCoefficient: 2,
  maximumInterval: '2 minutes',
  maximumAttempts: 12,
  nonRetryableErrorTypes: ['InvalidInput', ...BATCH_STOPPING_ERROR_TYPES],
};

// Activities heartbeat every 10 s (activities/heartbeat.ts): a dead worker is noticed in 30 s.
const HEARTBEAT_TIMEOUT: Duration = '30 seconds';

function activitiesWith(options: ActivityOptions): Activities {
  return proxyActivities<Activities>({ heartbeatTimeout: HEARTBEAT_TIMEOUT, retry: TRANSIENT_RETRY, ...options });
}

/** PSA reads/writes, GL resolution and mail: the main task queue (the workflow's own). */
export function mainQueueActivities(startToCloseTimeout: Duration, summary?: string): Activities {
  return activitiesWith({ startToCloseTimeout, summary });
}

/**
 * Accounting reads and writes: their own queue ("<workflow queue>-accounting"), rate-limited
 * server-side for all workers. Called inside a workflow (it reads the workflow's task queue).
 */
export function accountingQueueActivities(startToCloseTimeout: Duration, summary?: string): Activities {
  return activitiesWith({ startToCloseTimeout, summary, taskQueue: accountingQueueFor(workflowInfo().taskQueue) });
}

/** The batch workflows' PSA calls, each with its summary. */
export const psaActivity = (summary: string): Activities => mainQueueActivities('10 minutes', summary);

/** The batch workflows' accounting calls. */
export const accountingActivities = (summary?: string): Activities => accountingQueueActivities('5 minutes', summary);

/** One readable line from a Temporal failure chain. */
export function describeFailure(err: unknown): string {
  const deepest = innermostFailure(err);
  if (!deepest) return 'unknown failure';
  return deepest.type ? `${deepest.type}: ${deepest.message}` : deepest.message;
}
