import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { defaultPayloadConverter } from '@temporalio/common';
import { startCodecServer, type CodecServer } from '../../../integrations/codec/codec-server';
import { EncryptionCodec } from '../../../integrations/codec/encryption-codec';
import { loadKeyRing } from '../../../integrations/codec/key-ring';

const UI = 'http://localhost:8233';
const TOKEN = 'codec-token-' + randomBytes(8).toString('hex');
const codec = new EncryptionCodec(loadKeyRing({ inlineKeys: `k1:${randomBytes(32).toString('base64')}` }));

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Raw node:http, so the test controls every header a browser or the CLI would send. */
function call(server: CodecServer, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = { 'Content-Type': 'application/json', 'X-Namespace': 'default' };
const bearer = { ...json, Authorization: `Bearer ${TOKEN}` };
const uiPreflight = {
  Origin: UI,
  'Access-Control-Request-Method': 'POST',
  'Access-Control-Request-Headers': 'content-type,x-namespace,authorization',
};

/** A payload as the UI sends it: JSON with base64 metadata values and data. */
function uiPayloadsOf(value: unknown): string {
  const p = defaultPayloadConverter.toPayload(value);
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
  return JSON.stringify({
    payloads: [{ metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, b64(v)])), data: b64(p.data!) }],
  });
}

let open: CodecServer;
let guarded: CodecServer;
beforeAll(async () => {
  open = await startCodecServer({ host: '127.0.0.1', port: 0, uiOrigin: UI, codec, namespaces: ['default'], maxBodyBytes: 64 * 1024 });
  guarded = await startCodecServer({ host: '127.0.0.1', port: 0, uiOrigin: UI, codec, namespaces: ['default'], token: TOKEN });
});
afterAll(async () => {
  await open?.close();
  await guarded?.close();
});

