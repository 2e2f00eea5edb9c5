/**
 * Builds the two workers of one process: the main queue (workflows, PSA activities, mail) and the
 * accounting queue (accounting writes, rate-limited server-side across all workers).
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { accountingQueueFor } from '../workflows/definitions';
import { durationMs, type WorkerConfig } from '../config';

export interface LedgerWorkers {
  main: Worker;
  accounting: Worker;
  connection: NativeConnection;
}

/** Production runs a prebuilt bundle (npm run build); development bundles the sources at start. */
function workflowSource(config: WorkerConfig): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  if (config.NODE_ENV === 'production') {
    const codePath = resolve(config.WORKFLOW_BUNDLE_PATH);
    if (!existsSync(codePath)) throw new Error(`Workflow bundle not found at ${codePath}: run 'npm run build' first`);
    return { workflowBundle: { codePath } };
  }
  return { workflowsPath: require.resolve('../workflows') };
}

export async function createLedgerWorkers(
  config: WorkerConfig,
  activities: object,
  dataConverter: DataConverter,
): Promise<LedgerWorkers> {
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const shared = {
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    activities,
    dataConverter,
    shutdownGraceTime: durationMs(config.WORKER_SHUTDOWN_GRACE),
  };
  const main = await Worker.create({
    ...shared,
    ...workflowSource(config),
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    maxCachedWorkflows: config.MAX_CACHED_WORKFLOWS,
  });
  const accounting = await Worker.create({
    ...shared,
    taskQueue: accountingQueueFor(config.TEMPORAL_TASK_QUEUE),
    // One budget for every worker polling this queue: the accounting API's per-company limit.
    maxTaskQueueActivitiesPerSecond: config.ACCOUNTING_MAX_ACTIVITIES_PER_SECOND,
  });
  return { main, accounting, connection };
}
