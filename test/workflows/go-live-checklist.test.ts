/**
 * goLiveChecklist with time skipping and activity doubles: the manual items' waiting (confirm,
 * reminder after reminderAfter, timeout after confirmTimeout), the query while it runs, the recorded
 * latest status and the mails.
 */
import { WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Activities as LedgerActivities } from '../../activities';
import { companyLockActivities } from '../../activities/company-lock';
import type { ChecklistItem } from '../../domain/checklist';
import type { LatestChecklistStatus, SendChecklistReportInput } from '../../domain/contract';
import { goLiveChecklist } from '../../workflows';
import { checklistResultQuery, confirmManualItemUpdate } from '../../workflows/definitions';
import { stackDataConverter, workflowBundle } from '../../dev/stack/temporal';
import { startTimeSkippingEnv } from '../helpers/time-skipping-env';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

interface World {
  items: ChecklistItem[];
  mails: SendChecklistReportInput[];
  recorded: LatestChecklistStatus[];
  calls: string[];
}

const passing = (): ChecklistItem[] => [
  { id: 'connectivity', title: 'Connectivity', result: 'pass', evidence: ['ConnectWise answered.'] },
  { id: 'lock-date', title: 'Lock date', result: 'warn', evidence: ['No lock date.'], fix: 'Start the checklist with lockDate.' },
];

function doubles(world: World): Pick<LedgerActivities, 'accountingCompany' | 'runChecklistChecks' | 'sendChecklistReport' | 'recordChecklistResult' | 'latestChecklistStatus'> {
  return {
    // The real one: which company the checklist is for (the deployment's only one).
    accountingCompany: companyLockActivities({ realmId: '9341453000000001' }).accountingCompany,
    async runChecklistChecks(input) {
      world.calls.push(`runChecklistChecks:${input.lockDate ?? ''}`);
      return { items: world.items, realmId: '9341453000000001', company: 'Ledgerline IT', lockDate: input.lockDate };
    },
    async sendChecklistReport(input) {
      world.calls.push(`sendChecklistReport:${input.stage}`);
      world.mails.push(structuredClone(input));
      return { messageId: `<c${world.mails.length}@test>`, to: 'finance@example.test' };
    },
    async recordChecklistResult(input) {
      const status = { ...input, realmId: '9341453000000001' };
      world.recorded.push(status);
      return status;
    },
    async latestChecklistStatus() {
      return world.recorded.at(-1);
    },
  };
}

