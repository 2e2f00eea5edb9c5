import { fingerprintChanges, fingerprintInNote, fingerprintOf, isVoided, withFingerprint } from '../../../domain/posting';

/** What Ledgerline sends: refs by Id, no names, no line numbers, no subtotal, no TotalAmt. */
const sent = {
  DocNumber: 'INV-7',
  TxnDate: '2026-11-20',
  CustomerRef: { value: '58' },
  PrivateNote: 'ConnectWise Standard INV-7 (PSA id 7, revision 70) [ledgerline:LL0123456789abcdef]',
  Line: [
    { Amount: 540, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '3' }, Qty: 4, UnitPrice: 135, TaxCodeRef: { value: 'NON' } } },
    { Amount: 99.9, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '9' }, ClassRef: { value: '2' } } },
  ],
};

/** What QuickBooks holds for it: names added, lines numbered and in another order, a subtotal, a total, a balance. */
const stored = {
  Id: '125',
  SyncToken: '3',
  DocNumber: 'INV-7',
  TxnDate: '2026-11-20',
  CustomerRef: { value: '58', name: 'Acme Dental' },
  TotalAmt: 639.9,
  Balance: 100,
  Line: [
    { Id: '2', LineNum: 2, Amount: 99.9, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '9', name: 'Hardware' }, ClassRef: { value: '2', name: 'West' } } },
    { Id: '1', LineNum: 1, Amount: 540.0, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '3', name: 'Services' }, Qty: 4, UnitPrice: 135 } },
    { Amount: 639.9, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} },
  ],
};

describe('the posted fingerprint', () => {
  const fp = fingerprintOf('Invoice', sent, 'B1', '639.90');

  it('is the same for what Ledgerline sends and what QuickBooks holds for it, whatever QuickBooks adds or reorders', () => {
    expect(fingerprintOf('Invoice', stored, 'B1')).toEqual(fp);
    expect(fingerprintChanges(fp, 'Invoice', stored)).toEqual([]);
  });

  it('names what a person changed: total, customer, date, number, lines', () => {
    const edited = { ...stored, TotalAmt: 629.9, TxnDate: '2026-11-21', CustomerRef: { value: '61' }, DocNumber: 'INV-7b', Line: [{ ...stored.Line[0]!, Amount: 89.9 }, stored.Line[1]!] };
    expect(fingerprintChanges(fp, 'Invoice', edited)).toEqual([
      { field: 'total', posted: '639.90', now: '629.90' },
      { field: 'party', posted: '58', now: '61' },
      { field: 'date', posted: '2026-11-20', now: '2026-11-21' },
      { field: 'number', posted: 'INV-7', now: 'INV-7b' },
      { field: 'lines', posted: fp.lines, now: expect.any(String) },
    ]);
  });

  it('does not compare a number QuickBooks assigned itself', () => {
    const { DocNumber: _none, ...unnumbered } = sent;
    const recorded = fingerprintOf('Invoice', unnumbered, 'B1', '639.90');
    expect(recorded.number).toBe('');
    expect(fingerprintChanges(recorded, 'Invoice', { ...stored, DocNumber: '1042' })).toEqual([]);
  });

  it('travels in PrivateNote beside the idempotency marker, replaced on every write', () => {
    const note = withFingerprint(sent.PrivateNote, fp);
    expect(note).toBe(`${sent.PrivateNote} [ledgerline-posted:B1;639.90;58;2026-11-20;INV-7;${fp.lines}]`);
    expect(fingerprintInNote(note)).toEqual(fp);
    const next = { ...fp, batch: 'B2', total: '700.00' };
    expect(fingerprintInNote(withFingerprint(note, next))).toEqual(next);
    expect(withFingerprint(note, next).match(/ledgerline-posted/g)).toHaveLength(1);
    expect(fingerprintInNote('a note a person wrote')).toBeUndefined();
  });
});

describe('isVoided', () => {
  it('takes zeroed amounts with "Voided" in the memo; a document that merely totals zero is not voided', () => {
    expect(isVoided({ TotalAmt: 0, Line: [{ Amount: 0 }], PrivateNote: 'Voided - ConnectWise Standard INV-7' })).toBe(true);
    expect(isVoided({ TotalAmt: 0, Line: [{ Amount: 0 }], PrivateNote: 'ConnectWise Standard INV-8 (PSA id 8, revision 80)' })).toBe(false);
    expect(isVoided({ TotalAmt: 10, Line: [{ Amount: 10 }], PrivateNote: 'Voided - but not really' })).toBe(false);
  });

  it('for payments, zeroed lines suffice', () => {
    expect(isVoided({ TotalAmt: 0, Line: [{ Amount: 0 }] }, { zeroLinesSuffice: true })).toBe(true);
    // A zero payment applying a credit memo to an invoice has lines with amounts: not voided.
    expect(isVoided({ TotalAmt: 0, Line: [{ Amount: 25 }, { Amount: 25 }] }, { zeroLinesSuffice: true })).toBe(false);
  });
});
