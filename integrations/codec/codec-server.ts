/**
 * Codec server: lets the Temporal UI (via --ui-codec-endpoint) and the CLI (--codec-endpoint) show
 * decrypted payloads without ever holding the keys. Speaks the UI's JSON format on POST /encode and
 * POST /decode; browsers are served only from the UI's origin, and only for the configured
 * namespaces (the X-Namespace header the UI and CLI send).
 *
 * Who may call it: with a bearer token or an identity provider configured, every caller must present
 * the token or a valid access token forwarded by the UI, Origin or not (in production one of them is
 * required). With neither, in development, it serves callers on this machine only, so `npm start`
 * needs no setup.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { isLoopback } from '../../config/secure-url';
import type { CodecServerConfig } from '../../config';
import { accessTokenVerifier, type AccessTokenVerifier } from './access-token';

export interface CodecServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /**
   * The Temporal UI's origin, e.g. http://localhost:8233: the only origin browsers may call from.
   * Several may be listed when the UI is opened both as localhost and as 127.0.0.1.
   */
  uiOrigin: string | string[];
  /**
   * production: every request must authenticate (token or access token), and one of them must be
   * configured; development (default): without either, callers on this machine are served.
   */
  mode?: 'production' | 'development';
  /** A shared bearer token (the CLI sends it with `--codec-auth "Bearer <token>"`). */
  token?: string;
  /** Verifies access tokens the Temporal UI forwards (`codec.passAccessToken`). */
  accessTokens?: AccessTokenVerifier;
  /** Namespaces whose payloads this server encodes and decodes (the X-Namespace header). */
  namespaces: readonly string[];
  codec: PayloadCodec;
  /** Largest accepted request body; a 4 MB gRPC message is about 5.4 MB as base64 JSON. */
  maxBodyBytes?: number;
}

export interface CodecServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
const ALLOWED_HEADERS = 'Content-Type, X-Namespace, Authorization';
const ALLOWED_METHODS = 'POST, OPTIONS';

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');
const payloadsBody = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), base64).optional(),
      // protojson omits empty bytes, so data may be absent.
      data: base64.optional(),
    }),
  ),
});

function fromJson(body: z.infer<typeof payloadsBody>): Payload[] {
  return body.payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data ?? '', 'base64'),
  }));
}

function toJson(payloads: Payload[]): { payloads: { metadata: Record<string, string>; data: string }[] } {
  const b64 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('base64');
  return {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v)])),
      data: b64(p.data),
    })),
  };
}

/** Digests first so the comparison takes the same time whatever the lengths. */
function sameSecret(given: string, token: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(token));
}

