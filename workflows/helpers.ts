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
import { accountingQueueFor, batchCallQueueFor } from './definitions';

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
export async function checkReportRecipient(workflow: string, notify: Notify | undefined, activities: Pick<Activities, 'checkReportRecipient'>): Promise<void> {
  if (notify === undefined || !patched('report-recipient-checked')) return;
  try {
    await activities.checkReportRecipient({ notify });
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

/** The accounting company a run works for, as workflows pass it on (to children, to every activity). */
export interface RunCompany {
  name: string;
  accountingQueue: string;
}

/** The same activities, each call naming `company` beside its own input. */
function naming(activities: Activities, company: string): Activities {
  return new Proxy(activities, {
    get: (target, name: string) => (input?: object) => (target[name as keyof Activities] as (i: object) => Promise<unknown>)({ ...(input ?? {}), company }),
  });
}

/**
 * A run's activities for its company: main-queue calls (PSA, mail; 10 minutes by default), calls on
 * the company's own accounting queue and on its batch-call queue (5 minutes), each with its summary,
 * each naming the company. Without a company (runs started before companies had names) they are the
 * deployment's only company's, on "<main queue>-accounting" (and "-batch-calls").
 */
export function companyActivities(company: RunCompany | undefined) {
  const forCompany = (activities: Activities) => (company ? naming(activities, company.name) : activities);
  const accountingQueue = () => company?.accountingQueue ?? accountingQueueFor(workflowInfo().taskQueue);
  return {
    psa: (summary?: string, timeout: Duration = '10 minutes'): Activities => forCompany(mainQueueActivities(timeout, summary)),
    accounting: (summary?: string, timeout: Duration = '5 minutes'): Activities =>
      forCompany(activitiesWith({ startToCloseTimeout: timeout, summary, taskQueue: accountingQueue() })),
    /** Calls that post through QuickBooks' batch endpoint: the company's batch-call queue. */
    batchCalls: (summary?: string, timeout: Duration = '5 minutes'): Activities =>
      forCompany(activitiesWith({ startToCloseTimeout: timeout, summary, taskQueue: batchCallQueueFor(accountingQueue()) })),
  };
}

/** One readable line from a Temporal failure chain. */
export function describeFailure(err: unknown): string {
  const deepest = innermostFailure(err);
  if (!deepest) return 'unknown failure';
  return deepest.type ? `${deepest.type}: ${deepest.message}` : deepest.message;
}
