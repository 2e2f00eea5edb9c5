/**
 * Who may call the codec server: in production every request authenticates (the bearer token, or
 * an access token the Temporal UI forwards, verified against the identity provider's keys),
 * Origin or not, /encode included; only the configured namespaces are served; without credentials
 * it serves this machine only.
 */
import { createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultPayloadConverter } from '@temporalio/common';
import { codecServerAccess, startCodecServer, type CodecServer } from '../../../integrations/codec/codec-server';
import { accessTokenVerifier } from '../../../integrations/codec/access-token';
import { EncryptionCodec } from '../../../integrations/codec/encryption-codec';
import { loadKeyRing } from '../../../integrations/codec/key-ring';
import { loadCodecServerConfig } from '../../../config';

const UI = 'https://temporal-ui.example.com';
const TOKEN = `codec-${randomBytes(8).toString('hex')}`;
const codec = new EncryptionCodec(loadKeyRing({ inlineKeys: `k1:${randomBytes(32).toString('base64')}` }));

function call(server: CodecServer, path: string, headers: Record<string, string>, body = payloadsOf('x')): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function payloadsOf(value: unknown): string {
  const p = defaultPayloadConverter.toPayload(value);
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
  return JSON.stringify({ payloads: [{ metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, b64(v)])), data: b64(p.data!) }] });
}

const ns = (namespace = 'ledgerline-prod') => ({ 'Content-Type': 'application/json', 'X-Namespace': namespace });
const message = (r: { body: string }) => (JSON.parse(r.body) as { message: string }).message;

// ------------------------------------------------------------------ a local identity provider
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
let idp: Server;
let issuer: string;
let jwksReads = 0;

const b64url = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

function jwt(claims: Record<string, unknown>, opts: { alg?: string; kid?: string; key?: KeyObject } = {}): string {
  const alg = opts.alg ?? 'RS256';
  const head = b64url({ alg, kid: opts.kid ?? 'rsa-1', typ: 'JWT' });
  const body = b64url(claims);
  if (alg === 'none') return `${head}.${body}.`;
  const signer = createSign(alg === 'ES256' ? 'sha256' : 'sha256');
  signer.update(`${head}.${body}`);
  const sig = signer.sign({ key: opts.key ?? rsa.privateKey, ...(alg === 'ES256' ? { dsaEncoding: 'ieee-p1363' as const } : {}) });
  return `${head}.${body}.${sig.toString('base64url')}`;
}

const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({ iss: issuer, aud: ['ledgerline-codec', 'other'], sub: 'jane@example.com', exp: now() + 300, ...extra });

