/**
 * Every client call against the in-process QuickBooks sandbox: reads, creates of each transaction
 * kind, updates with SyncToken, voids and deletes, payments, queries with paging, batch, requestid
 * replay and the idempotency-key lookup.
 */
import { DEMO_ACCOUNTS, DEMO_CLASSES, DEMO_CUSTOMERS, DEMO_ITEMS, DEMO_TERMS, DEMO_VENDORS } from '../../../dev/sandbox/shared/demo-chart';
import type { QuickBooksSandbox } from '../../../dev/sandbox/quickbooks';
import type { QuickBooksClient } from '../../../integrations/quickbooks';
import { clientFor, ledgerError, startSandbox } from './helpers';

let sb: QuickBooksSandbox;
let qbo: QuickBooksClient;
const ids: Record<string, string> = {};

function line(amount: number, item: string, qty?: number, unitPrice?: number) {
  return { Amount: amount, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item }, ...(qty !== undefined ? { Qty: qty, UnitPrice: unitPrice } : {}) } };
}

function jeLine(postingType: 'Debit' | 'Credit', amount: number, account: string, entity?: { Type: string; EntityRef: { value: string } }) {
  return { Amount: amount, DetailType: 'JournalEntryLineDetail', JournalEntryLineDetail: { PostingType: postingType, AccountRef: { value: account }, ...(entity ? { Entity: entity } : {}) } };
}

beforeAll(async () => {
  sb = await startSandbox();
  qbo = clientFor(sb).client;
  const accounts = await qbo.listAccounts();
  for (const a of accounts) ids[`acct:${a.Name}`] = a.Id;
  for (const i of await qbo.listItems()) ids[`item:${i.Name}`] = i.Id;
  for (const c of await qbo.listCustomers()) ids[`cust:${c.DisplayName}`] = c.Id;
  for (const v of await qbo.listVendors()) ids[`vend:${v.DisplayName}`] = v.Id;
  for (const c of await qbo.listClasses()) ids[`class:${c.Name}`] = c.Id;
  for (const t of await qbo.listTaxCodes()) ids[`tax:${t.Name}`] = t.Id;
  for (const r of (await qbo.queryAll('TaxRate')) as Array<{ Id: string; Name?: unknown }>) ids[`rate:${String(r.Name)}`] = r.Id;
});

afterAll(() => sb.close());

describe('reads', () => {
  it('lists the demo chart of accounts with sub-accounts as colon paths', async () => {
    const accounts = await qbo.listAccounts();
    expect(accounts).toHaveLength(DEMO_ACCOUNTS.length);
    const hardware = accounts.find((a) => a.Name === 'Hardware Revenue')!;
    expect(hardware).toMatchObject({ SubAccount: true, FullyQualifiedName: 'Product Revenue:Hardware Revenue', AcctNum: '4041', AccountType: 'Income', Classification: 'Revenue', Active: true });
    expect(hardware.ParentRef?.value).toBe(ids['acct:Product Revenue']);
  });

  it('lists items, customers, vendors, classes, terms and tax codes', async () => {
    expect(await qbo.listItems()).toHaveLength(DEMO_ITEMS.length);
    expect(await qbo.listCustomers()).toHaveLength(DEMO_CUSTOMERS.length);
    expect(await qbo.listVendors()).toHaveLength(DEMO_VENDORS.length);
    expect((await qbo.listClasses()).map((c) => c.Name).sort()).toEqual([...DEMO_CLASSES].sort());
    expect((await qbo.listTerms()).map((t) => t.Name).sort()).toEqual(DEMO_TERMS.map((t) => t.name).sort());
    expect((await qbo.listTaxCodes()).map((t) => t.Name)).toEqual(expect.arrayContaining(['TAX', 'NON', 'Seattle', 'Tacoma', 'Exempt']));
  });

  it('reads preferences and any entity by Id; a missing Id is NotFound', async () => {
    const prefs = await qbo.getPreferences();
    expect(prefs.AccountingInfoPrefs).toMatchObject({ UseAccountNumbers: true, ClassTrackingPerTxnLine: true });
    const account = await qbo.read('Account', ids['acct:Travel']);
    expect(account.Name).toBe('Travel');
    const customer = await qbo.read('Customer', ids['cust:Acme Dental Group']);
    expect(customer.DisplayName).toBe('Acme Dental Group');
    const err = await ledgerError(qbo.read('Invoice', '999999'));
    expect(err.type).toBe('NotFound');
    expect(err.details).toMatchObject({ code: '610' });
  });

  it('hides inactive name-list rows unless asked, and updates with SyncToken', async () => {
    const account = await qbo.create('Account', { Name: 'Old Suspense', AccountType: 'Other Current Liability' });
    const inactive = await qbo.update('Account', { Id: account.Id, SyncToken: account.SyncToken, Active: false });
    expect(inactive.SyncToken).toBe('1');
    expect((await qbo.listAccounts()).some((a) => a.Id === account.Id)).toBe(false);
    expect((await qbo.listAccounts({ includeInactive: true })).some((a) => a.Id === account.Id)).toBe(true);
    const stale = await ledgerError(qbo.update('Account', { Id: account.Id, SyncToken: '0', Description: 'late' }));
    expect(stale.type).toBe('Conflict');
    expect(stale.details).toMatchObject({ code: '5010' });
  });
});

