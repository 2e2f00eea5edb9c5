/** The connection's life judged from the token dates and what workers saw (domain/connection-health). */
import {
  judgeConnection,
  withConnectionReport,
  QUICKBOOKS_RECONNECT_STEP,
  type ConnectionGuardState,
  type ConnectionReport,
} from '../../../domain/connection-health';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const life = (rollingDays: number, hardDays?: number): ConnectionReport => ({
  kind: 'life',
  at: iso(NOW),
  refreshed: true,
  life: { refreshTokenExpiresAt: iso(NOW + rollingDays * DAY), ...(hardDays !== undefined && { refreshTokenHardExpiresAt: iso(NOW + hardDays * DAY) }), refreshedAt: iso(NOW) },
});
const refused = (revoked: boolean, detail = 'HTTP 401'): ConnectionReport => ({ kind: 'refused', at: iso(NOW), revoked, detail });
const apply = (...reports: ConnectionReport[]): ConnectionGuardState => reports.reduce(withConnectionReport, {} as ConnectionGuardState);

describe('judgeConnection', () => {
  it('is healthy with the earlier of the rolling and hard expiry, and wakes at the 30-day warning', () => {
    const h = judgeConnection(apply(life(100, 1400)), NOW);
    expect(h).toMatchObject({ status: 'Healthy', expiresAt: iso(NOW + 100 * DAY), daysLeft: 100, changesAt: iso(NOW + 70 * DAY) });
    expect(h.summary).toBe('The QuickBooks connection is good until 2027-03-11 (100 days, renewed by every token refresh).');
    expect(h.alertKey).toBeUndefined();
  });

  it('warns 30 and 7 days before the 5-year limit, each its own alert, naming the reconnect step', () => {
    const state = apply(life(100, 20));
    const at30 = judgeConnection(state, NOW);
    expect(at30).toMatchObject({ status: 'Expiring', alertKey: 'Expiring-30', daysLeft: 20, changesAt: iso(NOW + 13 * DAY) });
    expect(at30.summary).toBe('The QuickBooks connection reaches its 5-year limit on 2026-12-21 (20 days): syncing stops then unless the company is reconnected.');
    expect(at30.fix).toBe(`Before 2026-12-21: ${QUICKBOOKS_RECONNECT_STEP}`);
    const at7 = judgeConnection(state, NOW + 14 * DAY);
    expect(at7).toMatchObject({ status: 'Expiring', alertKey: 'Expiring-7', daysLeft: 6, changesAt: iso(NOW + 20 * DAY) });
    const gone = judgeConnection(state, NOW + 20 * DAY);
    expect(gone).toMatchObject({ status: 'Expired', alertKey: 'Expired', daysLeft: 0, fix: QUICKBOOKS_RECONNECT_STEP });
    expect(gone.summary).toBe('The QuickBooks connection expired on 2026-12-21: syncing has stopped.');
  });

  it('a rolling expiry near means nothing refreshed it: the fix is to run a sync', () => {
    const h = judgeConnection(apply(life(5, 900)), NOW);
    expect(h).toMatchObject({ status: 'Expiring', alertKey: 'Expiring-7' });
    expect(h.summary).toMatch(/refresh token expires on 2026-12-06 \(5 days\) because nothing has refreshed it since 2026-12-01T12:00:00.000Z/);
    expect(h.fix).toMatch(/^Run any QuickBooks sync \(npm run cli -- payments sync\)/);
  });

  it('a revoked grant is Revoked at once; a refresh that works again clears it', () => {
    const revoked = apply(life(100, 900), refused(true, 'QuickBooks POST oauth2 token (refresh_token) was refused (invalid_grant)'));
    const h = judgeConnection(revoked, NOW);
    expect(h).toMatchObject({ status: 'Revoked', alertKey: 'Revoked', fix: QUICKBOOKS_RECONNECT_STEP });
    expect(h.summary).toMatch(/revoked or has expired, and syncing has stopped/);
    expect(judgeConnection(withConnectionReport(revoked, life(100, 900)), NOW).status).toBe('Healthy');
    // A mere read of the token file proves nothing.
    expect(judgeConnection(withConnectionReport(revoked, { ...(life(100, 900) as Extract<ConnectionReport, { kind: 'life' }>), refreshed: false }), NOW).status).toBe('Revoked');
  });

  it('refusals with a fresh token are Failing from the third in a row; a success resets the count', () => {
    const two = apply(life(100), refused(false), refused(false));
    expect(judgeConnection(two, NOW).status).toBe('Healthy');
    const three = withConnectionReport(two, refused(false, 'QuickBooks GET /query failed: ApplicationAuthorizationFailed (code 3100)'));
    const h = judgeConnection(three, NOW);
    expect(h).toMatchObject({ status: 'Failing', alertKey: 'Failing' });
    expect(h.summary).toMatch(/refused Ledgerline 3 times in a row since .* \(last: QuickBooks GET \/query failed: ApplicationAuthorizationFailed \(code 3100\)\)/);
    expect(h.fix).toMatch(/QBO_CLIENT_ID, QBO_CLIENT_SECRET and QBO_REALM_ID.*Reconnect QuickBooks/);
    expect(judgeConnection(withConnectionReport(three, { kind: 'ok', at: iso(NOW) }), NOW).status).toBe('Healthy');
  });

  it('keeps a hard expiry QuickBooks did not repeat, and says when nothing is known yet', () => {
    const state = apply(life(100, 900), { kind: 'life', at: iso(NOW), refreshed: true, life: { refreshTokenExpiresAt: iso(NOW + 101 * DAY) } });
    expect(state.life?.refreshTokenHardExpiresAt).toBe(iso(NOW + 900 * DAY));
    expect(judgeConnection({}, NOW)).toMatchObject({ status: 'Healthy', summary: expect.stringMatching(/expiry is not known yet/) });
  });
});
