/**
 * Task queue names: the deployment's main queue (workflows, PSA activities, mail) and per accounting
 * company an accounting queue (its QuickBooks calls, rate-limited for that company alone, for all
 * workers together): "<main>-accounting" for the default company, "<main>-accounting-<company>" for
 * the others, and beside it "<accounting queue>-batch-calls" for the calls that post through
 * QuickBooks' batch endpoint, rate-limited to the company's batch calls a minute. One setting
 * (TEMPORAL_TASK_QUEUE) names them all. Pure and bundle-safe.
 */
import { DEFAULT_COMPANY } from './routing';

export function accountingQueueFor(mainQueue: string, company?: string): string {
  return company === undefined || company === DEFAULT_COMPANY ? `${mainQueue}-accounting` : `${mainQueue}-accounting-${company}`;
}

const BATCH_CALLS = '-batch-calls';

/** The queue of a company's batch calls, beside its accounting queue. */
export function batchCallQueueFor(accountingQueue: string): string {
  return `${accountingQueue}${BATCH_CALLS}`;
}

/** The main queue behind a company's accounting or batch-call queue (or the main queue itself). */
export function mainQueueOf(queue: string, company?: string): string {
  const taskQueue = queue.endsWith(BATCH_CALLS) ? queue.slice(0, -BATCH_CALLS.length) : queue;
  for (const suffix of [`-accounting-${company ?? DEFAULT_COMPANY}`, '-accounting']) {
    if (taskQueue.endsWith(suffix)) return taskQueue.slice(0, -suffix.length);
  }
  return taskQueue;
}
