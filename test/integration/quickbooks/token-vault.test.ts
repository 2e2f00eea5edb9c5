/**
 * QuickBooks tokens kept in Temporal (the accountingTokens workflow) instead of a worker's disk:
 * workers holding their own store instances refresh once between them, a reconnect replaces the
 * tokens while a stale connect token never does, and neither the history nor the vault's answers,
 * decoded with the payload codec as the UI decodes them, show a token.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { Payload } from '@temporalio/common';
import { TemporalTokenStore } from '../../../integrations/quickbooks';
import { DEMO_ACCESS_TOKEN, DEMO_CLIENT_SECRET, DEMO_REFRESH_TOKEN, type QuickBooksSandbox } from '../../../dev/sandbox/quickbooks';
import { startDevServerEnv, stackDataConverter, workflowBundle } from '../../../dev/stack/temporal';
import { clientFor, startSandbox } from './helpers';

const QUEUE = 'vault';
let env: TestWorkflowEnvironment;
let sb: QuickBooksSandbox;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  env = await startDevServerEnv();
  sb = await startSandbox();
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue: QUEUE, workflowBundle: await workflowBundle(), dataConverter: stackDataConverter() });
  running = worker.run();
}, 120_000);
afterAll(async () => {
  worker?.shutdown();
  await running;
  await sb?.close();
  await env?.teardown();
});

/** A worker's store: its own instance (own lease holder), as on another host. */
const store = (connected = { accessToken: DEMO_ACCESS_TOKEN, refreshToken: DEMO_REFRESH_TOKEN }, client: Client = env.client) =>
  new TemporalTokenStore({ client, taskQueue: QUEUE, realmId: sb.realmId, clientSecret: DEMO_CLIENT_SECRET, connected, pollMs: 50 });

/** Every token the sandbox's token endpoint handed out. */
const issued: string[] = [];
const watchingFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  if (String(input) === sb.tokenUrl && res.ok) {
    const body = (await res.clone().json()) as { access_token: string; refresh_token: string };
    issued.push(body.access_token, body.refresh_token);
  }
  return res;
};

/** Every payload of a history, decoded as the UI's codec server decodes it. */
async function decodedHistory(workflowId: string): Promise<string> {
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  const payloads: Payload[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if ('metadata' in v && 'data' in v) payloads.push(v as Payload);
      else Object.values(v).forEach(walk);
    }
  };
  walk(history.events);
  const codec = stackDataConverter().payloadCodecs![0]!;
  return (await codec.decode(payloads)).map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
}

describe('QuickBooks tokens kept in Temporal', () => {
  it('workers with stores of their own refresh once between them when the access token expires', async () => {
    const hosts = [store(), store()].map((tokens) => clientFor(sb, { tokens, fetch: watchingFetch, retry: { maxAttempts: 1 } }).client);
    await Promise.all(hosts.map((c) => c.listTerms()));
    sb.admin.expireAccessTokens(true);
    const before = issued.length;
    await Promise.all(hosts.flatMap((c) => [c.listTerms(), c.listTerms(), c.listClasses()]));
    expect((issued.length - before) / 2).toBe(1);
    // A third host started later uses the rotated tokens as they are.
    await clientFor(sb, { tokens: store(), fetch: watchingFetch }).client.listTerms();
    expect((issued.length - before) / 2).toBe(1);
  }, 120_000);

  it('a stored rotation whose answer is lost is stored once, and every host goes on with the rotated tokens', async () => {
    let lost = 0;
    // Temporal takes the store but its answer never reaches the worker, once.
    const losingClient = new Client({
      connection: env.connection,
      dataConverter: stackDataConverter(),
      interceptors: {
        workflow: [
          {
            async startUpdate(input, next) {
              const out = await next(input);
              if (input.updateName === 'finishRefresh' && lost++ === 0) throw new Error('connection reset before the answer');
              return out;
            },
          },
        ],
      },
    });
    const host = clientFor(sb, { tokens: store(undefined, losingClient), fetch: watchingFetch, retry: { maxAttempts: 1 } }).client;
    await host.listTerms();
    sb.admin.expireAccessTokens(true);
    const before = issued.length;
    const version = (await env.client.workflow.getHandle(store().workflowId).query<{ version: number }>('tokens')).version;
    await host.listTerms();
    expect(lost).toBe(2);
    expect((issued.length - before) / 2).toBe(1);
    expect((await env.client.workflow.getHandle(store().workflowId).query<{ version: number }>('tokens')).version).toBe(version + 1);
    // Another host reads the rotated tokens: QuickBooks accepts them, no reconnect needed.
    await clientFor(sb, { tokens: store(), fetch: watchingFetch, retry: { maxAttempts: 1 } }).client.listTerms();
    expect((issued.length - before) / 2).toBe(1);
  }, 120_000);

  it('a host whose token is refused goes on when the token another host stored was refused too', async () => {
    const [a, b] = [store(), store()].map((tokens) => clientFor(sb, { tokens, fetch: watchingFetch, retry: { maxAttempts: 1 } }).client);
    await Promise.all([a!.listTerms(), b!.listTerms()]);
    sb.admin.expireAccessTokens(true);
    await a!.listTerms();
    // QuickBooks refuses the token host a just stored, before host b has used it.
    sb.admin.expireAccessTokens(true);
    const before = issued.length;
    await b!.listTerms();
    expect((issued.length - before) / 2).toBe(1);
  }, 60_000);

  it('a newly connected refresh token replaces the kept tokens; the earlier connect token does not come back', async () => {
    const reconnected = sb.admin.issueTokens();
    const fresh = store({ accessToken: reconnected.access_token, refreshToken: reconnected.refresh_token });
    expect((await fresh.load()).refreshToken).toBe(reconnected.refresh_token);
    // A host still configured with the first connect token leaves the newer tokens in place.
    expect((await store().load()).refreshToken).toBe(reconnected.refresh_token);
    sb.admin.expireAccessTokens(true);
    await clientFor(sb, { tokens: store(), fetch: watchingFetch }).client.listTerms();
  }, 60_000);

  it('no token appears in the vault history or its answers, even decoded', async () => {
    const vault = store();
    const decoded = await decodedHistory(vault.workflowId);
    expect(decoded).toContain('sealed');
    for (const token of [DEMO_ACCESS_TOKEN, DEMO_REFRESH_TOKEN, ...issued]) expect(decoded).not.toContain(token);
    const answer = JSON.stringify(await env.client.workflow.getHandle(vault.workflowId).query('tokens'));
    for (const token of [DEMO_REFRESH_TOKEN, ...issued]) expect(answer).not.toContain(token);
  });
});