beforeAll(async () => {
  idp = createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') return res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
    if (req.url === '/keys') {
      jwksReads++;
      return res.end(
        JSON.stringify({
          keys: [
            { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1', use: 'sig', alg: 'RS256' },
            { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1', use: 'sig', alg: 'ES256' },
          ],
        }),
      );
    }
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((r) => idp.listen(0, '127.0.0.1', () => r()));
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => idp.close(() => r())));

function productionConfig(env: NodeJS.ProcessEnv) {
  return codecServerAccess(loadCodecServerConfig({ NODE_ENV: 'production', TEMPORAL_NAMESPACE: 'ledgerline-prod', ...env }));
}

async function withServer<T>(access: ReturnType<typeof productionConfig>, fn: (s: CodecServer) => Promise<T>): Promise<T> {
  const server = await startCodecServer({ host: '127.0.0.1', port: 0, uiOrigin: UI, codec, ...access });
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

describe('codec server in production', () => {
  it('refuses to start without authentication, naming the settings', async () => {
    await expect(startCodecServer({ uiOrigin: UI, codec, ...productionConfig({}) })).rejects.toThrow(/in production needs authentication: set CODEC_SERVER_TOKEN.*CODEC_SERVER_OIDC_ISSUER/);
  });

  it('without credentials outside production, listens on this machine only', async () => {
    await expect(startCodecServer({ host: '0.0.0.0', uiOrigin: UI, codec, namespaces: ['default'] })).rejects.toThrow(/bind CODEC_SERVER_HOST to 127\.0\.0\.1/);
    const local = await startCodecServer({ host: '127.0.0.1', port: 0, uiOrigin: UI, codec, namespaces: ['default'] });
    try {
      expect((await call(local, '/decode', ns('default'))).status).toBe(200);
    } finally {
      await local.close();
    }
  });

  it('needs the bearer token on every request, Origin or not, /encode included', async () => {
    await withServer(productionConfig({ CODEC_SERVER_TOKEN: TOKEN }), async (server) => {
      for (const path of ['/decode', '/encode']) {
        expect((await call(server, path, ns())).status).toBe(401);
        expect((await call(server, path, { ...ns(), Origin: UI })).status).toBe(401);
        expect((await call(server, path, { ...ns(), Authorization: `Bearer ${TOKEN}-not` })).status).toBe(401);
        expect((await call(server, path, { ...ns(), Authorization: `Bearer ${TOKEN}` })).status).toBe(200);
        expect((await call(server, path, { ...ns(), Origin: UI, Authorization: `Bearer ${TOKEN}` })).status).toBe(200);
      }
      const refused = await call(server, '/decode', ns());
      expect(message(refused)).toMatch(/Authentication required/);
      expect(refused.body).not.toContain(TOKEN);
    });
  });

  it('serves only the configured namespaces, and needs the header', async () => {
    await withServer(productionConfig({ CODEC_SERVER_TOKEN: TOKEN, CODEC_SERVER_NAMESPACES: 'ledgerline-prod, ledgerline-eu' }), async (server) => {
      const auth = { Authorization: `Bearer ${TOKEN}` };
      expect((await call(server, '/decode', { ...ns('ledgerline-eu'), ...auth })).status).toBe(200);
      const other = await call(server, '/decode', { ...ns('payroll'), ...auth });
      expect(other.status).toBe(403);
      expect(message(other)).toBe('Namespace "payroll" is not served by this codec server (CODEC_SERVER_NAMESPACES: ledgerline-prod, ledgerline-eu)');
      const none = await call(server, '/encode', { 'Content-Type': 'application/json', ...auth });
      expect(none.status).toBe(400);
      expect(message(none)).toMatch(/X-Namespace header missing/);
    });
  });

  it('accepts the access token the UI forwards when the identity provider signed it for this audience', async () => {
    const access = productionConfig({ CODEC_SERVER_OIDC_ISSUER: issuer, CODEC_SERVER_OIDC_AUDIENCE: 'ledgerline-codec' });
    await withServer(access, async (server) => {
      const as = (token: string) => ({ ...ns(), Origin: UI, Authorization: `Bearer ${token}` });
      expect((await call(server, '/decode', as(jwt(claims())))).status).toBe(200);
      expect((await call(server, '/encode', as(jwt(claims({ aud: 'ledgerline-codec' }), { alg: 'ES256', kid: 'ec-1', key: ec.privateKey })))).status).toBe(200);

      const refusals: Array<[string, string, RegExp]> = [
        ['expired', jwt(claims({ exp: now() - 3600 })), /has expired/],
        ['no expiry', jwt(claims({ exp: undefined })), /carries no expiry/],
        ['not yet valid', jwt(claims({ nbf: now() + 3600 })), /not valid yet/],
        ['another audience', jwt(claims({ aud: 'someone-else' })), /not for audience ledgerline-codec/],
        ['another issuer', jwt(claims({ iss: 'https://evil.example' })), /issued by https:\/\/evil\.example/],
        ['signed by another key', jwt(claims(), { key: stranger.privateKey }), /signature does not verify/],
        ['unknown key id', jwt(claims(), { kid: 'rotated-away' }), /signature does not verify/],
        ['alg none', jwt(claims(), { alg: 'none' }), /algorithm none is not accepted/],
        ['HMAC with the public key as secret', `${b64url({ alg: 'HS256', kid: 'rsa-1' })}.${b64url(claims())}.${b64url('x')}`, /algorithm HS256 is not accepted/],
        ['garbage', 'not-a-jwt', /neither the codec token nor a JWT/],
        ['garbage with dots', 'a.b.c', /not a well-formed JWT/],
      ];
      for (const [what, token, reason] of refusals) {
        const res = await call(server, '/decode', as(token));
        expect({ what, status: res.status }).toEqual({ what, status: 401 });
        expect({ what, message: message(res) }).toEqual({ what, message: expect.stringMatching(reason) });
      }
    });
  });

  it('reads the keys once through discovery, and again only for an unknown key id at most once a minute', async () => {
    jwksReads = 0;
    let clock = Date.now();
    const verifier = accessTokenVerifier({ issuer, audience: 'ledgerline-codec', now: () => clock });
    for (let i = 0; i < 3; i++) expect(await verifier.verify(jwt(claims()))).toEqual({ ok: true, subject: 'jane@example.com' });
    expect(jwksReads).toBe(1);
    for (let i = 0; i < 3; i++) expect((await verifier.verify(jwt(claims(), { kid: `unknown-${i}` }))).ok).toBe(false);
    expect(jwksReads).toBe(1);
    clock += 61_000;
    expect((await verifier.verify(jwt(claims(), { kid: 'unknown-x' }))).ok).toBe(false);
    expect((await verifier.verify(jwt(claims(), { kid: 'unknown-y' }))).ok).toBe(false);
    expect(jwksReads).toBe(2);
  });

  it('takes the bearer token and access tokens side by side (CLI and UI)', async () => {
    await withServer(productionConfig({ CODEC_SERVER_TOKEN: TOKEN, CODEC_SERVER_OIDC_ISSUER: issuer, CODEC_SERVER_OIDC_AUDIENCE: 'ledgerline-codec' }), async (server) => {
      expect((await call(server, '/decode', { ...ns(), Authorization: `Bearer ${TOKEN}` })).status).toBe(200);
      expect((await call(server, '/decode', { ...ns(), Authorization: `Bearer ${jwt(claims())}` })).status).toBe(200);
      expect((await call(server, '/decode', { ...ns(), Authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    });
  });

  it('refuses an identity provider reached over plain http off this machine, and an issuer without audience', () => {
    expect(() => loadCodecServerConfig({ CODEC_SERVER_OIDC_ISSUER: 'http://idp.example.com', CODEC_SERVER_OIDC_AUDIENCE: 'x' })).toThrow(
      /CODEC_SERVER_OIDC_ISSUER: uses plain http to idp\.example\.com/,
    );
    expect(() => loadCodecServerConfig({ CODEC_SERVER_OIDC_ISSUER: 'https://idp.example.com' })).toThrow(/CODEC_SERVER_OIDC_AUDIENCE: set CODEC_SERVER_OIDC_ISSUER and CODEC_SERVER_OIDC_AUDIENCE together/);
  });
});
