/**
 * Corrections after sync, end to end on a dev server with both sandboxes: a record reopened and
 * closed again in ConnectWise updates its QuickBooks transaction in place (or is refused, naming the
 * payment applied to it, or the change a person made in QuickBooks); changes made in QuickBooks to
 * posted transactions are reported by the next batch, once, per posting batch; and a batch is
 * reversed (dry run first), one record refused, the rest voided or deleted and unposted again, then
 * posted again once.
 */
import { accountingBatch, reverseBatch } from '../../workflows';
import type { BatchSummary } from '../../domain/batch-summary';
import type { ReversalSummary } from '../../domain/reversal';
import { withStackWorkers } from '../../dev/stack/ledger-stack';
import { stackDataConverter, workflowBundle } from '../../dev/stack/temporal';
import { formatBatchSummary, formatReversalSummary } from '../../clients/cli/batch';
import { stackPerFile } from '../helpers/stack-per-file';
import { ledgerChanges } from '../../integrations/ledger-changes';
import type { QuickBooksTransaction } from '../../integrations/quickbooks';

const held = stackPerFile();
/** One queue for the file: the company's state (the QuickBooks check's watermark) lives per queue. */
const TASK_QUEUE = 'it-corrections';

const run = async <T>(fn: () => Promise<T>) => withStackWorkers(held.stack, held.env.nativeConnection, TASK_QUEUE, stackDataConverter(), await workflowBundle(), fn);
const batch = (workflowId: string, input: Record<string, unknown>) =>
  run(() => held.env.client.workflow.execute(accountingBatch, { taskQueue: TASK_QUEUE, workflowId, args: [{ retryWindow: '1s', ...input }] }));
const reverse = (workflowId: string, input: Record<string, unknown>) =>
  run(() => held.env.client.workflow.execute(reverseBatch, { taskQueue: TASK_QUEUE, workflowId, args: [input as never] }));

const invoiceByNumber = async (number: string) => (await held.stack.deps.ledger.queryAll('Invoice', { where: [{ field: 'DocNumber', op: '=', value: number }] })) as QuickBooksTransaction[];
const customerOf = (t: QuickBooksTransaction) => String((t as unknown as { CustomerRef: { value: string } }).CustomerRef.value);
const isUnposted = async (id: number) => (await held.stack.deps.psa.unpostedInvoices.count({ conditions: `id=${id}` })) === 1;
const mailText = async (to: string, subject: RegExp) => {
  const entry = (await held.stack.mail.list()).filter((m) => m.to.includes(to) && subject.test(m.subject)).pop();
  if (!entry) throw new Error(`no mail to ${to} matching ${subject}`);
  // One line per paragraph: the text part wraps long lines.
  return (await held.stack.mail.read(entry.id))!.text!.replace(/\s+/g, ' ');
};

/**
 * QuickBooks stamps changes in whole seconds, and a batch checks up to the start of its current
 * second: changes made just now are checked once the clock has passed into the next second.
 */
const nextSecond = () => new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));

/** Exported Standard invoices QuickBooks holds unpaid, each used by one test. */
const used = new Set<number>();
async function exportedInvoice(): Promise<{ id: number; number: string; txn: QuickBooksTransaction; timeLine: number; quantity: number; priceCents: number }> {
  const snap = held.stack.psa.admin.snapshot();
  const batched = new Set(snap.glEntries.filter((e) => e.batchId !== undefined).map((e) => e.id));
  for (const inv of snap.invoices) {
    if (used.has(inv.id) || !inv.closed || inv.type !== 'Standard' || !inv.entryIds.every((id) => batched.has(id))) continue;
    const timeLine = inv.lines.findIndex((l) => l.kind === 'time' && l.unitPriceCents > 0);
    const [txn] = await invoiceByNumber(inv.invoiceNumber);
    if (timeLine < 0 || !txn || txn.Balance !== txn.TotalAmt || Number(txn.TotalAmt) === 0) continue;
    used.add(inv.id);
    return { id: inv.id, number: inv.invoiceNumber, txn, timeLine, quantity: inv.lines[timeLine]!.quantity, priceCents: inv.lines[timeLine]!.unitPriceCents };
  }
  throw new Error('no exported, unpaid Standard invoice with a time line left');
}