describe('creating transactions', () => {
  it('creates an invoice with a subtotal line, total, balance and due date from the terms', async () => {
    const inv = await qbo.createInvoice({
      CustomerRef: { value: ids['cust:Acme Dental Group'] },
      DocNumber: 'CT-1001',
      TxnDate: '2026-11-02',
      Line: [line(300, ids['item:Services'], 2, 150), line(100, ids['item:Managed Services'])],
      TxnTaxDetail: { TotalTax: 10.5 },
    });
    expect(inv).toMatchObject({ DocNumber: 'CT-1001', TotalAmt: 410.5, Balance: 410.5, DueDate: '2026-12-02', SyncToken: '0' });
    expect(inv.Line?.at(-1)).toMatchObject({ DetailType: 'SubTotalLineDetail', Amount: 400 });
  });

  it('takes sales tax in TxnTaxDetail: a tax code, one line per rate, TotalTax summed', async () => {
    const inv = await qbo.createInvoice({
      CustomerRef: { value: ids['cust:Acme Dental Group'] },
      Line: [{ ...line(1499, ids['item:LAPTOP-14'], 1, 1499), SalesItemLineDetail: { ItemRef: { value: ids['item:LAPTOP-14'] }, Qty: 1, UnitPrice: 1499, TaxCodeRef: { value: 'TAX' } } }],
      TxnTaxDetail: {
        TxnTaxCodeRef: { value: ids['tax:Seattle'] },
        TaxLine: [
          { Amount: 97.44, DetailType: 'TaxLineDetail', TaxLineDetail: { TaxRateRef: { value: ids['rate:WA State'] }, PercentBased: true, TaxPercent: 6.5, NetAmountTaxable: 1499 } },
          { Amount: 22.49, DetailType: 'TaxLineDetail', TaxLineDetail: { TaxRateRef: { value: ids['rate:King County'] }, PercentBased: true, TaxPercent: 1.5, NetAmountTaxable: 1499 } },
          { Amount: 35.23, DetailType: 'TaxLineDetail', TaxLineDetail: { TaxRateRef: { value: ids['rate:Seattle City'] }, PercentBased: true, TaxPercent: 2.35, NetAmountTaxable: 1499 } },
        ],
      },
    });
    expect(inv.TotalAmt).toBe(1654.16);
    expect((inv as { TxnTaxDetail?: { TotalTax?: number } }).TxnTaxDetail?.TotalTax).toBe(155.16);
  });

  it('creates a credit memo, a bill, a purchase, a journal entry and an inventory adjustment', async () => {
    const cm = await qbo.createCreditMemo({ CustomerRef: { value: ids['cust:Blue Harbor Logistics'] }, Line: [line(50, ids['item:Discount'])] });
    expect(cm).toMatchObject({ TotalAmt: 50 });
    const before = await qbo.read('Item', ids['item:LAPTOP-14']);
    const bill = await qbo.createBill({
      VendorRef: { value: ids['vend:Ingram Micro'] },
      Line: [
        { Amount: 2240, DetailType: 'ItemBasedExpenseLineDetail', ItemBasedExpenseLineDetail: { ItemRef: { value: ids['item:LAPTOP-14'] }, Qty: 2, UnitPrice: 1120 } },
        { Amount: 35, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: ids['acct:Freight In'] }, ClassRef: { value: ids['class:Managed Services'] } } },
      ],
    });
    expect(bill).toMatchObject({ TotalAmt: 2275, Balance: 2275 });
    expect((await qbo.read('Item', ids['item:LAPTOP-14'])).QtyOnHand).toBe((before.QtyOnHand ?? 0) + 2);
    const purchase = await qbo.createPurchase({
      PaymentType: 'CreditCard',
      AccountRef: { value: ids['acct:Company Credit Card'] },
      EntityRef: { value: ids['vend:Amazon Business'], type: 'Vendor' },
      Line: [{ Amount: 42.1, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: ids['acct:Office Supplies'] } } }],
    });
    expect(purchase.TotalAmt).toBe(42.1);
    const je = await qbo.createJournalEntry({
      DocNumber: 'JE-1',
      Line: [
        jeLine('Debit', 120, ids['acct:Accounts Receivable'], { Type: 'Customer', EntityRef: { value: ids['cust:Cascade Law Partners'] } }),
        jeLine('Credit', 120, ids['acct:Service Revenue']),
      ],
    });
    expect(je.TotalAmt).toBe(120);
    const adj = await qbo.createInventoryAdjustment({
      AdjustAccountRef: { value: ids['acct:Inventory Shrinkage'] },
      Line: [{ DetailType: 'ItemAdjustmentLineDetail', ItemAdjustmentLineDetail: { ItemRef: { value: ids['item:SSD-1TB'] }, QtyDiff: -3 } }],
    });
    expect(adj.Id).toBeDefined();
    expect((await qbo.read('Item', ids['item:SSD-1TB'])).QtyOnHand).toBe(97);
  });

  it('creates a payment that lowers the invoice balance, then voids and deletes payments', async () => {
    const customer = ids['cust:Harbor Health Partners'];
    const inv = await qbo.createInvoice({ CustomerRef: { value: customer }, Line: [line(1000, ids['item:Services'])] });
    const payment = await qbo.createPayment({ CustomerRef: { value: customer }, TotalAmt: 700, Line: [{ Amount: 600, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }] });
    expect(payment).toMatchObject({ TotalAmt: 700, UnappliedAmt: 100 });
    const paid = await qbo.read('Invoice', inv.Id);
    expect(paid.Balance).toBe(400);
    expect(paid.SyncToken).toBe('1');
    expect(paid.LinkedTxn).toEqual([{ TxnId: payment.Id, TxnType: 'Payment' }]);
    expect((await qbo.getPayment(payment.Id)).TotalAmt).toBe(700);

    const voided = await qbo.void('Payment', payment);
    expect(voided).toMatchObject({ TotalAmt: 0, UnappliedAmt: 0 });
    expect((await qbo.read('Invoice', inv.Id)).Balance).toBe(1000);

    const second = await qbo.createPayment({ CustomerRef: { value: customer }, TotalAmt: 1000, Line: [{ Amount: 1000, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }] });
    expect((await qbo.read('Invoice', inv.Id)).Balance).toBe(0);
    const deleted = await qbo.delete('Payment', second);
    expect(deleted).toMatchObject({ Id: second.Id, status: 'Deleted' });
    expect((await qbo.read('Invoice', inv.Id)).Balance).toBe(1000);
    expect((await ledgerError(qbo.getPayment(second.Id))).type).toBe('NotFound');
  });

  it('voids and deletes other transactions, with SyncToken checks', async () => {
    const inv = await qbo.createInvoice({ CustomerRef: { value: ids['cust:Juniper Realty'] }, Line: [line(80, ids['item:Services'])] });
    expect((await ledgerError(qbo.void('Invoice', { Id: inv.Id, SyncToken: '7' }))).details).toMatchObject({ code: '5010' });
    const voided = await qbo.void('Invoice', inv);
    expect(voided).toMatchObject({ TotalAmt: 0, Balance: 0, SyncToken: '1' });
    const bill = await qbo.createBill({ VendorRef: { value: ids['vend:Pax8'] }, Line: [{ Amount: 5, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: ids['acct:Travel'] } } }] });
    expect(await qbo.delete('Bill', bill)).toMatchObject({ status: 'Deleted' });
  });

  it('updates a transaction sparsely, bumping SyncToken and recomputing totals', async () => {
    const inv = await qbo.createInvoice({ CustomerRef: { value: ids['cust:Mariner Brewing Co.'] }, Line: [line(10, ids['item:Services'])], PrivateNote: 'first' });
    const updated = await qbo.update('Invoice', { Id: inv.Id, SyncToken: inv.SyncToken, Line: [line(25, ids['item:Services'])] });
    expect(updated).toMatchObject({ SyncToken: '1', TotalAmt: 25, Balance: 25, PrivateNote: 'first' });
  });

  it('reports changed and deleted payments through change data capture', async () => {
    const customer = ids['cust:Summit Financial Advisors'];
    const inv = await qbo.createInvoice({ CustomerRef: { value: customer }, Line: [line(40, ids['item:Services'])] });
    const p = await qbo.createPayment({ CustomerRef: { value: customer }, TotalAmt: 40, Line: [{ Amount: 40, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }] });
    await qbo.delete('Payment', p);
    const changes = await qbo.changeDataCapture(['Payment', 'Invoice'], new Date(Date.now() - 3_600_000).toISOString());
    expect(changes.Payment).toEqual(expect.arrayContaining([expect.objectContaining({ Id: p.Id, status: 'Deleted' })]));
    expect(changes.Invoice.map((r) => r.Id)).toContain(inv.Id);
  });

  it('lists payments changed since a moment', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const all = await qbo.listPayments({ changedSince: since });
    expect(all.length).toBeGreaterThanOrEqual(1);
    expect(await qbo.listPayments({ changedSince: '2099-01-01T00:00:00Z' })).toEqual([]);
  });
});

