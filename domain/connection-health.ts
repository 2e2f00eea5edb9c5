/**
 * The accounting connection's life, judged from what the OAuth token store knows and what the
 * clients saw: QuickBooks refresh tokens roll (each refresh gives about 100 more days) under a hard
 * cap (5 years after the company was connected), a revoked connection answers invalid_grant, and
 * refusals that keep coming stop every sync. Pure: the clock comes in as `now`.
 */

/** What a person does when the connection is revoked, expired or keeps failing. */
export const QUICKBOOKS_RECONNECT_STEP =
  "Reconnect QuickBooks: authorize the app for this company again (Intuit's connect flow gives a new refresh token), " +
  "then put the new refresh token in the company's refreshToken setting (QBO_REFRESH_TOKEN for the default company) and restart the workers: " +
  'Temporal keeps the new one in place of the old; with QBO_TOKEN_STORE=file, delete QBO_TOKEN_FILE on each worker host first.';

export const CONNECTION_STATUSES = ['Healthy', 'Expiring', 'Expired', 'Revoked', 'Failing'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

export const CONNECTION_GUARD_WORKFLOW = 'connectionGuard';
export const connectionGuardWorkflowId = (companyKey: string, taskQueue: string): string => `ledger-connection-${companyKey}-${taskQueue}`;
export const CONNECTION_GUARD_MESSAGES = { report: 'connectionReport', health: 'connectionHealth' } as const;

/** Warnings go out this many days before the connection stops (each once). */
export const EXPIRY_WARNING_DAYS = [30, 7] as const;
/** Refusals in a row (without a success between) that make the connection Failing. */
export const FAILURES_BEFORE_ALERT = 3;

const DAY_MS = 86_400_000;

/** What the token store knows about the connection's life: dates only, never a token. */
export interface ConnectionLife {
  /** The refresh token's rolling expiry: about 100 days after the last refresh. */
  refreshTokenExpiresAt?: string;
  /** The hard cap: 5 years after the company was connected (QuickBooks states it on refresh). */
  refreshTokenHardExpiresAt?: string;
  refreshedAt?: string;
}

/** What a worker saw, reported to the company's connection guard. */
export type ConnectionReport =
  /** The token store's dates: after a refresh (`refreshed`), or read (the go-live checklist). */
  | { kind: 'life'; at: string; life: ConnectionLife; refreshed: boolean }
  /** QuickBooks refused: the refresh token (`revoked`: invalid_grant), or a call with a fresh token. */
  | { kind: 'refused'; at: string; revoked: boolean; detail: string }
  /** A call succeeded after a refusal. */
  | { kind: 'ok'; at: string };

export interface ConnectionGuardState {
  life?: ConnectionLife;
  revoked?: { at: string; detail: string };
  failures?: { count: number; firstAt: string; lastAt: string; detail: string };
  /** The alert last mailed, so each goes out once; cleared when the connection is healthy again. */
  alerted?: string;
}

export interface ConnectionHealth {
  status: ConnectionStatus;
  /** When syncing stops unless renewed: the earlier of the rolling and the hard expiry. */
  expiresAt?: string;
  daysLeft?: number;
  life: ConnectionLife;
  /** One line for the UI, the alert's subject line and the checklist. */
  summary: string;
  fix: string;
  /** Set when this state deserves an alert: Revoked, Expired, Failing, Expiring-30, Expiring-7. */
  alertKey?: string;
  /** When the status next changes by time alone (a warning threshold or the expiry). */
  changesAt?: string;
}

/** A later report's dates replace earlier ones; a hard expiry QuickBooks did not repeat is kept. */
function mergeLife(before: ConnectionLife | undefined, after: ConnectionLife): ConnectionLife {
  return { ...before, ...Object.fromEntries(Object.entries(after).filter(([, v]) => v !== undefined)) };
}

export function withConnectionReport(state: ConnectionGuardState, report: ConnectionReport): ConnectionGuardState {
  switch (report.kind) {
    case 'life':
      // A refresh that worked proves the grant is alive; a mere read proves nothing.
      return { ...state, life: mergeLife(state.life, report.life), ...(report.refreshed && { revoked: undefined }) };
    case 'refused': {
      const f = state.failures;
      const failures = { count: (f?.count ?? 0) + 1, firstAt: f?.firstAt ?? report.at, lastAt: report.at, detail: report.detail };
      return { ...state, failures, ...(report.revoked && { revoked: { at: report.at, detail: report.detail } }) };
    }
    case 'ok':
      return { ...state, revoked: undefined, failures: undefined };
  }
}

const day = (iso: string) => iso.slice(0, 10);
const earliest = (...isos: Array<string | undefined>) =>
  isos.filter((s): s is string => s !== undefined && !Number.isNaN(Date.parse(s))).sort((a, b) => Date.parse(a) - Date.parse(b))[0];

export function judgeConnection(state: ConnectionGuardState, now: number): ConnectionHealth {
  const life = state.life ?? {};
  const expiresAt = earliest(life.refreshTokenExpiresAt, life.refreshTokenHardExpiresAt);
  const msLeft = expiresAt === undefined ? undefined : Date.parse(expiresAt) - now;
  const daysLeft = msLeft === undefined ? undefined : Math.max(0, Math.floor(msLeft / DAY_MS));
  const base = { life, ...(expiresAt !== undefined && { expiresAt, daysLeft }) };

  if (state.revoked) {
    return {
      ...base,
      status: 'Revoked',
      summary: `QuickBooks refused the refresh token on ${state.revoked.at} (${state.revoked.detail}): the connection was revoked or has expired, and syncing has stopped.`,
      fix: QUICKBOOKS_RECONNECT_STEP,
      alertKey: 'Revoked',
    };
  }
  if (expiresAt !== undefined && msLeft! <= 0) {
    return { ...base, status: 'Expired', summary: `The QuickBooks connection expired on ${day(expiresAt)}: syncing has stopped.`, fix: QUICKBOOKS_RECONNECT_STEP, alertKey: 'Expired' };
  }
  if (state.failures && state.failures.count >= FAILURES_BEFORE_ALERT) {
    const f = state.failures;
    return {
      ...base,
      status: 'Failing',
      summary: `QuickBooks refused Ledgerline ${f.count} times in a row since ${f.firstAt} (last: ${f.detail}): every sync stops at its first QuickBooks call.`,
      fix: `Check QBO_CLIENT_ID, QBO_CLIENT_SECRET and QBO_REALM_ID (the company the app was authorized for). If they are right: ${QUICKBOOKS_RECONNECT_STEP}`,
      alertKey: 'Failing',
    };
  }
  if (expiresAt === undefined) {
    return { ...base, status: 'Healthy', summary: 'The QuickBooks connection works; its expiry is not known yet (QuickBooks states it at the next token refresh).', fix: 'Nothing to do.' };
  }
  const hard = expiresAt === life.refreshTokenHardExpiresAt;
  const warning = EXPIRY_WARNING_DAYS.filter((d) => msLeft! <= d * DAY_MS).at(-1);
  // The next warning still ahead, else the expiry itself.
  const ahead = EXPIRY_WARNING_DAYS.filter((d) => msLeft! > d * DAY_MS).map((d) => Date.parse(expiresAt) - d * DAY_MS);
  const changesAt = new Date(ahead[0] ?? Date.parse(expiresAt)).toISOString();
  if (warning === undefined) {
    return {
      ...base,
      status: 'Healthy',
      summary: `The QuickBooks connection is good until ${day(expiresAt)} (${daysLeft} days${hard ? ', its 5-year limit' : ', renewed by every token refresh'}).`,
      fix: 'Nothing to do.',
      changesAt,
    };
  }
  return {
    ...base,
    status: 'Expiring',
    summary: hard
      ? `The QuickBooks connection reaches its 5-year limit on ${day(expiresAt)} (${daysLeft} days): syncing stops then unless the company is reconnected.`
      : `The QuickBooks refresh token expires on ${day(expiresAt)} (${daysLeft} days) because nothing has refreshed it since ${life.refreshedAt ?? 'it was stored'}: syncing stops then.`,
    fix: hard
      ? `Before ${day(expiresAt)}: ${QUICKBOOKS_RECONNECT_STEP}`
      : `Run any QuickBooks sync (npm run cli -- payments sync): each token refresh renews it for about 100 days. If that fails: ${QUICKBOOKS_RECONNECT_STEP}`,
    alertKey: `Expiring-${warning}`,
    changesAt,
  };
}
