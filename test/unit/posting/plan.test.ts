import { thrown } from '../../helpers/thrown';
import { planPosting, type PsaGlRecord, type TransactionKind } from '../../../domain/posting';
import { adjustment, companyCardExpense, creditMemo, expenseReport, gl, poReceipt, record, simpleInvoice, standardInvoice, transfer } from './fixtures';


describe('which transaction each record type becomes', () => {
  it.each<[string, () => PsaGlRecord, object, TransactionKind, string]>([
    ['Standard invoice', standardInvoice, {}, 'Invoice', '1140.56'],
    ['Agreement invoice', () => simpleInvoice('Agreement', 'Revenue-Agreements', 'Agreement Revenue', 'Agreement'), {}, 'Invoice', '500.00'],
    ['Progress invoice', () => simpleInvoice('Progress', 'Revenue', 'Project Revenue', 'Project Services'), {}, 'Invoice', '500.00'],
    ['Miscellaneous invoice', () => simpleInvoice('Miscellaneous', 'Revenue', 'Service Revenue', 'Services'), {}, 'Invoice', '500.00'],
    ['Downpayment invoice (deferred revenue)', () => simpleInvoice('DownPayment', 'Deferred Revenue', 'Deferred Revenue', 'Downpayment'), {}, 'Invoice', '500.00'],
    ['Credit memo', creditMemo, {}, 'CreditMemo', '150.00'],
    ['Expense, transfer as a bill', () => expenseReport(true), {}, 'Bill', '48.20'],
    ['Expense, no bill: clearing entry', () => expenseReport(false), {}, 'JournalEntry', '48.20'],
    ['Expense, no bill, company card, Purchase configured', companyCardExpense, { expensesWithoutBill: 'Purchase' }, 'Purchase', '30.00'],
    ['Expense flag from settings when the record has none', () => ({ ...expenseReport(true), transferAsBill: undefined }), { transferExpensesAsBill: true }, 'Bill', '48.20'],
    ['Purchase-order receipt', poReceipt, {}, 'Bill', '2275.00'],
    ['Inventory adjustment', adjustment, {}, 'InventoryAdjustment', '0.00'],
    ['Inventory adjustment as a journal entry', adjustment, { inventoryAdjustmentsAs: 'JournalEntry' }, 'JournalEntry', '148.50'],
    ['Inventory transfer', transfer, {}, 'JournalEntry', '271.50'],
  ])('%s -> %s', (_name, build, settings, kind, total) => {
    const draft = planPosting(build(), settings);
    expect(draft.kind).toBe(kind);
    expect(draft.total).toBe(total);
    expect(draft.glEntryIds).toHaveLength(build().lines.length);
  });
});

