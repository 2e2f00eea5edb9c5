/**
 * The accounting batch end to end: real Temporal dev server, both sandboxes over HTTP, the real
 * clients and activities, mail over SMTP into the sink.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { accountingBatch } from '../../workflows';
import { progressQuery, retryFailedUpdate } from '../../workflows/definitions';
import type { BatchSummary } from '../../domain/batch-summary';
import { startLedgerStack, withStackWorkers, type LedgerStack } from '../../dev/stack/ledger-stack';
import { startDevServerEnv, stackDataConverter, workflowBundle } from '../../dev/stack/temporal';
import { postedLineAccounts, unpostedInvoiceRecords } from '../helpers/posted-lines';
import { LINE_ACCOUNT_RECORDS } from '../../domain/posting';

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

const unpostedCount = async () =>
  (await stack.deps.psa.unpostedInvoices.count()) + (await stack.deps.psa.unpostedExpenses.count()) + (await stack.deps.psa.unpostedProcurement.count());

const postedCount = (s: BatchSummary) => Object.values(s.byKind).reduce((n, t) => n + t.posted, 0);
const failedCount = (s: BatchSummary) => Object.values(s.byKind).reduce((n, t) => n + t.failed, 0);

async function runBatch<T>(fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `it-batch-${++queue}`;
  return withStackWorkers(stack, env.nativeConnection, taskQueue, stackDataConverter(), await workflowBundle(), () => fn(taskQueue));
}

describe('accountingBatch against the sandboxes', () => {
  it('dry run reports what it would create and writes nothing', async () => {
    const before = await unpostedCount();
    const summary = await runBatch((taskQueue) =>
      env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'it-dry', args: [{ dryRun: true }] }),
    );
    expect(summary.status).toBe('DryRun');
    expect(summary.wouldCreate.length).toBeGreaterThan(0);
    expect(await unpostedCount()).toBe(before);
  });

  it('dry run shows where each line would post: GL account, QuickBooks account, amount and side, in the summary and the report', async () => {
    const invoices = await unpostedInvoiceRecords(stack);
    const summary = await runBatch((taskQueue) =>
      env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'it-dry-lines', args: [{ batchId: 'ITLINES', dryRun: true, notify: { email: 'lines@msp.test' } }] }),
    );
    const listed = summary.wouldCreate.filter((w) => w.lines !== undefined);
    expect(listed.length).toBe(Math.min(summary.wouldCreate.length, LINE_ACCOUNT_RECORDS));
    const shown = listed.filter((w) => w.kind === 'invoice').flatMap((w) => w.lines!.map((l) => ({ number: w.number, ...l })));
    expect(shown.length).toBeGreaterThan(0);
    // Each sales line posts to its ConnectWise GL account, on the side its GL entry is on.
    for (const l of shown) {
      const record = invoices.find((r) => r.number === l.number)!;
      const gl = record.lines.filter((g) => g.accountType !== 'Accounts Receivable' && g.accountType !== 'Sales Tax Payable')[l.line - 1];
      expect([l.glAccount, l.quickBooksAccount, l.amount, l.side]).toEqual([gl.account, gl.account, Math.abs(Number(gl.amount)).toFixed(2), gl.side === 'credit' ? 'Credit' : 'Debit']);
    }
    expect(shown.some((l) => l.quickBooksAccount === 'Deferred Revenue')).toBe(true);

    const entry = (await stack.mail.list()).find((m) => m.to.includes('lines@msp.test') && /ITLINES/.test(m.subject))!;
    const text = (await stack.mail.read(entry.id))!.text!;
    expect(text).toContain('Where each line posts');
    expect(text).toMatch(/Deferred Revenue +Deferred Revenue/);
  });

  it('flags an invoice whose agreement was cancelled after it closed: which invoice, what changed, the fix', async () => {
    const snap = stack.psa.admin.snapshot();
    const invoice = snap.invoices.find((i) => i.applyToType === 'Agreement' && i.applyToId === 1 && i.closed)!;
    const agreement = snap.agreements.find((a) => a.id === 1)!;
    const cancelledAt = new Date(Date.parse(invoice.dateClosed!) + 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    stack.psa.admin.changeAgreement(1, { cancel: { reason: 'Customer left' }, at: cancelledAt });
    const asked: string[] = [];
    const stop = stack.psa.admin.onRequest(({ path, url }) => {
      if (path.startsWith('/finance/agreements')) asked.push(url.searchParams.get('conditions') ?? path);
    });
    try {
      const summary = await runBatch((taskQueue) =>
        env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'it-stale', args: [{ dryRun: true, chunkSize: 3 }] }),
      );
      expect(summary.stale).toEqual([
        {
          kind: 'invoice',
          id: String(invoice.id),
          number: invoice.invoiceNumber,
          agreement: `"${agreement.name as string}" (id 1)`,
          change: `cancelled on ${cancelledAt.slice(0, 10)} (reason: Customer left) after the invoice closed on ${invoice.dateClosed!.slice(0, 10)}`,
          fix: expect.stringMatching(new RegExp(`^Check invoice ${invoice.invoiceNumber} against the cancellation of agreement .*issue a credit memo in ConnectWise, which the next batch posts\\.$`)),
        },
      ]);
      // One list read of the agreements the batch's invoices bill, not one per line or per invoice.
      expect(asked).toEqual(['id in (1)']);
    } finally {
      stop();
    }
  });

  it('posts every record type, reconciles, marks them exported and mails the report; a second run posts nothing', async () => {
    const before = await unpostedCount();
    expect(before).toBeGreaterThan(0);
    const invoices = await unpostedInvoiceRecords(stack);
    const summary = await runBatch((taskQueue) =>
      env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'it-full', args: [{ batchId: 'IT1', notify: { email: 'finance@msp.test' } }] }),
    );
    expect(summary.failures).toEqual([]);
    expect(summary.discrepancies).toEqual([]);
    expect(summary.status).toBe('Completed');
    for (const kind of ['invoice', 'expense', 'procurement'] as const) expect(summary.byKind[kind].posted).toBeGreaterThan(0);
    expect(postedCount(summary)).toBe(before);
    expect(await unpostedCount()).toBe(0);

    // Each invoice and credit memo line landed in its ConnectWise GL account, downpayments in the liability.
    const lines = await postedLineAccounts(stack, invoices);
    expect(lines.posted).toEqual(lines.expected);
    expect(lines.posted.some((l) => l.includes(' Deferred Revenue '))).toBe(true);
    expect(lines.posted.some((l) => l.includes(' Agreement Product Revenue '))).toBe(true);
    // The summary says where the lines of the first confirmed records posted, as reconcile confirmed them.
    expect(summary.postedLines).toHaveLength(Math.min(before, LINE_ACCOUNT_RECORDS));
    const invoiceLines = summary.postedLines!.filter((p) => p.kind === 'invoice').flatMap((p) => p.lines);
    expect(invoiceLines.length).toBeGreaterThan(0);
    for (const l of invoiceLines) expect(l.quickBooksAccount).toBe(l.glAccount);

    const mails = await stack.mail.list();
    expect(mails.some((m) => m.to.includes('finance@msp.test') && /IT1/.test(m.subject))).toBe(true);

    const again = await runBatch((taskQueue) =>
      env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'it-again', args: [{ batchId: 'IT2' }] }),
    );
    expect(postedCount(again)).toBe(0);
    expect(again.exportedBatches).toEqual([]);
  });

  it('a broken mapping ends PartiallyFailed with the fix; after the fix retryFailed posts the rest', async () => {
    const generated = await stack.psa.admin.generate({ invoices: 3, expenses: 0, procurement: 0 });
    expect(generated.invoices).toBe(3);
    // Rename the income account the demo GL setup maps revenue to: QuickBooks no longer has it.
    const [account] = (await stack.deps.ledger.listAccounts()).filter((a) => a.Name === 'Service Revenue');
    await stack.deps.ledger.update('Account', { Id: account.Id, SyncToken: account.SyncToken, Name: 'Service Revenue (old)' });

    await runBatch(async (taskQueue) => {
      const handle = await env.client.workflow.start(accountingBatch, { taskQueue, workflowId: 'it-retry', args: [{ batchId: 'IT3' }] });
      while ((await handle.query(progressQuery)).stage !== 'awaitingRetry') await new Promise((r) => setTimeout(r, 200));
      const partial = await handle.query('summary' as never) as unknown as BatchSummary;
      expect(partial.status).toBe('PartiallyFailed');
      expect(failedCount(partial)).toBeGreaterThan(0);
      expect(partial.failures[0]).toMatchObject({ type: 'AccountNotFound', message: expect.stringContaining('Service Revenue') });

      const renamed = (await stack.deps.ledger.listAccounts()).find((a) => a.Id === account.Id)!;
      await stack.deps.ledger.update('Account', { Id: renamed.Id, SyncToken: renamed.SyncToken, Name: 'Service Revenue' });
      const after = await handle.executeUpdate(retryFailedUpdate);
      expect(failedCount(after)).toBe(0);
      expect((await handle.result()).status).toBe('Completed');
    });
    expect(await unpostedCount()).toBe(0);
  });

  it('an exported invoice reloaded in ConnectWise and closed again unchanged posts nothing: no conflict, nothing twice, exported again', async () => {
    const snap = stack.psa.admin.snapshot();
    const batched = new Set(snap.glEntries.filter((e) => e.batchId !== undefined).map((e) => e.id));
    const exported = snap.invoices.find((i) => i.closed && i.type === 'Standard' && i.entryIds.length > 0 && i.entryIds.every((id) => batched.has(id)))!;
    const [before] = await stack.deps.ledger.queryAll('Invoice', { where: [{ field: 'DocNumber', op: '=', value: exported.invoiceNumber }] });
    // GL Reload reopens it (an open status), closing it again gives fresh GL entries: unposted again.
    stack.psa.admin.reopen('invoice', exported.id, 'GL Reload');
    expect(await stack.deps.psa.unpostedInvoices.count({ conditions: `id=${exported.id}` })).toBe(0);
    stack.psa.admin.close('invoice', exported.id);
    expect(await stack.deps.psa.unpostedInvoices.count({ conditions: `id=${exported.id}` })).toBe(1);
    await stack.psa.admin.generate({ invoices: 1, expenses: 0, procurement: 0 });

    const summary = await runBatch((taskQueue) =>
      env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'it-reload', args: [{ batchId: 'IT4', retryWindow: '1s' }] }),
    );
    expect(summary.status).toBe('Completed');
    expect(summary.byKind.invoice).toMatchObject({ posted: 1, alreadyPosted: 1, failed: 0 });
    expect(summary.edits).toEqual([
      expect.objectContaining({ kind: 'invoice', number: exported.invoiceNumber, outcome: 'unchanged', entity: 'Invoice', txnId: before!.Id, changes: [] }),
    ]);
    // Nothing was written or booked twice, and the new revision is exported in ConnectWise.
    const posted = await stack.deps.ledger.queryAll('Invoice', { where: [{ field: 'DocNumber', op: '=', value: exported.invoiceNumber }] });
    expect(posted.map((i) => [i.Id, i.SyncToken])).toEqual([[before!.Id, before!.SyncToken]]);
    expect(await stack.deps.psa.unpostedInvoices.count({ conditions: `id=${exported.id}` })).toBe(0);
  });
});
