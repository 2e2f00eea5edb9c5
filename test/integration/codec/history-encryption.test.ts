/**
 * On the real dev server: a batch's history holds no customer data, amount or secret in clear text,
 * yet the codec (directly, through the codec server, and through the CLI) reads it all back.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { RecordRef } from '../../../domain/contract';
import { startCodecServer, type CodecServer } from '../../../integrations/codec/codec-server';
import { EncryptionCodec } from '../../../integrations/codec/encryption-codec';
import { loadKeyRing } from '../../../integrations/codec/key-ring';
import { locateTemporalBinaries } from '../../../scripts/temporal-binaries';
import { accountingBatch } from '../../../workflows';
import { activityDoubles, fakeWorld } from '../../helpers/activity-doubles';
import { startDevServerEnv, STACK_CODEC_KEYS, stackDataConverter, workflowBundle } from '../../../dev/stack/temporal';

const run = promisify(execFile);
const WORKFLOW_ID = 'codec-demo-batch';
const CODEC_TOKEN = 'codec-demo-token-4c1e';

/** Customer-like data a batch carries (refs, notify address), and a secret a leaky error would quote. */
const DEMO = {
  customers: ['Bellweather Orthodontics PLLC', 'Marrowstone Ferry Authority'],
  numbers: ['INV-58213', 'INV-58214'],
  amounts: ['48213.77', '9120.05'],
  email: 'controller@bellweather-ortho.example',
  secret: 'qbo-access-token-DEMO-91f3aa',
};
const SEARCHED = [...DEMO.customers, ...DEMO.numbers, ...DEMO.amounts, DEMO.email, DEMO.secret];

// Extra fields ride along in the refs exactly as real data would.
const demoRefs = DEMO.numbers.map((number, i) => ({ kind: 'invoice', id: String(7001 + i), number, total: DEMO.amounts[i], customer: DEMO.customers[i] }) as RecordRef);

const codec = new EncryptionCodec(loadKeyRing({ inlineKeys: STACK_CODEC_KEYS }));
let env: TestWorkflowEnvironment;
let codecServer: CodecServer;
let workflowIds: string[] = [];

async function rawHistory(workflowId: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await env.connection.workflowService.getWorkflowExecutionHistory({
      namespace: env.namespace ?? 'default',
      execution: { workflowId },
      nextPageToken,
    });
    chunks.push(Buffer.from(temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse.encode(page).finish()));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return Buffer.concat(chunks);
}

/** Every Payload message anywhere in a decoded history object. */
function collectPayloads(node: unknown, out: Payload[] = []): Payload[] {
  if (!node || typeof node !== 'object' || node instanceof Uint8Array) return out;
  const candidate = node as Payload;
  if (candidate.metadata && typeof candidate.metadata === 'object' && 'encoding' in candidate.metadata) out.push(candidate);
  for (const value of Object.values(node)) collectPayloads(value, out);
  return out;
}

beforeAll(async () => {
  codecServer = await startCodecServer({ host: '127.0.0.1', port: 0, uiOrigin: 'http://localhost:8233', token: CODEC_TOKEN, namespaces: ['default'], codec });
  env = await startDevServerEnv(['--ui-codec-endpoint', codecServer.url]);

  const world = fakeWorld(demoRefs);
  const doubles = activityDoubles(world);
  let failedOnce = false;
  // One transient fault whose message quotes the customer and a token, as careless HTTP errors do.
  const activities = {
    ...doubles,
    async postRecords(input: Parameters<typeof doubles.postRecords>[0]) {
      if (!failedOnce) {
        failedOnce = true;
        throw new Error(`QuickBooks 503 posting ${DEMO.numbers[0]} for ${DEMO.customers[0]} (access_token=${DEMO.secret})`);
      }
      return doubles.postRecords(input);
    },
  };
  const taskQueue = 'codec-demo';
  const common = { connection: env.nativeConnection, activities, dataConverter: stackDataConverter() };
  const main = await Worker.create({ ...common, taskQueue, workflowBundle: await workflowBundle() });
  const accounting = await Worker.create({ ...common, taskQueue: `${taskQueue}-accounting` });
  const batchCalls = await Worker.create({ ...common, taskQueue: `${taskQueue}-accounting-batch-calls` });
  const done = env.client.workflow.execute(accountingBatch, {
    taskQueue,
    workflowId: WORKFLOW_ID,
    args: [{ batchId: 'CODEC-DEMO', include: { invoices: true, expenses: false, procurement: false }, notify: { email: DEMO.email } }],
  });
  await Promise.all([main.runUntil(done), accounting.runUntil(done), batchCalls.runUntil(done)]);
  expect((await done).byKind.invoice.posted).toBe(2);
  expect(failedOnce).toBe(true);

  // The chunk children carry the refs too: check their histories as well.
  const history = await env.client.workflow.getHandle(WORKFLOW_ID).fetchHistory();
  const children = (history.events ?? []).flatMap((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? []);
  workflowIds = [WORKFLOW_ID, ...children];
});

afterAll(async () => {
  await env?.teardown();
  await codecServer?.close();
});

describe('encrypted histories on the dev server', () => {
  it('stores no customer name, record number, amount, address or secret in clear text', async () => {
    expect(workflowIds.length).toBeGreaterThan(1);
    for (const id of workflowIds) {
      const raw = await rawHistory(id);
      // The search itself works: unencrypted fields such as the workflow id are found.
      expect(raw.includes(Buffer.from(id))).toBe(true);
      for (const text of SEARCHED) expect({ id, text, found: raw.includes(Buffer.from(text)) }).toEqual({ id, text, found: false });
      // The default failure converter would leave this in clear text; ours encrypts it.
      expect(raw.includes(Buffer.from('QuickBooks 503'))).toBe(false);
    }
  });

  it('decodes with the codec to show all of it', async () => {
    let decoded = '';
    for (const id of workflowIds) {
      const history = await env.client.workflow.getHandle(id).fetchHistory();
      const plain = await codec.decode(collectPayloads(history));
      decoded += plain.map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
    }
    for (const text of SEARCHED) expect({ text, found: decoded.includes(text) }).toEqual({ text, found: true });
  });

  it('lets the CLI show decoded data through the codec server', async () => {
    const { cli } = locateTemporalBinaries({ install: false });
    const show = (extra: string[]) =>
      run(cli, ['workflow', 'show', '-w', WORKFLOW_ID, '--address', env.address, '--namespace', env.namespace ?? 'default', '--detailed', ...extra], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      }).then((r) => r.stdout);

    const withoutCodec = await show([]);
    expect(withoutCodec).toContain('accountingBatch');
    expect(withoutCodec).not.toContain(DEMO.email);

    const decoded = await show(['--codec-endpoint', codecServer.url, '--codec-auth', `Bearer ${CODEC_TOKEN}`]);
    expect(decoded).toContain(DEMO.email);
    expect(decoded).toContain('CODEC-DEMO');

    // The token is enforced for the CLI as for the UI (the CLI retries a 401 until its deadline).
    const refused = await show(['--codec-endpoint', codecServer.url, '--command-timeout', '3s']).then(
      (stdout) => ({ failed: false, output: stdout }),
      (err: { stdout?: string }) => ({ failed: true, output: err.stdout ?? '' }),
    );
    expect(refused.failed).toBe(true);
    expect(refused.output).not.toContain(DEMO.email);
  });
});
