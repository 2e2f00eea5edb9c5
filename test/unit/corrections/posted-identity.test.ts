/**
 * Finding what a record posted: an expense known by its own id finds the transactions of its other
 * revisions, and what was posted when Ledgerline knew it by its row id (its GL entry), but never
 * another expense's whose id happens to equal a GL entry id.
 */
import { idempotencyKeyOf, idempotencyKeysOf, idempotencyMarker, ownTransaction, recordTransactions, type LedgerTransaction } from '../../../integrations/posted-transactions';

const note = (number: string, psaId: string, revision: string, key = 'LLnone') => `ConnectWise Expense ${number} (PSA id ${psaId}, revision ${revision}) ${idempotencyMarker(key)}`;
const txn = (Id: string, DocNumber: string, PrivateNote: string): LedgerTransaction => ({ entity: 'JournalEntry', Id, DocNumber, PrivateNote, TotalAmt: 25 });

describe('an expense known by its own id', () => {
  const record = { kind: 'expense' as const, recordType: 'Expense' as const, recordId: '12', rowId: '100700', number: 'EXP-12', revision: '100700' };

  it('owns the transactions of its earlier revisions and what was posted under its row id', () => {
    const earlier = txn('1', 'EXP-12', note('EXP-12', '12', '100200'));
    const legacy = txn('2', '100700', note('100700', '100700', '100700'));
    expect(recordTransactions([earlier, legacy], record).map((t) => t.Id)).toEqual(['1', '2']);
  });

  it("does not take another expense's transaction whose ids share a value with its own", () => {
    // Another expense posted before, known by its GL entry 12; another known by its own id 100700.
    const byGlEntry = txn('3', '12', note('12', '12', '12'));
    const byOwnId = txn('4', 'EXP-100700', note('EXP-100700', '100700', '100900'));
    expect(recordTransactions([byGlEntry, byOwnId], record)).toEqual([]);
  });

  it("finds this revision posted under the key of its row id (before expenses were known by their own id)", () => {
    const keys = idempotencyKeysOf('realm1', record);
    expect(keys).toEqual([idempotencyKeyOf('realm1', record), idempotencyKeyOf('realm1', { ...record, recordId: '100700' })]);
    const legacy = txn('5', '100700', note('100700', '100700', '100700', keys[1]));
    expect(ownTransaction([legacy], keys, ['JournalEntry'])?.Id).toBe('5');
    expect(ownTransaction([legacy], keys[0]!, ['JournalEntry'])).toBeUndefined();
    // A record known by its row alone has one key.
    expect(idempotencyKeysOf('realm1', { ...record, recordId: '100700', rowId: undefined })).toHaveLength(1);
  });
});
