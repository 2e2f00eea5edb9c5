/** Installs pino as the Temporal Runtime logger, once per process, before any connection or worker. */
import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogEntry } from '@temporalio/worker';
import type { Logger } from 'pino';

const LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

export function installRuntime(logger: Logger, level: keyof typeof LEVELS = 'INFO'): void {
  Runtime.install({
    logger: new DefaultLogger(level, (entry: LogEntry) => {
      const method = LEVELS[entry.level];
      logger[method]({ ...entry.meta, sdkTime: Number(entry.timestampNanos / 1_000_000n) }, entry.message);
    }),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
    },
    // The worker entry point handles signals itself so it can log and drain.
    shutdownSignals: [],
  });
}