describe('validation faults, each with its QuickBooks code', () => {
  const customer = () => ({ value: ids['cust:Orca Insurance Agency'] });
  const cases: Array<[string, () => Promise<unknown>, string, string]> = [
    ['unknown account', () => qbo.createJournalEntry({ Line: [jeLine('Debit', 1, '99999'), jeLine('Credit', 1, ids['acct:Travel'])] }), 'ReferenceNotFound', '2500'],
    ['unknown item', () => qbo.createInvoice({ CustomerRef: customer(), Line: [line(1, '99999')] }), 'ReferenceNotFound', '2500'],
    ['unknown customer', () => qbo.createInvoice({ CustomerRef: { value: '99999' }, Line: [line(1, ids['item:Services'])] }), 'ReferenceNotFound', '2500'],
    ['unknown vendor', () => qbo.createBill({ VendorRef: { value: '99999' }, Line: [{ Amount: 1, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: ids['acct:Travel'] } } }] }), 'ReferenceNotFound', '2500'],
    ['unknown class', () => qbo.createInvoice({ CustomerRef: customer(), Line: [{ ...line(1, ids['item:Services']), SalesItemLineDetail: { ItemRef: { value: ids['item:Services'] }, ClassRef: { value: '99999' } } }] }), 'ReferenceNotFound', '2500'],
    ['unbalanced journal', () => qbo.createJournalEntry({ Line: [jeLine('Debit', 10, ids['acct:Travel']), jeLine('Credit', 9.99, ids['acct:Service Revenue'])] }), 'ValidationRejected', '6000'],
    ['A/R line without a customer', () => qbo.createJournalEntry({ Line: [jeLine('Debit', 5, ids['acct:Accounts Receivable']), jeLine('Credit', 5, ids['acct:Service Revenue'])] }), 'ValidationRejected', '6000'],
    ['A/P line without a vendor', () => qbo.createJournalEntry({ Line: [jeLine('Debit', 5, ids['acct:Travel']), jeLine('Credit', 5, ids['acct:Accounts Payable'])] }), 'ValidationRejected', '6000'],
    ['Qty x UnitPrice mismatch', () => qbo.createInvoice({ CustomerRef: customer(), Line: [line(301, ids['item:Services'], 2, 150)] }), 'ValidationRejected', '6070'],
    ['a sales tax code on a line instead of TAX/NON', () => qbo.createInvoice({ CustomerRef: customer(), Line: [{ Amount: 1, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: ids['item:Services'] }, TaxCodeRef: { value: ids['tax:Seattle'] } } }] }), 'ValidationRejected', '6100'],
    ['unknown tax rate', () => qbo.createInvoice({ CustomerRef: customer(), Line: [line(1, ids['item:Services'])], TxnTaxDetail: { TaxLine: [{ Amount: 1, DetailType: 'TaxLineDetail', TaxLineDetail: { TaxRateRef: { value: '99999' } } }] } }), 'ReferenceNotFound', '2500'],
    ['missing lines', () => qbo.createInvoice({ CustomerRef: customer() }), 'ValidationRejected', '2020'],
    ['missing customer', () => qbo.createInvoice({ Line: [line(1, ids['item:Services'])] }), 'ValidationRejected', '2020'],
    ['duplicate DisplayName (customer vs vendor)', () => qbo.create('Customer', { DisplayName: 'Ingram Micro' }), 'ValidationRejected', '6240'],
    ['duplicate account name', () => qbo.create('Account', { Name: 'Travel', AccountType: 'Expense' }), 'ValidationRejected', '6240'],
    ['HasBeenBilled cannot be set', () => qbo.createBill({ VendorRef: { value: ids['vend:Pax8'] }, Line: [{ Amount: 1, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: ids['acct:Travel'] }, BillableStatus: 'HasBeenBilled' } }] }), 'ValidationRejected', '2170'],
    ['overpaying an invoice line', () => qbo.createPayment({ CustomerRef: customer(), TotalAmt: 5, Line: [{ Amount: 5, LinkedTxn: [{ TxnId: '99999', TxnType: 'Invoice' }] }] }), 'ReferenceNotFound', '610'],
  ];

  it.each(cases)('%s', async (_name, call, type, code) => {
    const err = await ledgerError(call());
    expect(err.type).toBe(type);
    expect(err.details).toMatchObject({ code, httpStatus: 400 });
    expect(typeof err.details?.intuit_tid).toBe('string');
    expect(err.retryable).toBe(false);
  });

  it('refuses a reference to an inactive account with 610', async () => {
    const acct = await qbo.create('Account', { Name: 'Retired Expense', AccountType: 'Expense' });
    await qbo.update('Account', { Id: acct.Id, SyncToken: acct.SyncToken, Active: false });
    const err = await ledgerError(qbo.createJournalEntry({ Line: [jeLine('Debit', 1, acct.Id), jeLine('Credit', 1, ids['acct:Travel'])] }));
    expect(err.type).toBe('ReferenceNotFound');
    expect(err.details).toMatchObject({ code: '610' });
  });

  it('refuses a duplicate invoice DocNumber unless allowduplicatedocnum is sent', async () => {
    await qbo.createInvoice({ CustomerRef: customer(), DocNumber: 'DUP-1', Line: [line(1, ids['item:Services'])] });
    const err = await ledgerError(qbo.createInvoice({ CustomerRef: customer(), DocNumber: 'DUP-1', Line: [line(1, ids['item:Services'])] }));
    expect(err.details).toMatchObject({ code: '6140' });
    const again = await qbo.createInvoice({ CustomerRef: customer(), DocNumber: 'DUP-1', Line: [line(1, ids['item:Services'])] }, { allowDuplicateDocNum: true });
    expect(again.DocNumber).toBe('DUP-1');
  });

  it('a refused update restores what reversing the old version changed', async () => {
    const customer = ids['cust:Granite Peak Builders'];
    const inv = await qbo.createInvoice({ CustomerRef: { value: customer }, Line: [line(100, ids['item:Services'])] });
    const pay = await qbo.createPayment({ CustomerRef: { value: customer }, TotalAmt: 60, Line: [{ Amount: 60, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }] });
    const before = await qbo.read('Invoice', inv.Id);
    const err = await ledgerError(qbo.update('Payment', { Id: pay.Id, SyncToken: pay.SyncToken, TotalAmt: 500, Line: [{ Amount: 500, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }] }));
    expect(err.details).toMatchObject({ code: '6000' });
    expect(await qbo.read('Invoice', inv.Id)).toEqual(before);
    expect((await qbo.getPayment(pay.Id)).SyncToken).toBe(pay.SyncToken);
  });

  it('a refused write leaves nothing behind', async () => {
    const before = await qbo.count('JournalEntry');
    await ledgerError(qbo.createJournalEntry({ Line: [jeLine('Debit', 10, ids['acct:Travel']), jeLine('Credit', 1, ids['acct:Service Revenue'])] }));
    expect(await qbo.count('JournalEntry')).toBe(before);
  });
});

