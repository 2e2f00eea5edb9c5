/**
 * The QuickBooks Online sandbox server: /v3/company/{realmId}/... (data service), the OAuth token
 * endpoint and /__admin/. Each API request passes, in order: fault knobs (latency, dropped
 * connection), bearer auth, QuickBooks' throttles, injected 429/5xx, requestid replay, the handler
 * (which refuses before it changes anything), persist, and finally the lost-response knob (commit,
 * then no answer). Saves are coalesced (at least SAVE_DELAY_MS apart) and flushed on close.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  adminRequestProblem,
  createFaultInjector,
  createPrng,
  CoalescedSave,
  JsonStateStore,
  listen,
  readBody,
  sleep,
  trackSockets,
  type FaultCounts,
  type FaultKnobs,
} from '../shared';
import { adminRoute, createAdmin, type SandboxAdmin } from './admin';
import { handleApi, MAX_BATCH_REQUEST_ID, MAX_REQUEST_ID } from './api';
import { DEMO_REALM_ID } from './demo-credentials';
import { systemFault, throttled, validation, type Answer } from './faults';
import { DEFAULT_LIMITS, Throttle, type QuickBooksLimits } from './limits';
import { checkBearer, tokenEndpoint } from './oauth';
import { seededRealm, type SeedName } from './seed';
import type { RealmState } from './state';

export interface QuickBooksKnobs extends FaultKnobs, QuickBooksLimits {
  /** Share of throttle answers sent as XML (QuickBooks often does, even to JSON clients). */
  xmlThrottleRate: number;
}

export interface QuickBooksSandboxOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** State lives in `${dataDir}/state.json`. */
  dataDir?: string;
  /** Used only when no saved state exists. */
  seed?: SeedName;
  knobs?: Partial<QuickBooksKnobs>;
  realmId?: string;
}

/** What the data service was asked and answered, for benchmarks: counts since the sandbox started. */
export interface QuickBooksTraffic {
  /** Data-service requests that reached the throttles. */
  requests: number;
  /** Batch calls admitted by the throttles, and when each was (ms since the epoch). */
  batchCalls: number;
  batchCallTimes: number[];
  /** 429 answers sent: over QuickBooks' limits, and injected by the fault knobs. */
  throttled: number;
  /** The 429s over QuickBooks' limits, by the limit each request was over. */
  throttledBy: Partial<Record<keyof QuickBooksLimits, number>>;
  /** Requests that reached the throttles, by method and endpoint ("GET query Invoice", "POST batch"). */
  byEndpoint: Record<string, number>;
}

export interface QuickBooksSandbox {
  baseUrl: string;
  tokenUrl: string;
  port: number;
  realmId: string;
  admin: SandboxAdmin & {
    knobs(): QuickBooksKnobs;
    setKnobs(k: Partial<QuickBooksKnobs>): QuickBooksKnobs;
    /** Faults applied so far (5xx, 429 from the knobs, dropped connections, lost responses). */
    faultCounts(): FaultCounts;
    traffic(): QuickBooksTraffic;
  };
  close(): Promise<void>;
}

const TOKEN_PATH = '/oauth2/v1/tokens/bearer';
/** Remembered requestid answers; the oldest are forgotten beyond this. */
const MAX_REMEMBERED_ANSWERS = 20_000;
/** Writing the whole state per request costs O(state): requests are coalesced into one save (CoalescedSave). */
const SAVE_DELAY_MS = 50;

/** "GET query Invoice", "POST batch", "GET invoice/12": a request's method, endpoint and, for a query, its entity. */
function endpointOf(method: string, sub: string, params: URLSearchParams): string {
  if (sub === 'query') return `${method} query ${/\bfrom\s+(\w+)/i.exec(params.get('query') ?? '')?.[1] ?? '?'}`;
  return `${method} ${sub.replace(/\/\d+$/, '/:id')}`;
}

function send(res: ServerResponse, answer: Answer, tid?: string): void {
  const isText = typeof answer.body === 'string';
  const text = isText ? (answer.body as string) : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'Content-Type': answer.contentType ?? 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(text).toString(),
    ...(tid ? { intuit_tid: tid } : {}),
    ...answer.headers,
  });
  res.end(text);
}

function isWrite(method: string, sub: string): boolean {
  return method === 'POST' && !/^query\b/.test(sub);
}

