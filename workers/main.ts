/**
 * Worker process entry point: validated config -> pino runtime logger -> Temporal connection ->
 * integrations (every accounting company's) -> the main worker and one accounting worker per
 * company. SIGINT/SIGTERM drain in-flight activities for WORKER_SHUTDOWN_GRACE, then exit.
 */
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createDeploymentActivities } from '../activities';
import { buildDeployment } from './dependencies';
import { createDataConverter, keySourcesFromConfig } from '../integrations/codec/data-converter';
import { ConfigError, loadWorkerConfig } from '../config';
import { createLogger } from './logger';
import { installRuntime } from './runtime';
import { createLedgerWorkers } from './worker';
import { accountingQueueFor, batchCallQueueFor } from '../workflows/definitions';

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'ledgerline-worker' });
  installRuntime(logger);
  const dataConverter = createDataConverter(keySourcesFromConfig(config), { compress: config.LEDGERLINE_CODEC_COMPRESS });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  // The token stores keep QuickBooks tokens in Temporal, shared with every other worker.
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  const deployment = await buildDeployment(config, logger, { client });
  const workers = await createLedgerWorkers(
    config,
    connection,
    createDeploymentActivities(deployment.companies.map((c) => c.deps)),
    deployment.companies,
    dataConverter,
    logger,
  );

  const stop = (signal: string) => {
    logger.info({ signal }, 'Shutting down: finishing in-flight work');
    for (const worker of workers.all) worker.shutdown();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  const queues = [config.TEMPORAL_TASK_QUEUE, ...deployment.companies.flatMap((c) => [accountingQueueFor(config.TEMPORAL_TASK_QUEUE, c.name), batchCallQueueFor(accountingQueueFor(config.TEMPORAL_TASK_QUEUE, c.name))])];
  logger.info(
    { address: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE, companies: deployment.companies.map((c) => c.name) },
    `Worker polling task queues ${queues.join(', ')}`,
  );
  try {
    await Promise.all(workers.all.map((w) => w.run()));
  } finally {
    await connection.close();
  }
  logger.info('Worker stopped');
  // The runtime's log forwarding holds a native handle; nothing else is pending by now.
  process.exit(0);
}

main().catch((err) => {
  // Config errors are already readable; anything else gets its stack.
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