describe('invoice plan', () => {
  const draft = planPosting(standardInvoice());

  it('has the header, the AR control account and the customer', () => {
    expect(draft).toMatchObject({
      kind: 'Invoice',
      recordLabel: 'Standard 10042',
      docNumber: '10042',
      txnDate: '2026-11-20',
      dueDate: '2026-12-20',
      terms: 'Net 30',
      taxCode: 'Seattle',
      party: { role: 'customer', name: 'Acme Dental Group', accountNumber: 'ACME-01' },
      control: { accountType: 'Accounts Receivable', account: 'Accounts Receivable' },
      source: { kind: 'invoice', recordType: 'Standard', recordId: '77', number: '10042', revision: '3' },
    });
  });

  it('turns revenue credits into positive lines and the discount debit into a negative one', () => {
    expect(draft.lines.map((l) => [l.detail, l.account, l.productId, l.amount, l.quantity, l.unitPrice])).toEqual([
      ['sales', 'Service Revenue', 'Services', '900.00', '6', '150.00'],
      ['sales', 'Product Revenue:Hardware Revenue', 'SSD-1TB', '238.00', '2', '119.00'],
      ['sales', 'Product Discounts', 'Discount', '-20.00', undefined, undefined],
    ]);
  });

  it('puts sales tax on one line per tax level, each to its payable', () => {
    expect(draft.taxLines.map((t) => [t.level, t.account, t.amount, t.taxCodeXref])).toEqual([
      [1, 'Sales Tax Payable:State Sales Tax Payable', '14.17', 'WA State'],
      [2, 'Sales Tax Payable:County Sales Tax Payable', '3.27', 'King County'],
      [3, 'Sales Tax Payable:City Sales Tax Payable', '5.12', 'Seattle City'],
    ]);
  });

  it('merges two entries of one tax level and drops Qty/UnitPrice that do not multiply to the amount', () => {
    const r = record(
      'Standard',
      [
        gl({ accountType: 'Accounts Receivable', account: 'AR', side: 'debit', amount: '110.00' }),
        gl({ accountType: 'Revenue', account: 'Rev', productId: 'Services', side: 'credit', amount: '100.00', quantity: '3', unitPrice: '33.33' }),
        gl({ accountType: 'Sales Tax Payable', account: 'Tax', side: 'credit', amount: '6.00', taxLevel: 1 }),
        gl({ accountType: 'Sales Tax Payable', account: 'Tax', side: 'credit', amount: '4.00', taxLevel: 1 }),
      ],
      { total: '110.00' },
    );
    const d = planPosting(r);
    expect(d.taxLines).toHaveLength(1);
    expect(d.taxLines[0]).toMatchObject({ amount: '10.00', glEntryIds: [r.lines[2].glEntryId, r.lines[3].glEntryId] });
    expect(d.lines[0].quantity).toBeUndefined();
  });

  it('a credit memo debits revenue: lines positive in the memo’s direction', () => {
    const d = planPosting(creditMemo());
    expect(d.lines.map((l) => l.amount)).toEqual(['150.00']);
    expect(d.party?.role).toBe('customer');
  });

  it('adds exactly: a thousand 0.10 lines make 100.00', () => {
    const lines = Array.from({ length: 1000 }, () => gl({ accountType: 'Revenue', account: 'Rev', productId: 'Services', side: 'credit', amount: '0.10' }));
    const d = planPosting(record('Standard', [gl({ accountType: 'Accounts Receivable', account: 'AR', side: 'debit', amount: '100.00' }), ...lines], { total: '100.00' }));
    expect(d.total).toBe('100.00');
  });

  it('uses the default item for lines without a GL Product ID', () => {
    const r = simpleInvoice('Standard', 'Revenue', 'Service Revenue', 'x');
    delete r.lines[1].productId;
    expect(planPosting(r, { defaultProductId: 'Services' }).lines[0].productId).toBe('Services');
  });
});

describe('payables and inventory plans', () => {
  it('a bill has AP on the header and every other entry as an account line', () => {
    const d = planPosting(expenseReport(true));
    expect(d.control).toEqual({ accountType: 'Accounts Payable', account: 'Accounts Payable' });
    expect(d.party).toEqual({ role: 'vendor', name: 'Jane Doe' });
    expect(d.lines.map((l) => [l.detail, l.account, l.amount, l.class])).toEqual([
      ['account', 'Travel', '45.20', 'Professional Services'],
      ['account', 'Expense Tax', '3.00', undefined],
    ]);
  });

  it('a clearing entry keeps every GL entry with its side, and names the vendor on AP', () => {
    const d = planPosting(expenseReport(false));
    expect(d.lines.map((l) => [l.account, l.postingType, l.amount, l.entity])).toEqual([
      ['Travel', 'Debit', '45.20', undefined],
      ['Expense Tax', 'Debit', '3.00', undefined],
      ['Accounts Payable', 'Credit', '48.20', 'vendor'],
    ]);
    expect(d.party?.role).toBe('vendor');
  });

  it('a PO receipt is a bill with item lines (QuickBooks Online has no item receipt)', () => {
    const d = planPosting(poReceipt());
    expect(d.lines.map((l) => [l.detail, l.productId, l.amount, l.quantity, l.unitPrice])).toEqual([
      ['item', 'LAPTOP-14', '2240.00', '2', '1120.00'],
      ['item', 'Freight', '35.00', undefined, undefined],
    ]);
    expect(d.party).toEqual({ role: 'vendor', name: 'Ingram Micro', accountNumber: 'V-100' });
  });

  it('an adjustment that debits the adjustment account writes stock off', () => {
    const d = planPosting(adjustment());
    expect(d.control).toEqual({ accountType: 'Inventory Adjustments', account: 'Inventory Shrinkage' });
    expect(d.lines).toEqual([expect.objectContaining({ detail: 'adjustment', productId: 'SSD-1TB', quantityDiff: '-2', amount: '0.00' })]);
  });

  it('an adjustment that credits it writes stock on', () => {
    const r = adjustment();
    r.lines[0].side = 'credit';
    r.lines[1].side = 'debit';
    expect(planPosting(r).lines[0].quantityDiff).toBe('2');
  });

  it('a transfer is a journal entry between the two inventory entries', () => {
    const d = planPosting(transfer());
    expect(d.lines.map((l) => [l.postingType, l.class, l.amount])).toEqual([
      ['Debit', 'Web Services', '271.50'],
      ['Credit', 'Managed Services', '271.50'],
    ]);
  });
});

