/**
 * The product's payloads for each class-tracking setting, posted to the QuickBooks sandbox and read
 * back: per line, per transaction (header class on sales forms, a class on every bill line, journal
 * lines per line), and off (no class, and a class QuickBooks lacks fails nothing).
 */
import type { QuickBooksSandbox } from '../../../dev/sandbox/quickbooks';
import type { QuickBooksClient } from '../../../integrations/quickbooks';
import { createChartMatcher, type ChartSnapshot } from '../../../domain/gl';
import { matchDraftRefs, planPosting, toQuickBooksPayload, type PsaGlRecord, type QuickBooksPayloadOptions } from '../../../domain/posting';
import { gl, record } from '../../unit/posting/fixtures';
import { clientFor, ledgerError, startSandbox } from './helpers';

type Tracking = NonNullable<QuickBooksPayloadOptions['classTracking']>;
type Wire = Record<string, unknown> & { Line: Array<Record<string, { ClassRef?: { name?: string } }>> };

let sb: QuickBooksSandbox;
let qbo: QuickBooksClient;
beforeEach(async () => {
  sb = await startSandbox();
  qbo = clientFor(sb).client;
});
afterEach(() => sb.close());

const PREFS: Record<Tracking, { ClassTrackingPerTxnLine: boolean; ClassTrackingPerTxn: boolean }> = {
  line: { ClassTrackingPerTxnLine: true, ClassTrackingPerTxn: false },
  transaction: { ClassTrackingPerTxnLine: false, ClassTrackingPerTxn: true },
  none: { ClassTrackingPerTxnLine: false, ClassTrackingPerTxn: false },
};

async function chart(): Promise<ChartSnapshot> {
  const [accounts, classes, items, taxCodes, terms, customers, vendors, employees] = await Promise.all([
    qbo.listAccounts(),
    qbo.listClasses(),
    qbo.listItems(),
    qbo.listTaxCodes(),
    qbo.listTerms(),
    qbo.listCustomers(),
    qbo.listVendors(),
    qbo.listEmployees(),
  ]);
  return { accounts, classes, items, taxCodes, terms, customers, vendors, employees, useAccountNumbers: true } as unknown as ChartSnapshot;
}

/** Plans, matches and builds the record's payload as the product does, posts it and reads it back. */
async function post(r: PsaGlRecord, classTracking: Tracking): Promise<{ kind: string; posted: Wire }> {
  const draft = planPosting(r, {});
  const { refs } = matchDraftRefs(draft, createChartMatcher(await chart()), { classTracking });
  const { entity, body } = toQuickBooksPayload(draft, refs, { classTracking });
  const created = await qbo.create(entity, body);
  return { kind: entity, posted: (await qbo.read(entity, created.Id)) as unknown as Wire };
}

const invoice = (cls: string) =>
  record(
    'Standard',
    [
      gl({ accountType: 'Accounts Receivable', account: 'Accounts Receivable', side: 'debit', amount: '300.00' }),
      gl({ accountType: 'Revenue', account: 'Service Revenue', class: cls, productId: 'Services', side: 'credit', amount: '300.00', quantity: '2', unitPrice: '150.00', taxable: false }),
    ],
    { number: 'CT-1', total: '300.00' },
  );

const bill = (cls: string) =>
  record(
    'Expense',
    [
      gl({ accountType: 'Expense External', account: 'Travel', class: cls, side: 'debit', amount: '45.20' }),
      gl({ accountType: 'Expense Tax', account: 'Expense Tax', side: 'debit', amount: '3.00' }),
      gl({ accountType: 'Accounts Payable', account: 'Accounts Payable', side: 'credit', amount: '48.20' }),
    ],
    { number: 'CT-2', party: { name: 'Ingram Micro' }, transferAsBill: true, total: '48.20' },
  );

const transfer = () =>
  record(
    'Transfer',
    [
      gl({ accountType: 'Inventory Transfer', account: 'Inventory Asset', class: 'Web Services', side: 'debit', amount: '10.00' }),
      gl({ accountType: 'Inventory Transfer', account: 'Inventory Asset', class: 'Managed Services', side: 'credit', amount: '10.00' }),
    ],
    { number: 'CT-3', total: '10.00' },
  );

const lineClasses = (w: Wire, detail: string) => w.Line.map((l) => l[detail]?.ClassRef?.name);

describe('class tracking against the QuickBooks sandbox', () => {
  it('per line: each line carries its class', async () => {
    sb.admin.setPreferences({ AccountingInfoPrefs: PREFS.line });
    const { posted } = await post(invoice('Managed Services'), 'line');
    expect(posted.ClassRef).toBeUndefined();
    expect(lineClasses(posted, 'SalesItemLineDetail')).toEqual(['Managed Services']);
    expect(lineClasses((await post(bill('Web Services'), 'line')).posted, 'AccountBasedExpenseLineDetail')).toEqual(['Web Services', undefined]);
  });

  it('per transaction: the invoice header, every bill line, journal lines each; inactive and unknown classes refused', async () => {
    sb.admin.setPreferences({ AccountingInfoPrefs: PREFS.transaction });
    const inv = (await post(invoice('Managed Services'), 'transaction')).posted;
    expect((inv.ClassRef as { name: string }).name).toBe('Managed Services');
    expect(lineClasses(inv, 'SalesItemLineDetail')).toEqual([undefined]);
    const b = (await post(bill('Professional Services'), 'transaction')).posted;
    expect(lineClasses(b, 'AccountBasedExpenseLineDetail')).toEqual(['Professional Services', 'Professional Services']);
    const je = (await post(transfer(), 'transaction')).posted;
    expect(lineClasses(je, 'JournalEntryLineDetail')).toEqual(['Web Services', 'Managed Services']);

    const retired = await qbo.create('Class', { Name: 'Retired Division' });
    await qbo.update('Class', { Id: retired.Id, SyncToken: retired.SyncToken, Name: 'Retired Division', Active: false, sparse: true });
    const travel = (await qbo.listAccounts()).find((a) => a.Name === 'Travel')!.Id;
    const vendor = (await qbo.listVendors()).find((v) => v.DisplayName === 'Ingram Micro')!.Id;
    const billWith = (classId: string) =>
      qbo.createBill({ VendorRef: { value: vendor }, Line: [{ Amount: 1, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: travel }, ClassRef: { value: classId } } }] });
    expect((await ledgerError(billWith(retired.Id))).details).toMatchObject({ code: '610' });
    expect((await ledgerError(billWith('99999'))).details).toMatchObject({ code: '2500' });
  });

  it('off: nothing carries a class, and a class QuickBooks lacks fails nothing', async () => {
    sb.admin.setPreferences({ AccountingInfoPrefs: PREFS.none });
    const inv = (await post(invoice('Not In QuickBooks'), 'none')).posted;
    const b = (await post(bill('Web Services'), 'none')).posted;
    expect(JSON.stringify([inv, b])).not.toContain('ClassRef');
  });
});
