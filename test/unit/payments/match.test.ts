import { applicationKey, planPayments, type LedgerPayment, type MatchFacts, type PsaInvoiceFact, type RecordedApplication } from '../../../domain/payments';

const psaInvoice = (id: number, number: string, total: string, payments: PsaInvoiceFact['payments'] = [], balance = total, type = 'Standard'): PsaInvoiceFact => ({ id, number, total, balance, type, payments });

/** What an earlier run recorded: the cash of QuickBooks payment `paymentId` on invoice `invoiceTxnId`. */
function recorded(f: MatchFacts, paymentId: string, invoiceTxnId: string, psaPaymentId: number, amount: string, creditMemoTxnId?: string): void {
  const part = { paymentId, invoiceTxnId, ...(creditMemoTxnId && { creditMemoTxnId }) };
  const app: RecordedApplication = { ...part, key: applicationKey(part), psaInvoiceId: 11, invoiceNumber: 'INV-1', amount, seenBefore: [], psaPaymentId };
  f.applications[app.key] = app;
}

function facts(): MatchFacts {
  return {
    ledgerInvoices: {
      '101': { txnId: '101', docNumber: 'INV-1', psaInvoiceId: 11 },
      '102': { txnId: '102', docNumber: 'INV-2' },
      '103': { txnId: '103', docNumber: 'HAND-9' },
      '104': { txnId: '104', docNumber: 'INV-4', psaInvoiceId: 14 },
      '105': { txnId: '105', docNumber: 'DUP' },
      // Numbered by QuickBooks itself (custom transaction numbers off): the note keeps the PSA number.
      '106': { txnId: '106', docNumber: '1038', psaInvoiceId: 17, psaNumber: 'INV-7' },
    },
    psaInvoicesById: {
      '11': psaInvoice(11, 'INV-1', '1000.00'),
      '12': psaInvoice(12, 'INV-2', '250.00'),
      '14': psaInvoice(14, 'INV-4-RENUMBERED', '80.00'),
      '15': psaInvoice(15, 'DUP', '10.00'),
      '16': psaInvoice(16, 'DUP', '10.00'),
      '17': psaInvoice(17, 'INV-7', '30.00'),
      // Credit memos: negative totals; minus the balance is the credit left.
      '31': psaInvoice(31, 'CM-1', '-100.00', [], '-100.00', 'CreditMemo'),
      '32': psaInvoice(32, 'CM-2', '-50.00', [], '-20.00', 'CreditMemo'),
    },
    ledgerCreditMemos: {
      '301': { txnId: '301', docNumber: 'CM-1', psaInvoiceId: 31 },
      '302': { txnId: '302', docNumber: 'CM-2', psaInvoiceId: 32 },
    },
    applications: {},
    psaIdsByNumber: { 'INV-2': [12], DUP: [15, 16] },
  };
}

const payment = (id: string, lines: Array<[string, string]>, extra: Partial<LedgerPayment> = {}): LedgerPayment => ({
  id,
  txnDate: '2026-11-20',
  total: extra.total ?? lines.reduce((s, [, a]) => (Number(s) + Number(a)).toFixed(2), '0.00'),
  unapplied: '0.00',
  voided: false,
  lines: lines.map(([txnId, amount]) => ({ txnId, amount, txnType: 'Invoice' })),
  ...extra,
});

