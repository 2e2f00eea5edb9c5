/**
 * Corrections with the worker process SIGKILLed mid-way (a real crash: no drain, in-flight QuickBooks
 * calls cut): the run finishes on a new worker once the activity's heartbeat times out, and nothing
 * is written twice or lost: each re-closed invoice updated once, each transaction of a reversed
 * batch voided or deleted once with its record unposted again (the refused one kept posted and
 * exported), each change made in QuickBooks reported once.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { accountingBatch, reverseBatch } from '../../workflows';
import type { BatchSummary } from '../../domain/batch-summary';
import type { ReversalSummary } from '../../domain/reversal';
import { withStackWorkers } from '../../dev/stack/ledger-stack';
import { spawnStackWorkers } from '../../dev/stack/worker-process';
import { stackDataConverter, workflowBundle } from '../../dev/stack/temporal';
import type { QuickBooksTransaction } from '../../integrations/quickbooks';
import { stackPerFile } from '../helpers/stack-per-file';

const held = stackPerFile();
const TASK_QUEUE = 'it-corr-kill';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inProcess = async <T>(fn: () => Promise<T>) => withStackWorkers(held.stack, held.env.nativeConnection, TASK_QUEUE, stackDataConverter(), await workflowBundle(), fn);
const postBatch = (workflowId: string, batchId: string) =>
  inProcess(() => held.env.client.workflow.execute(accountingBatch, { taskQueue: TASK_QUEUE, workflowId, args: [{ batchId, retryWindow: '1s' }] }));

/** Starts a run on a worker process, SIGKILLs it once `progressed` says so, and returns the run's handle. */
async function killedMidway(start: () => Promise<WorkflowHandle>, progressed: (handle: WorkflowHandle) => Promise<boolean>): Promise<WorkflowHandle> {
  const crashing = await spawnStackWorkers(held.stack, { temporalAddress: held.env.address, taskQueue: TASK_QUEUE, bundleCode: (await workflowBundle()).code });
  let handle: WorkflowHandle | undefined;
  try {
    handle = await start();
    while (!(await progressed(handle))) await sleep(25);
  } finally {
    await crashing.kill();
  }
  return handle;
}

const qboRows = (entity: string) => held.stack.qbo.admin.list(entity) as unknown as QuickBooksTransaction[];
const byNumber = (number: string) => qboRows('Invoice').filter((t) => t.DocNumber === number);
const isUnposted = async (id: number) => (await held.stack.deps.psa.unpostedInvoices.count({ conditions: `id=${id}` })) === 1;
const customerOf = (t: QuickBooksTransaction) => String((t as unknown as { CustomerRef: { value: string } }).CustomerRef.value);

/** The invoices a batch marked exported (its PSA batches' identifiers start with its batch id). */
function invoicesOf(batchId: string) {
  const snap = held.stack.psa.admin.snapshot();
  const entries = new Set(snap.batches.filter((b) => b.batchIdentifier.startsWith(`${batchId}.`)).flatMap((b) => b.entryIds));
  return snap.invoices.filter((i) => i.entryIds.some((id) => entries.has(id)));
}

