/** reverseBatch with activity doubles on the time-skipping server: dry run, reversal per PSA batch, the company lock, failures. */
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { companyLockActivities } from '../../activities/company-lock';
import type { Activities } from '../../activities';
import type { ReturnToUnpostedInput, SendReversalReportInput } from '../../domain/contract';
import type { PsaBatchReversal, ReversalLine } from '../../domain/reversal';
import { companyLock, reverseBatch } from '../../workflows';
import { companyLockWorkflowId, releaseCompanyLockSignal } from '../../workflows/company-lock';
import { stackDataConverter, workflowBundle } from '../../dev/stack/temporal';
import { startTimeSkippingEnv } from '../helpers/time-skipping-env';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

type ReversalActivities = Pick<Activities, 'accountingCompany' | 'describeCompanyLock' | 'batchToReverse' | 'planReversal' | 'reverseTransactions' | 'returnToUnposted' | 'sendReversalReport'>;

interface World {
  companyKey: string;
  plans: Record<string, PsaBatchReversal>;
  returned: ReturnToUnpostedInput[];
  mails: SendReversalReportInput[];
  calls: string[];
  returnFailure?: Error;
}

let companies = 0;
const line = (number: string, action: ReversalLine['action'], over: Partial<ReversalLine> = {}): ReversalLine => ({
  kind: 'invoice',
  recordId: number.replace(/\D/g, ''),
  number,
  total: '10.00',
  glEntryIds: [Number(number.replace(/\D/g, '')) * 10],
  action,
  ...(action !== 'none' && { txn: { entity: 'Invoice', id: `q${number}`, total: '10.00' } }),
  ...over,
});

function world(): World {
  return {
    companyKey: `reversal-company-${++companies}`,
    plans: {
      'B1.abc1234-0-I': { source: 'B1.abc1234-0-I', identifier: 'B1.abc1234-0-I', psaBatchId: 5, kind: 'invoice', records: [line('INV-1', 'void'), line('INV-2', 'refuse', { reason: 'payment Id 9 applied', fix: 'Remove payment Id 9' }), line('INV-3', 'none')] },
      'B1.abc1234-0-E': { source: 'B1.abc1234-0-E', identifier: 'B1.abc1234-0-E', psaBatchId: 6, kind: 'expense', records: [line('EXP-4', 'delete', { kind: 'expense', txn: { entity: 'JournalEntry', id: 'j4', total: '10.00' } })] },
    },
    returned: [],
    mails: [],
    calls: [],
  };
}

function doubles(w: World): ReversalActivities {
  return {
    ...companyLockActivities({ realmId: w.companyKey }),
    async batchToReverse(input) {
      w.calls.push('batchToReverse');
      if (input.workflowId === 'missing') throw ApplicationFailure.nonRetryable('No accounting batch missing in this namespace', 'InvalidInput');
      return { workflowId: input.workflowId, batchId: 'B1', psaBatches: Object.keys(w.plans) };
    },
    async planReversal(input) {
      w.calls.push(`plan ${input.source}`);
      return w.plans[input.source]!;
    },
    async reverseTransactions(input) {
      w.calls.push('reverse');
      return input.records.map((r) => ({ ...r, result: r.action === 'void' ? 'voided' : r.action === 'delete' ? 'deleted' : r.action === 'none' ? 'alreadyGone' : 'refused' }));
    },
    async returnToUnposted(input) {
      w.calls.push(`return ${input.identifier}`);
      if (w.returnFailure) throw w.returnFailure;
      w.returned.push(input);
      return input.keptGlEntryIds.length ? { deleted: true, keptIdentifier: `${input.identifier}-K` } : { deleted: true };
    },
    async sendReversalReport(input) {
      w.calls.push('mail');
      w.mails.push(input);
      return { messageId: '<m@test>', to: 'finance@example.test' };
    },
  };
}

let queues = 0;
async function withWorker<T>(w: World, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `reversal-test-${++queues}`;
  const common = { connection: env.nativeConnection, activities: doubles(w), dataConverter: stackDataConverter() };
  const main = await Worker.create({ ...common, taskQueue, workflowBundle: await workflowBundle() });
  const accounting = await Worker.create({ ...common, taskQueue: `${taskQueue}-accounting` });
  const run = fn(taskQueue);
  await Promise.all([main.runUntil(run), accounting.runUntil(run)]);
  return run;
}

