/**
 * Verifies the OIDC access token the Temporal UI forwards to the codec server (`codec.passAccessToken`
 * sends `Authorization: Bearer <the signed-in user's access token>`): a JWT signed by the identity
 * provider's keys (JWKS, found through its discovery document unless given), for the configured
 * issuer and audience, not expired. Only asymmetric algorithms are accepted ("none" and shared-secret
 * HMAC never are). Reasons name the failed check, never the token.
 */
import { createPublicKey, verify as verifySignature, constants, type KeyObject, type JsonWebKey } from 'node:crypto';
import { z } from 'zod';
import { credentialUrlProblem } from '../../config/secure-url';

export interface AccessTokenVerifierOptions {
  /** The `iss` claim, e.g. https://login.example.com/oauth2/default */
  issuer: string;
  /** A value the `aud` claim must hold: the API (or client id) the UI's tokens are issued for. */
  audience: string;
  /** The identity provider's JWKS; default: `jwks_uri` of `<issuer>/.well-known/openid-configuration`. */
  jwksUrl?: string;
  /** Clock skew tolerated on exp and nbf. */
  leewaySeconds?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export type AccessTokenCheck = { ok: true; subject?: string } | { ok: false; reason: string };

export interface AccessTokenVerifier {
  verify(token: string): Promise<AccessTokenCheck>;
}

type Algorithm = { hash: string; kty: 'RSA' | 'EC'; padding?: number; dsaEncoding?: 'ieee-p1363' };

const ALGORITHMS: Record<string, Algorithm> = {
  RS256: { hash: 'sha256', kty: 'RSA' },
  RS384: { hash: 'sha384', kty: 'RSA' },
  RS512: { hash: 'sha512', kty: 'RSA' },
  PS256: { hash: 'sha256', kty: 'RSA', padding: constants.RSA_PKCS1_PSS_PADDING },
  PS384: { hash: 'sha384', kty: 'RSA', padding: constants.RSA_PKCS1_PSS_PADDING },
  PS512: { hash: 'sha512', kty: 'RSA', padding: constants.RSA_PKCS1_PSS_PADDING },
  ES256: { hash: 'sha256', kty: 'EC', dsaEncoding: 'ieee-p1363' },
  ES384: { hash: 'sha384', kty: 'EC', dsaEncoding: 'ieee-p1363' },
  ES512: { hash: 'sha512', kty: 'EC', dsaEncoding: 'ieee-p1363' },
};

const headerSchema = z.object({ alg: z.string(), kid: z.string().optional(), typ: z.string().optional() });
const claimsSchema = z.object({
  iss: z.string().optional(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  exp: z.number().optional(),
  nbf: z.number().optional(),
  sub: z.string().optional(),
});
const jwksSchema = z.object({ keys: z.array(z.looseObject({ kty: z.string(), kid: z.string().optional(), use: z.string().optional() })) });
const discoverySchema = z.looseObject({ issuer: z.string(), jwks_uri: z.string() });

/** How often an unknown key id may trigger a JWKS re-read (keys rotate; tokens must not force floods). */
const REFETCH_AFTER_MS = 60_000;
/** Keys are re-read at least this often. */
const KEYS_TTL_MS = 3_600_000;

function decodePart(part: string): unknown {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

export function accessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const leeway = (options.leewaySeconds ?? 60) * 1000;
  for (const url of [options.issuer, options.jwksUrl].filter((u): u is string => u !== undefined)) {
    const problem = credentialUrlProblem(url);
    if (problem) throw new Error(`Identity provider URL ${url} ${problem}`);
  }
  let keys = new Map<string, KeyObject>();
  let keyList: KeyObject[] = [];
  let fetchedAt = 0;
  let loading: Promise<void> | undefined;

  async function getJson(url: string): Promise<unknown> {
    const res = await doFetch(url, { headers: { Accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
    return res.json();
  }

  async function jwksUrl(): Promise<string> {
    if (options.jwksUrl) return options.jwksUrl;
    const discovery = discoverySchema.parse(await getJson(`${options.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`));
    const problem = credentialUrlProblem(discovery.jwks_uri);
    if (problem) throw new Error(`jwks_uri ${discovery.jwks_uri} ${problem}`);
    return discovery.jwks_uri;
  }

  async function load(): Promise<void> {
    const set = jwksSchema.parse(await getJson(await jwksUrl()));
    const next = new Map<string, KeyObject>();
    const list: KeyObject[] = [];
    for (const jwk of set.keys) {
      if (jwk.use !== undefined && jwk.use !== 'sig') continue;
      if (jwk.kty !== 'RSA' && jwk.kty !== 'EC') continue;
      const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
      list.push(key);
      if (jwk.kid) next.set(jwk.kid, key);
    }
    keys = next;
    keyList = list;
    fetchedAt = now();
  }

  async function refresh(force: boolean): Promise<void> {
    const age = now() - fetchedAt;
    if (fetchedAt !== 0 && (force ? age < REFETCH_AFTER_MS : age < KEYS_TTL_MS)) return;
    loading ??= load().finally(() => (loading = undefined));
    await loading;
  }

  async function keyFor(kid: string | undefined): Promise<KeyObject[]> {
    await refresh(false);
    if (kid === undefined) return keyList;
    if (!keys.has(kid)) await refresh(true);
    const key = keys.get(kid);
    return key ? [key] : [];
  }

  return {
    async verify(token) {
      const parts = token.split('.');
      if (parts.length !== 3) return { ok: false, reason: 'the bearer token is neither the codec token nor a JWT access token' };
      let header: z.infer<typeof headerSchema>;
      let claims: z.infer<typeof claimsSchema>;
      try {
        header = headerSchema.parse(decodePart(parts[0]!));
        claims = claimsSchema.parse(decodePart(parts[1]!));
      } catch {
        return { ok: false, reason: 'the access token is not a well-formed JWT' };
      }
      const algorithm = ALGORITHMS[header.alg];
      if (!algorithm) return { ok: false, reason: `access token algorithm ${header.alg} is not accepted (asymmetric signatures only)` };
      let candidates: KeyObject[];
      try {
        candidates = await keyFor(header.kid);
      } catch (err) {
        return { ok: false, reason: `the identity provider's keys could not be read (${(err as Error).message})` };
      }
      const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
      const signature = Buffer.from(parts[2]!, 'base64url');
      const valid = candidates.some((key) => {
        const type = key.asymmetricKeyType;
        if (algorithm.kty === 'EC' ? type !== 'ec' : type !== 'rsa' && type !== 'rsa-pss') return false;
        try {
          return verifySignature(algorithm.hash, signed, { key, padding: algorithm.padding, dsaEncoding: algorithm.dsaEncoding }, signature);
        } catch {
          return false;
        }
      });
      if (!valid) return { ok: false, reason: 'the access token signature does not verify against the identity provider keys' };
      if (claims.iss !== options.issuer) return { ok: false, reason: `the access token was issued by ${claims.iss ?? 'nobody'}, not ${options.issuer}` };
      const audiences = claims.aud === undefined ? [] : [claims.aud].flat();
      if (!audiences.includes(options.audience)) return { ok: false, reason: `the access token is not for audience ${options.audience}` };
      const t = now();
      if (claims.exp === undefined) return { ok: false, reason: 'the access token carries no expiry (exp)' };
      if (claims.exp * 1000 + leeway <= t) return { ok: false, reason: 'the access token has expired' };
      if (claims.nbf !== undefined && claims.nbf * 1000 - leeway > t) return { ok: false, reason: 'the access token is not valid yet' };
      return { ok: true, subject: claims.sub };
    },
  };
}
