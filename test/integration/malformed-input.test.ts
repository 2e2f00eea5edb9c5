/**
 * Malformed input wherever it enters: workflow inputs, updates, CLI arguments, the environment,
 * state (the token file, the codec key file, the company state) and API answers (HTML error
 * pages, empty 200s, missing fields, wrong types, huge strings). Each case is one row of data: what
 * was fed, the field its message must name and the fix it must give. Every run also shows that
 * nothing was written: no activity but the recipient check ran, the CLI never reached Temporal, the
 * file is as it was, the gate stayed closed, the API saw only the read.
 *
 * MALFORMED_TABLE_OUT=<file> writes the cases with the message each got as a Markdown table.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Activities } from '../../activities';
import { loadCodecServerConfig, loadTemporalConfig, loadWorkerConfig } from '../../config';
import { checklistGateProblem } from '../../domain/batch-summary';
import { latestChecklistOf } from '../../domain/company-state';
import { codecServerAccess, startCodecServer } from '../../integrations/codec/codec-server';
import { EncryptionCodec } from '../../integrations/codec/encryption-codec';
import { loadKeyRing } from '../../integrations/codec/key-ring';
import { ConnectWiseClient } from '../../integrations/connectwise';
import { FileTokenStore, MemoryTokenStore, QuickBooksClient } from '../../integrations/quickbooks';
import { loadScheduleConfig } from '../../clients/schedules';
import { accountingBatch, goLiveChecklist, paymentSync } from '../../workflows';
import { checklistResultQuery, confirmManualItemUpdate, progressQuery, retryFailedUpdate } from '../../workflows/definitions';
import { sandboxWorkerEnv } from '../../dev/stack/sandbox-worker-env';
import { stackDataConverter, workflowBundle } from '../../dev/stack/temporal';
import { activityDoubles, fakeWorld, makeRefs, type FakeWorld } from '../helpers/activity-doubles';
import { startTimeSkippingEnv } from '../helpers/time-skipping-env';

jest.setTimeout(300_000);

type Area = 'workflow input' | 'update' | 'CLI argument' | 'environment' | 'state' | 'API response';

/** One malformed input: what was fed, and what its message must say. */
interface Case {
  area: Area;
  input: string;
  /** The field (or setting, file, endpoint) the message names. */
  field: RegExp;
  /** The fix it gives. */
  fix: RegExp;
}

/** What a run produced: the message, and whatever it wrote (must be nothing). */
interface Outcome {
  message: string;
  wrote: string[];
}

const ROOT = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'malformed-'));
const results: Array<Case & { message: string }> = [];

async function check(c: Case, run: () => Promise<Outcome>): Promise<void> {
  const { message, wrote } = await run();
  results.push({ ...c, message });
  expect({ input: c.input, message }).toEqual({ input: c.input, message: expect.stringMatching(c.field) });
  expect({ input: c.input, message }).toEqual({ input: c.input, message: expect.stringMatching(c.fix) });
  // Huge input never makes a huge message (histories, reports and logs keep it).
  expect({ input: c.input, length: message.length < 2000 }).toEqual({ input: c.input, length: true });
  expect({ input: c.input, wrote }).toEqual({ input: c.input, wrote: [] });
}

afterAll(() => {
  const out = process.env.MALFORMED_TABLE_OUT;
  if (!out) return;
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
  const rows = results.map((r, i) => `| ${i + 1} | ${r.area} | \`${cell(r.input)}\` | ${cell(r.message)} |`);
  writeFileSync(out, ['| # | where | input | message |', '|---|---|---|---|', ...rows].join('\n') + '\n');
});

const HUGE = 'x'.repeat(100_000);
/** An input as the table shows it: JSON, with the huge string abbreviated. */
const shown = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (v === HUGE ? `<${HUGE.length} x's>` : v));

// ------------------------------------------------------------------ workflow inputs and updates

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

/** Every activity the three workflows call before they write, recording each call. */
function doubles(world: FakeWorld, checklistWrites: string[]): Activities {
  const record = (name: string) => async () => {
    world.calls.push(name);
    return {};
  };
  return {
    ...activityDoubles(world),
    checkPaymentSync: record('checkPaymentSync'),
    readPaymentWatermark: record('readPaymentWatermark'),
    syncPaymentsPage: record('syncPaymentsPage'),
    sendPaymentSyncReport: record('sendPaymentSyncReport'),
    async runChecklistChecks() {
      world.calls.push('runChecklistChecks');
      return { items: [{ id: 'connectivity', title: 'Connectivity', result: 'pass', evidence: ['ok'] }], realmId: '1', company: 'Ledgerline IT' };
    },
    async recordChecklistResult(input: { status: string }) {
      checklistWrites.push(`recordChecklistResult:${input.status}`);
      return input;
    },
    async sendChecklistReport() {
      return { messageId: '<c@test>', to: 'finance@msp.example' };
    },
  } as unknown as Activities;
}

