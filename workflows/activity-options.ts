/**
 * Activity proxies per task queue. Business errors are non-retryable at the activity boundary
 * (ApplicationFailure nonRetryable), so the retry policy here only ever retries transient faults.
 * Each call can carry a one-line summary, shown in the UI's event history (ids and counts only,
 * never customer data).
 */
import type { ActivityOptions, RetryPolicy } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { LedgerActivities } from '../activities/contracts';
import { accountingQueueFor } from './definitions';

const transientRetry: RetryPolicy = {
  initialInterval: '2 seconds',
  backoffCoefficient: 2,
  maximumInterval: '2 minutes',
  maximumAttempts: 12,
  nonRetryableErrorTypes: ['InvalidInput', 'AuthenticationFailed', 'PermissionDenied', 'ResponseShapeMismatch'],
};

// Activities heartbeat every 10 s (activities/heartbeat.ts): a dead worker is noticed in 30 s.
const PSA_OPTIONS: ActivityOptions = { startToCloseTimeout: '10 minutes', heartbeatTimeout: '30 seconds', retry: transientRetry };
const ACCOUNTING_OPTIONS: ActivityOptions = { startToCloseTimeout: '5 minutes', heartbeatTimeout: '30 seconds', retry: transientRetry };

/** PSA reads/writes, GL resolution and mail: the main task queue (the workflow's own). */
export const psaActivities = proxyActivities<LedgerActivities>(PSA_OPTIONS);

/** The same, with a summary for this call. */
export function psaActivity(summary: string): LedgerActivities {
  return proxyActivities<LedgerActivities>({ ...PSA_OPTIONS, summary });
}

/**
 * Accounting writes and read-backs: their own queue ("<workflow queue>-accounting"), rate-limited
 * server-side for all workers. Called inside a workflow (it reads the workflow's task queue).
 */
export function accountingActivities(summary?: string): LedgerActivities {
  return proxyActivities<LedgerActivities>({
    ...ACCOUNTING_OPTIONS,
    taskQueue: accountingQueueFor(workflowInfo().taskQueue),
    summary,
  });
}