describe('codec server', () => {
  it('listens on 127.0.0.1 on a free port', () => {
    expect(open.url).toBe(`http://127.0.0.1:${open.port}`);
    expect(open.port).toBeGreaterThan(0);
    expect(guarded.port).not.toBe(open.port);
  });

  it('encodes then decodes in the UI JSON format', async () => {
    const value = { customer: 'Quarry Lane Veterinary', total: '742.10' };
    const encoded = await call(open, 'POST', '/encode', json, uiPayloadsOf(value));
    expect(encoded.status).toBe(200);
    expect(encoded.headers['content-type']).toMatch(/application\/json/);
    const encBody = JSON.parse(encoded.body);
    expect(Buffer.from(encBody.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    expect(encoded.body).not.toContain(Buffer.from(JSON.stringify(value)).toString('base64'));

    const decoded = await call(open, 'POST', '/decode', json, encoded.body);
    expect(decoded.status).toBe(200);
    const [payload] = JSON.parse(decoded.body).payloads;
    expect(Buffer.from(payload.metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(payload.data, 'base64').toString())).toEqual(value);
  });

  it('answers the UI preflight with CORS for the UI origin only', async () => {
    const ok = await call(open, 'OPTIONS', '/decode', uiPreflight);
    expect([200, 204]).toContain(ok.status);
    expect(ok.headers['access-control-allow-origin']).toBe(UI);
    expect(ok.headers['access-control-allow-credentials']).toBe('true');
    expect(String(ok.headers['access-control-allow-headers']).toLowerCase().split(/,\s*/).sort()).toEqual(['authorization', 'content-type', 'x-namespace']);
    expect(String(ok.headers['access-control-allow-methods'])).toMatch(/POST/);

    const evil = await call(open, 'OPTIONS', '/decode', { ...uiPreflight, Origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const evilPost = await call(open, 'POST', '/decode', { ...json, Origin: 'http://localhost:9999' }, uiPayloadsOf(1));
    expect(evilPost.status).toBe(403);
    expect(evilPost.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('accepts each listed UI origin and echoes the one that asked', async () => {
    const both = await startCodecServer({ host: '127.0.0.1', port: 0, uiOrigin: [UI, 'http://127.0.0.1:8233/'], codec, namespaces: ['default'] });
    try {
      const viaIp = await call(both, 'OPTIONS', '/encode', { ...uiPreflight, Origin: 'http://127.0.0.1:8233' });
      expect(viaIp.status).toBe(204);
      expect(viaIp.headers['access-control-allow-origin']).toBe('http://127.0.0.1:8233');
      expect((await call(both, 'OPTIONS', '/encode', { ...uiPreflight, Origin: 'http://127.0.0.1:8234' })).status).toBe(403);
    } finally {
      await both.close();
    }
  });

  it('grants CORS on the UI origin POST, and serves the CLI, which sends no Origin, without CORS headers', async () => {
    const fromUi = await call(open, 'POST', '/decode', { ...json, Origin: UI }, uiPayloadsOf('x'));
    expect(fromUi.status).toBe(200);
    expect(fromUi.headers['access-control-allow-origin']).toBe(UI);
    const fromCli = await call(open, 'POST', '/decode', json, uiPayloadsOf('x'));
    expect(fromCli.status).toBe(200);
    expect(fromCli.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('enforces the bearer token, but lets the credential-less preflight through', async () => {
    const body = uiPayloadsOf('x');
    expect((await call(guarded, 'POST', '/decode', json, body)).status).toBe(401);
    const wrong = await call(guarded, 'POST', '/decode', { ...json, Authorization: `Bearer ${TOKEN}x` }, body);
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer');
    expect((await call(guarded, 'POST', '/decode', { ...json, Authorization: `Basic ${TOKEN}` }, body)).status).toBe(401);
    expect((await call(guarded, 'POST', '/decode', bearer, body)).status).toBe(200);
    expect((await call(guarded, 'POST', '/encode', bearer, body)).status).toBe(200);
    expect((await call(guarded, 'OPTIONS', '/decode', uiPreflight)).status).toBe(204);
  });

  it('refuses to start with an empty token', async () => {
    await expect(startCodecServer({ uiOrigin: UI, codec, namespaces: ['default'], token: '' })).rejects.toThrow(/token is empty/);
  });

  it('rejects malformed bodies with a message that says what is wrong', async () => {
    const notJson = await call(open, 'POST', '/decode', json, '{oops');
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).message).toMatch(/not JSON/);
    const noPayloads = await call(open, 'POST', '/decode', json, '{"items":[]}');
    expect(noPayloads.status).toBe(400);
    expect(JSON.parse(noPayloads.body).message).toMatch(/payloads/);
    const badBase64 = await call(open, 'POST', '/encode', json, JSON.stringify({ payloads: [{ metadata: { encoding: 'not base64!' } }] }));
    expect(badBase64.status).toBe(400);
    expect(JSON.parse(badBase64.body).message).toMatch(/payloads\.0\.metadata\.encoding: expected base64/);
  });

  it('refuses bodies over the size limit, unknown paths and other methods', async () => {
    const huge = JSON.stringify({ payloads: [{ data: 'A'.repeat(70 * 1024) }] });
    expect((await call(open, 'POST', '/encode', json, huge)).status).toBe(413);
    expect((await call(open, 'POST', '/other', json, '{}')).status).toBe(404);
    const get = await call(open, 'GET', '/decode');
    expect(get.status).toBe(405);
    expect(get.headers.allow).toMatch(/POST/);
  });

  it('reports a payload it cannot decrypt instead of returning garbage', async () => {
    const other = new EncryptionCodec(loadKeyRing({ inlineKeys: `k9:${randomBytes(32).toString('base64')}` }));
    const [foreign] = await other.encode([defaultPayloadConverter.toPayload('x')]);
    const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
    const body = JSON.stringify({
      payloads: [{ metadata: Object.fromEntries(Object.entries(foreign.metadata!).map(([k, v]) => [k, b64(v)])), data: b64(foreign.data!) }],
    });
    const res = await call(open, 'POST', '/decode', json, body);
    expect(res.status).toBe(422);
    expect(JSON.parse(res.body).message).toMatch(/codec key "k9"/);
  });
});
