/** Shared set-up for QuickBooks contract tests: an in-process sandbox and a client pointed at it. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QuickBooksClient, MemoryTokenStore, type QuickBooksConfig } from '../../../integrations/quickbooks';
import {
  startQuickBooksSandbox,
  DEMO_ACCESS_TOKEN,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_REFRESH_TOKEN,
  type QuickBooksKnobs,
  type QuickBooksSandbox,
} from '../../../dev/sandbox/quickbooks';
import { LedgerError } from '../../../domain/errors';

export function tempDir(prefix = 'qbo-sandbox-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function startSandbox(opts: { dataDir?: string; seed?: 'demo' | 'empty'; knobs?: Partial<QuickBooksKnobs> } = {}): Promise<QuickBooksSandbox> {
  return startQuickBooksSandbox({ port: 0, host: '127.0.0.1', dataDir: opts.dataDir ?? tempDir(), seed: opts.seed ?? 'demo', knobs: opts.knobs });
}

export interface TestClient {
  client: QuickBooksClient;
  /** Every wait the client asked for between retries (nothing really waits). */
  waits: number[];
}

/** A client with the demo token; retries off unless asked, and waits recorded instead of slept. */
export function clientFor(sb: QuickBooksSandbox, overrides: Partial<QuickBooksConfig> & { onWait?: (ms: number) => Promise<void> | void } = {}): TestClient {
  const waits: number[] = [];
  const { onWait, ...rest } = overrides;
  const client = new QuickBooksClient({
    baseUrl: sb.baseUrl,
    realmId: sb.realmId,
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
    tokenUrl: sb.tokenUrl,
    tokens: new MemoryTokenStore({ accessToken: DEMO_ACCESS_TOKEN, refreshToken: DEMO_REFRESH_TOKEN }),
    retry: { maxAttempts: 1 },
    timeoutMs: 10_000,
    sleep: async (ms) => {
      waits.push(ms);
      await onWait?.(ms);
    },
    ...rest,
  });
  return { client, waits };
}

/** The LedgerError a promise rejects with (fails the test if it resolves or throws something else). */
export async function ledgerError(p: Promise<unknown>): Promise<LedgerError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof LedgerError) return err;
    throw err;
  }
  throw new Error('expected a LedgerError, but the call succeeded');
}

export function ref(row: { Id: string }): { value: string } {
  return { value: row.Id };
}

/** Sandbox admin routes take JSON only (a web page's form or text/plain is refused). */
export const JSON_TYPE = { 'Content-Type': 'application/json' };
