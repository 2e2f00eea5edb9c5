import { WorkflowClient, WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { accountingBatch } from '../../workflows';
import { progressQuery, retryFailedUpdate } from '../../workflows/definitions';
import { runTag } from '../../domain/batch-chunk';
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

/** Runs `fn` with a workflow worker and accounting-queue and batch-call-queue workers serving the doubles. */
async function withWorkers<T>(world: FakeWorld, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `batch-test-${++queueCounter}`;
  const common = { connection: env.nativeConnection, activities: activityDoubles(world), dataConverter: stackDataConverter() };
  const main = await Worker.create({ ...common, taskQueue, workflowBundle: await workflowBundle() });
  const accounting = await Worker.create({ ...common, taskQueue: `${taskQueue}-accounting` });
  const batchCalls = await Worker.create({ ...common, taskQueue: `${taskQueue}-accounting-batch-calls` });
  const run = fn(taskQueue);
  await Promise.all([main.runUntil(run), accounting.runUntil(run), batchCalls.runUntil(run)]);
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

  it('refuses a report recipient MAIL_ALLOWED_RECIPIENTS does not allow before anything is locked, read or written', async () => {
    const world = fakeWorld(makeRefs('invoice', 2));
    world.allowedRecipients = ['msp.example', 'controller@acme.example'];
    const err = await withWorkers(world, (taskQueue) =>
      env.client.workflow
        .execute(accountingBatch, { taskQueue, workflowId: 'recipient-refused', args: [{ notify: { email: 'someone@gmail.example' } }] })
        .catch((e: unknown) => e),
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('InvalidInput');
    expect(cause.message).toBe(
      'Invalid accountingBatch input: notify.email: someone@gmail.example is not an allowed report recipient (MAIL_ALLOWED_RECIPIENTS: msp.example, controller@acme.example) ' +
        'Fix: Name a recipient MAIL_ALLOWED_RECIPIENTS allows, or add the address or its domain to MAIL_ALLOWED_RECIPIENTS on the workers and restart them.',
    );
    expect(world.calls).toEqual(['checkReportRecipient']);
    expect(world.ledger.size).toBe(0);

    const allowed = await withWorkers(world, (taskQueue) =>
      env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'recipient-allowed', args: [{ dryRun: true, notify: { email: 'ap@MSP.example' } }] }),
    );
    expect(allowed.status).toBe('DryRun');
    expect(world.calls).toContain('sendBatchReport');
  });

  it('posts, reconciles, marks exported and mails a report for every kind', async () => {
    const world = fakeWorld([...makeRefs('invoice', 3), ...makeRefs('expense', 2, 100), ...makeRefs('procurement', 1, 200)]);
    let queue = '';
    const summary = await withWorkers(world, (taskQueue) => {
      queue = taskQueue;
      return env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'happy', args: [{ batchId: 'B1' }] });
    });
    expect(summary.status).toBe('Completed');
    expect(summary.byKind.invoice).toMatchObject({ collected: 3, posted: 3, failed: 0, totals: { posted: '300.75', failed: '0.00' } });
    expect(summary.byKind.expense.posted).toBe(2);
    expect(summary.byKind.procurement.posted).toBe(1);
    const run = runTag(summary.runId);
    expect(world.exported.map((e) => e.batchIdentifier).sort()).toEqual([`B1.${run}-0-E`, `B1.${run}-0-I`, `B1.${run}-0-P`]);
    expect(world.unposted).toEqual([]);
    expect(world.mails).toHaveLength(1);

    // Posts go through the company's batch-call queue; the three kinds are marked exported at once.
    const events = (await env.client.workflow.getHandle('happy/chunk-0').fetchHistory()).events ?? [];
    const scheduled = events.flatMap((e, i) => (e.activityTaskScheduledEventAttributes ? [{ i, type: e.activityTaskScheduledEventAttributes.activityType?.name, queue: e.activityTaskScheduledEventAttributes.taskQueue?.name }] : []));
    expect(scheduled.filter((a) => a.type === 'postRecords').map((a) => a.queue)).toEqual([`${queue}-accounting-batch-calls`]);
    expect(scheduled.filter((a) => a.type === 'reconcileRecords').map((a) => a.queue)).toEqual([`${queue}-accounting`]);
    const marks = scheduled.filter((a) => a.type === 'markExported').map((a) => a.i);
    expect(marks).toEqual([marks[0], marks[0]! + 1, marks[0]! + 2]);
  });

  it('reports invoices of earlier batches whose agreement changed since, and says so when that check fails, posting all the same', async () => {
    const stale = { kind: 'invoice' as const, id: '7', number: 'INV-7', agreement: '"MSA" (id 1)', change: 'cancelled on 2026-11-19', fix: 'Check invoice INV-7' };
    const flagged = fakeWorld(makeRefs('invoice', 2));
    flagged.postedStale = [stale];
    const summary = await withWorkers(flagged, (taskQueue) => env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'posted-stale', args: [{ batchId: 'PS1' }] }));
    expect(summary.stale).toEqual([stale]);
    expect(flagged.mails[0]!.summary.stale).toEqual([stale]);

    const unreadable = fakeWorld(makeRefs('invoice', 2));
    unreadable.postedStale = ApplicationFailure.nonRetryable('ConnectWise refused: 403 the API member may not view agreements', 'PermissionDenied');
    const after = await withWorkers(unreadable, (taskQueue) => env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'posted-stale-refused', args: [{ batchId: 'PS2' }] }));
    expect(after.status).toBe('Completed');
    expect(after.byKind.invoice.posted).toBe(2);
    expect(after.agreementCheckError).toBe('PermissionDenied: ConnectWise refused: 403 the API member may not view agreements');
    expect(unreadable.mails[0]!.summary.agreementCheckError).toBe(after.agreementCheckError);
  });

  it('reports transactions changed in QuickBooks since the last check, and says so when that check fails, posting all the same', async () => {
    const change = { batch: 'B0', record: 'Standard INV-9 (PSA id 9)', entity: 'Invoice', txnId: '77', change: 'voided' as const, detail: 'voided in QuickBooks', fix: 'Credit it in ConnectWise too.' };
    const changed = fakeWorld(makeRefs('invoice', 2));
    changed.ledgerChanges = [change];
    const summary = await withWorkers(changed, (taskQueue) => env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'ledger-changes', args: [{ batchId: 'LC1' }] }));
    expect(summary.ledgerChanges).toEqual([change]);
    expect(changed.mails[0]!.summary.ledgerChanges).toEqual([change]);
    // Checked before anything of this batch posts.
    expect(changed.calls.indexOf('checkLedgerChanges')).toBeLessThan(changed.calls.indexOf('postRecords'));

    const unreadable = fakeWorld(makeRefs('invoice', 2));
    unreadable.ledgerChanges = ApplicationFailure.nonRetryable('QuickBooks refused: 403', 'PermissionDenied');
    const after = await withWorkers(unreadable, (taskQueue) => env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'ledger-changes-refused', args: [{ batchId: 'LC2' }] }));
    expect(after.status).toBe('Completed');
    expect(after.byKind.invoice.posted).toBe(2);
    expect(after.ledgerCheckError).toBe('PermissionDenied: QuickBooks refused: 403');
  });

  it('splits big batches into child workflows of chunkSize records', async () => {
    const world = fakeWorld(makeRefs('invoice', 250));
    const summary = await withWorkers(world, (taskQueue) =>
      env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'chunked', args: [{ batchId: 'BIG', chunkSize: 100 }] }),
    );
    expect(summary.byKind.invoice.posted).toBe(250);
    const run = runTag(summary.runId);
    expect(summary.exportedBatches.sort()).toEqual([`BIG.${run}-0-I`, `BIG.${run}-1-I`, `BIG.${run}-2-I`]);
  });

  it('without a chunkSize, chunks are four whole accounting batch calls (120 records)', async () => {
    const world = fakeWorld(makeRefs('invoice', 250));
    const summary = await withWorkers(world, (taskQueue) => env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'default-chunks', args: [{ batchId: 'DEF' }] }));
    expect(summary.byKind.invoice.posted).toBe(250);
    const run = runTag(summary.runId);
    expect(summary.exportedBatches.sort()).toEqual([`DEF.${run}-0-I`, `DEF.${run}-1-I`, `DEF.${run}-2-I`]);
    const children = (await env.client.workflow.getHandle('default-chunks').fetchHistory()).events!.flatMap((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? []);
    expect(children.filter((id) => id.startsWith('default-chunks/'))).toEqual(['default-chunks/chunk-0', 'default-chunks/chunk-1', 'default-chunks/chunk-2']);
    expect(world.calls.filter((c) => c === 'postRecords')).toHaveLength(9);
    // Reading back is a query per kind, not a batch call: one reconcile per chunk.
    expect(world.calls.filter((c) => c === 'reconcileRecords')).toHaveLength(3);
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
      const run = runTag(final.runId);
      expect(world.exported.map((e) => e.batchIdentifier)).toEqual([`R1.${run}-0-I`, `R1.${run}-r1-0-I`]);
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

  describe('one batch per accounting company', () => {
    /** A gate that holds postRecords until opened. */
    const gate = () => {
      let open!: () => void;
      const closed = new Promise<void>((resolve) => (open = resolve));
      return { closed, open };
    };
    // A plain client: these tests race real activities, so time must not jump while they wait.
    const realTime = () => new WorkflowClient({ connection: env.connection, namespace: env.namespace, dataConverter: stackDataConverter() });
    const pause = () => new Promise((resolve) => setTimeout(resolve, 100));
    const stageOf = async (handle: WorkflowHandle) => (await handle.query(progressQuery)).stage;

    it('refuses the second of two batches started at the same moment, naming the running one', async () => {
      const world = fakeWorld(makeRefs('invoice', 3));
      const held = gate();
      world.postGate = held.closed;
      const client = realTime();
      const outcomes = await withWorkers(world, async (taskQueue) => {
        const [a, b] = await Promise.all(['race-a', 'race-b'].map((workflowId) => client.start(accountingBatch, { taskQueue, workflowId, args: [{}] })));
        const settled = [a.result(), b.result()].map((p) => p.then((summary) => ({ summary }), (error: unknown) => ({ error })));
        const first = await Promise.race(settled);
        held.open();
        return [first, ...(await Promise.all(settled))];
      });
      const [firstSettled, ...both] = outcomes;
      // The refusal comes at once, while the other batch is still posting.
      expect(firstSettled).toHaveProperty('error');
      const refused = both.filter((o) => 'error' in o);
      const completed = both.filter((o) => 'summary' in o);
      expect(refused).toHaveLength(1);
      expect(completed).toHaveLength(1);
      const cause = (refused[0] as { error: WorkflowFailedError }).error.cause as ApplicationFailure;
      expect(cause.type).toBe('BatchAlreadyRunning');
      const winner = (completed[0] as { summary: { workflowId: string; status: string } }).summary;
      expect(winner.status).toBe('Completed');
      expect(cause.message).toContain(`npm run cli -- batch status ${winner.workflowId}`);
      // Each record posted once, by the batch that ran.
      expect(world.ledger.size).toBe(3);
      expect(world.calls.filter((c) => c === 'postRecords')).toHaveLength(1);
    });

    it('frees the company while a batch awaits retryFailed, and refuses that retry while another batch runs', async () => {
      const world = fakeWorld(makeRefs('invoice', 2));
      world.broken.add('INV-1');
      const client = realTime();
      await withWorkers(world, async (taskQueue) => {
        const waiting = await client.start(accountingBatch, { taskQueue, workflowId: 'lock-waiting', args: [{ batchId: 'W1' }] });
        while ((await stageOf(waiting)) !== 'awaitingRetry') await pause();

        // A second batch runs while the first waits; hold it mid-post and ask the first to retry.
        const held = gate();
        world.postGate = held.closed;
        world.unposted.push(...makeRefs('invoice', 1, 10));
        const other = await client.start(accountingBatch, { taskQueue, workflowId: 'lock-other', args: [{ batchId: 'O1' }] });
        while (!world.calls.includes('postRecords') || (await stageOf(other)) !== 'posting') await pause();
        const refusal = await waiting.executeUpdate(retryFailedUpdate).catch((e: unknown) => e);
        expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
        expect(((refusal as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe('BatchAlreadyRunning');
        expect((refusal as WorkflowUpdateFailedError).cause?.message).toContain('lock-other');
        held.open();

        // The other batch fails INV-1 too and waits for its own retry: the company is free again.
        while ((await stageOf(other)) !== 'awaitingRetry') await pause();
        world.broken.clear();
        const afterRetry = await waiting.executeUpdate(retryFailedUpdate);
        expect(afterRetry.byKind.invoice.failed).toBe(0);
        expect((await waiting.result()).status).toBe('Completed');
        await other.terminate('test finished');
      });
    });
  });

  it('keeps what posted when the report email fails: the result says so and retryFailed still works', async () => {
    const world = fakeWorld(makeRefs('invoice', 2));
    world.broken.add('INV-2');
    world.mailFailure = ApplicationFailure.nonRetryable('SMTP 554: relay refused', 'MailRefused');
    await withWorkers(world, async (taskQueue) => {
      const handle = await env.client.workflow.start(accountingBatch, { taskQueue, workflowId: 'mail-fails', args: [{}] });
      while ((await handle.query(progressQuery)).stage !== 'awaitingRetry') await env.sleep('1 second');
      expect((await handle.query(progressQuery)).reportError).toMatch(/report email could not be sent: MailRefused: SMTP 554/);
      world.broken.clear();
      world.mailFailure = undefined;
      const afterRetry = await handle.executeUpdate(retryFailedUpdate);
      expect(afterRetry.reportError).toBeUndefined();
      const final = await handle.result();
      expect(final.status).toBe('Completed');
      expect(world.ledger.size).toBe(2);
      expect(world.mails).toHaveLength(1);
    });
  });
});