/** Reopened (GL Reload), one more hour on its time line, closed again: a new revision, unposted again. */
function reclose(inv: { id: number; timeLine: number; quantity: number }): void {
  held.stack.psa.admin.reopen('invoice', inv.id, 'GL Reload');
  held.stack.psa.admin.editInvoiceLine(inv.id, inv.timeLine, { quantity: inv.quantity + 1 });
  held.stack.psa.admin.close('invoice', inv.id);
}

beforeAll(async () => {
  held.stack.psa.admin.generate({ invoices: 12, expenses: 0, procurement: 0, seed: 17 });
  const first = await batch('it-corr-first', { batchId: 'CORR0' });
  expect(first.status).toBe('Completed');
}, 240_000);

describe('edit replay: a record closed again in ConnectWise', () => {
  it('updates its unpaid QuickBooks invoice in place, line by line in the summary, the mail and the CLI; nothing twice', async () => {
    const inv = await exportedInvoice();
    reclose(inv);
    expect(await isUnposted(inv.id)).toBe(true);

    const summary = await batch('it-corr-edit', { batchId: 'EDIT1', notify: { email: 'edits@msp.test' } });
    expect(summary.status).toBe('Completed');
    expect(summary.failures).toEqual([]);
    const amount = (q: number) => ((q * inv.priceCents) / 100).toFixed(2);
    expect(summary.edits).toEqual([
      expect.objectContaining({
        kind: 'invoice',
        number: inv.number,
        outcome: 'updated',
        entity: 'Invoice',
        txnId: inv.txn.Id,
        changes: expect.arrayContaining([
          { line: inv.timeLine + 1, field: 'amount', before: amount(inv.quantity), after: amount(inv.quantity + 1) },
          { line: inv.timeLine + 1, field: 'quantity', before: String(inv.quantity), after: String(inv.quantity + 1) },
          { field: 'total', before: Number(inv.txn.TotalAmt).toFixed(2), after: expect.any(String) },
        ]),
      }),
    ]);
    // The same transaction, one version later, now the new revision's amounts; exported again in ConnectWise.
    const after = await invoiceByNumber(inv.number);
    expect(after.map((t) => [t.Id, t.SyncToken])).toEqual([[inv.txn.Id, String(Number(inv.txn.SyncToken) + 1)]]);
    expect(after[0]!.TotalAmt).toBeCloseTo((await held.stack.deps.psa.invoices.get(inv.id)).total!, 2);
    expect(await isUnposted(inv.id)).toBe(false);

    const text = await mailText('edits@msp.test', /EDIT1/);
    expect(text).toContain('Reopened and closed again in ConnectWise (1)');
    expect(text).toMatch(new RegExp(`Invoice ${inv.number}: QuickBooks Invoice ${inv.number} \\(Id ${inv.txn.Id}\\) updated from revision \\d+ to \\d+\\.`));
    expect(text).toContain(`line ${inv.timeLine + 1} amount ${amount(inv.quantity)} ${amount(inv.quantity + 1)}`);
    expect(formatBatchSummary(summary)).toContain(`EDITED invoice ${inv.number}: Invoice Id ${inv.txn.Id} updated in place`);

    // Run again: nothing is left to post, and nothing is updated a second time.
    const again = await batch('it-corr-edit-again', { batchId: 'EDIT2' });
    expect(again.edits ?? []).toEqual([]);
    expect((await invoiceByNumber(inv.number)).map((t) => t.SyncToken)).toEqual([String(Number(inv.txn.SyncToken) + 1)]);
  });

  it('refuses a paid invoice, naming the payment and the fix; QuickBooks keeps it as it is', async () => {
    const inv = await exportedInvoice();
    const payment = held.stack.qbo.admin.recordPayment({ customerId: customerOf(inv.txn), amount: 25, invoiceIds: [inv.txn.Id], txnDate: '2026-11-28', paymentRefNum: 'CHK-7731' });
    const paid = (await invoiceByNumber(inv.number))[0]!;
    reclose(inv);

    const summary = await batch('it-corr-paid', { batchId: 'EDIT3' });
    expect(summary.status).toBe('PartiallyFailed');
    expect(summary.failures).toEqual([
      expect.objectContaining({
        kind: 'invoice',
        number: inv.number,
        type: 'Conflict',
        message: expect.stringContaining(`posted as QuickBooks Invoice ${inv.number} (Id ${inv.txn.Id}), which has payment Id ${payment.Id} (ref CHK-7731, 2026-11-28, 25.00) applied`),
        fix: expect.stringContaining(`remove payment Id ${payment.Id} (ref CHK-7731, 2026-11-28, 25.00) from QuickBooks Invoice ${inv.number} (Id ${inv.txn.Id}) in QuickBooks, then retry this record`),
      }),
    ]);
    expect((await invoiceByNumber(inv.number)).map((t) => [t.Id, t.SyncToken])).toEqual([[paid.Id, paid.SyncToken]]);
    expect(await isUnposted(inv.id)).toBe(true);

    // The fix: the payment removed in QuickBooks, the next batch updates the invoice in place.
    held.stack.qbo.admin.deletePayment(payment.Id);
    const fixed = await batch('it-corr-paid-fixed', { batchId: 'EDIT4' });
    expect(fixed.failures).toEqual([]);
    expect(fixed.edits).toEqual([expect.objectContaining({ number: inv.number, outcome: 'updated', txnId: inv.txn.Id })]);
    expect(await isUnposted(inv.id)).toBe(false);
  });
});

