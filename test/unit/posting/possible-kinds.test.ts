/** The kinds a record type can become, whatever today's settings pick, and their document numbers. */
import { planPosting, possibleDocNumbers, possibleKinds } from '../../../domain/posting';
import { expenseReport } from './fixtures';

describe('possibleKinds', () => {
  it('covers both forms of an expense, whichever "transfer as a bill" picks', () => {
    for (const asBill of [true, false]) {
      const record = expenseReport(asBill);
      expect(possibleKinds(record.recordType)).toContain(planPosting(record).kind);
    }
    expect(possibleKinds('Expense')).toEqual(expect.arrayContaining(['JournalEntry', 'Bill']));
    expect(possibleKinds('Adjustment')).toEqual(expect.arrayContaining(['InventoryAdjustment', 'JournalEntry']));
    expect(possibleKinds('Standard')).toEqual(['Invoice']);
  });
  it('searches an expense also under its PSA id, the number of its non-bill form', () => {
    expect(possibleDocNumbers({ recordType: 'Expense', number: 'EXP-4-12', recordId: '12' }, 'EXP-4-12')).toEqual(['EXP-4-12', '12']);
    expect(possibleDocNumbers({ recordType: 'Standard', number: '10042', recordId: '77' }, '10042')).toEqual(['10042']);
  });
  it('searches an expense known by its own id under the number of its non-bill form and its row id, the number it was posted as when Ledgerline knew it by that', () => {
    expect(possibleDocNumbers({ recordType: 'Expense', number: 'EXP-12', recordId: '12', rowId: '100200' }, 'EXP-12')).toEqual(['EXP-12', '100200']);
    expect(possibleDocNumbers({ recordType: 'Expense', number: 'EXP-4-12', recordId: '12', rowId: '100200' }, 'EXP-4-12')).toEqual(['EXP-4-12', 'EXP-12', '100200']);
  });
});
