/** The time-skipping test server for workflow tests, from the project-local binaries. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { registerSearchAttributes } from '../../workers/search-attributes';
import { locateTemporalBinaries } from '../../scripts/temporal-binaries';
import { stackDataConverter, startWithRetries } from '../../dev/stack/temporal';

export async function startTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const { testServer } = locateTemporalBinaries({ install: false });
  const env = await startWithRetries('the time-skipping test server', () =>
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testServer } },
      client: { dataConverter: stackDataConverter() },
    }),
  );
  // The Java test server has no --search-attribute flag; it accepts the operator call.
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}