describe('queries', () => {
  it('pages with STARTPOSITION/MAXRESULTS until a short page and agrees with count(*)', async () => {
    const pages: number[] = [];
    const all = await qbo.queryAll('Customer', { pageSize: 10 });
    expect(all).toHaveLength(await qbo.count('Customer'));
    expect(new Set(all.map((c) => c.Id)).size).toBe(all.length);
    for (let start = 1; ; start += 10) {
      const page = await qbo.query('Customer', { orderBy: { field: 'Id' }, startPosition: start, maxResults: 10 });
      pages.push(page.rows.length);
      if (page.rows.length < 10) break;
    }
    expect(pages.reduce((a, b) => a + b, 0)).toBe(all.length);
  });

  it('filters with =, IN, LIKE and dates, quoting apostrophes', async () => {
    const bob = await qbo.create('Customer', { DisplayName: "Bob's Burgers" });
    expect((await qbo.queryAll('Customer', { where: [{ field: 'DisplayName', op: '=', value: "Bob's Burgers" }] })).map((c) => c.Id)).toEqual([bob.Id]);
    const income = await qbo.queryAll('Account', { where: [{ field: 'AccountType', op: 'IN', value: ['Income', 'Cost of Goods Sold'] }] });
    expect(income.every((a) => a.AccountType === 'Income' || a.AccountType === 'Cost of Goods Sold')).toBe(true);
    const revenue = await qbo.queryAll('Account', { where: [{ field: 'Name', op: 'LIKE', value: '%Revenue' }] });
    expect(revenue.length).toBeGreaterThan(5);
    expect(revenue.every((a) => a.Name.endsWith('Revenue'))).toBe(true);
    const recent = await qbo.queryAll('Invoice', { where: [{ field: 'MetaData.LastUpdatedTime', op: '>=', value: '2020-01-01T00:00:00-08:00' }] });
    expect(recent.length).toBeGreaterThan(0);
  });

  it('answers an empty QueryResponse with no rows', async () => {
    const page = await qbo.query('Invoice', { where: [{ field: 'DocNumber', op: '=', value: 'no-such-doc' }] });
    expect(page.rows).toEqual([]);
  });

  it('refuses a filter QuickBooks does not allow (Payment.DocNumber)', async () => {
    const err = await ledgerError(qbo.queryAll('Payment', { where: [{ field: 'DocNumber', op: '=', value: '1' }] }));
    expect(err.details).toMatchObject({ code: '4001' });
  });

  it('numbers sales forms itself when asked (AutoDocNumber)', async () => {
    const a = await qbo.createInvoice({ CustomerRef: { value: ids['cust:Sound Auto Group'] }, AutoDocNumber: true, Line: [line(1, ids['item:Services'])] });
    const b = await qbo.createInvoice({ CustomerRef: { value: ids['cust:Sound Auto Group'] }, AutoDocNumber: true, Line: [line(1, ids['item:Services'])] });
    expect(Number(a.DocNumber)).toBeGreaterThan(1000);
    expect(Number(b.DocNumber)).toBe(Number(a.DocNumber) + 1);
  });

  it('rejects MAXRESULTS above 1000 on the server with 4001', async () => {
    const err = await ledgerError(qbo.queryStatement('SELECT * FROM Account MAXRESULTS 1500'));
    expect(err.type).toBe('ValidationRejected');
    expect(err.details).toMatchObject({ code: '4001' });
  });
});

