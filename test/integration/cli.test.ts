/**
 * The ops CLI end to end: each command is spawned as `npx tsx clients/cli/main.ts ...` against a dev
 * server, with the workers (real activities, both sandboxes) running in this test process.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { psaInvoiceIdFromNote } from '../../domain/payments';
import { SCHEDULE_IDS } from '../../clients/schedules';
import { startLedgerStack, withStackWorkers, type LedgerStack } from '../../dev/stack/ledger-stack';
import { startDevServerEnv, STACK_CODEC_KEYS, stackDataConverter, workflowBundle } from '../../dev/stack/temporal';

// Each command is a fresh tsx process; on a busy two-core machine a test of several takes a while.
jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '../..');
const TASK_QUEUE = 'it-cli';

let env: TestWorkflowEnvironment;
let stack: LedgerStack;

beforeAll(async () => {
  env = await startDevServerEnv();
  stack = await startLedgerStack({ env: { LEDGER_CONTEXT_TTL: '0ms' } });
});
afterAll(async () => {
  await stack?.close();
  await env?.teardown();
});

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn('npx', ['tsx', 'clients/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: TASK_QUEUE, LEDGERLINE_CODEC_KEYS: STACK_CODEC_KEYS, ...extraEnv },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped CLI output: the expectations check its shape
const json = <T = any>(r: CliResult): T => {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
};

/** Visibility lags a little: re-run a listing command until it shows what we wait for. */
async function until(args: string[], ok: (r: CliResult) => boolean): Promise<CliResult> {
  let r = await cli(args);
  for (let i = 0; i < 20 && !ok(r); i++) {
    await new Promise((w) => setTimeout(w, 500));
    r = await cli(args);
  }
  return r;
}

const withWorkers = async <T>(fn: () => Promise<T>) => withStackWorkers(stack, env.nativeConnection, TASK_QUEUE, stackDataConverter(), await workflowBundle(), fn);

