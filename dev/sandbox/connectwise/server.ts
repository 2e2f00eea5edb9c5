/**
 * The ConnectWise sandbox HTTP server (node:http). Order per API request: fault decision (so a
 * 5xx/429/drop never touches state), added latency, authentication, route, persist after a write,
 * then either the response or, for a lost-response fault, silence until the client gives up.
 * Saves are coalesced (at least SAVE_DELAY_MS apart) and flushed on close.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import * as path from 'node:path';
import { createFaultInjector, type FaultKnobs } from '../shared/fault-injector';
import { adminRequestProblem, listen, readBody, sendJson, sleep, trackSockets } from '../shared/http';
import { CoalescedSave, JsonStateStore } from '../shared/json-state-store';
import { adminRoutes, createAdmin, seedState, type RequestHook, type SandboxAdmin, type SeedName } from './admin';
import { apiRoutes, SANDBOX_VERSION } from './api-routes';
import { checkAuth, DEMO_CREDENTIALS, type SandboxCredentials } from './auth';
import { CwHttpError, throttleBody } from './cw-errors';
import type { Router } from './router';
import { SANDBOX_SCHEMA_VERSION, type SandboxState } from './state';

export const API_PREFIX = '/v4_6_release/apis/3.0';
/** Writing the whole state per change costs O(state): changes are coalesced into one save (CoalescedSave), flushed on close. */
const SAVE_DELAY_MS = 50;

export interface ConnectWiseSandboxOptions {
  /** 0 = a free port (tests). Default 8701. */
  port?: number;
  host?: string;
  /** Where state.json lives; default `.sandbox/connectwise`. */
  dataDir?: string;
  /** Used only when the data dir holds no state yet (or with `fresh`). Default 'demo'. */
  seed?: SeedName;
  /** Ignore any persisted state and start from the seed. */
  fresh?: boolean;
  knobs?: Partial<FaultKnobs>;
  credentials?: SandboxCredentials;
}

export interface ConnectWiseSandbox {
  /** `http://host:port/v4_6_release/apis/3.0`: the client's baseUrl. */
  baseUrl: string;
  /** `http://host:port`: site root (companyinfo, admin). */
  origin: string;
  port: number;
  credentials: SandboxCredentials;
  admin: SandboxAdmin;
  close(): Promise<void>;
}

