import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { accountingBatch } from '../../workflows';
import { progressQuery, retryFailedUpdate } from '../../workflows/definitions';
import { activityDoubles, fakeWorld, makeRefs, type FakeWorld } from '../helpers/activity-doubles';
import { stackDataConverter, workflowBundle } from '../../dev/stack/temporal';
import { startTimeSkippingEnv } from '../helpers/time-skipping-env';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

let queueCounter = 0;

/** Runs `fn` with a workflow worker and an accounting-queue worker serving the doubles. */
async function withWorkers<T>(world: FakeWorld, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `batch-test-${++queueCounter}`;
  const common = { connection: env.nativeConnection, activities: activityDoubles(world), dataConverter: stackDataConverter() };
  const main = await Worker.create({ ...common, taskQueue, workflowBundle: await workflowBundle() });
  const accounting = await Worker.create({ ...common, taskQueue: `${taskQueue}-accounting` });
  const run = fn(taskQueue);
  await Promise.all([main.runUntil(run), accounting.runUntil(run)]);
  return run;
}

describe('accountingBatch workflow', () => {
  it('rejects invalid input at once, naming the field, and touches nothing', async () => {
    const world = fakeWorld(makeRefs('invoice', 2));
    const err = await withWorkers(world, (taskQueue) =>
      env.client.workflow
        .execute(accountingBatch, { taskQueue, workflowId: 'invalid-input', args: [{ chunkSize: 0, thruDate: '2026-13-40' } as never] })
        .catch((e: unknown) => e),
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('InvalidInput');
    expect(cause.nonRetryable).toBe(true);
    expect(cause.message).toMatch(/thruDate/);
    expect(cause.message).toMatch(/chunkSize/);
    expect(world.calls).toEqual([]);
  });

  it('posts, reconciles, marks exported and mails a report for every kind', async () => {
    const world = fakeWorld([...makeRefs('invoice', 3), ...makeRefs('expense', 2, 100), ...makeRefs('procurement', 1, 200)]);
    const summary = await withWorkers(world, (taskQueue) =>
      env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'happy', args: [{ batchId: 'B1' }] }),
    );
    expect(summary.status).toBe('Completed');
    expect(summary.byKind.invoice).toMatchObject({ collected: 3, posted: 3, failed: 0, totals: { posted: '300.75', failed: '0.00' } });
    expect(summary.byKind.expense.posted).toBe(2);
    expect(summary.byKind.procurement.posted).toBe(1);
    expect(world.exported.map((e) => e.batchIdentifier).sort()).toEqual(['B1-0-E', 'B1-0-I', 'B1-0-P']);
    expect(world.unposted).toEqual([]);
    expect(world.mails).toHaveLength(1);
  });

  it('splits big batches into child workflows of chunkSize records', async () => {
    const world = fakeWorld(makeRefs('invoice', 250));
    const summary = await withWorkers(world, (taskQueue) =>
      env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'chunked', args: [{ batchId: 'BIG', chunkSize: 100 }] }),
    );
    expect(summary.byKind.invoice.posted).toBe(250);
    expect(summary.exportedBatches.sort()).toEqual(['BIG-0-I', 'BIG-1-I', 'BIG-2-I']);
  });

  it('dry run resolves and reports what it would create, writing nothing', async () => {
    const world = fakeWorld(makeRefs('invoice', 2));
    const summary = await withWorkers(world, (taskQueue) =>
      env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'dry', args: [{ dryRun: true }] }),
    );
    expect(summary.status).toBe('DryRun');
    expect(summary.wouldCreate.map((w) => w.docNumber)).toEqual(['INV-1', 'INV-2']);
    expect(world.ledger.size).toBe(0);
    expect(world.exported).toEqual([]);
    expect(world.calls).not.toContain('postRecords');
  });

  it('ends PartiallyFailed on a broken mapping, then retryFailed posts only the failed records', async () => {
    const world = fakeWorld(makeRefs('invoice', 3));
    world.broken.add('INV-2');
    await withWorkers(world, async (taskQueue) => {
      const handle = await env.client.workflow.start(accountingBatch, { taskQueue, workflowId: 'retry', args: [{ batchId: 'R1' }] });
      // Wait for the first round to finish (the report is mailed before awaiting a retry).
      while ((await handle.query(progressQuery)).stage !== 'awaitingRetry') await env.sleep('1 second');
      const first = world.mails[0].summary;
      expect(first.status).toBe('PartiallyFailed');
      expect(first.failures).toEqual([expect.objectContaining({ number: 'INV-2', type: 'MappingMissing', fix: expect.stringMatching(/My Company: Owner/) })]);

      world.broken.clear();
      const afterRetry = await handle.executeUpdate(retryFailedUpdate);
      expect(afterRetry.byKind.invoice).toMatchObject({ posted: 3, failed: 0, totals: { posted: '300.75', failed: '0.00' } });
      const final = await handle.result();
      expect(final.status).toBe('Completed');
      expect(final.retries).toBe(1);
      expect(world.exported.map((e) => e.batchIdentifier)).toEqual(['R1-0-I', 'R1-r1-0-I']);
      expect(world.mails).toHaveLength(2);
    });
  });

  it('stops with a clear message when the accounting package rejects our credentials', async () => {
    const world = fakeWorld(makeRefs('invoice', 4));
    world.postFailure = ApplicationFailure.nonRetryable('QuickBooks refused the token (3200)', 'AuthenticationFailed');
    const err = await withWorkers(world, (taskQueue) =>
      env.client.workflow
        .execute(accountingBatch, { taskQueue, workflowId: 'auth', args: [{ batchId: 'AUTH', chunkSize: 2, maxConcurrentChunks: 1 }] })
        .catch((e: unknown) => e),
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('BatchFailed');
    expect(cause.message).toMatch(/AuthenticationFailed: QuickBooks refused the token/);
    // Reported once, and the second chunk was never started.
    expect(world.mails).toHaveLength(1);
    expect(world.mails[0].summary).toMatchObject({ status: 'Failed', fatalError: expect.stringMatching(/AuthenticationFailed/) });
    expect(world.calls.filter((c) => c === 'postRecords')).toHaveLength(1);
    expect(world.exported).toEqual([]);
  });

  it('refuses to post while the go-live checklist has not passed, naming what failed', async () => {
    const world = fakeWorld(makeRefs('invoice', 2));
    world.checklist = { ...world.checklist!, passed: false, status: 'Failed', failed: ['terms-xref'] };
    const err = await withWorkers(world, (taskQueue) =>
      env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'gate', args: [{}] }).catch((e: unknown) => e),
    );
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('ChecklistNotPassed');
    expect(cause.message).toMatch(/failed: terms-xref/);
    expect(world.calls).not.toContain('collectUnposted');
    expect(world.ledger.size).toBe(0);
    expect(world.mails[0].summary.status).toBe('Failed');
  });

  it('posts with override: true and records the override in the report', async () => {
    const world = fakeWorld(makeRefs('invoice', 2));
    world.checklist = undefined;
    const summary = await withWorkers(world, (taskQueue) =>
      env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'override', args: [{ override: true }] }),
    );
    expect(summary.status).toBe('Completed');
    expect(summary.overrideChecklist).toBe(true);
    expect(world.mails[0].summary.overrideChecklist).toBe(true);
  });

  it('closes PartiallyFailed when nobody retries within the retry window', async () => {
    const world = fakeWorld(makeRefs('invoice', 2));
    world.broken.add('INV-1');
    const summary = await withWorkers(world, (taskQueue) =>
      env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'window', args: [{ retryWindow: '2h' }] }),
    );
    expect(summary.status).toBe('PartiallyFailed');
    expect(summary.byKind.invoice).toMatchObject({ posted: 1, failed: 1 });
  });
});
