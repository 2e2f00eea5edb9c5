/**
 * Builds the workers of one process: the main queue (workflows, PSA activities, mail) and per
 * accounting company its accounting queue and batch-call queue (its QuickBooks calls, rate-limited
 * server-side across all workers, so one company's limits never slow another's).
 */
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { accountingQueueFor, batchCallQueueFor } from '../workflows/definitions';
import type { Logger } from 'pino';
import { FAILURE_CONVERTER_PATH } from '../integrations/codec/data-converter';
import { durationMs, type WorkerConfig } from '../config';
import { registerSearchAttributes } from './search-attributes';

/**
 * The batch-call queue's rate over the company's batch calls a minute. Each worker's client holds the
 * exact limit over a sliding minute (integrations/quickbooks/pacer.ts), so a batch's first minute
 * may use its whole allowance early; Temporal, which dispatches per queue partition and so a little
 * below the rate it is given, bounds all hosts together: several hosts can exceed the limit by at
 * most half, those calls meeting a 429 and waiting their minute.
 */
export const BATCH_CALL_QUEUE_HEADROOM = 1.5;

export interface LedgerWorkers {
  main: Worker;
  /** Per accounting company, by company name: its accounting queue's and batch-call queue's workers. */
  accounting: Map<string, { queue: Worker; batchCalls: Worker }>;
  all: Worker[];
}

/** What each company's accounting workers poll for: its company and that company's rate limits. */
export interface AccountingQueueSetup {
  name: string;
  activitiesPerSecond: number;
  limits: { batchCallsPerMinute: number };
}

/**
 * Production runs a prebuilt bundle (npm run build); development bundles the sources at start, with
 * webpack's module listing at debug level so the terminal shows one line for it.
 */
async function workflowSource(config: WorkerConfig, logger: Logger, prebuilt?: string): Promise<Pick<WorkerOptions, 'workflowBundle'>> {
  if (prebuilt !== undefined) return { workflowBundle: { codePath: prebuilt } };
  if (config.NODE_ENV === 'production') {
    const codePath = resolve(config.WORKFLOW_BUNDLE_PATH);
    if (!existsSync(codePath)) throw new Error(`Workflow bundle not found at ${codePath}: run 'npm run build' first`);
    return { workflowBundle: { codePath } };
  }
  const started = Date.now();
  const bundler = logger.child({ component: 'bundler' });
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: {
      log: (level, message) => (level === 'WARN' || level === 'ERROR' ? bundler.warn(message) : bundler.debug(message)),
      trace: (message) => bundler.trace(message),
      debug: (message) => bundler.debug(message),
      info: (message) => bundler.debug(message),
      warn: (message) => bundler.warn(message),
      error: (message) => bundler.error(message),
    },
  });
  logger.info(`Workflow code bundled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { workflowBundle: { code } };
}

export async function createLedgerWorkers(
  config: WorkerConfig,
  connection: NativeConnection,
  activities: object,
  companies: readonly AccountingQueueSetup[],
  dataConverter: DataConverter,
  logger: Logger,
  /** A bundle built beforehand (tests and benchmarks build one for many workers). */
  bundlePath?: string,
): Promise<LedgerWorkers> {
  // Before polling: batches upsert these, and on a server that lacks them every batch would stall.
  await registerSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
  const shared = {
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    activities,
    dataConverter,
    shutdownGraceTime: durationMs(config.WORKER_SHUTDOWN_GRACE),
    maxConcurrentActivityTaskExecutions: config.MAX_CONCURRENT_ACTIVITIES,
  };
  const main = await Worker.create({
    ...shared,
    ...(await workflowSource(config, logger, bundlePath)),
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    maxCachedWorkflows: config.MAX_CACHED_WORKFLOWS,
  });
  const accounting = new Map<string, { queue: Worker; batchCalls: Worker }>();
  for (const company of companies) {
    const taskQueue = accountingQueueFor(config.TEMPORAL_TASK_QUEUE, company.name);
    // One budget for every worker polling the queue: the company's limits at QuickBooks.
    const queue = await Worker.create({ ...shared, taskQueue, maxTaskQueueActivitiesPerSecond: company.activitiesPerSecond });
    const batchCalls = await Worker.create({
      ...shared,
      taskQueue: batchCallQueueFor(taskQueue),
      maxTaskQueueActivitiesPerSecond: (company.limits.batchCallsPerMinute * BATCH_CALL_QUEUE_HEADROOM) / 60,
    });
    accounting.set(company.name, { queue, batchCalls });
  }
  return { main, accounting, all: [main, ...[...accounting.values()].flatMap((a) => [a.queue, a.batchCalls])] };
}
