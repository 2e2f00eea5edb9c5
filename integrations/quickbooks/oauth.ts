/**
 * The refresh-token grant against Intuit's token endpoint: HTTP Basic with client id and secret,
 * a form body, and a new refresh token in every answer (which the caller must persist).
 * Error messages never include a token or the client secret.
 */
import { QUICKBOOKS_RECONNECT_STEP } from '../../domain/connection-health';
import { LedgerError } from '../../domain/errors';
import { tokenResponseSchema } from './schemas';
import { retryAfterMs } from './faults';
import { redirectRefused } from '../redirects';
import type { QuickBooksTokens } from './token-store';

export interface OAuthClientConfig {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export async function refreshAccessToken(config: OAuthClientConfig, refreshToken: string): Promise<QuickBooksTokens> {
  const doFetch = config.fetch ?? fetch;
  const basic = Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64');
  const endpoint = 'POST oauth2 token (refresh_token)';
  let res: Response;
  try {
    res = await doFetch(config.tokenUrl, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${basic}`,
        Accept: 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
        // Intuit states the connection's hard (5-year) expiry only when asked.
        'x-include-refresh-token-hard-expires-in': 'true',
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
      signal: AbortSignal.timeout(config.timeoutMs ?? 30_000),
      redirect: 'manual',
    });
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    throw new LedgerError(timedOut ? 'Timeout' : 'Unavailable', `QuickBooks ${endpoint} did not answer`, { details: { endpoint } });
  }
  if (res.status >= 300 && res.status < 400) throw redirectRefused(`QuickBooks ${endpoint}`, res, 'QBO_TOKEN_URL');
  const intuitTid = res.headers.get('intuit_tid') ?? undefined;
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const oauthError = (body as { error?: unknown } | undefined)?.error;
    const details = { endpoint, httpStatus: res.status, code: typeof oauthError === 'string' ? oauthError : undefined, intuit_tid: intuitTid };
    if (res.status === 429) {
      throw new LedgerError('RateLimited', `QuickBooks ${endpoint} was throttled`, { retryAfterMs: retryAfterMs(res.headers.get('retry-after')), details });
    }
    if (res.status >= 500) throw new LedgerError('Unavailable', `QuickBooks ${endpoint} failed with HTTP ${res.status}`, { details });
    throw new LedgerError('AuthenticationFailed', `QuickBooks ${endpoint} was refused (${details.code ?? `HTTP ${res.status}`})`, {
      fix:
        details.code === 'invalid_grant'
          ? `The refresh token is expired, revoked or was already rotated. ${QUICKBOOKS_RECONNECT_STEP}`
          : 'Check QBO_CLIENT_ID and QBO_CLIENT_SECRET (the app\'s keys at developer.intuit.com) and QBO_TOKEN_URL.',
      details,
    });
  }
  const parsed = tokenResponseSchema.safeParse(body);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || '(body)';
    throw new LedgerError('ResponseShapeMismatch', `QuickBooks ${endpoint} answered an unexpected shape at ${field}`, {
      fix: 'Check that QBO_TOKEN_URL is Intuit\'s token endpoint (https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer); the stored tokens were kept.',
      details: { endpoint, field },
    });
  }
  const now = (config.now ?? Date.now)();
  const t = parsed.data;
  const at = (seconds: number | undefined) => (seconds === undefined ? undefined : new Date(now + seconds * 1000).toISOString());
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    accessTokenExpiresAt: at(t.expires_in),
    refreshTokenExpiresAt: at(t.x_refresh_token_expires_in),
    refreshTokenHardExpiresAt: at(t.x_refresh_token_hard_expires_in),
    refreshedAt: new Date(now).toISOString(),
  };
}
