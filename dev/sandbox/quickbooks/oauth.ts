/**
 * The sandbox's OAuth 2.0 side: the token endpoint (refresh grant with rotating refresh tokens,
 * invalid_grant for an outdated, expired or revoked one) and bearer-token checks on every API call.
 * A refresh token lives about 101 days from its issue (each refresh issues a new one), never past
 * the connection's hard expiry 5 years after it was authorized; the answer states the hard expiry
 * when asked with `x-include-refresh-token-hard-expires-in: true`. Only sha256 hashes of tokens
 * are kept in state.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DEMO_ACCESS_TOKEN, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REFRESH_TOKEN } from './demo-credentials';
import { applicationAuthorizationFailed, authenticationFailed, type Answer } from './faults';
import type { RealmState } from './state';

const ACCESS_TOKEN_SECONDS = 3600;
const REFRESH_TOKEN_SECONDS = 8_726_400;
/** The hard cap on a connection's refresh tokens: 5 years from the authorization. */
export const CONNECTION_HARD_LIFE_MS = 5 * 365 * 86_400_000;

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function seedDemoTokens(realm: RealmState): void {
  realm.oauth.accessTokens[tokenHash(DEMO_ACCESS_TOKEN)] = { expiresAt: null };
  realm.oauth.refreshTokens[tokenHash(DEMO_REFRESH_TOKEN)] = { current: true, issuedAt: Date.now() };
  realm.oauth.connectedAt = Date.now();
}

export interface IssuedTokens {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  expires_in: number;
  x_refresh_token_expires_in: number;
  x_refresh_token_hard_expires_in?: number;
}

/** When this connection's refresh tokens stop working whatever their rotation (state from before it was kept: its oldest token). */
function hardExpiry(realm: RealmState): number {
  const connected = realm.oauth.connectedAt ?? Math.min(Date.now(), ...Object.values(realm.oauth.refreshTokens).map((t) => t.issuedAt));
  return connected + CONNECTION_HARD_LIFE_MS;
}

/** Issues a new pair; every earlier refresh token becomes outdated (rotation). */
export function issueTokens(realm: RealmState, options: { includeHardExpiry?: boolean } = {}): IssuedTokens {
  const access = `qbo-at-${randomBytes(24).toString('base64url')}`;
  const refresh = `qbo-rt-${randomBytes(24).toString('base64url')}`;
  realm.oauth.accessTokens[tokenHash(access)] = { expiresAt: Date.now() + ACCESS_TOKEN_SECONDS * 1000 };
  for (const rt of Object.values(realm.oauth.refreshTokens)) rt.current = false;
  realm.oauth.refreshTokens[tokenHash(refresh)] = { current: true, issuedAt: Date.now() };
  const hardSeconds = Math.max(0, Math.floor((hardExpiry(realm) - Date.now()) / 1000));
  return {
    access_token: access,
    refresh_token: refresh,
    token_type: 'bearer',
    expires_in: ACCESS_TOKEN_SECONDS,
    x_refresh_token_expires_in: Math.min(REFRESH_TOKEN_SECONDS, hardSeconds),
    ...(options.includeHardExpiry && { x_refresh_token_hard_expires_in: hardSeconds }),
  };
}

/** The connect flow again: a new authorization (its 5 years start now) and a fresh pair. */
export function connect(realm: RealmState): IssuedTokens {
  realm.oauth.connectedAt = Date.now();
  return issueTokens(realm, { includeHardExpiry: true });
}

/** The company disconnected the app (or its tokens were revoked): every token stops working. */
export function revokeConnection(realm: RealmState): void {
  realm.oauth.accessTokens = {};
  realm.oauth.refreshTokens = {};
}

/** Makes the connection as old as one authorized long ago, whose hard expiry is `days` from now. */
export function ageConnection(realm: RealmState, hardExpiresInDays: number): void {
  realm.oauth.connectedAt = Date.now() + hardExpiresInDays * 86_400_000 - CONNECTION_HARD_LIFE_MS;
}

/** Makes issued access tokens (or all, including the demo one) answer 401 from now on. */
export function expireAccessTokens(realm: RealmState, includeDemo: boolean): number {
  let n = 0;
  const demo = tokenHash(DEMO_ACCESS_TOKEN);
  for (const [hash, grant] of Object.entries(realm.oauth.accessTokens)) {
    if (hash === demo && !includeDemo) continue;
    grant.expiresAt = 0;
    n++;
  }
  return n;
}

/** Checks `Authorization: Bearer ...` for the realm in the URL; undefined means allowed. */
export function checkBearer(realm: RealmState, urlRealmId: string, authorization: string | undefined): Answer | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) return authenticationFailed('Authorization header missing or not a bearer token');
  const grant = realm.oauth.accessTokens[tokenHash(m[1])];
  if (!grant) return authenticationFailed('Malformed bearer token or unknown access token');
  if (grant.expiresAt !== null && grant.expiresAt <= Date.now()) return authenticationFailed('Token expired');
  if (urlRealmId !== realm.realmId) return applicationAuthorizationFailed();
  return undefined;
}

function clientAuthorised(authorization: string | undefined): boolean {
  const m = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  return decoded === `${DEMO_CLIENT_ID}:${DEMO_CLIENT_SECRET}`;
}

/** POST /oauth2/v1/tokens/bearer; `mutated` says whether state must be saved. */
export function tokenEndpoint(
  realm: RealmState,
  authorization: string | undefined,
  rawBody: string,
  includeHardExpiry = false,
): { answer: Answer; mutated: boolean } {
  if (!clientAuthorised(authorization)) return { answer: { status: 401, body: { error: 'invalid_client' } }, mutated: false };
  const form = new URLSearchParams(rawBody);
  const grantType = form.get('grant_type');
  if (grantType !== 'refresh_token') {
    return { answer: { status: 400, body: { error: 'unsupported_grant_type' } }, mutated: false };
  }
  const refresh = form.get('refresh_token') ?? '';
  const known = realm.oauth.refreshTokens[tokenHash(refresh)];
  const expired = known !== undefined && (Date.now() >= known.issuedAt + REFRESH_TOKEN_SECONDS * 1000 || Date.now() >= hardExpiry(realm));
  if (!known || !known.current || expired) return { answer: { status: 400, body: { error: 'invalid_grant' } }, mutated: false };
  return { answer: { status: 200, body: issueTokens(realm, { includeHardExpiry }) }, mutated: true };
}
