/**
 * Tests and stack scripts log only SDK warnings and errors, so their output stays readable. Core
 * logs go to the console directly (forwarding them into JS would keep a native handle open and
 * jest alive). Import it first; jest loads it through setupFiles.
 */
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';

try {
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { logging: { console: {}, filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }) } },
  });
} catch {
  // Already installed in this worker process.
}