it('edit replay: re-closed invoices are each updated in place once, the worker killed among the updates', async () => {
  held.stack.psa.admin.generate({ invoices: 14, expenses: 0, procurement: 0, seed: 31 });
  expect((await postBatch('it-kill-edit-0', 'KE0')).status).toBe('Completed');
  const invoices = invoicesOf('KE0').filter((i) => i.type === 'Standard' && i.lines.some((l) => l.kind === 'time' && l.unitPriceCents > 0));
  expect(invoices.length).toBeGreaterThanOrEqual(10);
  const before = new Map(invoices.map((i) => [i.invoiceNumber, byNumber(i.invoiceNumber)[0]!]));
  for (const inv of invoices) {
    const line = inv.lines.findIndex((l) => l.kind === 'time');
    held.stack.psa.admin.reopen('invoice', inv.id, 'GL Reload');
    held.stack.psa.admin.editInvoiceLine(inv.id, line, { quantity: inv.lines[line]!.quantity + 1 });
    held.stack.psa.admin.close('invoice', inv.id);
  }
  const updated = () => invoices.filter((i) => byNumber(i.invoiceNumber).some((t) => t.SyncToken !== before.get(i.invoiceNumber)!.SyncToken)).length;

  // Latency keeps the updates in flight long enough to kill the worker among them.
  held.stack.qbo.admin.setKnobs({ latencyMs: 40 });
  const handle = await killedMidway(
    () => held.env.client.workflow.start(accountingBatch, { taskQueue: TASK_QUEUE, workflowId: 'it-kill-edit-1', args: [{ batchId: 'KE1', retryWindow: '1s' }] }),
    async () => updated() >= 2,
  );
  const atKill = updated();
  expect(atKill).toBeLessThan(invoices.length);
  held.stack.qbo.admin.setKnobs({ latencyMs: 0 });

  const summary = (await inProcess(() => handle.result())) as BatchSummary;
  expect(summary.failures).toEqual([]);
  expect(summary.byKind.invoice.posted + summary.byKind.invoice.alreadyPosted).toBe(invoices.length);
  for (const inv of invoices) {
    const was = before.get(inv.invoiceNumber)!;
    // The same transaction, updated exactly once, with the new revision's total; exported again.
    expect(byNumber(inv.invoiceNumber).map((t) => [t.Id, t.SyncToken])).toEqual([[was.Id, String(Number(was.SyncToken) + 1)]]);
    expect(byNumber(inv.invoiceNumber)[0]!.TotalAmt).toBeCloseTo((await held.stack.deps.psa.invoices.get(inv.id)).total!, 2);
    expect(await isUnposted(inv.id)).toBe(false);
  }
  // Updates made before the kill that the retry could not learn of are listed as already posted, never twice.
  const edits = summary.edits ?? [];
  expect(new Set(edits.map((e) => e.number)).size).toBe(edits.length);
  expect(edits.every((e) => e.outcome === 'updated')).toBe(true);
  expect(edits.length).toBeGreaterThanOrEqual(invoices.length - atKill);
}, 240_000);