describe('errors name the record', () => {
  it.each<[string, () => PsaGlRecord, object, string, RegExp]>([
    [
      'debits differ from credits',
      () => {
        const r = standardInvoice();
        r.lines[1].amount = '900.01';
        return r;
      },
      {},
      'Unbalanced',
      /Standard 10042 \(PSA id 77\) does not balance: debits 1160\.56, credits 1160\.57, difference -0\.01/,
    ],
    ['the record total differs from AR', () => ({ ...standardInvoice(), total: '1140.00' }), {}, 'Unbalanced', /total is 1140\.00 but its Accounts Receivable entries total 1140\.56/],
    ['a document number over 21 characters', () => ({ ...standardInvoice(), number: 'INV-2026-11-000001234567' }), {}, 'InvalidInput', /24 characters; the accounting package takes 1 to 21/],
    ['an amount with three decimals', () => {
      const r = standardInvoice();
      r.lines[0].amount = '1140.565';
      return r;
    }, {}, 'InvalidInput', /GL entry \d+ has amount "1140\.565"/],
    ['a sales line without an item', () => {
      const r = simpleInvoice('Standard', 'Revenue', 'Service Revenue', 'x');
      delete r.lines[1].productId;
      return r;
    }, {}, 'MappingMissing', /has no GL Product ID; every Invoice line needs an item/],
    ['no AR entry', () => record('Standard', [gl({ accountType: 'Revenue', account: 'R', side: 'credit', amount: '0.00' })]), {}, 'MappingMissing', /has no Accounts Receivable GL entry/],
    ['two AR accounts', () => {
      const r = simpleInvoice('Standard', 'Revenue', 'Service Revenue', 'Services');
      r.lines.push(gl({ accountType: 'Accounts Receivable', account: 'AR 2', side: 'debit', amount: '0.00' }));
      return r;
    }, {}, 'MappingInvalid', /Accounts Receivable entries name 2 different accounts/],
    ['a negative invoice', () => {
      const r = simpleInvoice('Standard', 'Revenue', 'Service Revenue', 'Services');
      r.lines[0].side = 'credit';
      r.lines[1].side = 'debit';
      return r;
    }, {}, 'InvalidInput', /a negative invoice/],
    ['a Purchase for a reimbursable expense', () => expenseReport(false), { expensesWithoutBill: 'Purchase' }, 'InvalidInput', /credits Accounts Payable/],
    ['an adjustment without a quantity', () => {
      const r = adjustment();
      delete r.lines[0].quantity;
      return r;
    }, {}, 'InvalidInput', /adjusts SSD-1TB but carries no quantity/],
    ['a bad date', () => ({ ...standardInvoice(), date: '20/11/2026' }), {}, 'InvalidInput', /date "20\/11\/2026" is not a YYYY-MM-DD date/],
  ])('%s', (_name, build, settings, type, message) => {
    const err = thrown(() => planPosting(build(), settings));
    expect(err.type).toBe(type);
    expect(err.message).toMatch(message);
    expect(err.record).toMatch(/^(Standard|Expense|Adjustment) /);
    expect(err.fix).toBeTruthy();
  });
});

describe('closed period', () => {
  it('refuses a record dated on or before the book close date, naming the record, the date and the fix', () => {
    const inv = standardInvoice();
    const draft = planPosting(inv);
    let err: unknown;
    try {
      planPosting(inv, { bookCloseDate: draft.txnDate });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ type: 'InvalidInput', message: expect.stringContaining(`inside the closed period ending ${draft.txnDate}`) });
    expect((err as { fix: string }).fix).toMatch(/reopen the period/i);
    expect((err as { record: string }).record).toBeTruthy();
    expect(planPosting(inv, { bookCloseDate: '2000-01-01' }).txnDate).toBe(draft.txnDate);
  });
});