describe('changes made in QuickBooks to posted transactions', () => {
  it('are reported by the next batch as drift, per posting batch, once; an edited one is never overwritten by a re-close', async () => {
    const edited = await exportedInvoice();
    const voided = await exportedInvoice();
    const ledger = held.stack.deps.ledger;
    // A person lowers the first line in QuickBooks, and voids another invoice.
    const lines = ((edited.txn.Line ?? []) as Array<Record<string, unknown>>).filter((l) => l.DetailType === 'SalesItemLineDetail');
    const first = lines[0]!;
    const lowered = Number(first.Amount) - 10;
    const detail = { ...(first.SalesItemLineDetail as Record<string, unknown>), Qty: 1, UnitPrice: lowered };
    await ledger.update('Invoice', { Id: edited.txn.Id, SyncToken: edited.txn.SyncToken, Line: [{ ...first, Amount: lowered, SalesItemLineDetail: detail }, ...lines.slice(1)] });
    const voidedTxn = (await invoiceByNumber(voided.number))[0]!;
    await ledger.void('Invoice', { Id: voidedTxn.Id, SyncToken: voidedTxn.SyncToken });
    // ...and deletes a third.
    const deleted = await exportedInvoice();
    await ledger.delete('Invoice', { Id: deleted.txn.Id, SyncToken: deleted.txn.SyncToken });
    // ...and ConnectWise re-closes the edited one: the re-close must not write over the person's change.
    reclose(edited);
    await nextSecond();

    const summary = await batch('it-corr-drift', { batchId: 'DRIFT1', notify: { email: 'drift@msp.test' } });
    const changes = summary.ledgerChanges ?? [];
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ batch: 'CORR0', entity: 'Invoice', txnId: edited.txn.Id, change: 'edited', detail: expect.stringMatching(/^total [\d.]+ -> [\d.]+, lines changed/) }),
        expect.objectContaining({ batch: 'CORR0', entity: 'Invoice', txnId: voidedTxn.Id, change: 'voided' }),
        expect.objectContaining({ batch: 'CORR0', entity: 'Invoice', txnId: deleted.txn.Id, change: 'deleted', record: `Standard ${deleted.number} (PSA id ${deleted.id})` }),
      ]),
    );
    expect(changes).toHaveLength(3);
    expect(summary.failures).toEqual([
      expect.objectContaining({
        number: edited.number,
        type: 'Conflict',
        message: expect.stringContaining('which was changed in QuickBooks after Ledgerline posted it (total'),
        fix: expect.stringMatching(/^Ledgerline does not overwrite changes made in QuickBooks\. To post the new revision, undo the change in QuickBooks/),
      }),
    ]);
    const kept = (await invoiceByNumber(edited.number))[0]!;
    expect(((kept.Line ?? []) as Array<{ Amount?: number }>)[0]!.Amount).toBeCloseTo(lowered, 2);
    const text = await mailText('drift@msp.test', /DRIFT1/);
    expect(text).toContain('Changed in QuickBooks after posting (3)');
    expect(text).toContain('Posted by batch CORR0:');
    expect(formatBatchSummary(summary)).toMatch(/CHANGED IN QUICKBOOKS \(posted by CORR0\) Standard \S+ \(PSA id \d+\): Invoice Id \d+ voided/);

    // The fixes: the person's change undone, the next batch updates the invoice in place; the
    // deleted one reopened and closed in ConnectWise, it posts again. And the drift is reported
    // once: that batch's window starts after it.
    const current = (await invoiceByNumber(edited.number))[0]!;
    await ledger.update('Invoice', { Id: current.Id, SyncToken: current.SyncToken, Line: lines });
    held.stack.psa.admin.reopen('invoice', deleted.id, 'GL Reload');
    held.stack.psa.admin.close('invoice', deleted.id);
    const next = await batch('it-corr-drift-next', { batchId: 'DRIFT2' });
    expect(next.ledgerChanges).toEqual([]);
    expect(next.failures).toEqual([]);
    expect(next.edits).toEqual([expect.objectContaining({ number: edited.number, outcome: 'updated', txnId: edited.txn.Id })]);
    expect(next.byKind.invoice.posted).toBe(2);
    expect((await invoiceByNumber(deleted.number)).map((t) => t.TotalAmt)).toEqual([deleted.txn.TotalAmt]);
  });

  it('beyond change data capture\'s 30 days, reads the changed transactions back (and says deletes before then cannot be seen)', async () => {
    const inv = await exportedInvoice();
    await held.stack.deps.ledger.update('Invoice', { Id: inv.txn.Id, SyncToken: inv.txn.SyncToken, TxnDate: '2026-11-29' });
    const now = Date.now();
    const check = await ledgerChanges({ psa: held.stack.deps.psa, ledger: held.stack.deps.ledger, realmId: held.stack.deps.ledger.realmId }, { since: new Date(now - 40 * 86_400_000).toISOString(), until: new Date(now + 2000).toISOString() }, now);
    expect(check.method).toBe('readBack');
    expect(check.notSeen).toMatch(/^deletes before .*: QuickBooks keeps change data capture for 30 days/);
    expect(check.changes).toEqual(expect.arrayContaining([expect.objectContaining({ txnId: inv.txn.Id, change: 'edited', detail: expect.stringMatching(/date \S+ -> 2026-11-29/) })]));
    // Put back as posted, so later batches find it as they left it.
    const now2 = (await invoiceByNumber(inv.number))[0]!;
    await held.stack.deps.ledger.update('Invoice', { Id: now2.Id, SyncToken: now2.SyncToken, TxnDate: inv.txn.TxnDate });
  });
});

