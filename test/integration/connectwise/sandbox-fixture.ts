/** Start a fresh ConnectWise sandbox in a temporary directory and build clients for it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectWiseClient, type ConnectWiseConfigInput, type TransportHooks } from '../../../integrations/connectwise';
import { startConnectWiseSandbox, type ConnectWiseSandbox, type ConnectWiseSandboxOptions } from '../../../dev/sandbox/connectwise';

export interface Fixture {
  sandbox: ConnectWiseSandbox;
  dataDir: string;
  client(overrides?: Partial<ConnectWiseConfigInput>, hooks?: TransportHooks): ConnectWiseClient;
  /** Close the sandbox and remove its data dir. */
  dispose(): Promise<void>;
}

export async function startFixture(options: Omit<ConnectWiseSandboxOptions, 'dataDir' | 'port' | 'host'> & { dataDir?: string } = {}): Promise<Fixture> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'cw-sandbox-'));
  const sandbox = await startConnectWiseSandbox({ ...options, host: '127.0.0.1', port: 0, dataDir });
  return {
    sandbox,
    dataDir,
    client: (overrides = {}, hooks = {}) =>
      new ConnectWiseClient(
        {
          baseUrl: sandbox.baseUrl,
          companyId: sandbox.credentials.companyId,
          publicKey: sandbox.credentials.publicKey,
          privateKey: sandbox.credentials.privateKey,
          clientId: 'ledgerline-tests',
          apiVersion: '2025.1',
          timeoutMs: 10_000,
          ...overrides,
        },
        hooks,
      ),
    dispose: async () => {
      await sandbox.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Retry hooks that record waits instead of sleeping, so tests never wait on the clock. */
export function recordingHooks(): TransportHooks & { delays: number[]; errors: string[] } {
  const delays: number[] = [];
  const errors: string[] = [];
  return {
    delays,
    errors,
    sleep: async () => undefined,
    random: () => 0.5,
    onRetry: ({ delayMs, error }) => {
      delays.push(delayMs);
      errors.push(error.type);
    },
  };
}

/** A raw request to the sandbox, for asserting wire details the client hides. */
export async function raw(fx: Fixture, path: string, init: RequestInit & { auth?: string | null; clientId?: string | null } = {}): Promise<Response> {
  const { companyId, publicKey, privateKey } = fx.sandbox.credentials;
  const auth = init.auth === undefined ? `${companyId}+${publicKey}:${privateKey}` : init.auth;
  const headers: Record<string, string> = { Accept: 'application/vnd.connectwise.com+json; version=2025.1' };
  if (auth !== null) headers.Authorization = `Basic ${Buffer.from(auth).toString('base64')}`;
  if (init.clientId !== null) headers.clientId = init.clientId ?? 'ledgerline-tests';
  // Sandbox admin routes take JSON only, so any admin change says so, with or without a body.
  if (init.body || (path.startsWith('/__admin') && (init.method ?? 'GET') !== 'GET')) headers['Content-Type'] = 'application/json';
  const url = /^https?:/.test(path) ? path : path.startsWith('/__admin') || path.startsWith('/login') ? `${fx.sandbox.origin}${path}` : `${fx.sandbox.baseUrl}${path}`;
  return fetch(url, { ...init, headers: { ...headers, ...(init.headers as Record<string, string> | undefined) } });
}