describe('ledgerline CLI against the dev server', () => {
  it('checklist run, then confirm on the newest running checklist; a wrong item is refused', () =>
    withWorkers(async () => {
      // First in this file: the demo is clean, so every automated check passes and the run waits.
      const run = await cli(['checklist', 'run', '--json', '--lock-date', '2026-11-01', '--item', 'test-invoices', 'chart-signoff', '--id', 'it-cli-checklist']);
      expect(run.code).toBe(0);
      const summary = json(run);
      expect(summary).toMatchObject({ workflowId: 'it-cli-checklist', stage: 'awaitingConfirmation', status: 'Incomplete' });
      expect(summary.items.filter((i: { result: string }) => i.result === 'fail')).toEqual([]);

      const confirmed = await until(['checklist', 'confirm', 'test-invoices', '--by', 'ops', '--note', 'checked 3', '--json'], (r) => !/No go-live checklist is waiting/.test(r.stderr));
      expect(confirmed.code).toBe(0);
      expect(json(confirmed).manualItems).toEqual([
        expect.objectContaining({ id: 'test-invoices', confirmed: true, by: 'ops', note: 'checked 3' }),
        expect.objectContaining({ id: 'chart-signoff', confirmed: false }),
      ]);
      const unknown = await cli(['checklist', 'confirm', 'no-such-item', '--id', 'it-cli-checklist', '--by', 'ops']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/^error: /m);
      expect(unknown.stderr).toMatch(/no-such-item/);
      const text = await cli(['checklist', 'confirm', 'chart-signoff', '--id', 'it-cli-checklist', '--by', 'cpa']);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^Confirmed chart-signoff by cpa\./);
      expect(text.stdout).toMatch(/DONE test-invoices/);

      const finished = await cli(['checklist', 'confirm', 'chart-signoff', '--id', 'it-cli-checklist', '--by', 'cpa']);
      expect(finished.code).toBe(1);
      expect(finished.stderr).toMatch(/^error: (it-cli-checklist has already finished|The workflow refused the request)/m);
    }));

  it('batch start: a dry run followed with a progress bar, then a real run; status of a started batch', () =>
    withWorkers(async () => {
      const dry = await cli(['batch', 'start', '--dry-run', '--follow', '--json', '--override-checklist', '--id', 'it-cli-dry']);
      expect(dry.code).toBe(0);
      expect(json(dry)).toMatchObject({ workflowId: 'it-cli-dry', status: 'DryRun' });
      expect(dry.stderr).toMatch(/Started accounting batch it-cli-dry/);
      expect(dry.stderr).toMatch(/collecting: \d+ records|\] \d+\/\d+ chunks/);

      const real = await cli(['batch', 'start', '--follow', '--override-checklist', '--thru', '2099-12-31', '--id', 'it-cli-real']);
      expect(real.code).toBe(0);
      expect(real.stdout).toMatch(/^Batch it-cli-real \(it-cli-real\): Completed, thru 2099-12-31/);
      expect(real.stdout).toMatch(/invoice: collected \d+, posted [1-9]/);

      const started = await cli(['batch', 'start', '--json', '--dry-run', '--override-checklist', '--id', 'it-cli-bg']);
      expect(started.code).toBe(0);
      expect(json(started)).toEqual({ workflowId: 'it-cli-bg', runId: expect.any(String) });
      await env.client.workflow.getHandle('it-cli-bg').result();
      const status = await cli(['batch', 'status', 'it-cli-bg', '--json']);
      expect(status.code).toBe(0);
      expect(json(status)).toMatchObject({ workflowId: 'it-cli-bg', execution: 'COMPLETED', batchStatus: 'Completed', summary: { status: 'DryRun' } });
    }));

  it('a failing batch: non-zero exit with the fix, listed by --failed, status while waiting, retry after the fix', () =>
    withWorkers(async () => {
      await stack.psa.admin.generate({ invoices: 2, expenses: 0, procurement: 0 });
      const [account] = (await stack.deps.ledger.listAccounts()).filter((a) => a.Name === 'Service Revenue');
      await stack.deps.ledger.update('Account', { Id: account.Id, SyncToken: account.SyncToken, Name: 'Service Revenue (old)' });

      const failed = await cli(['batch', 'start', '--follow', '--override-checklist', '--id', 'it-cli-fail']);
      expect(failed.code).toBe(1);
      expect(failed.stdout).toMatch(/FAILED invoice .*AccountNotFound/);
      expect(failed.stderr).toMatch(/error: Batch .* is PartiallyFailed: \d+ record\(s\) failed\. .*batch retry it-cli-fail/);

      const listed = await until(['batch', 'list', '--failed', '--json'], (r) => r.stdout.includes('it-cli-fail'));
      const rows = json<Array<{ workflowId: string; batchStatus: string; failed: number }>>(listed);
      expect(rows.map((r) => r.workflowId)).toEqual(['it-cli-fail']);
      expect(rows[0]).toMatchObject({ batchStatus: 'PartiallyFailed', failed: expect.any(Number) });
      expect(rows[0].failed).toBeGreaterThan(0);
      const text = await cli(['batch', 'list']);
      expect(text.stdout).toMatch(/WORKFLOW ID\s+BATCH\s+STATUS/);
      expect(text.stdout).toMatch(/it-cli-real/);

      const status = await cli(['batch', 'status', 'it-cli-fail']);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/PartiallyFailed/);
      expect(status.stdout).toMatch(/running: .*awaitingRetry/);

      const renamed = (await stack.deps.ledger.listAccounts()).find((a) => a.Id === account.Id)!;
      await stack.deps.ledger.update('Account', { Id: renamed.Id, SyncToken: renamed.SyncToken, Name: 'Service Revenue' });
      const retried = await cli(['batch', 'retry', 'it-cli-fail', '--json']);
      expect(retried.code).toBe(0);
      expect(json(retried)).toMatchObject({ status: 'Completed', retries: 1 });

      const again = await cli(['batch', 'retry', 'it-cli-real']);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/^error: it-cli-real has already finished/m);
      const missing = await cli(['batch', 'status', 'no-such-batch']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/^error: No workflow no-such-batch in this namespace/m);
    }));

  it('payments sync records a QuickBooks payment once and says so the second time', () =>
    withWorkers(async () => {
      const [invoice] = (await stack.deps.ledger.queryAll('Invoice')).filter((i) => psaInvoiceIdFromNote(i.PrivateNote) !== undefined && (i.Balance ?? 0) > 0);
      const customerId = String((invoice as unknown as { CustomerRef: { value: string } }).CustomerRef.value);
      const payment = stack.qbo.admin.recordPayment({ customerId, amount: invoice.Balance!, invoiceIds: [invoice.Id] });

      const first = await cli(['payments', 'sync', '--json']);
      expect(first.code).toBe(0);
      expect(json(first)).toMatchObject({ status: 'Completed', appliedCount: 1, applied: [{ paymentRef: `QBO Payment ${payment.Id}`, invoiceNumber: invoice.DocNumber }] });

      const second = await cli(['payments', 'sync', '--since', '2000-01-01']);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/applied: 0 \(0\.00\)/);
      expect(second.stdout).toContain(`SKIPPED QBO Payment ${payment.Id} for invoice ${invoice.DocNumber}: alreadyRecorded`);
      const psaPayments = await stack.deps.psa.invoicePayments(psaInvoiceIdFromNote(invoice.PrivateNote)!).all();
      expect(psaPayments.map((p) => p.amount)).toEqual([invoice.Balance]);

      const bad = await cli(['payments', 'sync', '--since', 'last tuesday']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/error: invalid payment sync input: since/);
    }));

  it('schedules apply (twice), list, pause, trigger', () =>
    withWorkers(async () => {
      const scheduleEnv = { LEDGERLINE_BATCH_INPUT: '{"dryRun":true}' };
      const first = await cli(['schedules', 'apply'], scheduleEnv);
      expect(first.code).toBe(0);
      expect(first.stdout).toBe(`created ${SCHEDULE_IDS.batch}\ncreated ${SCHEDULE_IDS.payments}\n`);
      const second = await cli(['schedules', 'apply', '--json'], scheduleEnv);
      expect(json(second)).toEqual([
        { scheduleId: SCHEDULE_IDS.batch, outcome: 'updated' },
        { scheduleId: SCHEDULE_IDS.payments, outcome: 'updated' },
      ]);

      const paused = await cli(['schedules', 'pause', 'payments', '--note', 'month end']);
      expect(paused.stdout).toBe(`paused ${SCHEDULE_IDS.payments}\n`);
      const listed = await until(['schedules', 'list', '--json'], (r) => r.code === 0 && JSON.parse(r.stdout).some((s: { paused: boolean }) => s.paused));
      expect(json(listed)).toEqual([
        expect.objectContaining({ scheduleId: SCHEDULE_IDS.batch, workflowType: 'accountingBatch', paused: false }),
        expect.objectContaining({ scheduleId: SCHEDULE_IDS.payments, workflowType: 'paymentSync', paused: true, note: 'month end' }),
      ]);
      expect((await cli(['schedules', 'list'])).stdout).toMatch(/ledgerline-payment-sync\s+paymentSync\s+paused/);

      const triggered = await cli(['schedules', 'trigger', 'batch']);
      expect(triggered.stdout).toBe(`triggered ${SCHEDULE_IDS.batch}\n`);
      const d = await (async () => {
        for (;;) {
          const desc = await env.client.schedule.getHandle(SCHEDULE_IDS.batch).describe();
          if (desc.info.recentActions.length > 0) return desc;
          await new Promise((w) => setTimeout(w, 200));
        }
      })();
      const run = env.client.workflow.getHandle(d.info.recentActions[0].action.workflow.workflowId);
      expect(await run.result()).toMatchObject({ status: 'DryRun' });

      const unpaused = await cli(['schedules', 'unpause', 'payments']);
      expect(unpaused.code).toBe(0);
      const wrong = await cli(['schedules', 'pause', 'nightly']);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/error: Unknown schedule "nightly"/);
      const badConfig = await cli(['schedules', 'apply'], { LEDGERLINE_BATCH_SCHEDULE: 'sometimes' });
      expect(badConfig.code).toBe(1);
      expect(badConfig.stderr).toMatch(/error: Invalid schedule configuration: LEDGERLINE_BATCH_SCHEDULE/);
    }));

  it('batch reverse: a dry run by default, then --execute (a paid invoice refused, exit 1 with the fix); status of the reversal', () =>
    withWorkers(async () => {
      const dry = await cli(['batch', 'reverse', 'it-cli-real', '--id', 'it-cli-reverse-dry']);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toMatch(/^Reversal of batch \S+ \(it-cli-reverse-dry\): DryRun/);
      expect(dry.stdout).toMatch(/invoice \S+: Invoice \S+ \(Id \d+\) [\d.]+: would void/);
      expect(dry.stdout).toContain('dry run: nothing changed. Reverse with: batch reverse it-cli-real --execute');
      expect(await stack.deps.psa.unpostedInvoices.count()).toBe(0);

      const done = await cli(['batch', 'reverse', 'it-cli-real', '--execute', '--json', '--id', 'it-cli-reverse']);
      const summary = json(done);
      expect(summary.counts.reversed).toBeGreaterThan(0);
      // The payment the payment sync test recorded keeps its invoice posted: refused, naming it.
      expect(summary.status).toBe('PartiallyReversed');
      expect(done.code).toBe(1);
      expect(done.stderr).toMatch(/error: The reversal of it-cli-real is PartiallyReversed: .*batch reverse it-cli-real --execute/);
      expect(summary.records.filter((r: { result: string }) => r.result === 'refused')).toEqual([expect.objectContaining({ reason: expect.stringMatching(/has payment Id \d+/) })]);
      expect(await stack.deps.psa.unpostedInvoices.count()).toBe(summary.records.filter((r: { kind: string; result: string }) => r.kind === 'invoice' && r.result !== 'refused').length);

      const status = await cli(['batch', 'status', 'it-cli-reverse']);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/^Reversal of batch \S+ \(it-cli-reverse\): PartiallyReversed/);
      const missing = await cli(['batch', 'reverse', 'no-such-batch', '--execute']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/No accounting batch no-such-batch in this namespace/);
    }));
});