describe('batch', () => {
  it('chunks 31 items into 30 + 1 and returns per-item results in order', async () => {
    const items = Array.from({ length: 31 }, (_, i) => ({ operation: 'create' as const, entity: 'Class' as const, body: { Name: `Batch Class ${i}` } }));
    const results = await qbo.batch(items, { requestId: 'batch-classes-1' });
    expect(results).toHaveLength(31);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.map((r) => r.bId)).toEqual(items.map((_, i) => `b${i + 1}`));
    expect((await qbo.listClasses()).filter((c) => c.Name.startsWith('Batch Class'))).toHaveLength(31);
  });

  it('reports a fault per item without failing the others, and runs queries', async () => {
    const results = await qbo.batch([
      { bId: 'ok', operation: 'create', entity: 'Invoice', body: { CustomerRef: { value: ids['cust:Sound Auto Group'] }, Line: [line(9, ids['item:Services'])] } },
      { bId: 'bad', operation: 'create', entity: 'Invoice', body: { CustomerRef: { value: '99999' }, Line: [line(9, ids['item:Services'])] } },
      { bId: 'q', query: "SELECT * FROM Term WHERE Name = 'Net 30'" },
    ]);
    expect(results[0]).toMatchObject({ bId: 'ok', ok: true, entity: { name: 'Invoice' } });
    expect(results[1].ok).toBe(false);
    if (!results[1].ok) {
      expect(results[1].error.type).toBe('ReferenceNotFound');
      expect(results[1].error.details).toMatchObject({ code: '2500' });
    }
    expect(results[2]).toMatchObject({ bId: 'q', ok: true, queryResponse: { Term: [expect.objectContaining({ Name: 'Net 30' })] } });
  });

  it('splits a chunk QuickBooks refuses as too large (413) and resends the halves', async () => {
    const sizes: number[] = [];
    const limited: typeof fetch = async (input, init) => {
      if (String(input).includes('/batch')) {
        const n = (JSON.parse(String(init?.body)) as { BatchItemRequest: unknown[] }).BatchItemRequest.length;
        sizes.push(n);
        if (n > 8) return new Response('<html><body>413 Request Entity Too Large</body></html>', { status: 413, headers: { 'Content-Type': 'text/html' } });
      }
      return fetch(input, init);
    };
    const { client } = clientFor(sb, { fetch: limited });
    const items = Array.from({ length: 20 }, (_, i) => ({ operation: 'create' as const, entity: 'Class' as const, body: { Name: `Split Class ${i}` } }));
    const results = await client.batch(items, { requestId: 'split-1' });
    expect(results.map((r) => r.ok)).toEqual(items.map(() => true));
    expect(sizes).toEqual([20, 10, 5, 5, 10, 5, 5]);
  });

  it('does not let an item see an object created earlier in the same batch', async () => {
    // Ids come from one counter, so the customer the batch creates will get marker.Id + 1.
    const marker = await qbo.create('Class', { Name: 'Id Marker' });
    const expectedId = String(Number(marker.Id) + 1);
    const results = await qbo.batch([
      { operation: 'create', entity: 'Customer', body: { DisplayName: 'Same Batch Customer' } },
      { operation: 'create', entity: 'Invoice', body: { CustomerRef: { value: expectedId }, Line: [line(1, ids['item:Services'])] } },
    ]);
    expect(results[0]).toMatchObject({ ok: true, entity: { name: 'Customer', value: { Id: expectedId } } });
    expect(results[1].ok).toBe(false);
    if (!results[1].ok) expect(results[1].error.details).toMatchObject({ code: '2500' });
    // In a later call the customer is visible.
    expect((await qbo.createInvoice({ CustomerRef: { value: expectedId }, Line: [line(1, ids['item:Services'])] })).Id).toBeDefined();
  });

  it('enforces the requestid and bId length rules before sending', async () => {
    expect((await ledgerError(qbo.batch([{ bId: 'b-far-too-long', query: 'SELECT * FROM Term' }], { requestId: 'r1' }))).type).toBe('InvalidInput');
    expect((await ledgerError(qbo.batch([{ query: 'SELECT * FROM Term' }], { requestId: 'x'.repeat(37) }))).type).toBe('InvalidInput');
  });
});

