/**
 * The sandbox's OAuth 2.0 side: the token endpoint (refresh grant with rotating refresh tokens,
 * invalid_grant for an outdated one) and bearer-token checks on every API call. Only sha256 hashes
 * of tokens are kept in state.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DEMO_ACCESS_TOKEN, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REFRESH_TOKEN } from './demo-credentials';
import { applicationAuthorizationFailed, authenticationFailed, type Answer } from './faults';
import type { RealmState } from './state';

const ACCESS_TOKEN_SECONDS = 3600;
const REFRESH_TOKEN_SECONDS = 8_726_400;

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function seedDemoTokens(realm: RealmState): void {
  realm.oauth.accessTokens[tokenHash(DEMO_ACCESS_TOKEN)] = { expiresAt: null };
  realm.oauth.refreshTokens[tokenHash(DEMO_REFRESH_TOKEN)] = { current: true, issuedAt: Date.now() };
}

export interface IssuedTokens {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  expires_in: number;
  x_refresh_token_expires_in: number;
}

/** Issues a new pair; every earlier refresh token becomes outdated (rotation). */
export function issueTokens(realm: RealmState): IssuedTokens {
  const access = `qbo-at-${randomBytes(24).toString('base64url')}`;
  const refresh = `qbo-rt-${randomBytes(24).toString('base64url')}`;
  realm.oauth.accessTokens[tokenHash(access)] = { expiresAt: Date.now() + ACCESS_TOKEN_SECONDS * 1000 };
  for (const rt of Object.values(realm.oauth.refreshTokens)) rt.current = false;
  realm.oauth.refreshTokens[tokenHash(refresh)] = { current: true, issuedAt: Date.now() };
  return { access_token: access, refresh_token: refresh, token_type: 'bearer', expires_in: ACCESS_TOKEN_SECONDS, x_refresh_token_expires_in: REFRESH_TOKEN_SECONDS };
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
export function tokenEndpoint(realm: RealmState, authorization: string | undefined, rawBody: string): { answer: Answer; mutated: boolean } {
  if (!clientAuthorised(authorization)) return { answer: { status: 401, body: { error: 'invalid_client' } }, mutated: false };
  const form = new URLSearchParams(rawBody);
  const grantType = form.get('grant_type');
  if (grantType !== 'refresh_token') {
    return { answer: { status: 400, body: { error: 'unsupported_grant_type' } }, mutated: false };
  }
  const refresh = form.get('refresh_token') ?? '';
  const known = realm.oauth.refreshTokens[tokenHash(refresh)];
  if (!known || !known.current) return { answer: { status: 400, body: { error: 'invalid_grant' } }, mutated: false };
  return { answer: { status: 200, body: issueTokens(realm) }, mutated: true };
}