let queueCounter = 0;
async function withWorker<T>(world: World, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `checklist-test-${++queueCounter}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: doubles(world),
    dataConverter: stackDataConverter(),
  });
  return worker.runUntil(fn(taskQueue));
}

const newWorld = (items = passing()): World => ({ items, mails: [], recorded: [], calls: [] });

async function awaitStage(handle: WorkflowHandle, stage: string): Promise<void> {
  // Queries do not move time; this only waits for the worker to get there.
  for (let i = 0; i < 200 && (await handle.query(checklistResultQuery)).stage !== stage; i++) await new Promise((r) => setTimeout(r, 50));
}

describe('goLiveChecklist workflow', () => {
  it('rejects invalid input at once with InvalidInput naming the fields, and checks nothing', async () => {
    const world = newWorld();
    const err = await withWorker(world, (taskQueue) =>
      env.client.workflow
        .execute(goLiveChecklist, { taskQueue, workflowId: 'cl-invalid', args: [{ reminderAfter: 'soon', lockDate: '2026-13-01', extra: 1 } as never] })
        .catch((e: unknown) => e),
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('InvalidInput');
    expect(cause.nonRetryable).toBe(true);
    expect(cause.message).toMatch(/reminderAfter/);
    expect(cause.message).toMatch(/lockDate/);
    expect(world.calls).toEqual([]);
  });

  it('waits for the manual items; the query shows the checks meanwhile; confirm completes it as Passed', async () => {
    const world = newWorld();
    const result = await withWorker(world, async (taskQueue) => {
      const handle = await env.client.workflow.start(goLiveChecklist, { taskQueue, workflowId: 'cl-confirm', args: [{ lockDate: '2026-11-01' }] });
      await awaitStage(handle, 'awaitingConfirmation');
      const during = await handle.query(checklistResultQuery);
      expect(during).toMatchObject({ status: 'Incomplete', company: 'Ledgerline IT', lockDate: '2026-11-01' });
      expect(during.items.map((i) => i.id)).toEqual(['connectivity', 'lock-date']);
      expect(during.manualItems.map((m) => [m.id, m.confirmed])).toEqual([['test-invoices', false], ['chart-signoff', false]]);

      const unknown = await handle.executeUpdate(confirmManualItemUpdate, { args: [{ item: 'coffee', by: 'ana' }] }).catch((e: unknown) => e);
      expect(unknown).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(((unknown as WorkflowUpdateFailedError).cause as Error).message).toBe('unknown manual item "coffee"; this checklist waits for: test-invoices, chart-signoff');

      const after = await handle.executeUpdate(confirmManualItemUpdate, { args: [{ item: 'test-invoices', by: 'ana', note: 'checked 3 invoices' }] });
      expect(after.manualItems[0]).toMatchObject({ id: 'test-invoices', confirmed: true, by: 'ana', note: 'checked 3 invoices' });
      expect(after.status).toBe('Incomplete');
      const twice = await handle.executeUpdate(confirmManualItemUpdate, { args: [{ item: 'test-invoices', by: 'bo' }] }).catch((e: unknown) => e);
      expect(((twice as WorkflowUpdateFailedError).cause as Error).message).toMatch(/already confirmed by ana/);
      await handle.executeUpdate(confirmManualItemUpdate, { args: [{ item: 'chart-signoff', by: 'cpa@example.test' }] });
      return handle.result();
    });
    expect(result).toMatchObject({ status: 'Passed', stage: 'done', reminderSent: false });
    expect(result.manualItems.every((m) => m.confirmed && m.at)).toBe(true);
    expect(world.calls).toEqual(['runChecklistChecks:2026-11-01', 'sendChecklistReport:final']);
    expect(world.mails[0]!.summary.status).toBe('Passed');
    expect(world.recorded).toEqual([
      expect.objectContaining({ passed: true, status: 'Passed', workflowId: 'cl-confirm', failed: [], unconfirmed: [], realmId: '9341453000000001' }),
    ]);
  });

  it('e-mails a reminder after reminderAfter, and still accepts confirmations until the timeout', async () => {
    const world = newWorld();
    const result = await withWorker(world, async (taskQueue) => {
      const handle = await env.client.workflow.start(goLiveChecklist, {
        taskQueue,
        workflowId: 'cl-reminder',
        args: [{ manualItems: ['chart-signoff'], reminderAfter: '2d', confirmTimeout: '14d' }],
      });
      await awaitStage(handle, 'awaitingConfirmation');
      expect(world.mails).toEqual([]);
      await env.sleep('3d');
      const during = await handle.query(checklistResultQuery);
      expect(during.reminderSent).toBe(true);
      expect(world.mails.map((m) => m.stage)).toEqual(['reminder']);
      expect(world.mails[0]!.summary.manualItems).toEqual([expect.objectContaining({ id: 'chart-signoff', confirmed: false })]);
      await handle.executeUpdate(confirmManualItemUpdate, { args: [{ item: 'chart-signoff', by: 'cpa' }] });
      return handle.result();
    });
    expect(result).toMatchObject({ status: 'Passed', reminderSent: true });
    expect(world.mails.map((m) => m.stage)).toEqual(['reminder', 'final']);
  });

  it('gives up after confirmTimeout: items stay unconfirmed, the checklist is Incomplete and not passed', async () => {
    const world = newWorld();
    const result = await withWorker(world, async (taskQueue) => {
      const handle = await env.client.workflow.start(goLiveChecklist, { taskQueue, workflowId: 'cl-timeout', args: [{}] });
      return handle.result(); // time skips: the reminder at 2d, the timeout at 14d
    });
    expect(result).toMatchObject({ status: 'Incomplete', stage: 'done', reminderSent: true });
    expect(result.manualItems.map((m) => m.confirmed)).toEqual([false, false]);
    expect(world.mails.map((m) => [m.stage, m.summary.status])).toEqual([
      ['reminder', 'Incomplete'],
      ['final', 'Incomplete'],
    ]);
    expect(world.recorded[0]).toMatchObject({ passed: false, status: 'Incomplete', unconfirmed: ['test-invoices', 'chart-signoff'] });
    // The run is closed: a late confirmation has nowhere to go.
    const late = await env.client.workflow
      .getHandle('cl-timeout')
      .executeUpdate(confirmManualItemUpdate, { args: [{ item: 'test-invoices', by: 'ana' }] })
      .catch((e: unknown) => e);
    expect(late).toBeInstanceOf(Error);
  });

  it('does not wait when an automated check failed: Failed at once, the failure recorded and mailed', async () => {
    const items: ChecklistItem[] = [
      ...passing(),
      { id: 'gl-reload-status', title: 'GL Reload', result: 'fail', evidence: ['none'], fix: 'Create the billing status "GL Reload".' },
    ];
    const world = newWorld(items);
    const result = await withWorker(world, (taskQueue) => env.client.workflow.execute(goLiveChecklist, { taskQueue, workflowId: 'cl-failed', args: [{}] }));
    expect(result).toMatchObject({ status: 'Failed', reminderSent: false });
    expect(world.calls).toEqual(['runChecklistChecks:', 'sendChecklistReport:final']);
    expect(world.recorded[0]).toMatchObject({ passed: false, status: 'Failed', failed: ['gl-reload-status'] });
    expect(world.mails[0]!.summary.items[2]!.fix).toBe('Create the billing status "GL Reload".');
  });

  it('with no manual items, a checklist whose checks only warn passes without waiting', async () => {
    const world = newWorld();
    const result = await withWorker(world, (taskQueue) =>
      env.client.workflow.execute(goLiveChecklist, { taskQueue, workflowId: 'cl-nomanual', args: [{ manualItems: [] }] }),
    );
    expect(result).toMatchObject({ status: 'Passed', manualItems: [], reminderSent: false });
    expect(world.recorded[0]!.passed).toBe(true);
  });
});
