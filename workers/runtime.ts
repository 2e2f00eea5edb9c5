/** Installs pino as the Temporal Runtime logger, once per process, before any connection or worker. */
import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogEntry } from '@temporalio/worker';
import type { Logger } from 'pino';

const LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * SDK lines about pollers this process deliberately does not run (the accounting queue has no
 * workflows, nothing uses Nexus) and routine state changes: debug, not something to act on.
 */
const ROUTINE_SDK_MESSAGE = /^(No Nexus services registered|No workflows registered|Worker state changed)/;

export function installRuntime(logger: Logger, level: keyof typeof LEVELS = 'INFO'): void {
  Runtime.install({
    logger: new DefaultLogger(level, (entry: LogEntry) => {
      const method = ROUTINE_SDK_MESSAGE.test(entry.message) ? 'debug' : LEVELS[entry.level];
      logger[method]({ ...entry.meta, sdkTime: Number(entry.timestampNanos / 1_000_000n) }, entry.message);
    }),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
    },
    // The worker entry point handles signals itself so it can log and drain.
    shutdownSignals: [],
  });
}