export async function startConnectWiseSandbox(options: ConnectWiseSandboxOptions = {}): Promise<ConnectWiseSandbox> {
  const host = options.host ?? '127.0.0.1';
  const credentials = options.credentials ?? DEMO_CREDENTIALS;
  const store = new JsonStateStore<SandboxState>(options.dataDir ?? path.join('.sandbox', 'connectwise'));
  const stored = options.fresh ? undefined : store.load();
  // A state file an older sandbox wrote (another shape) is replaced by a fresh seed.
  const persisted = stored?.schemaVersion === SANDBOX_SCHEMA_VERSION ? stored : undefined;
  let state: SandboxState = persisted ?? seedState(options.seed ?? 'demo');
  if (!persisted) store.save(state);
  const faults = createFaultInjector(options.knobs);

  const getState = () => state;
  const saves = new CoalescedSave(() => store.save(state), SAVE_DELAY_MS);
  // Changes run on a copy-free path: handlers validate before mutating, so a throw leaves state intact.
  const mutate = <T>(fn: (s: SandboxState) => T): T => {
    const result = fn(state);
    saves.schedule();
    return result;
  };
  const requestHooks = new Set<RequestHook>();
  const admin = createAdmin({ getState, setState: (s) => (state = s), mutate, faults, requestHooks });
  const api = apiRoutes(getState);
  const adminApi = adminRoutes(admin, getState);
  let requestCounter = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { code: 'UnexpectedError', message: (err as Error).message, errors: null });
      else res.destroy();
    });
  });
  const sockets = trackSockets(server);
  const heldTimers = new Set<NodeJS.Timeout>();

  async function parseJson(req: IncomingMessage): Promise<unknown> {
    const text = await readBody(req);
    if (!text) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new CwHttpError(400, 'InvalidObject', 'The request body is not valid JSON');
    }
  }

  function run(router: Router, method: string, routePath: string, url: URL, body: unknown, headers: IncomingMessage['headers']) {
    const { route, params } = router.match(method, routePath);
    if (route.write) {
      return { write: true, result: mutate(() => route.handler({ params, url, body, headers })) };
    }
    return { write: false, result: route.handler({ params, url, body, headers }) };
  }

  function withoutNulls(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(withoutNulls);
    if (!value || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? `${host}`}`);
    const method = (req.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = { 'api-current-version': SANDBOX_VERSION, 'x-cw-request-id': `sbx-${++requestCounter}`, 'x-server-name': 'ledgerline-sandbox' };
    const reply = (status: number, body: unknown, extra: Record<string, string> = {}) => sendJson(res, status, body, { ...headers, ...extra });
    /** Model answers leave out null-valued properties, as ConnectWise's do. */
    const replyApi = (status: number, body: unknown, extra: Record<string, string> = {}) => reply(status, withoutNulls(body), extra);
    try {
      if (url.pathname.startsWith('/__admin/')) {
        const refused = adminRequestProblem(method, req.headers['content-type']);
        if (refused) return reply(415, { code: 'UnsupportedMediaType', message: refused, errors: null });
        const body = await parseJson(req);
        const { result } = run(adminApi, method, url.pathname.slice('/__admin'.length), url, body, req.headers);
        return reply(result.status, result.body, result.headers);
      }
      const info = /^\/login\/companyinfo\/([^/]+)\/?$/i.exec(url.pathname);
      if (info && method === 'GET') {
        const known = decodeURIComponent(info[1]!).toLowerCase() === credentials.companyId.toLowerCase();
        return reply(200, known ? { CompanyName: state.owner.name, Codebase: 'v4_6_release/', VersionCode: `v${SANDBOX_VERSION}`, VersionNumber: `v${SANDBOX_VERSION}.100001`, CompanyID: credentials.companyId, IsCloud: 'False', SiteUrl: url.host } : null);
      }
      if (!url.pathname.toLowerCase().startsWith(API_PREFIX.toLowerCase())) throw new CwHttpError(404, 'NotFound', `No resource at ${url.pathname}`);

      const isWrite = method !== 'GET';
      const decision = faults.decide(isWrite);
      if (faults.knobs.latencyMs > 0) await sleep(faults.knobs.latencyMs);
      if (decision.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (decision.kind === 'throttle') return reply(429, throttleBody(decision.retryAfterSeconds), { 'Retry-After': String(decision.retryAfterSeconds) });
      if (decision.kind === 'error') return reply(500, { code: 'UnexpectedError', message: 'An unexpected error occurred (sandbox fault injection)', errors: null });

      checkAuth(req.headers, credentials);
      const body = await parseJson(req);
      const apiPath = url.pathname.slice(API_PREFIX.length) || '/';
      const { write, result } = run(api, method, apiPath, url, body, req.headers);
      for (const hook of [...requestHooks]) hook({ method, path: apiPath, url, body });
      if (decision.kind === 'loseResponse' && write) {
        // Committed and persisted; the client never hears back.
        faults.countLostResponse();
        const timer = setTimeout(() => {
          heldTimers.delete(timer);
          req.socket.destroy();
        }, decision.holdMs);
        heldTimers.add(timer);
        return;
      }
      return replyApi(result.status, result.body, result.headers);
    } catch (err) {
      // Error bodies keep `errors: null`, as ConnectWise's do.
      if (err instanceof CwHttpError) return reply(err.status, err.body());
      if (err instanceof Error && /generator needs the demo setup/.test(err.message)) return reply(400, { code: 'InvalidObject', message: err.message, errors: null });
      throw err;
    }
  }

  const port = await listen(server, options.port ?? 8701, host);
  const origin = `http://${host}:${port}`;
  return {
    baseUrl: `${origin}${API_PREFIX}`,
    origin,
    port,
    credentials,
    admin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const t of heldTimers) clearTimeout(t);
        heldTimers.clear();
        if (saves.pending) saves.flush();
        server.close((err) => (err ? reject(err) : resolve()));
        sockets.destroyAll();
      }),
  };
}