describe('idempotency', () => {
  it('replays the original answer for a repeated requestid instead of creating twice', async () => {
    const body = { CustomerRef: { value: ids['cust:Westlake Boutique Hotel'] }, Line: [line(77, ids['item:Services'])] };
    const before = await qbo.count('Invoice');
    const a = await qbo.createInvoice(body, { requestId: 'replay-test-1' });
    const b = await qbo.createInvoice(body, { requestId: 'replay-test-1' });
    expect(b.Id).toBe(a.Id);
    expect(await qbo.count('Invoice')).toBe(before + 1);
  });

  it('finds a transaction by its idempotency key in DocNumber or PrivateNote', async () => {
    const inv = await qbo.createInvoice({ CustomerRef: { value: ids['cust:Zenith Architecture'] }, DocNumber: 'CW-INV-4242', Line: [line(5, ids['item:Services'])] });
    expect((await qbo.findByIdempotencyKey('Invoice', 'CW-INV-4242'))?.Id).toBe(inv.Id);
    const key = 'ledgerline:acme:expense:981:r3:a-key-longer-than-21';
    const bill = await qbo.createBill({
      VendorRef: { value: ids['vend:Dana Whitfield'] },
      PrivateNote: `Expense report 981 [${key}]`,
      Line: [{ Amount: 12, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: ids['acct:Meals'] } } }],
    });
    expect((await qbo.findByIdempotencyKey('Bill', key))?.Id).toBe(bill.Id);
    expect(await qbo.findByIdempotencyKey('Bill', `${key}-other`)).toBeUndefined();
    expect(await qbo.findByIdempotencyKey('Invoice', 'CW-INV-0000')).toBeUndefined();
  });
});