export async function startQuickBooksSandbox(options: QuickBooksSandboxOptions = {}): Promise<QuickBooksSandbox> {
  const host = options.host ?? '127.0.0.1';
  const realmId = options.realmId ?? DEMO_REALM_ID;
  const store = new JsonStateStore<RealmState>(options.dataDir ?? '.sandbox/quickbooks');
  let realm: RealmState = store.load() ?? seededRealm(realmId, options.seed ?? 'demo');
  if (realm.realmId !== realmId) realm = seededRealm(realmId, options.seed ?? 'demo');
  store.save(realm);

  const { xmlThrottleRate, requestsPerMinute, concurrentRequests, batchRequestsPerMinute, ...faultKnobs } = options.knobs ?? {};
  const faults = createFaultInjector(faultKnobs);
  const throttle = new Throttle({
    requestsPerMinute: requestsPerMinute ?? DEFAULT_LIMITS.requestsPerMinute,
    concurrentRequests: concurrentRequests ?? DEFAULT_LIMITS.concurrentRequests,
    batchRequestsPerMinute: batchRequestsPerMinute ?? DEFAULT_LIMITS.batchRequestsPerMinute,
  });
  let xmlRate = xmlThrottleRate ?? 0.5;
  let xmlPrng = createPrng(faults.knobs.seed + 1);

  const knobs = (): QuickBooksKnobs => ({ ...faults.knobs, ...throttle.limits, xmlThrottleRate: xmlRate });
  const setKnobs = (k: Partial<QuickBooksKnobs>): QuickBooksKnobs => {
    const { xmlThrottleRate: x, requestsPerMinute: rpm, concurrentRequests: cc, batchRequestsPerMinute: bpm, ...rest } = k;
    faults.set(rest);
    if (rest.seed !== undefined) xmlPrng = createPrng(rest.seed + 1);
    if (x !== undefined) {
      if (!(x >= 0 && x <= 1)) throw new Error('xmlThrottleRate must be between 0 and 1');
      xmlRate = x;
    }
    throttle.limits = {
      requestsPerMinute: rpm ?? throttle.limits.requestsPerMinute,
      concurrentRequests: cc ?? throttle.limits.concurrentRequests,
      batchRequestsPerMinute: bpm ?? throttle.limits.batchRequestsPerMinute,
    };
    if (rpm !== undefined || bpm !== undefined) throttle.reset();
    return knobs();
  };

  const traffic: QuickBooksTraffic = { requests: 0, batchCalls: 0, batchCallTimes: [], throttled: 0, throttledBy: {}, byEndpoint: {} };
  const saves = new CoalescedSave(() => store.save(realm), SAVE_DELAY_MS);
  const persist = () => saves.schedule();
  const admin = createAdmin({
    realm: () => realm,
    commit(fn) {
      const draft = workingCopy();
      const out = fn(draft);
      realm = draft;
      persist();
      return out;
    },
    replace(next) {
      realm = next;
      persist();
    },
  });

  /** A copy handlers may change freely; the requestid log is large and never touched by them. */
  function workingCopy(): RealmState {
    const { answers, ...rest } = realm;
    const copy = structuredClone(rest) as RealmState;
    copy.answers = answers;
    return copy;
  }

  /** How many answers a requestid log holds, counted once and then kept as it changes. */
  const answerCounts = new WeakMap<RealmState['answers'], number>();
  function remember(requestId: string, answer: Answer): void {
    const answers = realm.answers;
    let count = answerCounts.get(answers) ?? Object.keys(answers).length;
    if (!Object.hasOwn(answers, requestId)) count += 1;
    answers[requestId] = { status: answer.status, body: answer.body };
    // The oldest are forgotten first (enumeration order, as Object.keys gives it).
    for (const key in answers) {
      if (count <= MAX_REMEMBERED_ANSWERS) break;
      delete answers[key];
      count -= 1;
    }
    answerCounts.set(answers, count);
  }

  /** The data service proper, run synchronously so no other request interleaves with the commit. */
  function serve(method: string, sub: string, params: URLSearchParams, contentType: string, body: string): { answer: Answer; committed: boolean } {
    const requestId = params.get('requestid');
    if (requestId !== null && isWrite(method, sub)) {
      const max = sub === 'batch' ? MAX_BATCH_REQUEST_ID : MAX_REQUEST_ID;
      if (requestId.length > max) {
        const f = validation(
          '6000',
          'A business validation error has occurred while processing your request',
          `Business Validation Error: You cannot enter more than ${max} characters in the request_id field. You entered ${requestId.length} characters.`,
        );
        return { answer: f.answer, committed: false };
      }
      const previous = realm.answers[requestId];
      if (previous) return { answer: { status: previous.status, body: previous.body }, committed: false };
    }
    const result = handleApi(realm, { method, path: sub, params, contentType, body });
    if (requestId !== null && isWrite(method, sub)) remember(requestId, result.answer);
    if (result.mutated || (requestId !== null && isWrite(method, sub))) persist();
    return { answer: result.answer, committed: result.mutated };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    if (url.pathname.startsWith('/__admin/')) {
      const refused = adminRequestProblem(method, req.headers['content-type']);
      if (refused) return send(res, { status: 415, body: { error: refused } });
      let json: Record<string, unknown> = {};
      if (body) {
        try {
          json = JSON.parse(body) as Record<string, unknown>;
        } catch {
          return send(res, { status: 400, body: { error: 'admin bodies are JSON' } });
        }
      }
      if (method === 'GET' && url.pathname === '/__admin/faults') return send(res, { status: 200, body: faults.counts() });
      return send(res, adminRoute(admin, { getKnobs: knobs, setKnobs: (k) => setKnobs(k as Partial<QuickBooksKnobs>), realmId }, method, url.pathname, json));
    }
    const tid = `1-${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    if (url.pathname === TOKEN_PATH && method === 'POST') {
      const draft = workingCopy();
      const includeHardExpiry = String(req.headers['x-include-refresh-token-hard-expires-in'] ?? '').toLowerCase() === 'true';
      const { answer, mutated } = tokenEndpoint(draft, req.headers.authorization, body, includeHardExpiry);
      if (mutated) {
        realm = draft;
        persist();
      }
      return send(res, answer, tid);
    }
    const m = /^\/v3\/company\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (!m) return send(res, { status: 404, body: { error: `no such path ${url.pathname}` } }, tid);
    const [, urlRealm, sub] = m;
    const write = isWrite(method, sub);
    const decision = faults.decide(write);
    if (decision.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    const denied = checkBearer(realm, decodeURIComponent(urlRealm), req.headers.authorization);
    if (denied) return send(res, denied, tid);
    traffic.requests += 1;
    const endpoint = endpointOf(method, sub, url.searchParams);
    traffic.byEndpoint[endpoint] = (traffic.byEndpoint[endpoint] ?? 0) + 1;
    const over = throttle.enter(sub === 'batch');
    if (over) {
      traffic.throttled += 1;
      traffic.throttledBy[over] = (traffic.throttledBy[over] ?? 0) + 1;
      return send(res, throttled(xmlPrng.next() < xmlRate), tid);
    }
    if (sub === 'batch') {
      traffic.batchCalls += 1;
      traffic.batchCallTimes.push(Date.now());
    }
    try {
      if (faults.knobs.latencyMs > 0) await sleep(faults.knobs.latencyMs);
      if (decision.kind === 'throttle') {
        traffic.throttled += 1;
        return send(res, throttled(xmlPrng.next() < xmlRate, decision.retryAfterSeconds), tid);
      }
      if (decision.kind === 'error') return send(res, systemFault(), tid);
      const { answer, committed } = serve(method, sub, url.searchParams, String(req.headers['content-type'] ?? ''), body);
      if (decision.kind === 'loseResponse' && committed) {
        // The write is saved; the client never hears about it.
        faults.countLostResponse();
        if (decision.holdMs > 0) await sleep(decision.holdMs);
        req.socket.destroy();
        return;
      }
      send(res, answer, tid);
    } finally {
      throttle.leave();
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) send(res, systemFault());
      else res.destroy();
      process.stderr.write(`quickbooks sandbox: ${err.stack ?? err.message}\n`);
    });
  });
  const sockets = trackSockets(server);
  const port = await listen(server, options.port ?? 0, host);
  const baseUrl = `http://${host}:${port}`;

  return {
    baseUrl,
    tokenUrl: `${baseUrl}${TOKEN_PATH}`,
    port,
    realmId,
    admin: { ...admin, knobs, setKnobs, faultCounts: () => faults.counts(), traffic: () => ({ ...traffic, batchCallTimes: [...traffic.batchCallTimes] }) },
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (saves.pending) saves.flush();
        sockets.destroyAll();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
