/**
 * Task queue names: the deployment's main queue (workflows, PSA activities, mail) and one accounting
 * queue per accounting company (its QuickBooks calls, rate-limited for that company alone, for all
 * workers together): "<main>-accounting" for the default company, "<main>-accounting-<company>" for
 * the others. One setting (TEMPORAL_TASK_QUEUE) names them all. Pure and bundle-safe.
 */
import { DEFAULT_COMPANY } from './routing';

export function accountingQueueFor(mainQueue: string, company?: string): string {
  return company === undefined || company === DEFAULT_COMPANY ? `${mainQueue}-accounting` : `${mainQueue}-accounting-${company}`;
}

/** The main queue behind a company's accounting queue (or the main queue itself). */
export function mainQueueOf(taskQueue: string, company?: string): string {
  for (const suffix of [`-accounting-${company ?? DEFAULT_COMPANY}`, '-accounting']) {
    if (taskQueue.endsWith(suffix)) return taskQueue.slice(0, -suffix.length);
  }
  return taskQueue;
}