describe('reverseBatch', () => {
  it('dry run lists what it would do; then reverses the batch with one paid invoice refused; again reverses nothing twice; the records post again once', async () => {
    held.stack.psa.admin.generate({ invoices: 4, expenses: 2, procurement: 0, seed: 23 });
    const posted = await batch('it-corr-rev-batch', { batchId: 'REV1' });
    expect(posted.status).toBe('Completed');
    const count = posted.byKind.invoice.posted + posted.byKind.expense.posted;
    expect(count).toBe(6);
    const snap = held.stack.psa.admin.snapshot();
    const revEntries = new Set(snap.batches.filter((b) => b.batchIdentifier.startsWith('REV1.')).flatMap((b) => b.entryIds));
    const invoices = snap.invoices.filter((i) => i.entryIds.some((id) => revEntries.has(id)));
    const paidInvoice = invoices.find((i) => i.type === 'Standard')!;
    const paidTxn = (await invoiceByNumber(paidInvoice.invoiceNumber))[0]!;
    const payment = held.stack.qbo.admin.recordPayment({ customerId: customerOf(paidTxn), amount: 10, invoiceIds: [paidTxn.Id], txnDate: '2026-11-29', paymentRefNum: 'CHK-REV' });
    const paidVersion = (await invoiceByNumber(paidInvoice.invoiceNumber))[0]!.SyncToken;
    const unpostedBefore = await held.stack.deps.psa.unpostedInvoices.count();

    const dry = await reverse('it-corr-rev-dry', { batch: 'it-corr-rev-batch', notify: { email: 'rev@msp.test' } });
    expect(dry.status).toBe('DryRun');
    expect(dry.counts).toEqual({ records: 6, reversed: 5, alreadyGone: 0, refused: 1, failed: 0 });
    expect(dry.records.find((r) => r.number === paidInvoice.invoiceNumber)).toMatchObject({ action: 'refuse', reason: expect.stringContaining(`payment Id ${payment.Id} (ref CHK-REV, 2026-11-29, 10.00)`) });
    expect(dry.records.filter((r) => r.kind === 'invoice' && r.action === 'void')).toHaveLength(invoices.length - 1);
    expect(dry.records.filter((r) => r.kind === 'expense').every((r) => r.action === 'delete')).toBe(true);
    expect(await held.stack.deps.psa.unpostedInvoices.count()).toBe(unpostedBefore);
    expect((await invoiceByNumber(paidInvoice.invoiceNumber))[0]!.SyncToken).toBe(paidVersion);
    expect(await mailText('rev@msp.test', /Reversal of batch REV1: Dry run/)).toContain('Dry run: nothing was changed.');

    const before = new Map(await Promise.all(invoices.map(async (i) => [i.invoiceNumber, (await invoiceByNumber(i.invoiceNumber))[0]!] as const)));
    const done = await reverse('it-corr-rev', { batch: 'it-corr-rev-batch', dryRun: false, notify: { email: 'rev@msp.test' } });
    expect(done.status).toBe('PartiallyReversed');
    expect(done.counts).toEqual({ records: 6, reversed: 5, alreadyGone: 0, refused: 1, failed: 0 });
    expect(done.records.find((r) => r.number === paidInvoice.invoiceNumber)).toMatchObject({ result: 'refused', fix: expect.stringContaining(`Remove payment Id ${payment.Id}`) });
    for (const inv of invoices) {
      const now = (await invoiceByNumber(inv.invoiceNumber))[0]!;
      if (inv.id === paidInvoice.id) {
        expect(now.SyncToken).toBe(paidVersion);
        expect(await isUnposted(inv.id)).toBe(false);
        continue;
      }
      // Tagged, then voided: exactly two writes.
      expect([now.TotalAmt, now.SyncToken, /\[ledgerline-reversed:REV1\]/.test(now.PrivateNote ?? '')]).toEqual([0, String(Number(before.get(inv.invoiceNumber)!.SyncToken) + 2), true]);
      expect(await isUnposted(inv.id)).toBe(true);
    }
    for (const line of done.records.filter((r) => r.kind === 'expense')) {
      expect(line.result).toBe('deleted');
      await expect(held.stack.deps.ledger.read(line.txn!.entity as 'JournalEntry', line.txn!.id)).rejects.toMatchObject({ type: 'NotFound' });
    }
    expect(await held.stack.deps.psa.unpostedExpenses.count()).toBe(2);
    expect(done.psaBatches.find((b) => b.kind === 'invoice')?.returned).toMatchObject({ deleted: true, kept: 1, keptIdentifier: expect.stringMatching(/-K$/) });
    expect(formatReversalSummary(done)).toContain(`invoice ${paidInvoice.invoiceNumber}: Invoice ${paidInvoice.invoiceNumber} (Id ${paidTxn.Id})`);
    const text = await mailText('rev@msp.test', /Reversal of batch REV1: PartiallyReversed/);
    expect(text).toContain('Refused (1)');
    expect(text).toContain(`payment Id ${payment.Id} (ref CHK-REV, 2026-11-29, 10.00)`);

    // Again: only the refused invoice is left, still refused; nothing is voided twice.
    const again = await reverse('it-corr-rev-again', { batch: 'it-corr-rev-batch', dryRun: false });
    expect(again.counts).toEqual({ records: 1, reversed: 0, alreadyGone: 0, refused: 1, failed: 0 });
    // The payment removed, the last one goes too.
    held.stack.qbo.admin.deletePayment(payment.Id);
    const last = await reverse('it-corr-rev-last', { batch: 'it-corr-rev-batch', dryRun: false });
    expect(last.status).toBe('Completed');
    expect(last.counts).toEqual({ records: 1, reversed: 1, alreadyGone: 0, refused: 0, failed: 0 });
    expect(await isUnposted(paidInvoice.id)).toBe(true);
    for (const inv of invoices) expect((await invoiceByNumber(inv.invoiceNumber)).filter((t) => t.TotalAmt !== 0)).toHaveLength(0);

    // Posted again: each record once (the voided and deleted ones are not found as posted, and QuickBooks' replay of the first creation is not taken for it).
    const reposted: BatchSummary = await batch('it-corr-rev-repost', { batchId: 'REV2' });
    expect(reposted.status).toBe('Completed');
    expect(reposted.byKind.invoice.posted + reposted.byKind.expense.posted).toBe(6);
    expect(reposted.ledgerChanges).toEqual([]);
    for (const inv of invoices) expect((await invoiceByNumber(inv.invoiceNumber)).filter((t) => t.TotalAmt !== 0)).toHaveLength(1);
    expect(await held.stack.deps.psa.unpostedExpenses.count()).toBe(0);
    const summary: ReversalSummary = last;
    expect(summary.batch).toEqual({ workflowId: 'it-corr-rev-batch', batchId: 'REV1' });
  });
});