let queues = 0;
async function withWorker<T>(world: FakeWorld, checklistWrites: string[], fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `malformed-${++queues}`;
  const common = { connection: env.nativeConnection, activities: doubles(world, checklistWrites), dataConverter: stackDataConverter() };
  const main = await Worker.create({ ...common, taskQueue, workflowBundle: await workflowBundle() });
  const accounting = await Worker.create({ ...common, taskQueue: `${taskQueue}-accounting` });
  const batchCalls = await Worker.create({ ...common, taskQueue: `${taskQueue}-accounting-batch-calls` });
  const run = fn(taskQueue);
  await Promise.all([main.runUntil(run), accounting.runUntil(run), batchCalls.runUntil(run)]);
  return run;
}

const WORKFLOWS = { accountingBatch, paymentSync, goLiveChecklist } as const;

type Row<X> = Omit<Case, 'area' | 'input'> & X;

const workflowRows: Array<Row<{ workflow: keyof typeof WORKFLOWS; value: unknown; allowed?: string[] }>> = [
  { workflow: 'accountingBatch', value: { notify: { email: 'finance@msp.example', member: 'jsmith' } }, field: /notify:/, fix: /give either "email" or "member", not both/ },
  { workflow: 'accountingBatch', value: { notify: {} }, field: /notify:/, fix: /give "email" \(an address\) or "member" \(a PSA member identifier\)/ },
  { workflow: 'accountingBatch', value: { notify: 'finance@msp.example' }, field: /notify:/, fix: /expected \{"email": "<address>"\} or \{"member"/ },
  { workflow: 'accountingBatch', value: { notify: { email: 'finance' } }, field: /notify\.email:/, fix: /expected one e-mail address, e\.g\. "finance@example\.com"/ },
  { workflow: 'accountingBatch', value: { notify: { email: 'someone@gmail.example' } }, allowed: ['msp.example'], field: /notify\.email: someone@gmail\.example/, fix: /add the address or its domain to MAIL_ALLOWED_RECIPIENTS/ },
  { workflow: 'accountingBatch', value: { dryrun: true }, field: /unknown field "dryrun"/, fix: /did you mean "dryRun"\?/ },
  { workflow: 'accountingBatch', value: { dryRun: 'yes' }, field: /dryRun:/, fix: /expected boolean/ },
  { workflow: 'accountingBatch', value: { thruDate: '2026-02-30' }, field: /thruDate:/, fix: /give an existing day as YYYY-MM-DD/ },
  { workflow: 'accountingBatch', value: { chunkSize: 0 }, field: /chunkSize:/, fix: /expected number to be >=1/ },
  { workflow: 'accountingBatch', value: { chunkSize: 2.5 }, field: /chunkSize:/, fix: /expected int/ },
  { workflow: 'accountingBatch', value: { batchId: HUGE }, field: /batchId:/, fix: /use 1-30 letters, digits, dot, dash or underscore/ },
  { workflow: 'accountingBatch', value: { glSource: 'gl' }, field: /glSource:/, fix: /expected one of "psa"\|"current"/ },
  { workflow: 'accountingBatch', value: { include: { invoice: true } }, field: /include: unknown field "invoice"/, fix: /did you mean "invoices"\?/ },
  { workflow: 'accountingBatch', value: [], field: /^Invalid accountingBatch input: input:/, fix: /expected a JSON object such as \{\}/ },
  { workflow: 'accountingBatch', value: { retryWindow: '1w' }, field: /retryWindow:/, fix: /a duration such as 30m, 24h or 7d/ },
  { workflow: 'accountingBatch', value: { maxConcurrentChunks: 100 }, field: /maxConcurrentChunks:/, fix: /<=16/ },
  { workflow: 'paymentSync', value: { since: 'yesterday' }, field: /since:/, fix: /a day as YYYY-MM-DD or an ISO date-time with a zone/ },
  { workflow: 'paymentSync', value: { since: '2026-02-01', until: '2026-01-01' }, field: /since:/, fix: /since must be before until/ },
  { workflow: 'paymentSync', value: { lookback: '30' }, field: /lookback:/, fix: /a duration such as 90m, 12h or 30d/ },
  { workflow: 'paymentSync', value: { notify: { email: 'ar@msp.example', member: 'jsmith' } }, field: /notify:/, fix: /not both/ },
  { workflow: 'goLiveChecklist', value: { manualItems: ['Test_Invoices'] }, field: /manualItems\.0:/, fix: /1-40 lower-case letters, digits or dashes/ },
  { workflow: 'goLiveChecklist', value: { reminderAfter: '0d' }, field: /reminderAfter:/, fix: /a positive duration such as 30m, 48h or 2d/ },
  { workflow: 'goLiveChecklist', value: { lockDate: '01/11/2026' }, field: /lockDate:/, fix: /YYYY-MM-DD/ },
  { workflow: 'goLiveChecklist', value: { manualItems: [{ id: 'bank-feeds', title: HUGE }] }, field: /manualItems\.0\.title:/, fix: /<=200 characters/ },
];
const workflowCases = workflowRows.map((c) => ({ ...c, area: 'workflow input' as const, input: `${c.workflow} ${shown(c.value)}` }));

describe('workflow inputs', () => {
  it.each(workflowCases.map((c) => [c.input, c] as const))('%s', async (_input, c) => {
    await check(c, async () => {
      const world = fakeWorld(makeRefs('invoice', 2));
      if (c.allowed) world.allowedRecipients = c.allowed;
      const checklistWrites: string[] = [];
      const err = await withWorker(world, checklistWrites, (taskQueue) =>
        env.client.workflow.execute(WORKFLOWS[c.workflow] as typeof accountingBatch, { taskQueue, workflowId: `in-${queues}`, args: [c.value as never] }).then(
          () => undefined,
          (e: unknown) => e,
        ),
      );
      expect(err).toBeInstanceOf(WorkflowFailedError);
      const cause = (err as WorkflowFailedError).cause as Error & { type?: string };
      expect(cause.type).toBe('InvalidInput');
      // The recipient check is a read; nothing else may have run.
      return { message: cause.message, wrote: [...world.calls.filter((name) => name !== 'checkReportRecipient'), ...checklistWrites] };
    });
  });
});

const confirmRows: Array<Row<{ value: unknown }>> = [
  { value: { item: 'chart_signoff', by: 'ana' }, field: /unknown manual item "chart_signoff"/, fix: /this checklist waits for: test-invoices, chart-signoff/ },
  { value: { item: 'chart-signoff' }, field: /non-empty "by"/, fix: /confirm needs \{ item, by, note\? \}/ },
  { value: { item: 'chart-signoff', by: '   ' }, field: /non-empty "by"/, fix: /confirm needs \{ item, by, note\? \}/ },
  { value: { item: 'chart-signoff', by: HUGE }, field: /"by" is limited/, fix: /to 100 characters/ },
  { value: { item: 'chart-signoff', by: 'ana', note: 42 }, field: /note/, fix: /must be text/ },
];
const confirmCases = confirmRows.map((c) => ({ ...c, area: 'update' as const, input: `goLiveChecklist confirm ${shown(c.value)}` }));

describe('updates', () => {
  it.each(confirmCases.map((c) => [c.input, c] as const))('%s', async (_input, c) => {
    await check(c, async () => {
      const world = fakeWorld([]);
      const writes: string[] = [];
      return withWorker(world, writes, async (taskQueue) => {
        const handle = await env.client.workflow.start(goLiveChecklist, { taskQueue, workflowId: `confirm-${queues}`, args: [{}] });
        for (let i = 0; i < 200 && (await handle.query(checklistResultQuery)).stage !== 'awaitingConfirmation'; i++) await new Promise((r) => setTimeout(r, 50));
        const err = await handle.executeUpdate(confirmManualItemUpdate, { args: [c.value as never] }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
        const confirmed = (await handle.query(checklistResultQuery)).manualItems.filter((m) => m.confirmed).map((m) => `confirmed ${m.id}`);
        await handle.terminate();
        return { message: ((err as WorkflowUpdateFailedError).cause as Error).message, wrote: [...confirmed, ...writes] };
      });
    });
  });

  it('accountingBatch retryFailed while the batch is still posting', async () => {
    const c: Case = { area: 'update', input: 'accountingBatch retryFailed (while posting)', field: /retryFailed is accepted once the batch has finished a round with failures/, fix: /\(now: posting\)/ };
    await check(c, async () => {
      const world = fakeWorld(makeRefs('invoice', 2));
      let release!: () => void;
      world.postGate = new Promise((r) => (release = r));
      return withWorker(world, [], async (taskQueue) => {
        const handle = await env.client.workflow.start(accountingBatch, { taskQueue, workflowId: `retry-${queues}`, args: [{ batchId: 'RETRY1' }] });
        for (let i = 0; i < 200 && (await handle.query(progressQuery)).stage !== 'posting'; i++) await new Promise((r) => setTimeout(r, 50));
        const err = await handle.executeUpdate(retryFailedUpdate).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
        const postedBefore = world.ledger.size;
        release();
        const summary = await handle.result();
        // The refused update changed nothing: the batch posted its two records once, as without it.
        expect(summary.byKind.invoice.posted).toBe(2);
        return { message: ((err as WorkflowUpdateFailedError).cause as Error).message, wrote: postedBefore > 0 ? ['posted before release'] : [] };
      });
    });
  });
});

// ------------------------------------------------------------------ CLI arguments

const cliRows: Array<Row<{ args: string[] }>> = [
  { args: ['batch', 'start', '--thru', '2026-02-30'], field: /thruDate:/, fix: /give an existing day as YYYY-MM-DD/ },
  { args: ['batch', 'start', '--notify', 'finance@'], field: /notify\.email:/, fix: /e\.g\. "finance@example\.com"/ },
  { args: ['batch', 'start', '--batch-id', 'nightly/2026'], field: /batchId:/, fix: /use 1-30 letters, digits, dot, dash or underscore/ },
  { args: ['batch', 'list', '--limit', '0'], field: /--limit/, fix: /a whole number from 1 to 1000/ },
  { args: ['batch', 'status'], field: /argument 'workflowId'/, fix: /missing required/ },
  { args: ['payments', 'sync', '--since', 'yesterday'], field: /since:/, fix: /a day as YYYY-MM-DD or an ISO date-time/ },
  { args: ['payments', 'sync', '--lookback', '30'], field: /lookback:/, fix: /90m, 12h or 30d/ },
  { args: ['checklist', 'run', '--item', 'Test_Invoices'], field: /manualItems\.0:/, fix: /lower-case letters, digits or dashes/ },
  { args: ['checklist', 'run', '--lock-date', '01/11/2026'], field: /lockDate:/, fix: /YYYY-MM-DD/ },
  { args: ['gl', 'resolve', '--file', join(dir, 'missing.json')], field: /--file .*missing\.json/, fix: /name an existing JSON file, or pipe the JSON on stdin/ },
];
const cliCases = cliRows.map((c) => ({ ...c, area: 'CLI argument' as const, input: `npm run cli -- ${c.args.join(' ').replace(dir, '<tmp>')}` }));

function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    // A closed port: reaching Temporal would exit 1 ("did not answer"), never 2.
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['clients/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_ADDRESS: '127.0.0.1:1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stderr }));
  });
}

