/**
 * Every ConnectWise client call against the in-process sandbox: reads, paging, conditions, export,
 * batches, payments, mapping changes and the wire details (Link headers, error bodies, auth).
 */
import { LedgerError } from '../../../domain/errors';
import { amountCents, cwString, glExportToRecords, procurementRowIds, type ConnectWiseClient } from '../../../integrations/connectwise';
import { raw, recordingHooks, startFixture, type Fixture } from './sandbox-fixture';

let fx: Fixture;
let cw: ConnectWiseClient;

beforeAll(async () => {
  fx = await startFixture({ seed: 'demo' });
  cw = fx.client();
});
afterAll(async () => {
  await fx.dispose();
});

async function rejection(p: Promise<unknown>): Promise<LedgerError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof LedgerError) return err;
    throw err;
  }
  throw new Error('expected a LedgerError');
}

describe('system and security', () => {
  it('reads system/info, mySecurity and members', async () => {
    const info = await cw.systemInfo();
    expect(info.version).toMatch(/^v2025\.1/);
    const security = await cw.mySecurity();
    const accounting = security.find((r) => r.moduleFunctionName === 'Accounting Interface');
    expect(accounting).toMatchObject({ addLevel: 'All', editLevel: 'All', deleteLevel: 'All', inquireLevel: 'All' });
    const members = await cw.members.all();
    expect(members.find((m) => m.identifier === 'ledgerline-api')?.licenseClass).toBe('A');
    expect(members.find((m) => m.identifier === 'dwhitfield')?.vendorNumber).toBe('E3001');
    expect(await cw.members.count()).toBe(members.length);
  });

  it('discovers the codebase without auth, null for an unknown company', async () => {
    expect(await cw.companyInfo()).toMatchObject({ Codebase: 'v4_6_release/', CompanyID: 'ledgerline', IsCloud: 'False' });
    expect(await cw.companyInfo('nobody')).toBeNull();
  });
});

