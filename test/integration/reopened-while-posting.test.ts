/**
 * A record reopened in ConnectWise while its batch posts it, end to end (dev server, both
 * sandboxes): the batch read it once and posts it as read; ConnectWise then refuses to mark its
 * superseded GL entries exported, so it is reported with the fix and the others are marked.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { accountingBatch } from '../../workflows';
import { progressQuery, retryFailedUpdate } from '../../workflows/definitions';
import type { BatchSummary } from '../../domain/batch-summary';
import { startLedgerStack, withStackWorkers, type LedgerStack } from '../../dev/stack/ledger-stack';
import { startDevServerEnv, stackDataConverter, workflowBundle } from '../../dev/stack/temporal';

let env: TestWorkflowEnvironment;
let stack: LedgerStack;

beforeAll(async () => {
  env = await startDevServerEnv();
  stack = await startLedgerStack();
});
afterAll(async () => {
  await stack?.close();
  await env?.teardown();
});

it('posts it as read, reports it unmarked with the fix, and marks the others exported', async () => {
  const invoices = (await stack.deps.psa.unpostedInvoices.all()).map((i) => i.id);
  const reopened = stack.psa.admin.snapshot().invoices.find((i) => i.id === invoices[1])!;

  // Reopened once the batch has posted and reconciled, as it looks for its PSA batch to mark them.
  let done = false;
  const stop = stack.psa.admin.onRequest(({ method, path }) => {
    if (done || method !== 'GET' || path.toLowerCase() !== '/finance/accounting/batches') return;
    done = true;
    stack.psa.admin.reopen('invoice', reopened.id);
  });
  await withStackWorkers(stack, env.nativeConnection, 'it-reopened', stackDataConverter(), await workflowBundle(), async () => {
    const handle = await env.client.workflow.start(accountingBatch, { taskQueue: 'it-reopened', workflowId: 'it-reopened', args: [{ include: { invoices: true, expenses: false, procurement: false } }] });
    while ((await handle.query(progressQuery)).stage !== 'awaitingRetry') await new Promise((r) => setTimeout(r, 200));
    stop();
    expect(done).toBe(true);
    const summary = (await handle.query('summary' as never)) as unknown as BatchSummary;
    expect(summary.status).toBe('PartiallyFailed');
    expect(summary.byKind.invoice).toMatchObject({ posted: invoices.length - 1, failed: 1 });
    expect(summary.failures).toEqual([
      expect.objectContaining({
        kind: 'invoice',
        id: String(reopened.id),
        type: 'Conflict',
        message: expect.stringContaining('reopened in ConnectWise while this batch posted it'),
        fix: expect.stringContaining('Close it again in ConnectWise'),
      }),
    ]);
    // The others left the unposted list; the reopened one is open, so it is not listed either.
    expect(await stack.deps.psa.unpostedInvoices.count()).toBe(0);

    // Closed again, retryFailed finds its transaction (an edit of it, were it changed) and marks it exported.
    stack.psa.admin.close('invoice', reopened.id);
    const after = await handle.executeUpdate(retryFailedUpdate);
    // Closed unchanged, the new revision finds its transaction holding what it would write.
    expect(after.byKind.invoice).toMatchObject({ posted: invoices.length - 1, alreadyPosted: 1, failed: 0 });
    expect(after.edits).toEqual([expect.objectContaining({ kind: 'invoice', number: summary.failures[0]!.number, outcome: 'unchanged' })]);
    expect((await handle.result()).status).toBe('Completed');
  });
  expect(await stack.deps.psa.unpostedInvoices.count()).toBe(0);
});
