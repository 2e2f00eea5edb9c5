/** Test runs log only SDK warnings and errors, so jest output stays readable. */
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';

try {
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }) } },
  });
} catch {
  // Already installed in this worker process.
}
