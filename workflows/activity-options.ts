/**
 * Activity proxies per task queue. Business errors are non-retryable at the activity boundary
 * (ApplicationFailure nonRetryable), so the retry policy here only ever retries transient faults.
 */
import type { RetryPolicy } from '@temporalio/common';
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

/** PSA reads/writes, GL resolution and mail: the main task queue (the workflow's own). */
export const psaActivities = proxyActivities<LedgerActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '2 minutes',
  retry: transientRetry,
});

/**
 * Accounting writes and read-backs: their own queue ("<workflow queue>-accounting"), rate-limited
 * server-side for all workers. Called inside a workflow (it reads the workflow's task queue).
 */
export function accountingActivities(): LedgerActivities {
  return proxyActivities<LedgerActivities>({
    taskQueue: accountingQueueFor(workflowInfo().taskQueue),
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout: '2 minutes',
    retry: transientRetry,
  });
}