describe('planPayments', () => {
  it('applies a full payment to the PSA invoice the posted link names', () => {
    const [d] = planPayments([payment('9', [['101', '1000.00']])], facts());
    expect(d).toEqual({ action: 'apply', paymentId: '9', reference: 'QBO Payment 9', part: { paymentId: '9', invoiceTxnId: '101' }, psaInvoiceId: 11, invoiceNumber: 'INV-1', amount: '1000.00', date: '2026-11-20' });
  });

  it('falls back to the invoice number when the invoice carries no link', () => {
    const [d] = planPayments([payment('9', [['102', '250.00']])], facts());
    expect(d).toMatchObject({ action: 'apply', psaInvoiceId: 12, invoiceNumber: 'INV-2' });
  });

  it('applies a partial payment with a note, and a later payment in the same run sees the lower balance', () => {
    const ds = planPayments([payment('9', [['101', '400.00']]), payment('10', [['101', '700.00']])], facts());
    expect(ds[0]).toMatchObject({ action: 'apply', amount: '400.00', note: 'partial: 400.00 of 1000.00 open; 600.00 still open' });
    expect(ds[1]).toMatchObject({ action: 'skip', reason: 'overpayment', detail: 'applies 700.00 but the PSA invoice has 600.00 open' });
  });

  it('reports the unapplied part of an overpayment and still applies what was applied', () => {
    const ds = planPayments([payment('9', [['102', '250.00']], { total: '300.00', unapplied: '50.00', customer: 'Acme' })], facts());
    expect(ds).toHaveLength(2);
    expect(ds[0]).toMatchObject({ action: 'apply', amount: '250.00' });
    expect(ds[1]).toMatchObject({ action: 'skip', reason: 'overpayment', amount: '50.00', detail: expect.stringContaining('customer Acme: 50.00 of 300.00') });
    expect(ds[1]).not.toHaveProperty('invoiceNumber');
  });

  it('skips a payment an earlier run recorded (same application, same amount)', () => {
    const f = facts();
    f.psaInvoicesById['11'] = psaInvoice(11, 'INV-1', '1000.00', [{ id: 77, amount: '1000.00' }], '0.00');
    recorded(f, '9', '101', 77, '1000.00');
    const [d] = planPayments([payment('9', [['101', '1000.00']])], f);
    expect(d).toMatchObject({ action: 'skip', reason: 'alreadyRecorded', detail: 'PSA payment id 77 already records it' });
  });

  it('does not treat another payment with the same amount as recorded (a second real payment)', () => {
    const f = facts();
    f.psaInvoicesById['11'] = psaInvoice(11, 'INV-1', '1000.00', [{ id: 77, amount: '100.00' }], '900.00');
    recorded(f, '8', '101', 77, '100.00');
    const [d] = planPayments([payment('9', [['101', '100.00']])], f);
    expect(d).toMatchObject({ action: 'apply', amount: '100.00' });
  });

  it('reports a changed amount on an already recorded payment instead of adding another', () => {
    const f = facts();
    f.psaInvoicesById['11'] = psaInvoice(11, 'INV-1', '1000.00', [{ id: 77, amount: '100.00' }], '900.00');
    recorded(f, '9', '101', 77, '100.00');
    const [d] = planPayments([payment('9', [['101', '150.00']])], f);
    expect(d).toMatchObject({ action: 'skip', reason: 'other', detail: expect.stringContaining('recorded earlier as 100.00') });
  });

  it('does not record a payment a person already entered in the PSA (same amount, day and credit)', () => {
    const f = facts();
    f.psaInvoicesById['11'] = psaInvoice(11, 'INV-1', '1000.00', [{ id: 77, amount: '100.00', date: '2026-11-20' }], '900.00');
    expect(planPayments([payment('9', [['101', '100.00']])], f)[0]).toMatchObject({ action: 'skip', reason: 'other', detail: expect.stringContaining('PSA payment id 77 of the same amount and day') });
    f.psaInvoicesById['11'].payments[0].date = '2026-11-19';
    expect(planPayments([payment('9', [['101', '100.00']])], f)[0]).toMatchObject({ action: 'apply' });
  });

  it('reports payments for invoices the PSA does not know, never guessing', () => {
    const [d] = planPayments([payment('9', [['103', '40.00']])], facts());
    expect(d).toMatchObject({ action: 'skip', reason: 'unknownInvoice', invoiceNumber: 'HAND-9' });
    const [gone] = planPayments([payment('9', [['999', '40.00']])], facts());
    expect(gone).toMatchObject({ action: 'skip', reason: 'unknownInvoice', detail: expect.stringContaining('Id 999') });
  });

  it('follows the posted link when QuickBooks numbered the invoice itself', () => {
    expect(planPayments([payment('9', [['106', '30.00']])], facts())[0]).toMatchObject({ action: 'apply', psaInvoiceId: 17, invoiceNumber: 'INV-7' });
  });

  it('reports ambiguous invoice numbers and links whose PSA number changed', () => {
    expect(planPayments([payment('9', [['105', '5.00']])], facts())[0]).toMatchObject({ reason: 'other', detail: expect.stringContaining('2 PSA invoices') });
    expect(planPayments([payment('9', [['104', '5.00']])], facts())[0]).toMatchObject({ reason: 'other', detail: expect.stringContaining('now numbered INV-4-RENUMBERED') });
  });

  it('does not record a voided payment (what was recorded for it is reversed from change data capture)', () => {
    const voided = payment('9', [['101', '0.00']], { total: '0.00', voided: true, customer: 'Acme' });
    expect(planPayments([voided], facts())).toEqual([expect.objectContaining({ action: 'skip', reason: 'voided', amount: '0.00', detail: expect.stringContaining('customer Acme') })]);
  });

  it('does not record again what was recorded and then removed in the PSA', () => {
    const f = facts();
    recorded(f, '9', '101', 77, '100.00');
    expect(planPayments([payment('9', [['101', '100.00']])], f)[0]).toMatchObject({ action: 'skip', reason: 'other', detail: expect.stringContaining('no longer on the invoice') });
  });

  it('applies a credit memo to one invoice as a credit, and the cash as a payment', () => {
    const p = payment('9', [['101', '130.00']], { total: '100.00' });
    p.lines.push({ txnType: 'CreditMemo', txnId: '301', amount: '30.00' });
    const ds = planPayments([p], facts());
    expect(ds).toEqual([
      expect.objectContaining({ action: 'apply', psaInvoiceId: 11, amount: '30.00', credit: { psaId: 31, number: 'CM-1' }, part: { paymentId: '9', invoiceTxnId: '101', creditMemoTxnId: '301' } }),
      expect.objectContaining({ action: 'apply', psaInvoiceId: 11, amount: '100.00', part: { paymentId: '9', invoiceTxnId: '101' } }),
    ]);
    expect(ds[0]).not.toHaveProperty('credit.amount');
  });

  it('applies a credit memo on its own (a zero payment) and never spends its credit twice', () => {
    const apply = (id: string, amount: string) => {
      const p = payment(id, [['101', amount]], { total: '0.00' });
      p.lines.push({ txnType: 'CreditMemo', txnId: '302', amount });
      return p;
    };
    const ds = planPayments([apply('9', '15.00'), apply('10', '15.00')], facts());
    expect(ds[0]).toMatchObject({ action: 'apply', amount: '15.00', credit: { psaId: 32 } });
    expect(ds[1]).toMatchObject({ action: 'skip', reason: 'other', detail: expect.stringContaining('CM-2 has 5.00 of credit left') });
  });

  it('reports credits spread over several invoices instead of guessing the split', () => {
    const p = payment('9', [['101', '100.00'], ['102', '50.00']], { total: '120.00', customer: 'Acme' });
    p.lines.push({ txnType: 'CreditMemo', txnId: '301', amount: '30.00' });
    expect(planPayments([p], facts())).toEqual([expect.objectContaining({ action: 'skip', reason: 'other', amount: '30.00', detail: expect.stringContaining('customer Acme: applies credit memo Id 301') })]);
  });

  it('records the right amount on each invoice of a payment that pays several', () => {
    const ds = planPayments([payment('9', [['101', '400.00'], ['102', '250.00']])], facts());
    expect(ds).toEqual([
      expect.objectContaining({ action: 'apply', psaInvoiceId: 11, amount: '400.00', note: expect.stringMatching(/^partial/) }),
      expect.objectContaining({ action: 'apply', psaInvoiceId: 12, amount: '250.00' }),
    ]);
  });

  it('sums several lines for one invoice into one PSA payment', () => {
    const ds = planPayments([payment('9', [['101', '100.00'], ['101', '50.00']])], facts());
    expect(ds).toEqual([expect.objectContaining({ action: 'apply', amount: '150.00' })]);
  });

  it('does not change the facts it was given', () => {
    const f = facts();
    planPayments([payment('9', [['101', '400.00']])], f);
    expect(f.psaInvoicesById['11'].balance).toBe('1000.00');
    expect(f.psaInvoicesById['11'].payments).toEqual([]);
  });
});
