/**
 * Which records a batch collects and marks exported, end to end (dev server, both sandboxes):
 * records leaving and joining the unposted list between two page reads, and a batchId reused by
 * two runs (as a Schedule's fixed input does).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { accountingBatch } from '../../workflows';
import { COLLECT_PAGE_SIZE } from '../../workflows/accounting-batch';
import type { BatchSummary } from '../../domain/batch-summary';
import { startLedgerStack, withStackWorkers, type LedgerStack } from '../../dev/stack/ledger-stack';
import { startDevServerEnv, stackDataConverter, workflowBundle } from '../../dev/stack/temporal';

let env: TestWorkflowEnvironment;
let stack: LedgerStack;
let queue = 0;

beforeAll(async () => {
  env = await startDevServerEnv();
  stack = await startLedgerStack({ env: { LEDGER_CONTEXT_TTL: '0ms' } });
});
afterAll(async () => {
  await stack?.close();
  await env?.teardown();
});

async function runBatch<T>(fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `it-collection-${++queue}`;
  return withStackWorkers(stack, env.nativeConnection, taskQueue, stackDataConverter(), await workflowBundle(), () => fn(taskQueue));
}

const unpostedCount = async () =>
  (await stack.deps.psa.unpostedInvoices.count()) + (await stack.deps.psa.unpostedExpenses.count()) + (await stack.deps.psa.unpostedProcurement.count());

/** Invoice ids in the sandbox, in id order, that are not closed (never closed or reopened). */
const openInvoiceIds = () =>
  stack.psa.admin
    .snapshot()
    .invoices.filter((i) => !i.closed)
    .map((i) => i.id)
    .sort((a, b) => a - b);

describe('accountingBatch: a reused batchId', () => {
  it('marks the records of both runs exported, each run in PSA batches of its own', async () => {
    await stack.psa.admin.generate({ invoices: 2, expenses: 1, procurement: 0, seed: 7 });
    const first = await runBatch((taskQueue) =>
      env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'it-reuse-1', args: [{ batchId: 'NIGHTLY' }] }),
    );
    expect(first.status).toBe('Completed');
    expect(await unpostedCount()).toBe(0);

    await stack.psa.admin.generate({ invoices: 2, expenses: 1, procurement: 0, seed: 8 });
    const before = await unpostedCount();
    expect(before).toBe(3);
    const second = await runBatch((taskQueue) =>
      env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'it-reuse-2', args: [{ batchId: 'NIGHTLY' }] }),
    );
    expect(second.status).toBe('Completed');
    expect(Object.values(second.byKind).reduce((n, t) => n + t.posted, 0)).toBe(3);
    // Posted and marked exported: nothing is left unposted in the PSA.
    expect(await unpostedCount()).toBe(0);
    expect(second.exportedBatches.length).toBeGreaterThan(0);
    for (const id of second.exportedBatches) {
      expect(id.length).toBeLessThanOrEqual(50);
      expect(first.exportedBatches).not.toContain(id);
    }
  });
});

describe('accountingBatch: records closed and reopened while collecting', () => {
  it('collects each record once and skips none that was unposted throughout', async () => {
    // One open invoice with a low id, then enough closed ones for three pages of invoices.
    await stack.psa.admin.generate({ invoices: 1, close: false, seed: 11 });
    const lateClosed = openInvoiceIds().at(-1)!;
    await stack.psa.admin.generate({ invoices: 2 * COLLECT_PAGE_SIZE + 10, seed: 12 });
    const atStart = (await stack.deps.psa.unpostedInvoices.all()).map((i) => i.id).sort((a, b) => a - b);
    expect(atStart.length).toBeGreaterThan(2 * COLLECT_PAGE_SIZE);
    expect(lateClosed).toBeLessThan(atStart[COLLECT_PAGE_SIZE]!);

    // After the first page read one invoice of that page leaves the list (reopened); after the
    // second page read the low-id invoice joins it (closed). What the batch collected is what its
    // chunks ask ConnectWise to export (a dry run resolves every collected record once).
    const reopened = atStart[3]!;
    let pageReads = 0;
    const collectedIds: number[] = [];
    const stop = stack.psa.admin.onRequest(({ method, path, body }) => {
      const route = path.toLowerCase();
      if (method === 'POST' && route === '/finance/accounting/export') collectedIds.push(...((body as { includedInvoiceIds?: number[] }).includedInvoiceIds ?? []));
      if (method !== 'GET' || route !== '/finance/accounting/unpostedinvoices') return;
      pageReads += 1;
      if (pageReads === 1) stack.psa.admin.reopen('invoice', reopened);
      if (pageReads === 2) stack.psa.admin.close('invoice', lateClosed);
    });
    let summary: BatchSummary;
    try {
      summary = await runBatch((taskQueue) =>
        env.client.workflow.execute(accountingBatch, {
          taskQueue,
          workflowId: 'it-collect-moving',
          args: [{ dryRun: true, include: { invoices: true, expenses: false, procurement: false } }],
        }),
      );
    } finally {
      stop();
    }
    expect(pageReads).toBeGreaterThanOrEqual(3);

    expect(summary.byKind.invoice.collected).toBe(collectedIds.length);

    const duplicates = collectedIds.filter((id, i) => collectedIds.indexOf(id) !== i);
    expect(duplicates).toEqual([]);
    const set = new Set(collectedIds);
    const skipped = atStart.filter((id) => id !== reopened && !set.has(id));
    expect(skipped).toEqual([]);
    // Nothing beyond what was unposted at some point while collecting.
    const ever = new Set([...atStart, lateClosed]);
    expect(collectedIds.filter((id) => !ever.has(id))).toEqual([]);
  });
});