describe('companies, contacts, paging and conditions', () => {
  it('pages with Link rel=next until the last page', async () => {
    const total = await cw.companies.count();
    expect(total).toBeGreaterThan(30);
    const first = await cw.companies.list({ pageSize: 10, orderBy: 'id asc' });
    expect(first.items).toHaveLength(10);
    expect(first.next).toContain('page=2');
    const all = await cw.companies.all({ pageSize: 10, orderBy: 'id asc' });
    expect(all).toHaveLength(total);
    expect(new Set(all.map((c) => c.id)).size).toBe(total);
  });

  it('sends first/prev/next/last Link relations like ConnectWise', async () => {
    const res = await raw(fx, '/company/companies?pageSize=10&page=2');
    const link = res.headers.get('link')!;
    for (const rel of ['first', 'prev', 'next', 'last']) expect(link).toContain(`rel="${rel}"`);
    const last = await raw(fx, '/company/companies?pageSize=10&page=4');
    expect(last.headers.get('link')).not.toContain('rel="next"');
    const single = await raw(fx, '/finance/billingTerms');
    expect(single.headers.get('link')).toBeNull();
    expect(res.headers.get('api-current-version')).toBe('2025.1');
  });

  it('supports forward-only paging: pageId cursor in Link rel=next, ordered by id, no orderBy', async () => {
    const ids: number[] = [];
    let next: string | undefined = '/company/companies?pageSize=10&conditions=deletedFlag%3Dfalse';
    while (next) {
      const res = await raw(fx, next, { headers: { 'pagination-type': 'forward-only' } });
      ids.push(...((await res.json()) as Array<{ id: number }>).map((c) => c.id));
      next = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
      if (next) expect(next).toContain(`pageId=${ids[ids.length - 1]}`);
    }
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids).toHaveLength(await cw.companies.count());
    const ordered = await raw(fx, '/company/companies?orderBy=name%20asc', { headers: { 'pagination-type': 'forward-only' } });
    expect(ordered.status).toBe(400);

    const viaClient: number[] = [];
    for await (const page of cw.companies.pagesForwardOnly({ pageSize: 10, conditions: 'deletedFlag=false' })) viaClient.push(...page.map((c) => c.id));
    expect(viaClient).toEqual(ids);

    // One page at a time by cursor, as the batch's collect activity reads: the same ids, in order.
    const byCursor: number[] = [];
    let pageId: number | undefined;
    do {
      const page = await cw.companies.listForwardOnly({ pageSize: 10, pageId, conditions: 'deletedFlag=false' });
      byCursor.push(...page.items.map((c) => c.id));
      pageId = page.nextPageId;
    } while (pageId !== undefined);
    expect(byCursor).toEqual(ids);
  });

  it('filters with conditions, childConditions, orderBy and fields', async () => {
    const acme = await cw.companies.list({ conditions: `identifier=${cwString('AcmeDental')}` });
    expect(acme.items.map((c) => c.accountNumber)).toEqual(['C1001']);
    expect(acme.items[0]!.billingContact?.id).toBeDefined();
    expect(acme.items[0]!.billingTerms?.name).toBe('Net 30');

    const vendors = await cw.companies.all({ conditions: 'isVendorFlag=true and deletedFlag=false', orderBy: 'name desc' });
    expect(vendors.map((v) => v.name)).toEqual(['TD SYNNEX', 'Pax8', 'Ingram Micro', 'Amazon Business']);

    const clients = await cw.companies.all({ childConditions: 'types/id=1' });
    expect(clients).toHaveLength(32);

    const some = await cw.companies.all({ conditions: '(name like "Blue%" or accountNumber in ("C1003","C1004")) and _info/lastUpdated < [2027-01-01T00:00:00Z]' });
    expect(some.map((c) => c.identifier).sort()).toEqual(['BlueHarbor', 'CascadeLaw', 'CedarVet']);

    const projected = await cw.companies.list({ conditions: 'identifier="AcmeDental"', fields: 'id,identifier,name' });
    expect(Object.keys(projected.items[0]!).sort()).toEqual(['id', 'identifier', 'name']);

    expect(await cw.companies.count({ conditions: 'name contains "dental"' })).toBe(2); // Acme Dental Group, Union Bay Dental
  });

  it('reads a company billing contact email through contacts', async () => {
    const [acme] = (await cw.companies.list({ conditions: 'identifier="AcmeDental"' })).items;
    const contact = await cw.contacts.get(acme!.billingContact!.id);
    const email = contact.communicationItems?.find((i) => i.communicationType === 'Email');
    expect(email?.value).toBe('maria.okafor@acmedental.example');
    expect(contact.defaultBillingFlag).toBe(true);
    const contacts = await cw.contacts.all({ conditions: 'company/identifier="AcmeDental"' });
    expect(contacts).toHaveLength(1);
  });

  it('rejects a malformed condition with the ConnectWise 400 body', async () => {
    const err = await rejection(cw.companies.list({ conditions: 'name = Acme' }));
    expect(err.type).toBe('ValidationRejected');
    expect(err.retryable).toBe(false);
    const res = await raw(fx, `/company/companies?conditions=${encodeURIComponent('name = Acme')}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string };
    expect(body).toMatchObject({ code: 'InvalidObject', errors: null });
    expect(body.message).toMatch(/enclosed with double or single quotes/);
  });

  it('answers a missing record with 404 NotFound', async () => {
    const err = await rejection(cw.companies.get(99999));
    expect(err.type).toBe('NotFound');
    const body = await (await raw(fx, '/company/companies/99999')).json();
    expect(body).toEqual({ code: 'NotFound', message: expect.stringContaining('99999'), errors: null });
  });

  it('refuses a pageSize above 1000 before calling', async () => {
    await expect(cw.companies.list({ pageSize: 1001 })).rejects.toThrow(RangeError);
  });
});

describe('authentication', () => {
  it('rejects bad keys with the real 401 body and does not retry', async () => {
    const hooks = recordingHooks();
    const bad = fx.client({ privateKey: 'wrong' }, hooks);
    const err = await rejection(bad.systemInfo());
    expect(err.type).toBe('AuthenticationFailed');
    expect(err.retryable).toBe(false);
    expect(hooks.delays).toEqual([]);
    const res = await raw(fx, '/system/info', { auth: 'ledgerline+demo-public:wrong' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 'ConnectWiseApi', message: 'UserNotAuthenticated', errors: null });
  });

  it.each([
    ['no Authorization header', { auth: null }],
    ['a wrong company', { auth: 'other+demo-public:demo-private' }],
    ['no clientId', { clientId: null }],
  ])('rejects %s', async (_name, init) => {
    const res = await raw(fx, '/system/info', init as { auth?: string | null; clientId?: string | null });
    expect(res.status).toBe(401);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['code', 'errors', 'message']);
  });

  it('keeps its secrets out of error messages', async () => {
    const err = await rejection(fx.client({ privateKey: 'hunter2-secret' }).systemInfo());
    expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain('hunter2-secret');
  });
});

describe('finance setup tables', () => {
  it('reads GL accounts, mapped types, package setup, billing statuses and terms, tax codes and levels', async () => {
    const gl = await cw.glAccounts.all();
    const ar = gl.find((g) => g.glType === 'AR');
    expect(ar).toMatchObject({ mappedType: { name: 'My Company: Owner' }, mappedRecord: { name: 'Ledgerline' }, segment1: 'Accounts Receivable' });
    const freight = gl.find((g) => g.glType === 'PF')!;
    expect(freight).toMatchObject({ productId: 'Freight', cogs1: 'Freight In' });
    const mapped = await cw.glMappedTypes.all({ conditions: 'glType="R"' });
    expect(mapped.map((m) => m.name)).toEqual(expect.arrayContaining(['Work Type', 'Service: Type', 'Project: Type', 'My Company: Owner']));

    const setup = await cw.accountingPackageSetup();
    expect(setup.transferExpensesAsBillFlag).toBe(true);

    const statuses = await cw.billingStatuses.all();
    // GL Reload is the open, unsent status that reopens an invoice for re-export.
    expect(statuses.find((s) => s.name === 'GL Reload')).toMatchObject({ closedFlag: false, sentFlag: false, inactiveFlag: false });
    expect(statuses.filter((s) => s.closedFlag).map((s) => s.name)).toEqual(['Closed', 'Paid']);

    const terms = await cw.billingTerms.all();
    expect(terms.find((t) => t.name === 'Net 15')).toMatchObject({ dueDays: 15, termsXref: 'Net 15' });

    const [seattle] = (await cw.taxCodes.list({ conditions: 'identifier="Seattle"' })).items;
    expect(seattle!.levelOneRate).toBe(6.5);
    const levels = await cw.taxCodeLevels(seattle!.id).all();
    expect(levels.map((l) => [l.taxLevel, l.taxRate, l.taxCodeXref])).toEqual([
      [1, 6.5, 'WA State'],
      [2, 1.5, 'King County'],
      [3, 2.35, 'Seattle City'],
    ]);
  });

  it('reads expense reports and purchase orders', async () => {
    const reports = await cw.expenseReports.all();
    expect(reports.map((r) => r.status).sort()).toEqual(['ApprovedByTierTwo', 'ApprovedByTierTwo', 'Open']);
    const pos = await cw.purchaseOrders.all({ conditions: 'closedFlag=true' });
    expect(pos.map((p) => p.vendorCompany.name).sort()).toEqual(['Ingram Micro', 'TD SYNNEX']);
    expect(pos.find((p) => p.vendorCompany.name === 'Ingram Micro')?.freightCost).toBe(85);
  });
});

describe('unposted records, export and batches', () => {
  it('lists unposted invoices of every type with multi-level tax and counts them', async () => {
    const invoices = await cw.unpostedInvoices.all();
    expect(await cw.unpostedInvoices.count()).toBe(invoices.length);
    expect(new Set(invoices.map((i) => i.invoiceType))).toEqual(new Set(['Standard', 'Agreement', 'DownPayment', 'CreditMemo', 'Progress', 'Miscellaneous']));
    const acme = invoices.find((i) => i.company.identifier === 'AcmeDental')!;
    expect(acme).toMatchObject({ stateTaxFlag: true, stateTaxXref: 'WA State', countyTaxFlag: true, cityTaxFlag: true, accountNumber: 'C1001' });
    expect(acme.salesTaxAmount).toBeCloseTo(Number(acme.stateTaxAmount) + Number(acme.countyTaxAmount) + Number(acme.cityTaxAmount), 2);
    const credit = invoices.find((i) => i.invoiceType === 'CreditMemo')!;
    expect(credit.total).toBeLessThan(0);
    expect(await cw.unpostedInvoices.count({ conditions: 'invoiceType="Agreement"' })).toBe(1);
  });

  it('lists unposted expenses and procurement with their types', async () => {
    const expenses = await cw.unpostedExpenses.all();
    expect(expenses.map((e) => e.classification).sort()).toEqual(['NonReimbursable', 'Reimbursable', 'Reimbursable', 'Reimbursable']);
    const procurement = await cw.unpostedProcurement.all();
    expect(procurement.map((p) => p.procurementType).sort()).toEqual(['Adjustment', 'Purchase', 'Purchase', 'Transfer']);
    const purchases = await cw.unpostedProcurement.all({ conditions: "procurementType='Purchase'" });
    expect(purchases.map((p) => p.unpostedProductId)).toEqual(['1-PO5001-purchase', '2-PO5002-purchase']);
    expect(purchases[0]!.freightCost).toBe(85);
  });

  it('exports balanced GL documents for every record kind, convertible to PsaGlRecords', async () => {
    const glExport = await cw.exportGl({ batchIdentifier: 'preview', exportInvoicesFlag: true, exportExpensesFlag: true, exportProductsFlag: true });
    const records = glExportToRecords(glExport, { transferExpensesAsBill: true, rowIds: await procurementRowIds(cw) });
    expect(new Set(records.map((r) => r.recordType))).toEqual(
      new Set(['Standard', 'Agreement', 'DownPayment', 'CreditMemo', 'Progress', 'Miscellaneous', 'Expense', 'Purchase', 'Adjustment', 'Transfer']),
    );
    expect(glExport.expenseBills?.length).toBe(3); // reimbursable expenses transfer as bills
    expect(glExport.expenses?.length).toBe(1);
    for (const r of records) {
      const cents = (side: 'debit' | 'credit') => r.lines.filter((l) => l.side === side).reduce((s, l) => s + Math.round(Number(l.amount) * 100), 0);
      expect({ id: r.recordId, debit: cents('debit') }).toEqual({ id: r.recordId, debit: cents('credit') });
      for (const l of r.lines) {
        expect(Number.isInteger(l.glEntryId)).toBe(true);
        // ConnectWise's export carries no line context, only documented references to the line's origin.
        expect(l).not.toHaveProperty('context');
      }
    }
    const acme = records.find((r) => r.party.accountNumber === 'C1001')!;
    expect(acme.lines.filter((l) => l.accountType === 'Sales Tax Payable').map((l) => [l.taxLevel, l.account])).toEqual([
      // Sub-accounts are named as QuickBooks' FullyQualifiedName.
      [1, 'Sales Tax Payable:State Sales Tax Payable'],
      [2, 'Sales Tax Payable:County Sales Tax Payable'],
      [3, 'Sales Tax Payable:City Sales Tax Payable'],
    ]);
    expect(acme.lines.find((l) => l.accountType === 'Product Discount')).toMatchObject({ side: 'debit', amount: '100.00', account: 'Product Discounts' });
    // Sequence logic as ConnectWise applies it: work type before charge code before service type.
    const emerald = records.find((r) => r.party.accountNumber === 'C1005')!;
    expect(emerald.lines.filter((l) => l.accountType === 'Revenue').map((l) => [l.account, l.class, l.productId])).toEqual([
      ['Service Revenue', 'Managed Services', 'Services'], // After Hours work
      ['Service Revenue', 'Professional Services', 'Services'], // Remote work
    ]);
    const credit = records.find((r) => r.recordType === 'CreditMemo')!;
    expect(credit.lines.find((l) => l.accountType === 'Accounts Receivable')?.side).toBe('credit');
    const purchase = records.find((r) => r.recordId === '1-PO5001-purchase')!;
    expect(purchase.lines.find((l) => l.accountType === 'Purchase Order Freight')).toMatchObject({ amount: '85.00', account: 'Freight In', side: 'debit' });
    expect(purchase.party).toEqual({ name: 'Ingram Micro', accountNumber: 'V2001', psaId: 34, source: 'company' });
  });

  it('exports only the included ids and refuses a request without export flags', async () => {
    const one = await cw.exportGl({ exportInvoicesFlag: true, includedInvoiceIds: [2] });
    expect(one.transactions?.map((t) => t.documentNumber)).toEqual(['INV10002']);
    expect(one.purchaseTransactions).toEqual([]);
    const err = await rejection(cw.exportGl({ batchIdentifier: 'x' }));
    expect(err.type).toBe('ValidationRejected');
    expect(err.details?.errors).toEqual([expect.objectContaining({ code: 'MissingRequiredField' })]);
  });

  it('creating a batch takes exactly the processed records off the unposted lists', async () => {
    const before = await cw.unpostedInvoices.count();
    const glExport = await cw.exportGl({ exportInvoicesFlag: true, includedInvoiceIds: [3, 4] });
    const records = glExportToRecords(glExport);
    const ids = records.flatMap((r) => r.lines.map((l) => l.glEntryId));
    const created = await cw.createBatch({ batchIdentifier: 'contract-1', exportInvoicesFlag: true, processedRecordIds: ids });
    expect(created.transactions?.map((t) => t.id).sort()).toEqual([3, 4]);
    expect(await cw.unpostedInvoices.count()).toBe(before - 2);
    await expect(cw.unpostedInvoices.get(3)).rejects.toMatchObject({ type: 'NotFound' });

    const batch = await cw.findBatch('contract-1');
    expect(batch).toMatchObject({ batchIdentifier: 'contract-1', exportInvoicesFlag: true, closedFlag: true });
    expect((await cw.batches.get(batch!.id)).batchIdentifier).toBe('contract-1');
    const entries = await cw.batchEntries(batch!.id).all();
    expect(entries.map((e) => e.id).sort()).toEqual([...ids].sort());
    const debit = entries.reduce((s, e) => s + (amountCents(e.debit ?? 0) ?? 0n), 0n);
    const credit = entries.reduce((s, e) => s + (amountCents(e.credit ?? 0) ?? 0n), 0n);
    expect(debit).toBe(credit);
    expect(entries.every((e) => e.invoice?.id === 3 || e.invoice?.id === 4)).toBe(true);
    expect((await cw.batches.all({ orderBy: 'id desc' }))[0]!.id).toBe(batch!.id);

    expect(await cw.unpostedInvoices.count({ conditions: 'id in (3,4)' })).toBe(0);
  });

  it('refuses batches that name posted entries, part of a record, a wrong flag, or a used identifier', async () => {
    const posted = await cw.batchEntries((await cw.findBatch('contract-1'))!.id).all();
    const again = await rejection(cw.createBatch({ batchIdentifier: 'contract-2', exportInvoicesFlag: true, processedRecordIds: [posted[0]!.id] }));
    expect(again.type).toBe('ValidationRejected');
    expect(again.message).toMatch(/already in batch/);

    const records = glExportToRecords(await cw.exportGl({ exportInvoicesFlag: true, includedInvoiceIds: [5] }));
    const partial = await rejection(cw.createBatch({ batchIdentifier: 'contract-3', exportInvoicesFlag: true, processedRecordIds: [records[0]!.lines[0]!.glEntryId] }));
    expect(partial.message).toMatch(/not in processedRecordIds/);

    const ids = records[0]!.lines.map((l) => l.glEntryId);
    const wrongFlag = await rejection(cw.createBatch({ batchIdentifier: 'contract-4', exportExpensesFlag: true, processedRecordIds: ids }));
    expect(wrongFlag.details?.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'exportInvoicesFlag' })]));

    const dup = await rejection(cw.createBatch({ batchIdentifier: 'contract-1', exportInvoicesFlag: true, processedRecordIds: ids }));
    expect(dup.details?.errors).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'ObjectExists', field: 'batchIdentifier' })]));
    expect(await cw.unpostedInvoices.get(5)).toMatchObject({ id: 5 });
  });

  it('posts expenses and procurement through batches too', async () => {
    const glExport = await cw.exportGl({ exportExpensesFlag: true, exportProductsFlag: true });
    // Each record by the ids its documented export gives (adjustments by their unposted row alone).
    const records = glExportToRecords(glExport, { transferExpensesAsBill: true, rowIds: await procurementRowIds(cw) });
    // A purchase named by its detail and tax ids without its unposted row (the payable) is refused.
    const purchase = records.find((r) => r.recordType === 'Purchase')!;
    const withoutRow = purchase.glEntryIds!.filter((id) => id !== purchase.lines[0]!.glEntryId);
    const partial = await rejection(cw.createBatch({ batchIdentifier: 'contract-part', exportProductsFlag: true, processedRecordIds: withoutRow }));
    expect(partial.message).toMatch(/not in processedRecordIds/);
    const ids = records.flatMap((r) => r.glEntryIds!);
    await cw.createBatch({ batchIdentifier: 'contract-ops', exportExpensesFlag: true, exportProductsFlag: true, processedRecordIds: ids });
    expect(await cw.unpostedExpenses.count()).toBe(0);
    expect(await cw.unpostedProcurement.count()).toBe(0);
  });
});

describe('GL entries are frozen at close', () => {
  it('a mapping change leaves computed entries alone; reopen and close recomputes with a new revision', async () => {
    const before = glExportToRecords(await cw.exportGl({ exportInvoicesFlag: true, includedInvoiceIds: [1] }))[0]!;
    // The Hardware product lines, by position (the export names no product category).
    const positions = before.lines.flatMap((l, i) => (l.accountType === 'Revenue-Product' && l.account === 'Product Revenue:Hardware Revenue' ? [i] : []));
    const hardware = (r: typeof before) => positions.map((i) => r.lines[i]!);
    expect(positions.length).toBeGreaterThan(0);

    const row = (await cw.glAccounts.all({ conditions: 'glType="RP" and mappedRecord/name="Hardware"' }))[0]!;
    const patched = await cw.patchGlAccount(row.id, [{ op: 'replace', path: 'segment1', value: 'Product Revenue' }]);
    expect(patched.segment1).toBe('Product Revenue');

    const unchanged = glExportToRecords(await cw.exportGl({ exportInvoicesFlag: true, includedInvoiceIds: [1] }))[0]!;
    expect(unchanged).toEqual(before);

    fx.sandbox.admin.reopen('invoice', 1);
    expect(await cw.unpostedInvoices.count({ conditions: 'id=1' })).toBe(0);
    fx.sandbox.admin.close('invoice', 1);
    const after = glExportToRecords(await cw.exportGl({ exportInvoicesFlag: true, includedInvoiceIds: [1] }))[0]!;
    expect(hardware(after).every((l) => l.account === 'Product Revenue')).toBe(true);
    expect(after.revision).not.toBe(before.revision);
    expect(after.total).toBe(before.total);
  });

  it('refuses a mapping change the GL engine would reject', async () => {
    const row = (await cw.glAccounts.all({ conditions: 'glType="AR"' }))[0]!;
    const err = await rejection(cw.patchGlAccount(row.id, [{ op: 'replace', path: 'segment1', value: 'x'.repeat(300) }]));
    expect(err.type).toBe('ValidationRejected');
    const bad = await rejection(cw.patchGlAccount(row.id, [{ op: 'replace', path: 'glType', value: 'AP' }]));
    expect(bad.type).toBe('ValidationRejected');
    expect((await cw.glAccounts.get(row.id)).segment1).toBe('Accounts Receivable');
  });
});

describe('invoices and payments', () => {
  it('records, lists and patches payments, and the balance follows', async () => {
    const [invoice] = (await cw.invoices.list({ conditions: 'invoiceNumber="INV10002"' })).items;
    expect(invoice!.balance).toBe(invoice!.total);
    const payment = await cw.createInvoicePayment(invoice!.id, { type: 'P', amount: 500, paymentDate: '2026-11-20T00:00:00Z' });
    expect(payment).toMatchObject({ type: 'P', amount: 500, invoice: { id: invoice!.id } });
    const listed = await cw.invoicePayments(invoice!.id).all();
    expect(listed.map((p) => p.id)).toEqual([payment.id]);
    const patched = await cw.patchInvoicePayment(invoice!.id, payment.id, [{ op: 'replace', path: '/amount', value: 450 }]);
    expect(patched.amount).toBe(450);
    const after = await cw.invoices.get(invoice!.id);
    expect(after.payments).toBe(450);
    expect(after.balance).toBeCloseTo(invoice!.total - 450, 2);
    expect(await cw.invoices.count({ conditions: 'balance > 0 and status/name in ("Closed","Paid")' })).toBeGreaterThan(0);
  });

  it('deletes a payment: gone from the list, the balance restored, a second delete is NotFound', async () => {
    const [invoice] = (await cw.invoices.list({ conditions: 'invoiceNumber="INV10002"' })).items;
    const payment = await cw.createInvoicePayment(invoice!.id, { type: 'P', amount: 25, paymentDate: '2026-11-21T00:00:00Z' });
    await cw.deleteInvoicePayment(invoice!.id, payment.id);
    expect((await cw.invoicePayments(invoice!.id).all()).map((p) => p.id)).not.toContain(payment.id);
    expect((await cw.invoices.get(invoice!.id)).balance).toBe(invoice!.balance);
    expect((await rejection(cw.deleteInvoicePayment(invoice!.id, payment.id))).type).toBe('NotFound');
  });

  it('rejects a payment without an amount, with the field named', async () => {
    const err = await rejection(cw.createInvoicePayment(2, { type: 'P' } as never));
    expect(err.type).toBe('ValidationRejected');
    expect(err.details?.errors).toEqual([expect.objectContaining({ field: 'amount', code: 'MissingRequiredField' })]);
  });
});
