/**
 * What the QuickBooks client learns and reports about its connection, against the sandbox: the
 * rolling and hard (5-year) expiry from every refresh (asked for with
 * x-include-refresh-token-hard-expires-in), kept in the token file; a revoked or expired grant
 * reported once as revoked; refusals with a fresh token; the first success after them.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { ConnectionReport } from '../../../domain/connection-health';
import { FileTokenStore } from '../../../integrations/quickbooks';
import type { QuickBooksSandbox } from '../../../dev/sandbox/quickbooks';
import { clientFor, ledgerError, startSandbox, tempDir } from './helpers';

const DAY = 86_400_000;
let sb: QuickBooksSandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());

async function connected(): Promise<{ store: FileTokenStore; reports: ConnectionReport[]; client: ReturnType<typeof clientFor>['client'] }> {
  const issued = sb.admin.issueTokens();
  const store = await FileTokenStore.initialise(join(tempDir('qbo-life-'), 'tokens.json'), { accessToken: issued.access_token, refreshToken: issued.refresh_token });
  const reports: ConnectionReport[] = [];
  const { client } = clientFor(sb, { tokens: store, onConnection: (r) => reports.push(r) });
  return { store, reports, client };
}

const near = (iso: string | undefined, ms: number) => Math.abs(Date.parse(iso ?? '') - ms) < 60_000;

it('a refresh keeps and reports the rolling and the hard expiry', async () => {
  const { store, reports, client } = await connected();
  sb.admin.expireAccessTokens();
  await client.listTerms();
  expect(reports).toHaveLength(1);
  const [report] = reports as Array<Extract<ConnectionReport, { kind: 'life' }>>;
  expect(report).toMatchObject({ kind: 'life', refreshed: true });
  expect(near(report!.life.refreshTokenExpiresAt, Date.now() + 8_726_400_000)).toBe(true);
  expect(near(report!.life.refreshTokenHardExpiresAt, Date.now() + 5 * 365 * DAY)).toBe(true);
  expect(near(report!.life.refreshedAt, Date.now())).toBe(true);
  expect(await client.connectionLife()).toEqual(report!.life);
  const file = JSON.parse(readFileSync(store.path, 'utf8'));
  expect(file).toMatchObject(report!.life);
});

it('a connection near its 5-year limit: the refresh token lives no longer than the connection', async () => {
  const { reports, client } = await connected();
  sb.admin.ageConnection(10);
  sb.admin.expireAccessTokens();
  await client.listTerms();
  const life = (reports[0] as Extract<ConnectionReport, { kind: 'life' }>).life;
  expect(near(life.refreshTokenHardExpiresAt, Date.now() + 10 * DAY)).toBe(true);
  expect(near(life.refreshTokenExpiresAt, Date.now() + 10 * DAY)).toBe(true);
});

it('a revoked connection fails with the reconnect step and is reported once, as revoked', async () => {
  const { reports, client } = await connected();
  sb.admin.revokeConnection();
  const err = await ledgerError(client.listTerms());
  expect(err.type).toBe('AuthenticationFailed');
  expect(err.details).toMatchObject({ code: 'invalid_grant' });
  expect(err.fix).toMatch(/Reconnect QuickBooks: authorize the app .* put the new refresh token in the company's refreshToken setting/);
  expect(reports).toEqual([{ kind: 'refused', at: expect.any(String), revoked: true, detail: 'QuickBooks POST oauth2 token (refresh_token) was refused (invalid_grant)' }]);
});

it('a connection past its 5-year limit answers invalid_grant', async () => {
  const { reports, client } = await connected();
  sb.admin.ageConnection(-1);
  sb.admin.expireAccessTokens();
  expect((await ledgerError(client.listTerms())).details).toMatchObject({ code: 'invalid_grant' });
  expect(reports).toMatchObject([{ kind: 'refused', revoked: true }]);
});

it('reports each call refused with a fresh token, and the first success after a refusal', async () => {
  const { store, reports, client } = await connected();
  const wrongRealm = clientFor(sb, { tokens: store, realmId: '1234', onConnection: (r) => reports.push(r) }).client;
  for (let i = 0; i < 2; i++) expect((await ledgerError(wrongRealm.listTerms())).type).toBe('PermissionDenied');
  expect(reports.map((r) => r.kind === 'refused' && r.revoked)).toEqual([false, false]);
  expect((reports[0] as Extract<ConnectionReport, { kind: 'refused' }>).detail).toMatch(/code 3100/);

  // Revoked, then reconnected: the same client's next success is reported once.
  reports.length = 0;
  sb.admin.revokeConnection();
  await ledgerError(client.listTerms());
  const fresh = sb.admin.issueTokens();
  await store.rotate((await store.load()).accessToken, async () => ({ accessToken: fresh.access_token, refreshToken: fresh.refresh_token }));
  await client.listTerms();
  await client.listTerms();
  expect(reports.map((r) => r.kind)).toEqual(['refused', 'life', 'ok']);
});

it('a report that throws never fails the call', async () => {
  const { store } = await connected();
  const { client } = clientFor(sb, {
    tokens: store,
    onConnection: () => {
      throw new Error('guard unreachable');
    },
  });
  sb.admin.expireAccessTokens();
  expect((await client.listTerms()).length).toBeGreaterThan(0);
});
