/** Jest global setup: make sure the Temporal binaries exist and hand their paths to every test worker. */
import { locateTemporalBinaries } from '../../scripts/temporal-binaries';

export default async function globalSetup(): Promise<void> {
  const { cli, testServer } = locateTemporalBinaries({ install: true });
  process.env.TEMPORAL_CLI_PATH = cli;
  process.env.TEMPORAL_TEST_SERVER_PATH = testServer;
}