describe('reverseBatch workflow', () => {
  it('refuses input without the batch at once, naming the field', async () => {
    const w = world();
    const err = await withWorker(w, (taskQueue) => env.client.workflow.execute(reverseBatch, { taskQueue, workflowId: 'rev-invalid', args: [{ dryRun: false } as never] }).catch((e: unknown) => e));
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(((err as WorkflowFailedError).cause as ApplicationFailure).type).toBe('InvalidInput');
    expect(((err as WorkflowFailedError).cause as ApplicationFailure).message).toMatch(/batch/);
    expect(w.calls).toEqual([]);
  });

  it('is a dry run unless told otherwise: plans every PSA batch, reverses nothing, mails the plan, takes no lock', async () => {
    const w = world();
    const summary = await withWorker(w, (taskQueue) => env.client.workflow.execute(reverseBatch, { taskQueue, workflowId: 'rev-dry', args: [{ batch: 'accounting-batch-1' }] }));
    expect(summary.status).toBe('DryRun');
    expect(summary.batch).toEqual({ workflowId: 'accounting-batch-1', batchId: 'B1' });
    expect(summary.counts).toEqual({ records: 4, reversed: 2, alreadyGone: 1, refused: 1, failed: 0 });
    expect(w.calls).toEqual(['batchToReverse', 'plan B1.abc1234-0-I', 'plan B1.abc1234-0-E', 'mail']);
    expect(w.mails[0]!.summary.status).toBe('DryRun');
  });

  it('reverses each PSA batch, then returns its records, keeping the refused one exported; mails the result', async () => {
    const w = world();
    const summary = await withWorker(w, (taskQueue) => env.client.workflow.execute(reverseBatch, { taskQueue, workflowId: 'rev-run', args: [{ batch: 'accounting-batch-1', dryRun: false }] }));
    expect(summary.status).toBe('PartiallyReversed');
    expect(summary.counts).toEqual({ records: 4, reversed: 2, alreadyGone: 1, refused: 1, failed: 0 });
    expect(w.calls.filter((c) => c !== 'accountingCompany')).toEqual(['batchToReverse', 'plan B1.abc1234-0-I', 'reverse', 'return B1.abc1234-0-I', 'plan B1.abc1234-0-E', 'reverse', 'return B1.abc1234-0-E', 'mail']);
    expect(w.returned).toEqual([
      { company: 'default', identifier: 'B1.abc1234-0-I', psaBatchId: 5, kind: 'invoice', keptGlEntryIds: [20] },
      { company: 'default', identifier: 'B1.abc1234-0-E', psaBatchId: 6, kind: 'expense', keptGlEntryIds: [] },
    ]);
    expect(summary.psaBatches.map((b) => b.returned)).toEqual([
      { deleted: true, keptIdentifier: 'B1.abc1234-0-I-K', kept: 1, returned: 2 },
      { deleted: true, kept: 0, returned: 1 },
    ]);
    expect(w.mails.map((m) => m.summary.status)).toEqual(['PartiallyReversed']);
  });

  it('reverses a big PSA batch in groups, then returns it once', async () => {
    const w = world();
    const records = Array.from({ length: 65 }, (_, i) => line(`INV-${i + 1}`, 'void'));
    w.plans = { 'B2.abc1234-0-I': { source: 'B2.abc1234-0-I', identifier: 'B2.abc1234-0-I', psaBatchId: 7, kind: 'invoice', records } };
    const summary = await withWorker(w, (taskQueue) => env.client.workflow.execute(reverseBatch, { taskQueue, workflowId: 'rev-big', args: [{ batch: 'accounting-batch-2', dryRun: false }] }));
    expect(summary.counts).toEqual({ records: 65, reversed: 65, alreadyGone: 0, refused: 0, failed: 0 });
    expect(w.calls.filter((c) => c === 'reverse')).toHaveLength(3);
    expect(w.returned).toEqual([{ company: 'default', identifier: 'B2.abc1234-0-I', psaBatchId: 7, kind: 'invoice', keptGlEntryIds: [] }]);
  });

  it('is refused while a batch holds the company, naming it', async () => {
    const w = world();
    const holder = await env.client.workflow.start(companyLock, {
      taskQueue: 'unused',
      workflowId: companyLockWorkflowId('accounting-batch', w.companyKey),
      args: [{ purpose: 'accounting-batch', holder: 'accounting-batch-running' }],
    });
    try {
      const err = await withWorker(w, (taskQueue) => env.client.workflow.execute(reverseBatch, { taskQueue, workflowId: 'rev-refused', args: [{ batch: 'accounting-batch-1', dryRun: false }] }).catch((e: unknown) => e));
      expect(((err as WorkflowFailedError).cause as ApplicationFailure).type).toBe('BatchAlreadyRunning');
      expect(w.calls.filter((c) => c !== 'accountingCompany' && c !== 'describeCompanyLock')).toEqual([]);
    } finally {
      await holder.signal(releaseCompanyLockSignal).catch(() => undefined);
    }
  });

  it('stops on a failure that outlasts the retries: Failed, mailed, the lock given back', async () => {
    const w = world();
    w.returnFailure = ApplicationFailure.nonRetryable('ConnectWise refused: 403 the API member may not delete batches', 'PermissionDenied');
    const err = await withWorker(w, (taskQueue) => env.client.workflow.execute(reverseBatch, { taskQueue, workflowId: 'rev-failed', args: [{ batch: 'accounting-batch-1', dryRun: false }] }).catch((e: unknown) => e));
    expect(((err as WorkflowFailedError).cause as ApplicationFailure).type).toBe('ReversalFailed');
    expect(w.mails[0]!.summary).toMatchObject({ status: 'Failed', fatalError: 'PermissionDenied: ConnectWise refused: 403 the API member may not delete batches' });
    // The company is free again: a dry run and a reversal can start.
    const again = world();
    again.companyKey = w.companyKey;
    const next = await withWorker(again, (taskQueue) => env.client.workflow.execute(reverseBatch, { taskQueue, workflowId: 'rev-after-failed', args: [{ batch: 'accounting-batch-1', dryRun: false }] }));
    expect(next.status).toBe('PartiallyReversed');
  });
});
