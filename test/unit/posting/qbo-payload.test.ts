import { thrown } from '../../helpers/thrown';
import { createChartMatcher } from '../../../domain/gl';
import { matchDraftRefs, matchTaxRefs, planPosting, toQuickBooksPayload, type PostingSettings, type PsaGlRecord, type QuickBooksPayloadOptions } from '../../../domain/posting';
import { CHART, TAX_CHART, adjustment, companyCardExpense, creditMemo, expenseReport, poReceipt, standardInvoice, transfer } from './fixtures';

const matcher = createChartMatcher(CHART);
const refOf = (name: string) => {
  const a = CHART.accounts.find((x) => (x.FullyQualifiedName ?? x.Name) === name)!;
  return { value: a.Id, name };
};

function payload(r: PsaGlRecord, settings: PostingSettings = {}, options: QuickBooksPayloadOptions = {}) {
  const draft = planPosting(r, settings);
  const { refs, warnings } = matchDraftRefs(draft, matcher);
  const tax = matchTaxRefs(draft, options.taxRegime ?? { kind: 'usManual' }, TAX_CHART);
  return { ...toQuickBooksPayload(draft, { ...refs, ...tax }, options), warnings };
}


describe('toQuickBooksPayload', () => {
  it('Invoice: sales item lines, AR account, terms, per-level tax, private note', () => {
    const { entity, body, warnings } = payload(standardInvoice());
    expect(entity).toBe('Invoice');
    expect(warnings).toEqual([]);
    expect(body).toEqual({
      DocNumber: '10042',
      TxnDate: '2026-11-20',
      PrivateNote: 'ConnectWise Standard 10042 (PSA id 77, revision 3): November support',
      CustomerRef: { value: 'cu1', name: 'Acme Dental Group' },
      ARAccountRef: refOf('Accounts Receivable'),
      DueDate: '2026-12-20',
      SalesTermRef: { value: 'n30', name: 'Net 30' },
      Line: [
        {
          Amount: 900,
          Description: 'Remote support',
          DetailType: 'SalesItemLineDetail',
          SalesItemLineDetail: { ItemRef: { value: 'i1', name: 'Services' }, Qty: 6, UnitPrice: 150, ClassRef: { value: 'c1', name: 'Managed Services' }, TaxCodeRef: { value: 'NON' } },
        },
        {
          Amount: 238,
          DetailType: 'SalesItemLineDetail',
          SalesItemLineDetail: { ItemRef: { value: 'i2', name: 'SSD-1TB' }, Qty: 2, UnitPrice: 119, TaxCodeRef: { value: 'TAX' } },
        },
        {
          Amount: -20,
          DetailType: 'SalesItemLineDetail',
          SalesItemLineDetail: { ItemRef: { value: 'i3', name: 'Discount' }, TaxCodeRef: { value: 'TAX' } },
        },
      ],
      TxnTaxDetail: {
        TxnTaxCodeRef: { value: 't1', name: 'Seattle' },
        TotalTax: 22.56,
        TaxLine: [
          { Amount: 14.17, DetailType: 'TaxLineDetail', TaxLineDetail: { TaxRateRef: { value: 'r1', name: 'WA State' }, PercentBased: false, NetAmountTaxable: 218 } },
          { Amount: 3.27, DetailType: 'TaxLineDetail', TaxLineDetail: { TaxRateRef: { value: 'r2', name: 'King County' }, PercentBased: false, NetAmountTaxable: 218 } },
          { Amount: 5.12, DetailType: 'TaxLineDetail', TaxLineDetail: { TaxRateRef: { value: 'r3', name: 'Seattle City' }, PercentBased: false, NetAmountTaxable: 218 } },
        ],
      },
    });
  });

  it('CreditMemo: same line model, positive amounts', () => {
    const { entity, body } = payload(creditMemo());
    expect(entity).toBe('CreditMemo');
    expect(body).toMatchObject({ DocNumber: 'CM-10043', CustomerRef: { value: 'cu1' }, Line: [{ Amount: 150, DetailType: 'SalesItemLineDetail' }] });
    expect(body.TxnTaxDetail).toBeUndefined();
  });

  it('Bill from an expense: account-based lines, AP account, vendor', () => {
    const { entity, body } = payload(expenseReport(true));
    expect(entity).toBe('Bill');
    expect(body).toEqual({
      DocNumber: 'EXP-501',
      TxnDate: '2026-11-20',
      PrivateNote: 'ConnectWise Expense EXP-501 (PSA id 77, revision 3)',
      VendorRef: { value: 'v1', name: 'Jane Doe' },
      APAccountRef: refOf('Accounts Payable'),
      Line: [
        { Amount: 45.2, Description: 'Mileage', DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: refOf('Travel'), ClassRef: { value: 'c2', name: 'Professional Services' } } },
        { Amount: 3, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: refOf('Expense Tax') } },
      ],
    });
  });

  it('Bill from a PO receipt: item-based lines with Qty and UnitPrice', () => {
    const { body } = payload(poReceipt());
    expect(body.Line).toEqual([
      { Amount: 2240, DetailType: 'ItemBasedExpenseLineDetail', ItemBasedExpenseLineDetail: { ItemRef: { value: 'i4', name: 'LAPTOP-14' }, Qty: 2, UnitPrice: 1120 } },
      { Amount: 35, DetailType: 'ItemBasedExpenseLineDetail', ItemBasedExpenseLineDetail: { ItemRef: { value: 'i5', name: 'Freight' } } },
    ]);
    expect(body.VendorRef).toEqual({ value: 'v2', name: 'Ingram Micro' });
  });

  it('Purchase: paid from the card account, PaymentType from its account type', () => {
    const { entity, body } = payload(companyCardExpense(), { expensesWithoutBill: 'Purchase' });
    expect(entity).toBe('Purchase');
    expect(body).toMatchObject({
      PaymentType: 'CreditCard',
      AccountRef: refOf('Company Credit Card'),
      EntityRef: { value: 'v1', name: 'Jane Doe', type: 'Vendor' },
      Line: [{ Amount: 30, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: refOf('Office Supplies') } }],
    });
  });

  it('JournalEntry: posting types, the vendor entity on the AP line', () => {
    const { entity, body } = payload(expenseReport(false));
    expect(entity).toBe('JournalEntry');
    expect(body.Line).toEqual([
      { Amount: 45.2, Description: 'Mileage', DetailType: 'JournalEntryLineDetail', JournalEntryLineDetail: { PostingType: 'Debit', AccountRef: refOf('Travel'), ClassRef: { value: 'c2', name: 'Professional Services' } } },
      { Amount: 3, DetailType: 'JournalEntryLineDetail', JournalEntryLineDetail: { PostingType: 'Debit', AccountRef: refOf('Expense Tax') } },
      {
        Amount: 48.2,
        DetailType: 'JournalEntryLineDetail',
        JournalEntryLineDetail: { PostingType: 'Credit', AccountRef: refOf('Accounts Payable'), Entity: { Type: 'Vendor', EntityRef: { value: 'v1', name: 'Jane Doe' } } },
      },
    ]);
  });

  it('JournalEntry for a transfer carries classes per line', () => {
    const { body } = payload(transfer());
    expect((body.Line as Array<{ JournalEntryLineDetail: { ClassRef: unknown } }>).map((l) => l.JournalEntryLineDetail.ClassRef)).toEqual([
      { value: 'c3', name: 'Web Services' },
      { value: 'c1', name: 'Managed Services' },
    ]);
  });

  it('InventoryAdjustment: adjust account and signed QtyDiff per item', () => {
    const { entity, body } = payload(adjustment());
    expect(entity).toBe('InventoryAdjustment');
    expect(body).toEqual({
      DocNumber: 'ADJ-19',
      TxnDate: '2026-11-20',
      PrivateNote: 'ConnectWise Adjustment ADJ-19 (PSA id 77, revision 3)',
      AdjustAccountRef: refOf('Inventory Shrinkage'),
      Line: [{ Description: 'Damaged in storage', DetailType: 'ItemAdjustmentLineDetail', ItemAdjustmentLineDetail: { ItemRef: { value: 'i2', name: 'SSD-1TB' }, QtyDiff: -2 } }],
    });
  });

  it('class tracking per transaction or off moves or drops ClassRef', () => {
    const none = payload(expenseReport(true), {}, { classTracking: 'none' }).body;
    expect(JSON.stringify(none)).not.toContain('ClassRef');
  });

  it('outside the US, every line carries a tax code id: the record\'s on taxed lines, the non-taxable code on the rest', () => {
    const { body } = payload(standardInvoice(), {}, { taxRegime: { kind: 'nonUs', country: 'CA', nonTaxableTaxCode: 'Exempt' } });
    const lines = body.Line as Array<{ SalesItemLineDetail: { TaxCodeRef?: unknown } }>;
    expect(lines[1].SalesItemLineDetail.TaxCodeRef).toEqual({ value: 't1', name: 'Seattle' });
    expect(lines[0].SalesItemLineDetail.TaxCodeRef).toEqual({ value: 't9', name: 'Exempt' });
    expect((body.TxnTaxDetail as Record<string, unknown>).TxnTaxCodeRef).toBeUndefined();
    expect(body.GlobalTaxCalculation).toBe('TaxExcluded');
  });

  it('outside the US, bill lines carry the non-taxable tax code', () => {
    const { body } = payload(expenseReport(true), {}, { taxRegime: { kind: 'nonUs', country: 'CA', nonTaxableTaxCode: 'Exempt' } });
    const lines = body.Line as Array<{ AccountBasedExpenseLineDetail: { TaxCodeRef?: unknown } }>;
    for (const l of lines) expect(l.AccountBasedExpenseLineDetail.TaxCodeRef).toEqual({ value: 't9', name: 'Exempt' });
  });

  it('with Automated Sales Tax only TotalTax is sent, as the override, TAX/NON on lines', () => {
    const { body } = payload(standardInvoice(), {}, { taxRegime: { kind: 'usAutomated', tolerance: '0.00', aboveTolerance: 'warn' } });
    expect(body.TxnTaxDetail).toEqual({ TotalTax: 22.56 });
    const exempt = payload(creditMemo(), {}, { taxRegime: { kind: 'usAutomated', tolerance: '0.00', aboveTolerance: 'warn' } }).body;
    expect(exempt.TxnTaxDetail).toEqual({ TotalTax: 0 });
  });

  it('refuses a draft edited out of balance', () => {
    const draft = planPosting(standardInvoice());
    const { refs } = matchDraftRefs(draft, matcher);
    draft.lines[0].amount = '901.00';
    expect(thrown(() => toQuickBooksPayload(draft, refs)).type).toBe('Unbalanced');
  });

  it('refuses to build without matched references', () => {
    const draft = planPosting(standardInvoice());
    const err = thrown(() => toQuickBooksPayload(draft, { accounts: {}, classes: {}, items: {}, party: { value: 'cu1' } }));
    expect(err.type).toBe('ReferenceNotFound');
    expect(err.message).toContain('no matched account for "Accounts Receivable"');
  });
});

describe('matchDraftRefs', () => {
  it('reports every miss of a record at once', () => {
    const r = standardInvoice();
    r.lines[1].account = 'Service Revnue';
    r.lines[2].productId = 'SSD-2TB';
    r.party = { name: 'Acme Dental' };
    const err = thrown(() => matchDraftRefs(planPosting(r), matcher));
    expect(err.type).toBe('AccountNotFound');
    expect(err.message).toMatch(/Standard 10042: 3 problems: GL account "Service Revnue" \(Revenue\) was not found/);
    expect(err.message).toContain('Item (GL Product ID) "SSD-2TB" was not found');
    expect(err.message).toContain('Customer "Acme Dental" was not found');
    expect((err.details?.errors as unknown[]).length).toBe(3);
  });

  it('a Purchase must be paid from a bank or card account', () => {
    const r = companyCardExpense();
    r.lines[1].account = 'Sales Tax Payable';
    const err = thrown(() => matchDraftRefs(planPosting(r, { expensesWithoutBill: 'Purchase' }), createChartMatcher(CHART, { typeMisfit: 'warning' })));
    expect(err.type).toBe('AccountTypeMismatch');
    expect(err.message).toContain('a Purchase is paid from a Bank or Credit Card account');
  });
});