describe('CLI arguments', () => {
  it.each(cliCases.map((c) => [c.input, c] as const))('%s', async (_input, c) => {
    await check(c, async () => {
      const { code, stderr } = await cli(c.args);
      return { message: stderr.trim(), wrote: code === 2 ? [] : [`exit ${code}: it went past the arguments`] };
    });
  });
});

// ------------------------------------------------------------------ environment

const WORKER_ENV = sandboxWorkerEnv({ psaBaseUrl: 'http://127.0.0.1:8701/v4_6_release/apis/3.0', qboBaseUrl: 'http://127.0.0.1:8702', smtpPort: 8725 });

/** What a loader refuses: the message; a loader that accepted it fails the case. */
function refused(load: () => unknown): Outcome {
  try {
    load();
  } catch (err) {
    return { message: (err as Error).message, wrote: [] };
  }
  return { message: 'accepted', wrote: ['accepted the setting'] };
}

const envCases: Array<Case & { load: () => Promise<Outcome> | Outcome }> = ([
  { input: 'QBO_REALM_ID=acme', load: () => refused(() => loadWorkerConfig({ ...WORKER_ENV, QBO_REALM_ID: 'acme' })), field: /QBO_REALM_ID:/, fix: /expected the numeric QuickBooks company \(realm\) id/ },
  { input: 'CW_BASE_URL=http://api-na.myconnectwise.net/v4_6_release/apis/3.0', load: () => refused(() => loadWorkerConfig({ ...WORKER_ENV, CW_BASE_URL: 'http://api-na.myconnectwise.net/v4_6_release/apis/3.0' })), field: /CW_BASE_URL:/, fix: /credentials go over https/ },
  { input: 'SMTP_PORT=99999', load: () => refused(() => loadWorkerConfig({ ...WORKER_ENV, SMTP_PORT: '99999' })), field: /SMTP_PORT:/, fix: /<=65535/ },
  { input: 'CW_PRIVATE_KEY unset', load: () => refused(() => loadWorkerConfig({ ...WORKER_ENV, CW_PRIVATE_KEY: undefined })), field: /CW_PRIVATE_KEY:/, fix: /is required/ },
  { input: 'WORKER_SHUTDOWN_GRACE=30', load: () => refused(() => loadWorkerConfig({ ...WORKER_ENV, WORKER_SHUTDOWN_GRACE: '30' })), field: /WORKER_SHUTDOWN_GRACE:/, fix: /a duration such as 500ms, 30s, 5m or 1h/ },
  { input: 'MAIL_ALLOWED_RECIPIENTS=msp.example, not an address!', load: () => refused(() => loadWorkerConfig({ ...WORKER_ENV, MAIL_ALLOWED_RECIPIENTS: 'msp.example, not an address!' })), field: /MAIL_ALLOWED_RECIPIENTS\.1:/, fix: /an address \(jane@example\.com\), a domain \(example\.com\) or \*/ },
  { input: 'AST_TAX_ABOVE_TOLERANCE=block', load: () => refused(() => loadWorkerConfig({ ...WORKER_ENV, AST_TAX_ABOVE_TOLERANCE: 'block' })), field: /AST_TAX_ABOVE_TOLERANCE:/, fix: /expected one of "warn"\|"refuse"/ },
  { input: 'TEMPORAL_ADDRESS=localhost', load: () => refused(() => loadTemporalConfig({ TEMPORAL_ADDRESS: 'localhost' })), field: /TEMPORAL_ADDRESS:/, fix: /expected host:port, for example 127\.0\.0\.1:7233/ },
  { input: 'CODEC_SERVER_OIDC_ISSUER=https://login.example.com without CODEC_SERVER_OIDC_AUDIENCE', load: () => refused(() => loadCodecServerConfig({ CODEC_SERVER_OIDC_ISSUER: 'https://login.example.com' })), field: /CODEC_SERVER_OIDC_AUDIENCE:/, fix: /set CODEC_SERVER_OIDC_ISSUER and CODEC_SERVER_OIDC_AUDIENCE together/ },
  {
    input: 'NODE_ENV=production, codec server without CODEC_SERVER_TOKEN or CODEC_SERVER_OIDC_ISSUER',
    load: async () => {
      const codec = new EncryptionCodec(loadKeyRing({ inlineKeys: `k1:${Buffer.alloc(32, 1).toString('base64')}` }));
      const started = await startCodecServer({ uiOrigin: 'http://localhost:8233', codec, ...codecServerAccess(loadCodecServerConfig({ NODE_ENV: 'production' })) }).then(
        async (server) => {
          await server.close();
          return true;
        },
        (err: Error) => err.message,
      );
      return typeof started === 'string' ? { message: started, wrote: [] } : { message: 'started', wrote: ['a codec server started'] };
    },
    field: /Codec server in production needs authentication/,
    fix: /set CODEC_SERVER_TOKEN .* and\/or CODEC_SERVER_OIDC_ISSUER with CODEC_SERVER_OIDC_AUDIENCE/,
  },
  { input: 'LEDGERLINE_CODEC_KEYS=k1', load: () => refused(() => loadKeyRing({ inlineKeys: 'k1' })), field: /LEDGERLINE_CODEC_KEYS/, fix: /must look like "keyId:base64Key,otherId:base64Key"/ },
  { input: 'LEDGERLINE_BATCH_SCHEDULE=nightly', load: () => refused(() => loadScheduleConfig({ LEDGERLINE_BATCH_SCHEDULE: 'nightly' })), field: /LEDGERLINE_BATCH_SCHEDULE:/, fix: /a daily time \(02:00\) or a cron expression/ },
  { input: 'LEDGERLINE_BATCH_INPUT={"dryrun":true}', load: () => refused(() => loadScheduleConfig({ LEDGERLINE_BATCH_INPUT: '{"dryrun":true}' })), field: /LEDGERLINE_BATCH_INPUT: input: unknown field "dryrun"/, fix: /did you mean "dryRun"\?/ },
] as Array<Omit<Case, 'area'> & { load: () => Promise<Outcome> | Outcome }>).map((c) => ({ ...c, area: 'environment' as const }));