function bearerOf(header: string | undefined): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim();
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(new HttpError(413, `Request body over ${limit} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, `Request body over ${limit} bytes`));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parsePayloads(text: string): Payload[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'Body is not JSON; expected {"payloads":[{"metadata":{...},"data":"<base64>"}]}');
  }
  const parsed = payloadsBody.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? issue.path.join('.') : 'body';
    throw new HttpError(400, `Malformed payloads body at ${where}: ${issue.message}`);
  }
  return fromJson(parsed.data);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...headers, ...(text ? { 'Content-Type': 'application/json' } : {}) });
  res.end(text);
}

/** Who may call the codec server, from its settings (CODEC_SERVER_*, NODE_ENV, TEMPORAL_NAMESPACE). */
export function codecServerAccess(config: CodecServerConfig): Pick<CodecServerOptions, 'mode' | 'token' | 'accessTokens' | 'namespaces'> {
  return {
    mode: config.NODE_ENV === 'production' ? 'production' : 'development',
    token: config.CODEC_SERVER_TOKEN,
    accessTokens:
      config.CODEC_SERVER_OIDC_ISSUER && config.CODEC_SERVER_OIDC_AUDIENCE
        ? accessTokenVerifier({ issuer: config.CODEC_SERVER_OIDC_ISSUER, audience: config.CODEC_SERVER_OIDC_AUDIENCE, jwksUrl: config.CODEC_SERVER_OIDC_JWKS_URL })
        : undefined,
    namespaces: config.CODEC_SERVER_NAMESPACES ?? [config.TEMPORAL_NAMESPACE],
  };
}

/** Why the server must not start with these options, or undefined. */
function startProblem(options: CodecServerOptions): string | undefined {
  // An empty token (say, an unset variable) would lock everyone out; say so instead.
  if (options.token === '') return 'Codec server token is empty: omit it to disable the bearer check';
  if (options.namespaces.length === 0) return 'Codec server serves no namespace: set CODEC_SERVER_NAMESPACES';
  const authenticated = options.token !== undefined || options.accessTokens !== undefined;
  if (options.mode === 'production' && !authenticated) {
    return 'Codec server in production needs authentication: set CODEC_SERVER_TOKEN (for the CLI and scripts) and/or CODEC_SERVER_OIDC_ISSUER with CODEC_SERVER_OIDC_AUDIENCE (for the Temporal UI with codec.passAccessToken)';
  }
  if (!authenticated && !isLoopback(options.host ?? '127.0.0.1')) {
    return `Codec server without authentication listens on this machine only: bind CODEC_SERVER_HOST to 127.0.0.1, or set CODEC_SERVER_TOKEN / CODEC_SERVER_OIDC_ISSUER to serve ${options.host}`;
  }
  return undefined;
}

export function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const problem = startProblem(options);
  if (problem) return Promise.reject(new Error(problem));
  const namespaces = new Set(options.namespaces);
  const uiOrigins = new Set([options.uiOrigin].flat().map((origin) => new URL(origin).origin));
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const corsHeaders = {
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Allow-Methods': ALLOWED_METHODS,
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };

  const unauthorized = (message: string) => new HttpError(401, message, { 'WWW-Authenticate': 'Bearer' });

  /** The token, or an access token the identity provider signed; without either configured, this machine only. */
  async function authenticate(req: IncomingMessage): Promise<void> {
    // Without credentials configured the server listens on loopback only (checked at start).
    if (options.token === undefined && options.accessTokens === undefined) return;
    const bearer = bearerOf(req.headers.authorization);
    if (bearer === undefined) throw unauthorized('Authentication required: send Authorization: Bearer <codec token or access token>');
    if (options.token !== undefined && sameSecret(bearer, options.token)) return;
    if (options.accessTokens === undefined) throw unauthorized('Wrong bearer token');
    const check = await options.accessTokens.verify(bearer);
    if (!check.ok) throw unauthorized(`Access token refused: ${check.reason}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Requests without an Origin come from the CLI or scripts, not from a browser page.
    const origin = req.headers.origin;
    if (origin !== undefined && !uiOrigins.has(origin)) {
      throw new HttpError(403, `Origin ${origin} is not allowed; only the Temporal UI (${[...uiOrigins].join(', ')}) may call this codec server`);
    }
    // Set up front so the UI can also read error answers.
    if (origin !== undefined) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      for (const [name, value] of Object.entries(corsHeaders)) res.setHeader(name, value);
    }
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '');
    const operation = path === '/encode' ? 'encode' : path === '/decode' ? 'decode' : undefined;
    if (!operation) throw new HttpError(404, 'Not found: use POST /encode or POST /decode');
    // Preflights carry no credentials by design, so they are answered before the token check.
    if (req.method === 'OPTIONS') return send(res, 204, undefined);
    if (req.method !== 'POST') throw new HttpError(405, `Use POST /${operation}`, { Allow: ALLOWED_METHODS });
    await authenticate(req);
    const namespace = req.headers['x-namespace'];
    if (typeof namespace !== 'string' || namespace === '') {
      throw new HttpError(400, 'X-Namespace header missing: name the Temporal namespace whose payloads these are (the UI and the CLI send it)');
    }
    if (!namespaces.has(namespace)) {
      throw new HttpError(403, `Namespace "${namespace}" is not served by this codec server (CODEC_SERVER_NAMESPACES: ${[...namespaces].join(', ')})`);
    }
    const payloads = parsePayloads(await readBody(req, limit));
    let result: Payload[];
    try {
      result = await options.codec[operation](payloads);
    } catch (err) {
      // Codec errors name key ids, never key material or payload contents, so they are safe to return.
      throw new HttpError(422, `Could not ${operation} payloads: ${(err as Error).message}`);
    }
    send(res, 200, toJson(result));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      const httpError = err instanceof HttpError ? err : new HttpError(500, 'Codec server error');
      send(res, httpError.status, { message: httpError.message }, { ...httpError.headers, ...(httpError.status === 413 ? { Connection: 'close' } : {}) });
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const { address, port } = server.address() as AddressInfo;
      const host = address.includes(':') ? `[${address}]` : address;
      resolve({
        url: `http://${host}:${port}`,
        port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            // Keep-alive sockets (the CLI, the UI) would otherwise hold close() open.
            server.closeAllConnections();
          }),
      });
    });
  });
}
