import { formatChange, transactionChanges } from '../../../domain/posting';

const stored = {
  DocNumber: 'INV-7',
  TxnDate: '2026-11-20',
  DueDate: '2026-12-20',
  CustomerRef: { value: '58', name: 'Acme Dental' },
  TotalAmt: 639.9,
  Line: [
    { Id: '1', Amount: 540, Description: 'Support', DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '3', name: 'Services' }, Qty: 4, UnitPrice: 135 } },
    { Id: '2', Amount: 99.9, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '9', name: 'Hardware' } } },
    { Amount: 639.9, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} },
  ],
};

const resent = {
  DocNumber: 'INV-7',
  TxnDate: '2026-11-20',
  CustomerRef: { value: '58' },
  Line: [
    { Amount: 540, Description: 'Support', DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '3' }, Qty: 4, UnitPrice: 135 } },
    { Amount: 99.9, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '9' } } },
  ],
};

describe('transactionChanges', () => {
  it('finds nothing when the new revision posts what QuickBooks holds: references compare by Id, fields not sent are left alone', () => {
    expect(transactionChanges(stored, resent, '639.90')).toEqual([]);
  });

  it('lists each changed field, header and line by line, with names where QuickBooks gave them', () => {
    const next = {
      ...resent,
      TxnDate: '2026-11-21',
      Line: [
        { ...resent.Line[0]!, Amount: 675, SalesItemLineDetail: { ItemRef: { value: '3' }, Qty: 5, UnitPrice: 135 } },
        { ...resent.Line[1]!, SalesItemLineDetail: { ItemRef: { value: '4', name: 'Software' } } },
        { Amount: 20, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '9' } } },
      ],
    };
    const changes = transactionChanges(stored, next, '794.90');
    expect(changes).toEqual([
      { field: 'date', before: '2026-11-20', after: '2026-11-21' },
      { field: 'total', before: '639.90', after: '794.90' },
      { line: 1, field: 'amount', before: '540.00', after: '675.00' },
      { line: 1, field: 'quantity', before: '4', after: '5' },
      { line: 2, field: 'item or account', before: 'Hardware', after: 'Software' },
      { line: 3, field: 'line added', before: 'none', after: 'Id 9 20.00' },
    ]);
    expect(changes.map(formatChange)).toContain('line 1 amount: 540.00 -> 675.00');
  });

  it('lists a line the new revision no longer has as removed', () => {
    expect(transactionChanges(stored, { ...resent, Line: [resent.Line[0]!] }, '540.00')).toEqual([
      { field: 'total', before: '639.90', after: '540.00' },
      { line: 2, field: 'line removed', before: 'Hardware 99.90', after: 'none' },
    ]);
  });
});