describe('under QuickBooks faults', () => {
  it('answers lost after the write and 5xx: each re-closed invoice is updated once, each invoice of the reversed batch voided once', async () => {
    held.stack.psa.admin.generate({ invoices: 5, expenses: 1, procurement: 0, seed: 41 });
    expect((await batch('it-corr-fault-0', { batchId: 'FLT0' })).status).toBe('Completed');
    const snap = held.stack.psa.admin.snapshot();
    const entries = new Set(snap.batches.filter((b) => b.batchIdentifier.startsWith('FLT0.')).flatMap((b) => b.entryIds));
    const invoices = snap.invoices.filter((i) => i.type === 'Standard' && i.entryIds.some((id) => entries.has(id)));
    const version = async (i: { invoiceNumber: string }) => (await invoiceByNumber(i.invoiceNumber)).map((t) => t.SyncToken);
    const before = new Map(await Promise.all(invoices.map(async (i) => [i.invoiceNumber, (await version(i))[0]!] as const)));
    for (const inv of invoices) {
      const timeLine = inv.lines.findIndex((l) => l.kind === 'time');
      reclose({ id: inv.id, timeLine, quantity: inv.lines[timeLine]!.quantity });
    }
    const faults = { loseResponseRate: 0.3, loseResponseHoldMs: 20, errorRate: 0.1, seed: 5 };

    held.stack.qbo.admin.setKnobs(faults);
    const edited = await batch('it-corr-fault-1', { batchId: 'FLT1' });
    held.stack.qbo.admin.setKnobs({ loseResponseRate: 0, errorRate: 0 });
    expect(edited.failures).toEqual([]);
    for (const inv of invoices) expect(await version(inv)).toEqual([String(Number(before.get(inv.invoiceNumber)) + 1)]);

    const updated = new Map(await Promise.all(invoices.map(async (i) => [i.invoiceNumber, (await version(i))[0]!] as const)));
    held.stack.qbo.admin.setKnobs({ ...faults, seed: 6 });
    const reversed = await reverse('it-corr-fault-rev', { batch: 'it-corr-fault-1', dryRun: false });
    held.stack.qbo.admin.setKnobs({ loseResponseRate: 0, errorRate: 0 });
    expect(reversed.status).toBe('Completed');
    expect(held.stack.qbo.admin.faultCounts().loseResponse).toBeGreaterThan(0);
    // Tagged and voided: two writes each, never a second void.
    for (const inv of invoices) expect(await version(inv)).toEqual([String(Number(updated.get(inv.invoiceNumber)) + 2)]);
    for (const inv of invoices) expect(await isUnposted(inv.id)).toBe(true);
  });
});
