/**
 * Edit replay for expenses and purchase receipts, end to end on a dev server with both sandboxes:
 * an expense report (or a purchase order) reopened in ConnectWise, edited and closed again gets new
 * GL entries, so new ids in the unposted lists and the export; the next batch still updates the
 * QuickBooks transaction the earlier revision posted, in place, and posts no second one.
 */
import { accountingBatch } from '../../workflows';
import { withStackWorkers } from '../../dev/stack/ledger-stack';
import { stackDataConverter, workflowBundle } from '../../dev/stack/temporal';
import { stackPerFile } from '../helpers/stack-per-file';
import { idempotencyKeyOf, idempotencyMarker } from '../../integrations/posted-transactions';
import { postedSourceOf } from '../../domain/posting';

const held = stackPerFile();
const TASK_QUEUE = 'it-corrections-expenses';

const batch = async (workflowId: string, input: Record<string, unknown>) =>
  withStackWorkers(held.stack, held.env.nativeConnection, TASK_QUEUE, stackDataConverter(), await workflowBundle(), () =>
    held.env.client.workflow.execute(accountingBatch, { taskQueue: TASK_QUEUE, workflowId, args: [{ retryWindow: '1s', ...input }] }),
  );

type Txn = { entity: string; Id: string; SyncToken: string; TotalAmt: number };
/** Every transaction an expense or purchase receipt can post as, by entity and Id. */
async function ledgerTransactions(): Promise<Map<string, Txn>> {
  const out = new Map<string, Txn>();
  for (const entity of ['JournalEntry', 'Bill', 'Purchase'] as const) {
    for (const t of (await held.stack.deps.ledger.queryAll(entity, {})) as unknown as Txn[]) out.set(`${entity}:${t.Id}`, { entity, Id: String(t.Id), SyncToken: String(t.SyncToken), TotalAmt: Number(t.TotalAmt) });
  }
  return out;
}
/** The transactions that differ between two reads: new ones and changed versions. */
function changed(before: Map<string, Txn>, after: Map<string, Txn>): { added: Txn[]; updated: Array<{ before: Txn; after: Txn }> } {
  const added = [...after.entries()].filter(([k]) => !before.has(k)).map(([, t]) => t);
  const updated = [...after.entries()].flatMap(([k, t]) => (before.has(k) && before.get(k)!.SyncToken !== t.SyncToken ? [{ before: before.get(k)!, after: t }] : []));
  return { added, updated };
}

/** Exported expenses (one per report), each used by one test. */
const used = new Set<number>();
function exportedExpense(classification: 'Reimbursable' | 'NonReimbursable') {
  const snap = held.stack.psa.admin.snapshot();
  const batched = new Set(snap.glEntries.filter((e) => e.batchId !== undefined).map((e) => e.id));
  const exp = snap.expenses.find(
    (e) => !used.has(e.id) && e.closed && e.classification === classification && e.entryIds.every((id) => batched.has(id)) && snap.expenses.filter((x) => x.reportId === e.reportId).length === 1,
  );
  if (!exp) throw new Error(`no exported ${classification} expense left`);
  used.add(exp.id);
  return exp;
}

/** The report reopened, the expense's amount raised, the report closed again: a new revision, unposted again. */
function recloseExpense(exp: { id: number; reportId: number; amountCents: number }, raiseCents: number): void {
  held.stack.psa.admin.reopen('expenseReport', exp.reportId);
  if (raiseCents !== 0) held.stack.psa.admin.editExpense(exp.id, { amountCents: exp.amountCents + raiseCents });
  held.stack.psa.admin.close('expenseReport', exp.reportId);
}

beforeAll(async () => {
  held.stack.psa.admin.generate({ invoices: 0, expenses: 10, procurement: 6, seed: 71 });
  const first = await batch('it-corr-exp-first', { batchId: 'EXPC0' });
  expect(first.status).toBe('Completed');
  expect(first.failures).toEqual([]);
}, 240_000);

describe('edit replay: an expense report reopened, edited and closed again in ConnectWise', () => {
  it('updates the bill and the journal entry the earlier revision posted, in place; nothing twice', async () => {
    const billed = exportedExpense('Reimbursable');
    const journaled = exportedExpense('NonReimbursable');
    const before = await ledgerTransactions();
    recloseExpense(billed, 1234);
    recloseExpense(journaled, 4321);
    expect(await held.stack.deps.psa.unpostedExpenses.count()).toBe(2);

    const summary = await batch('it-corr-exp-edit', { batchId: 'EXPC1' });
    expect(summary.status).toBe('Completed');
    expect(summary.failures).toEqual([]);
    const { added, updated } = changed(before, await ledgerTransactions());
    expect(added).toEqual([]);
    // One version later each, now the new revision's amounts.
    expect(updated.map((u) => [u.after.entity, Number(u.after.SyncToken) - Number(u.before.SyncToken), Math.round((u.after.TotalAmt - u.before.TotalAmt) * 100)]).sort()).toEqual(
      [['Bill', 1, 1234], ['JournalEntry', 1, 4321]].sort(),
    );
    expect(summary.edits).toEqual(
      expect.arrayContaining(
        updated.map((u) =>
          expect.objectContaining({
            kind: 'expense',
            outcome: 'updated',
            entity: u.after.entity,
            txnId: u.after.Id,
            // Line by line: the expense's line (a journal entry's debit) carries the new amount.
            changes: expect.arrayContaining([
              { line: 1, field: 'amount', before: u.before.TotalAmt.toFixed(2), after: u.after.TotalAmt.toFixed(2) },
              { field: 'total', before: u.before.TotalAmt.toFixed(2), after: u.after.TotalAmt.toFixed(2) },
            ]),
          }),
        ),
      ),
    );
    expect(summary.edits).toHaveLength(2);
    expect(await held.stack.deps.psa.unpostedExpenses.count()).toBe(0);

    // Run again: nothing is left to post, and nothing is updated a second time.
    const settled = await ledgerTransactions();
    const again = await batch('it-corr-exp-again', { batchId: 'EXPC2' });
    expect(again.edits ?? []).toEqual([]);
    expect(changed(settled, await ledgerTransactions())).toEqual({ added: [], updated: [] });
  });

  it('posts nothing when the expense closes again unchanged, and marks it exported', async () => {
    const exp = exportedExpense('Reimbursable');
    const before = await ledgerTransactions();
    recloseExpense(exp, 0);

    const summary = await batch('it-corr-exp-same', { batchId: 'EXPC3' });
    expect(summary.failures).toEqual([]);
    expect(summary.edits).toEqual([expect.objectContaining({ kind: 'expense', outcome: 'unchanged' })]);
    expect(changed(before, await ledgerTransactions())).toEqual({ added: [], updated: [] });
    expect(await held.stack.deps.psa.unpostedExpenses.count()).toBe(0);
  });
});