describe('response checking', () => {
  it('names the endpoint and field when QuickBooks answers an unexpected shape', async () => {
    const mangling: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const body = (await res.json()) as { Account?: Record<string, unknown> };
      if (body.Account) body.Account.SyncToken = 3;
      return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
    };
    const { client } = clientFor(sb, { fetch: mangling });
    const err = await ledgerError(client.read('Account', ids['acct:Travel']));
    expect(err.type).toBe('ResponseShapeMismatch');
    expect(err.message).toContain('GET /account/');
    expect(err.details).toMatchObject({ field: 'Account.SyncToken' });
  });

  it('sends minorversion and a requestid on every write', async () => {
    const urls: string[] = [];
    const spying: typeof fetch = async (input, init) => {
      urls.push(String(input));
      return fetch(input, init);
    };
    const { client } = clientFor(sb, { fetch: spying });
    await client.createInvoice({ CustomerRef: { value: ids['cust:Union Bay Dental'] }, Line: [line(3, ids['item:Services'])] });
    await client.listTerms();
    expect(urls.every((u) => new URL(u).searchParams.get('minorversion') === '75')).toBe(true);
    expect(new URL(urls[0]).searchParams.get('requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(new URL(urls[0]).pathname).toBe(`/v3/company/${sb.realmId}/invoice`);
  });
});
