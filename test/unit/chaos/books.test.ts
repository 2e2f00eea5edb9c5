/**
 * The chaos run's count of the books: it must find a duplicate and a lost record when there is one,
 * or the harness could pass a run that double-posted or dropped records.
 */
import { closedPsaRecords, countBooks, transactionKey, type LedgerTransaction, type PsaRecord } from '../../../dev/chaos/books';
import { seedState } from '../../../dev/sandbox/connectwise/admin';
import { generateRecords } from '../../../dev/sandbox/connectwise/generator';
import { purchaseProductId } from '../../../dev/sandbox/connectwise/wire';

const note = (recordType: string, id: string, marker: string) => `ConnectWise ${recordType} N-${id} (PSA id ${id}, revision 9): memo [ledgerline:${marker}]`;
const txn = (id: string, privateNote?: string, entity = 'Invoice'): LedgerTransaction => ({ entity, id, privateNote });
const none = new Map<string, string>();

describe('countBooks', () => {
  const records: PsaRecord[] = [
    { kind: 'invoice', id: '1', exported: true },
    { kind: 'expense', id: '1', exported: true },
    { kind: 'procurement', id: '4-PO4-purchase', exported: true },
  ];
  const clean = [
    txn('10', note('Standard', '1', 'LLaaaa')),
    txn('11', note('Expense', '1', 'LLbbbb'), 'Bill'),
    txn('12', note('Purchase', '4-PO4-purchase', 'LLcccc'), 'Bill'),
    // Not Ledgerline's: the company's own transactions are not judged.
    txn('13', 'Entered by the bookkeeper'),
    txn('14'),
  ];

  it('counts a clean ledger as posted, with no duplicate and nothing lost', () => {
    const c = countBooks({ records, transactions: clean, failureReasons: none });
    expect(c).toMatchObject({ records: 3, posted: 3, failed: 0, duplicates: 0, lost: 0, orphans: 0 });
  });

  it('finds a second transaction for one PSA record (same record, even under another marker)', () => {
    const c = countBooks({ records, transactions: [...clean, txn('20', note('Standard', '1', 'LLdddd'))], failureReasons: none });
    expect(c.duplicates).toBe(1);
    expect(c.duplicateRecords).toEqual([{ key: 'invoice:1', transactions: ['Invoice 10', 'Invoice 20'] }]);
    expect(c.posted).toBe(3);
  });

  it('finds transactions sharing one idempotency marker when their notes name no record', () => {
    const bare = (id: string) => txn(id, 'edited note [ledgerline:LLeeee]');
    const c = countBooks({ records, transactions: [...clean, bare('30'), bare('31')], failureReasons: none });
    expect(c.duplicates).toBe(1);
    expect(c.duplicateRecords[0]!.key).toBe('marker:LLeeee');
  });

  it('keeps an invoice and an expense with the same PSA id apart', () => {
    expect(transactionKey(clean[0]!)).toBe('invoice:1');
    expect(transactionKey(clean[1]!)).toBe('expense:1');
    expect(transactionKey(clean[3]!)).toBeUndefined();
  });

  it('finds a record marked exported that QuickBooks does not have', () => {
    const c = countBooks({ records, transactions: clean.filter((t) => t.id !== '12'), failureReasons: none });
    expect(c.lost).toBe(1);
    expect(c.lostRecords).toEqual([{ key: 'procurement:4-PO4-purchase', why: 'exported-not-posted' }]);
  });

  it('finds a posted record the PSA was never told about (the next batch would post it again)', () => {
    const c = countBooks({ records: [{ kind: 'invoice', id: '1', exported: false }], transactions: clean, failureReasons: none });
    expect(c.lostRecords).toEqual([{ key: 'invoice:1', why: 'posted-not-exported' }]);
    expect(c.orphans).toBe(2);
  });

  it('accepts an unposted record only with a recorded failure reason', () => {
    const unposted: PsaRecord[] = [
      { kind: 'invoice', id: '7', exported: false },
      { kind: 'invoice', id: '8', exported: false },
    ];
    const c = countBooks({ records: unposted, transactions: [], failureReasons: new Map([['invoice:7', 'MappingMissing: no account for Help Desk']]) });
    expect(c).toMatchObject({ failed: 1, lost: 1, posted: 0 });
    expect(c.lostRecords).toEqual([{ key: 'invoice:8', why: 'unposted-without-reason' }]);
  });

  it("finds an expense's failure reason under the row id batches name it by", () => {
    const expense: PsaRecord = { kind: 'expense', id: '3', refId: '100500', exported: false };
    expect(countBooks({ records: [expense], transactions: [], failureReasons: new Map([['expense:100500', 'Unrouted: location 4']]) })).toMatchObject({ failed: 1, lost: 0 });
    expect(countBooks({ records: [expense], transactions: [], failureReasons: new Map([['expense:3', 'Unrouted: location 4']]) })).toMatchObject({ failed: 0, lost: 1 });
  });
});

describe('closedPsaRecords', () => {
  it('lists closed records by the ids batches use, exported once their GL entries are in a batch', () => {
    const state = seedState('demo');
    generateRecords(state, { invoices: 3, expenses: 2, procurement: 4, seed: 5 });
    const records = closedPsaRecords(state);
    const closedInvoices = state.invoices.filter((i) => i.closed);
    expect(records.filter((r) => r.kind === 'invoice').map((r) => r.id)).toEqual(closedInvoices.map((i) => String(i.id)));
    expect(records.every((r) => !r.exported)).toBe(true);
    // An expense by its own id, as posting names it; failures by its row's id (its GL entry), as batches name it.
    const expense = state.expenses.find((e) => e.closed)!;
    expect(records.find((r) => r.kind === 'expense' && r.id === String(expense.id))?.refId).toBe(String(state.glEntries.find((e) => expense.entryIds.includes(e.id) && e.role === 'header')!.id));
    const po = state.purchaseOrders.find((p) => p.closed)!;
    expect(records.some((r) => r.kind === 'procurement' && r.id === purchaseProductId(po))).toBe(true);
    // Open records are not judged.
    expect(records.some((r) => r.kind === 'invoice' && r.id === String(state.invoices.find((i) => !i.closed)!.id))).toBe(false);

    const entry = state.glEntries.find((e) => e.id === closedInvoices[0]!.entryIds[0])!;
    entry.batchId = 1;
    expect(closedPsaRecords(state).find((r) => r.kind === 'invoice' && r.id === String(closedInvoices[0]!.id))!.exported).toBe(true);
  });
});
