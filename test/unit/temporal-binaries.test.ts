import { existsSync } from 'node:fs';
import { locateTemporalBinaries } from '../../scripts/temporal-binaries';

describe('temporal binaries', () => {
  it('finds both binaries without installing anything new', () => {
    const { cli, testServer } = locateTemporalBinaries({ install: false });
    expect(existsSync(cli)).toBe(true);
    expect(existsSync(testServer)).toBe(true);
  });

  it('honours TEMPORAL_CLI_PATH and reports a missing file in one line', () => {
    const saved = process.env.TEMPORAL_CLI_PATH;
    process.env.TEMPORAL_CLI_PATH = '/nonexistent/temporal';
    try {
      expect(() => locateTemporalBinaries({ install: false })).toThrow(/TEMPORAL_CLI_PATH points at a missing file/);
    } finally {
      process.env.TEMPORAL_CLI_PATH = saved;
    }
  });
});