it('batch reversal: one paid invoice refused, every other transaction voided or deleted once and its record unposted again, the worker killed among the voids', async () => {
  held.stack.psa.admin.generate({ invoices: 10, expenses: 3, procurement: 0, seed: 37 });
  const posted = await postBatch('it-kill-rev-0', 'KR0');
  expect(posted.status).toBe('Completed');
  const invoices = invoicesOf('KR0').filter((i) => i.type !== 'CreditMemo');
  const records = posted.byKind.invoice.posted + posted.byKind.expense.posted;
  const paid = invoices.find((i) => i.type === 'Standard')!;
  const paidTxn = byNumber(paid.invoiceNumber)[0]!;
  held.stack.qbo.admin.recordPayment({ customerId: customerOf(paidTxn), amount: 5, invoiceIds: [paidTxn.Id], paymentRefNum: 'CHK-KILL' });
  const before = new Map(invoices.map((i) => [i.invoiceNumber, byNumber(i.invoiceNumber)[0]!]));
  const expenses = [...qboRows('JournalEntry'), ...qboRows('Purchase'), ...qboRows('Bill')].filter((t) => /\[ledgerline-posted:KR0;/.test(t.PrivateNote ?? ''));
  expect(expenses).toHaveLength(3);
  const voided = () => invoices.filter((i) => byNumber(i.invoiceNumber).some((t) => t.TotalAmt === 0)).length;

  held.stack.qbo.admin.setKnobs({ latencyMs: 40 });
  const handle = await killedMidway(
    () => held.env.client.workflow.start(reverseBatch, { taskQueue: TASK_QUEUE, workflowId: 'it-kill-rev', args: [{ batch: 'it-kill-rev-0', dryRun: false }] }),
    async () => voided() >= 2,
  );
  expect(voided()).toBeLessThan(invoices.length - 1);
  held.stack.qbo.admin.setKnobs({ latencyMs: 0 });

  const summary = (await inProcess(() => handle.result())) as ReversalSummary;
  expect(summary.status).toBe('PartiallyReversed');
  expect(summary.counts).toMatchObject({ records, refused: 1, failed: 0 });
  expect(summary.counts.reversed + summary.counts.alreadyGone).toBe(records - 1);
  for (const inv of invoices) {
    const now = byNumber(inv.invoiceNumber);
    const was = before.get(inv.invoiceNumber)!;
    if (inv.id === paid.id) {
      // Refused: untouched, still posted and exported.
      expect(now.map((t) => [t.SyncToken, t.TotalAmt])).toEqual([[was.SyncToken, was.TotalAmt]]);
      expect(await isUnposted(inv.id)).toBe(false);
    } else {
      // Tagged and voided: two writes, never a second void.
      expect(now.map((t) => [t.TotalAmt, t.SyncToken])).toEqual([[0, String(Number(was.SyncToken) + 2)]]);
      expect(await isUnposted(inv.id)).toBe(true);
    }
  }
  const left = new Set([...qboRows('JournalEntry'), ...qboRows('Purchase'), ...qboRows('Bill')].map((t) => t.Id));
  expect(expenses.filter((t) => left.has(t.Id))).toEqual([]);
  expect(await held.stack.deps.psa.unpostedExpenses.count()).toBe(3);

  // No record lost: posting again brings back every reversed one, once.
  const again = await postBatch('it-kill-rev-1', 'KR1');
  expect(again.status).toBe('Completed');
  expect(again.byKind.invoice.posted + again.byKind.expense.posted).toBe(records - 1);
  for (const inv of invoices) expect(byNumber(inv.invoiceNumber).filter((t) => t.TotalAmt !== 0)).toHaveLength(1);
}, 240_000);

it('QuickBooks changes: an edit and a void are reported once by the next batch, the worker killed while it checks', async () => {
  const [edited, voided] = invoicesOf('KE1').filter((i) => i.type === 'Standard');
  const ledger = held.stack.deps.ledger;
  const editedTxn = (await ledger.queryAll('Invoice', { where: [{ field: 'DocNumber', op: '=', value: edited!.invoiceNumber }] }))[0]!;
  await ledger.update('Invoice', { Id: editedTxn.Id, SyncToken: editedTxn.SyncToken, TxnDate: '2026-11-30' });
  const voidedTxn = byNumber(voided!.invoiceNumber)[0]!;
  await ledger.void('Invoice', { Id: voidedTxn.Id, SyncToken: voidedTxn.SyncToken });
  // QuickBooks stamps changes in whole seconds; a batch checks up to the start of its current second.
  await sleep(1000 - (Date.now() % 1000) + 20);

  // A slow QuickBooks keeps the check running while the worker is killed.
  held.stack.qbo.admin.setKnobs({ latencyMs: 1500 });
  const checking = async (handle: WorkflowHandle) =>
    ((await handle.describe()).raw.pendingActivities ?? []).some((a) => a.activityType?.name === 'checkLedgerChanges' && a.lastStartedTime);
  const handle = await killedMidway(
    () => held.env.client.workflow.start(accountingBatch, { taskQueue: TASK_QUEUE, workflowId: 'it-kill-drift', args: [{ batchId: 'KD1', retryWindow: '1s' }] }),
    checking,
  );
  held.stack.qbo.admin.setKnobs({ latencyMs: 0 });
  const summary = (await inProcess(() => handle.result())) as BatchSummary;
  expect((summary.ledgerChanges ?? []).map((c) => [c.batch, c.txnId, c.change, c.detail])).toEqual(
    expect.arrayContaining([
      ['KE1', editedTxn.Id, 'edited', expect.stringMatching(/^date \d{4}-\d{2}-\d{2} -> 2026-11-30$/)],
      ['KE1', voidedTxn.Id, 'voided', expect.any(String)],
    ]),
  );
  expect(summary.ledgerChanges).toHaveLength(2);
  expect((await postBatch('it-kill-drift-next', 'KD2')).ledgerChanges).toEqual([]);
}, 240_000);