describe('an expense posted before expenses were known by their own id', () => {
  it('is found under its former key and number when its revision comes again: nothing posted twice', async () => {
    // One more expense, posted and marked exported...
    held.stack.psa.admin.generate({ invoices: 0, expenses: 2, procurement: 0, seed: 73 });
    const before = await ledgerTransactions();
    expect((await batch('it-corr-exp-legacy-0', { batchId: 'EXPL0' })).failures).toEqual([]);
    const posted = changed(before, await ledgerTransactions()).added;
    expect(posted).toHaveLength(2);
    // ...as the earlier version of Ledgerline left it: numbered and keyed by the expense's GL entry
    // (the unposted row's id), its own id named nowhere.
    const realmId = held.stack.deps.ledger.realmId;
    for (const t of posted) {
      const txn = (await held.stack.deps.ledger.read(t.entity as 'Bill', t.Id)) as unknown as { Id: string; SyncToken: string; DocNumber?: string; PrivateNote: string };
      const source = postedSourceOf(txn.PrivateNote)!;
      const snap = held.stack.psa.admin.snapshot();
      const exp = snap.expenses.find((e) => String(e.id) === source.recordId)!;
      const rowId = String(snap.glEntries.find((e) => exp.entryIds.includes(e.id) && e.role === 'header')!.id);
      const number = t.entity === 'JournalEntry' ? rowId : source.number;
      const key = (recordId: string) => idempotencyMarker(idempotencyKeyOf(realmId, { kind: 'expense', recordId, revision: source.revision }));
      const note = txn.PrivateNote.replace(`ConnectWise Expense ${source.number} (PSA id ${source.recordId},`, `ConnectWise Expense ${number} (PSA id ${rowId},`).replace(key(source.recordId), key(rowId));
      expect(note).not.toBe(txn.PrivateNote);
      await held.stack.deps.ledger.update(t.entity as 'Bill', { Id: txn.Id, SyncToken: txn.SyncToken, PrivateNote: note, ...(t.entity === 'JournalEntry' && { DocNumber: number }) });
    }
    // Its PSA batch deleted, as if marking it exported had not happened before the upgrade: unposted again.
    const psaBatches = held.stack.psa.admin.snapshot().batches.filter((b) => b.batchIdentifier.startsWith('EXPL0.'));
    for (const b of psaBatches) await held.stack.deps.psa.deleteBatch(b.id);
    expect(await held.stack.deps.psa.unpostedExpenses.count()).toBe(2);

    const legacy = await ledgerTransactions();
    const again = await batch('it-corr-exp-legacy-1', { batchId: 'EXPL1' });
    expect(again.failures).toEqual([]);
    expect(again.byKind.expense).toMatchObject({ alreadyPosted: 2 });
    expect(changed(legacy, await ledgerTransactions())).toEqual({ added: [], updated: [] });
    expect(await held.stack.deps.psa.unpostedExpenses.count()).toBe(0);
  });
});

describe('edit replay: a purchase order reopened, a line edited and closed again', () => {
  it('updates the bill its receipt posted, in place; nothing twice', async () => {
    const snap = held.stack.psa.admin.snapshot();
    const batched = new Set(snap.glEntries.filter((e) => e.batchId !== undefined).map((e) => e.id));
    const po = snap.purchaseOrders.find((p) => p.closed && p.entryIds.length > 0 && p.entryIds.every((id) => batched.has(id)) && p.lines[0]!.receivedQuantity > 0);
    if (!po) throw new Error('no exported purchase order with a received line');
    const before = await ledgerTransactions();
    held.stack.psa.admin.reopen('purchaseOrder', po.id);
    held.stack.psa.admin.editPurchaseOrderLine(po.id, 0, { unitCostCents: po.lines[0]!.unitCostCents + 100 });
    held.stack.psa.admin.close('purchaseOrder', po.id);
    expect(await held.stack.deps.psa.unpostedProcurement.count()).toBe(1);

    const summary = await batch('it-corr-po-edit', { batchId: 'POC1' });
    expect(summary.failures).toEqual([]);
    const { added, updated } = changed(before, await ledgerTransactions());
    expect(added).toEqual([]);
    expect(updated.map((u) => [u.after.entity, Number(u.after.SyncToken) - Number(u.before.SyncToken)])).toEqual([['Bill', 1]]);
    expect(summary.edits).toEqual([expect.objectContaining({ kind: 'procurement', outcome: 'updated', entity: 'Bill', txnId: updated[0]!.after.Id })]);
    expect(await held.stack.deps.psa.unpostedProcurement.count()).toBe(0);
  });
});
