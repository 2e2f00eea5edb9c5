/**
 * A deployment outside `npm start`: the production worker from the prebuilt bundle (`npm run build`,
 * NODE_ENV=production) against a Temporal server nobody prepared. It registers the search
 * attributes itself before polling, and a batch completes.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { sandboxWorkerEnv } from '../../dev/stack/sandbox-worker-env';
import { SEARCH_ATTRIBUTES } from '../../workflows/definitions';
import type { BatchSummary } from '../../domain/batch-summary';
import { recordPassedChecklist, startLedgerStack, type LedgerStack } from '../../dev/stack/ledger-stack';
import { startDevServerEnv, STACK_CODEC_KEYS } from '../../dev/stack/temporal';

const ROOT = resolve(__dirname, '../..');
const TASK_QUEUE = 'production-worker';

let env: TestWorkflowEnvironment;
let stack: LedgerStack;
let worker: ChildProcess;
let workerLog = '';
let attributesBefore: string[] = [];

const customAttributes = async () =>
  Object.keys((await env.connection.operatorService.listSearchAttributes({ namespace: 'default' })).customAttributes ?? {});

beforeAll(async () => {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'pipe' });
  env = await startDevServerEnv([], { bare: true });
  attributesBefore = await customAttributes();
  stack = await startLedgerStack();
  worker = spawn(process.execPath, [join(ROOT, 'dist/workers/main.js')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      ...sandboxWorkerEnv({ psaBaseUrl: stack.psa.baseUrl, qboBaseUrl: stack.qbo.baseUrl, smtpPort: stack.mail.port }),
      NODE_ENV: 'production',
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      LEDGERLINE_CODEC_KEYS: STACK_CODEC_KEYS,
      QBO_TOKEN_FILE: stack.config.QBO_TOKEN_FILE,
    },
  });
  worker.stderr!.on('data', (d: Buffer) => (workerLog += d.toString()));
  await new Promise<void>((ready, fail) => {
    createInterface({ input: worker.stdout! }).on('line', (line) => {
      workerLog += `${line}\n`;
      if (/Worker polling/.test(line)) ready();
    });
    worker.once('exit', (code) => fail(new Error(`production worker exited (${code}) before polling:\n${workerLog}`)));
  });
  await recordPassedChecklist(env.client, TASK_QUEUE, stack.deps.ledger.realmId);
}, 240_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((r) => worker.once('exit', r));
    worker.kill('SIGTERM');
    await exited;
  }
  await stack?.close();
  await env?.teardown();
});

describe('production worker from the prebuilt bundle', () => {
  it('registers the search attributes a fresh server lacks before it polls', async () => {
    const names = SEARCH_ATTRIBUTES.map((k) => k.name);
    expect(attributesBefore.filter((n) => names.includes(n))).toEqual([]);
    expect(await customAttributes()).toEqual(expect.arrayContaining(names));
  });

  it('runs a batch to completion', async () => {
    const summary = (await env.client.workflow.execute('accountingBatch', {
      taskQueue: TASK_QUEUE,
      workflowId: 'production-worker-batch',
      args: [{ batchId: 'PROD-1' }],
    })) as BatchSummary;
    expect(summary.status).toBe('Completed');
    for (const kind of ['invoice', 'expense', 'procurement'] as const) expect(summary.byKind[kind].posted).toBeGreaterThan(0);
  }, 120_000);

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((r) => worker.once('exit', (code) => r(code)));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
