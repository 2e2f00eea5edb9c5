/**
 * Worker process entry point: validated config -> pino runtime logger -> integrations -> both
 * workers. SIGINT/SIGTERM drain in-flight activities for WORKER_SHUTDOWN_GRACE, then exit.
 */
import { createActivities } from '../activities';
import { buildActivityDependencies } from './dependencies';
import { createDataConverter, keySourcesFromConfig } from '../integrations/codec/data-converter';
import { ConfigError, loadWorkerConfig } from '../config';
import { createLogger } from './logger';
import { installRuntime } from './runtime';
import { createLedgerWorkers } from './worker';
import { accountingQueueFor } from '../workflows/definitions';

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'ledgerline-worker' });
  installRuntime(logger);
  const dataConverter = createDataConverter(keySourcesFromConfig(config));
  const deps = await buildActivityDependencies(config, logger);
  const { main, accounting, connection } = await createLedgerWorkers(config, createActivities(deps), dataConverter, logger);

  const stop = (signal: string) => {
    logger.info({ signal }, 'Shutting down: finishing in-flight work');
    main.shutdown();
    accounting.shutdown();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  logger.info(
    { address: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE },
    `Worker polling task queues ${config.TEMPORAL_TASK_QUEUE} and ${accountingQueueFor(config.TEMPORAL_TASK_QUEUE)}`,
  );
  try {
    await Promise.all([main.run(), accounting.run()]);
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
