/**
 * OAuth against the sandbox: refresh on 401 with the rotated refresh token persisted (0600), the
 * outdated one refused with invalid_grant, one refresh at a time in a process and across
 * processes sharing the token file, and the failure modes (bad secret, revoked grant, wrong realm).
 */
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FileTokenStore, MemoryTokenStore, refreshAccessToken } from '../../../integrations/quickbooks';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, type QuickBooksSandbox } from '../../../dev/sandbox/quickbooks';
import { clientFor, ledgerError, startSandbox, tempDir } from './helpers';

const run = promisify(execFile);
let sb: QuickBooksSandbox;

beforeAll(async () => {
  sb = await startSandbox();
});

afterAll(() => sb.close());

async function connectedStore(): Promise<{ store: FileTokenStore; path: string; refreshToken: string }> {
  const issued = sb.admin.issueTokens();
  const path = join(tempDir('qbo-oauth-'), 'qbo-tokens.json');
  const store = await FileTokenStore.initialise(path, { accessToken: issued.access_token, refreshToken: issued.refresh_token });
  return { store, path, refreshToken: issued.refresh_token };
}

function countingFetch() {
  const calls = { token: 0, api: 0 };
  const f: typeof fetch = (input, init) => {
    if (String(input) === sb.tokenUrl) calls.token++;
    else calls.api++;
    return fetch(input, init);
  };
  return { f, calls };
}

it('refreshes on 401, persists the rotated refresh token owner-only, and the old one is then refused', async () => {
  const { store, path, refreshToken } = await connectedStore();
  sb.admin.expireAccessTokens();
  const { f, calls } = countingFetch();
  const { client } = clientFor(sb, { tokens: store, fetch: f });
  expect((await client.listTerms()).length).toBeGreaterThan(0);
  expect(calls.token).toBe(1);
  const saved = JSON.parse(readFileSync(path, 'utf8'));
  expect(saved.refreshToken).not.toBe(refreshToken);
  expect(Date.parse(saved.accessTokenExpiresAt)).toBeGreaterThan(Date.now());
  expect(statSync(path).mode & 0o777).toBe(0o600);

  const config = { tokenUrl: sb.tokenUrl, clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET };
  const stale = await ledgerError(refreshAccessToken(config, refreshToken));
  expect(stale.type).toBe('AuthenticationFailed');
  expect(stale.details).toMatchObject({ code: 'invalid_grant', httpStatus: 400 });
  expect(stale.message).not.toContain(refreshToken);
});

it('shares one refresh among concurrent calls in a process', async () => {
  const { store } = await connectedStore();
  sb.admin.expireAccessTokens();
  const { f, calls } = countingFetch();
  const a = clientFor(sb, { tokens: store, fetch: f }).client;
  const b = clientFor(sb, { tokens: new FileTokenStore(store.path), fetch: f }).client;
  const results = await Promise.all([a.listTerms(), b.listClasses(), a.listVendors(), b.getPreferences()]);
  expect(results).toHaveLength(4);
  expect(calls.token).toBe(1);
});

it('lets only one of several worker processes refresh the shared token file', async () => {
  const { path } = await connectedStore();
  sb.admin.expireAccessTokens();
  const env = { ...process.env, QBO_BASE_URL: sb.baseUrl, QBO_TOKEN_URL: sb.tokenUrl, QBO_REALM_ID: sb.realmId, QBO_TOKEN_FILE: path };
  const tsx = join(__dirname, '../../../node_modules/.bin/tsx');
  const worker = join(__dirname, 'fixtures/refresh-worker.ts');
  const outputs = await Promise.all([1, 2, 3].map(() => run(tsx, [worker], { env, timeout: 60_000 })));
  const reports = outputs.map((o) => JSON.parse(o.stdout) as { ok: boolean; tokenCalls: number });
  expect(reports.every((r) => r.ok)).toBe(true);
  expect(reports.reduce((n, r) => n + r.tokenCalls, 0)).toBe(1);
});

it('a revoked refresh token ends in AuthenticationFailed, without retrying forever', async () => {
  const tokens = new MemoryTokenStore({ accessToken: 'not-a-token', refreshToken: 'not-a-refresh-token' });
  const { f, calls } = countingFetch();
  const err = await ledgerError(clientFor(sb, { tokens, fetch: f, retry: { maxAttempts: 3 } }).client.listTerms());
  expect(err.type).toBe('AuthenticationFailed');
  expect(err.details).toMatchObject({ code: 'invalid_grant' });
  expect(calls).toEqual({ token: 1, api: 1 });
});

it('a wrong client secret is AuthenticationFailed (invalid_client)', async () => {
  const config = { tokenUrl: sb.tokenUrl, clientId: DEMO_CLIENT_ID, clientSecret: 'wrong' };
  const err = await ledgerError(refreshAccessToken(config, 'anything'));
  expect(err.type).toBe('AuthenticationFailed');
  expect(err.details).toMatchObject({ code: 'invalid_client', httpStatus: 401 });
});

it('a token used on another company is PermissionDenied (3100)', async () => {
  const err = await ledgerError(clientFor(sb, { realmId: '1234567890' }).client.listTerms());
  expect(err.type).toBe('PermissionDenied');
  expect(err.details).toMatchObject({ code: '3100', httpStatus: 403 });
});

it('a still-valid token is refused once the sandbox expires it, then the client recovers with the refresh token', async () => {
  const { store } = await connectedStore();
  const { client } = clientFor(sb, { tokens: store });
  await client.listTerms();
  sb.admin.expireAccessTokens();
  expect((await client.listClasses()).length).toBeGreaterThan(0);
});