describe('environment', () => {
  it.each(envCases.map((c) => [c.input, c] as const))('%s', async (_input, c) => {
    await check(c, async () => c.load());
  });
});

// ------------------------------------------------------------------ state

/** A token file with `content`: loading and rotating it must fail without calling QuickBooks or writing the file. */
async function corruptTokenFile(content: string): Promise<Outcome> {
  const path = join(dir, `tokens-${results.length}.json`);
  writeFileSync(path, content, { mode: 0o600 });
  const store = new FileTokenStore(path);
  const refreshes: string[] = [];
  const message = await store.rotate('any', async () => {
    refreshes.push('refresh called');
    return { accessToken: 'new', refreshToken: 'new' };
  }).then(
    () => 'accepted',
    (err: Error & { fix?: string }) => `${err.message} Fix: ${err.fix}`,
  );
  return { message, wrote: [...refreshes, ...(readFileSync(path, 'utf8') === content ? [] : ['token file changed'])] };
}

function corruptKeyFile(content: string): Outcome {
  const path = join(dir, `keys-${results.length}.json`);
  writeFileSync(path, content, { mode: 0o600 });
  return refused(() => loadKeyRing({ keyFile: path }));
}

const KEY = Buffer.alloc(32, 9).toString('base64');

const stateCases: Array<Case & { load: () => Promise<Outcome> | Outcome }> = ([
  { input: 'QBO_TOKEN_FILE: {"accessToken": "at-1", "refreshToken": rt-1}', load: () => corruptTokenFile('{"accessToken": "at-1", "refreshToken": rt-1}'), field: /QuickBooks token file .* is not valid JSON \(a syntax error\)/, fix: /restore it from a backup or Reconnect QuickBooks/ },
  { input: 'QBO_TOKEN_FILE: (empty)', load: () => corruptTokenFile(''), field: /QuickBooks token file .* is not valid JSON \(the file is empty\)/, fix: /Reconnect QuickBooks/ },
  { input: 'QBO_TOKEN_FILE: {"accessToken": "at-1"}', load: () => corruptTokenFile('{"accessToken": "at-1"}'), field: /is not a token set \(refreshToken:/, fix: /Reconnect QuickBooks/ },
  { input: 'QBO_TOKEN_FILE: {"accessToken": 1, "refreshToken": 2}', load: () => corruptTokenFile('{"accessToken": 1, "refreshToken": 2}'), field: /is not a token set \(accessToken: Invalid input: expected string/, fix: /Reconnect QuickBooks/ },
  { input: `QBO_TOKEN_FILE: <${HUGE.length} x's>`, load: () => corruptTokenFile(HUGE), field: /QuickBooks token file .* is not valid JSON/, fix: /Reconnect QuickBooks/ },
  { input: 'LEDGERLINE_CODEC_KEY_FILE: a 16-byte key', load: () => corruptKeyFile(JSON.stringify({ currentKeyId: 'k1', keys: { k1: Buffer.alloc(16, 1).toString('base64') } })), field: /Codec key "k1"/, fix: /must be 32 bytes \(base64\), got 16/ },
  { input: 'LEDGERLINE_CODEC_KEY_FILE: {"keys": {"k1": "<key>"}}', load: () => corruptKeyFile(JSON.stringify({ keys: { k1: KEY } })), field: /malformed at currentKeyId/, fix: /expected \{"currentKeyId": "<id>", "keys"/ },
  { input: 'LEDGERLINE_CODEC_KEY_FILE: {"currentKeyId": "k9", "keys": {"k1": "<key>"}}', load: () => corruptKeyFile(JSON.stringify({ currentKeyId: 'k9', keys: { k1: KEY } })), field: /Current codec key "k9"/, fix: /set currentKeyId \(or LEDGERLINE_CODEC_CURRENT_KEY_ID\) to one of k1/ },
  {
    input: 'company state checklist {"passed": "yes", "status": "Passed"} (signalled by hand)',
    load: () => {
      const status = latestChecklistOf({ checklist: { passed: 'yes', status: 'Passed' } as never }, '9341453000000001');
      const problem = checklistGateProblem(status);
      return { message: problem ?? 'gate open', wrote: problem ? [] : ['the posting gate opened'] };
    },
    field: /checklist\.passed: Invalid input: expected boolean/,
    fix: /run goLiveChecklist again to record a fresh one/,
  },
] as Array<Omit<Case, 'area'> & { load: () => Promise<Outcome> | Outcome }>).map((c) => ({ ...c, area: 'state' as const }));

describe('state', () => {
  it.each(stateCases.map((c) => [c.input, c] as const))('%s', async (_input, c) => {
    await check(c, async () => c.load());
  });
});

// ------------------------------------------------------------------ API responses

interface Canned {
  status: number;
  body: string;
  type?: string;
}

let api: Server;
let origin = '';
let answer: Canned = { status: 200, body: '' };
let seen: string[] = [];
beforeAll(async () => {
  api = createServer((req, res) => {
    seen.push(`${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`);
    res.writeHead(answer.status, { 'Content-Type': answer.type ?? 'application/json' });
    res.end(answer.body);
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => api.close(() => r())));

const HTML = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>';
const psa = () => new ConnectWiseClient({ baseUrl: `${origin}/v4_6_release/apis/3.0`, companyId: 'c', publicKey: 'p', privateKey: 'k', clientId: 'i', retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 } });
const tokens = () => new MemoryTokenStore({ accessToken: 'at-live', refreshToken: 'rt-live' });
const ledger = (store = tokens()) => new QuickBooksClient({ baseUrl: origin, tokenUrl: `${origin}/oauth2/v1/tokens/bearer`, realmId: '1', clientId: 'c', clientSecret: 's', tokens: store, retry: { maxAttempts: 1 } });

/** Reads are GETs, QuickBooks queries and the token endpoint; anything else would be a write. */
const writes = (requests: string[]) => requests.filter((r) => !/^GET |^POST \/v3\/company\/1\/query$|^POST \/oauth2\/v1\/tokens\/bearer$/.test(r));

async function answered(canned: Canned, call: () => Promise<unknown>): Promise<Outcome> {
  answer = canned;
  seen = [];
  const message = await call().then(
    () => 'accepted',
    (err: Error & { fix?: string }) => `${err.message} Fix: ${err.fix}`,
  );
  return { message, wrote: writes(seen) };
}

const apiCases: Array<Case & { load: () => Promise<Outcome> | Outcome }> = ([
  { input: 'ConnectWise unposted invoices: 502 with an nginx HTML page', load: () => answered({ status: 502, body: HTML, type: 'text/html' }, () => psa().unpostedInvoices.list()), field: /GET \/finance\/accounting\/unpostedinvoices -> 502: an HTML page \("502 Bad Gateway"\)/, fix: /retried with backoff/ },
  { input: 'ConnectWise unposted invoices: 200 with an HTML page', load: () => answered({ status: 200, body: HTML, type: 'text/html' }, () => psa().unpostedInvoices.list()), field: /GET \/finance\/accounting\/unpostedinvoices answered an HTML page/, fix: /Check that CW_BASE_URL is the site's API URL/ },
  { input: 'ConnectWise unposted invoices: 200 with an empty body', load: () => answered({ status: 200, body: '' }, () => psa().unpostedInvoices.list()), field: /unpostedinvoices returned an unexpected shape at \(body\): Invalid input: expected array/, fix: /Check CW_API_VERSION/ },
  { input: 'ConnectWise unposted invoices: [{"id":1}] (no company)', load: () => answered({ status: 200, body: '[{"id":1}]' }, () => psa().unpostedInvoices.list()), field: /at 0\.company: Invalid input: expected object/, fix: /Check CW_API_VERSION/ },
  { input: 'ConnectWise companies: [{"id":"one",...}]', load: () => answered({ status: 200, body: '[{"id":"one","identifier":"A","name":"A"}]' }, () => psa().companies.list()), field: /GET \/company\/companies returned an unexpected shape at 0\.id: Invalid input: expected number/, fix: /Check CW_API_VERSION/ },
  { input: 'ConnectWise companies: 400 with a 1 MB message', load: () => answered({ status: 400, body: JSON.stringify({ code: 'InvalidObject', message: 'x'.repeat(1_000_000), errors: null }) }, () => psa().companies.list()), field: /GET \/company\/companies -> 400 InvalidObject: x+\.\.\. \(999500 more characters\)/, fix: /Correct the request/ },
  { input: 'QuickBooks query: 502 with an nginx HTML page', load: () => answered({ status: 502, body: HTML, type: 'text/html' }, () => ledger().listTerms()), field: /GET \/query failed: HTTP 502 with an HTML page \("502 Bad Gateway"\)/, fix: /the call is retried/ },
  { input: 'QuickBooks query: 200 with an HTML page', load: () => answered({ status: 200, body: HTML, type: 'text/html' }, () => ledger().listTerms()), field: /GET \/query answered an HTML page/, fix: /Check that QBO_BASE_URL is the QuickBooks API/ },
  { input: 'QuickBooks query: 200 with an empty body', load: () => answered({ status: 200, body: '' }, () => ledger().listTerms()), field: /GET \/query answered an empty body/, fix: /Check that QBO_BASE_URL is the QuickBooks API/ },
  { input: 'QuickBooks query: {"time": "..."} (no QueryResponse)', load: () => answered({ status: 200, body: '{"time":"2026-12-01T00:00:00Z"}' }, () => ledger().listTerms()), field: /answered an unexpected shape at QueryResponse: Invalid input: expected object/, fix: /Check that QBO_BASE_URL/ },
  { input: 'QuickBooks query: Term with "Id": 5 (a number)', load: () => answered({ status: 200, body: '{"QueryResponse":{"Term":[{"Id":5,"Name":"Net 30"}]}}' }, () => ledger().listTerms()), field: /GET \/query \(Term\) answered an unexpected shape at 0\.Id: Invalid input: expected string/, fix: /Check that QBO_BASE_URL/ },
  { input: 'QuickBooks query: 400 Fault with a 1 MB Detail', load: () => answered({ status: 400, body: JSON.stringify({ Fault: { Error: [{ Message: 'Business Validation Error', Detail: 'y'.repeat(1_000_000), code: '6000' }], type: 'ValidationFault' } }) }, () => ledger().listTerms()), field: /Business Validation Error \(code 6000\): y+\.\.\. \(999500 more characters\)/, fix: /Correct the data QuickBooks rejected/ },
  {
    input: 'QuickBooks token endpoint: 200 {"access_token": "..."} (no refresh_token)',
    load: async () => {
      const store = tokens();
      const before = await store.load();
      const outcome = await answered({ status: 200, body: '' }, async () => {
        // The API answers 401 first, then the token endpoint answers without a refresh token.
        let calls = 0;
        const client = new QuickBooksClient({
          baseUrl: origin,
          tokenUrl: `${origin}/oauth2/v1/tokens/bearer`,
          realmId: '1',
          clientId: 'c',
          clientSecret: 's',
          tokens: store,
          retry: { maxAttempts: 1 },
          fetch: async (url, init) => {
            answer = ++calls === 1 ? { status: 401, body: '' } : { status: 200, body: '{"access_token":"at-new","expires_in":3600,"token_type":"bearer"}' };
            return fetch(url, init);
          },
        });
        return client.listTerms();
      });
      return { ...outcome, wrote: [...outcome.wrote, ...(JSON.stringify(await store.load()) === JSON.stringify(before) ? [] : ['tokens replaced'])] };
    },
    field: /POST oauth2 token \(refresh_token\) answered an unexpected shape at refresh_token/,
    fix: /Check that QBO_TOKEN_URL is Intuit's token endpoint/,
  },
] as Array<Omit<Case, 'area'> & { load: () => Promise<Outcome> | Outcome }>).map((c) => ({ ...c, area: 'API response' as const }));

describe('API responses', () => {
  it.each(apiCases.map((c) => [c.input, c] as const))('%s', async (_input, c) => {
    await check(c, async () => c.load());
  });
});

it('covers at least 50 inputs across every kind of boundary', () => {
  const all = [...workflowCases, ...confirmCases, ...cliCases, ...envCases, ...stateCases, ...apiCases];
  expect(all.length + 1).toBeGreaterThanOrEqual(50);
  expect(new Set([...all.map((c) => c.area), 'update'])).toEqual(new Set(['workflow input', 'update', 'CLI argument', 'environment', 'state', 'API response']));
});
