import { postedSourceOf } from '../../../domain/posting';

describe('postedSourceOf', () => {
  it('reads back the PSA record a posted transaction came from', () => {
    const note = 'ConnectWise Expense 12 (PSA id 12, revision 4711): travel [ledgerline:LLabc123]';
    expect(postedSourceOf(note)).toEqual({ recordType: 'Expense', number: '12', recordId: '12', revision: '4711' });
    expect(postedSourceOf('ConnectWise Standard invoice INV-7 (PSA id 17, revision 2)')?.number).toBe('INV-7');
  });

  it('tells a transfer and an expense with the same number apart', () => {
    const expense = postedSourceOf('ConnectWise Expense 12 (PSA id 12, revision 1)');
    const transfer = postedSourceOf('ConnectWise Transfer 12 (PSA id 12-transfer, revision 9)');
    expect(expense?.recordType).not.toBe(transfer?.recordType);
  });

  it('is undefined for a transaction someone typed into QuickBooks', () => {
    expect(postedSourceOf('Hand-entered adjustment')).toBeUndefined();
    expect(postedSourceOf(undefined)).toBeUndefined();
  });
});
