/**
 * The sandbox accepts what QuickBooks accepts and refuses what it refuses, seen through requests
 * shaped the way a common third-party Node client sends them: lowercase query keywords, select
 * lists, and every unset optional field sent as an empty string.
 */
import { DEMO_ACCESS_TOKEN, type QuickBooksSandbox } from '../../../dev/sandbox/quickbooks';
import { clientFor, ledgerError, startSandbox } from './helpers';
import { appliedTo, type LedgerTransaction } from '../../../integrations/posted-transactions';
import { isVoided } from '../../../domain/posting';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw wire bodies are inspected loosely
type Wire = any;

let sb: QuickBooksSandbox;
beforeEach(async () => {
  sb = await startSandbox();
});
afterEach(async () => {
  await sb.close();
});

const headers = { Authorization: `Bearer ${DEMO_ACCESS_TOKEN}`, Accept: 'application/json', 'Content-Type': 'application/json' };

async function query(sql: string): Promise<{ status: number; body: Wire }> {
  const res = await fetch(`${sb.baseUrl}/v3/company/${sb.realmId}/query?query=${encodeURIComponent(sql)}&minorversion=75`, { headers });
  return { status: res.status, body: await res.json() };
}

async function create(entity: string, body: object): Promise<{ status: number; body: Wire }> {
  const res = await fetch(`${sb.baseUrl}/v3/company/${sb.realmId}/${entity.toLowerCase()}?minorversion=75`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

async function firstIds(): Promise<{ customer: string; item: string }> {
  const c = await query('select * from Customer maxresults 1');
  const i = await query("select * from Item where Type = 'Service' maxresults 1");
  return { customer: c.body.QueryResponse.Customer[0].Id, item: i.body.QueryResponse.Item[0].Id };
}

/** An invoice with the unset header fields as empty strings, as that client serialises them. */
function blankInvoice(customer: string, item: string, extra: object = {}): object {
  return {
    TxnDate: '',
    DueDate: '',
    ShipDate: '',
    TotalAmt: '',
    CustomerRef: { value: customer },
    Line: [{ Amount: 40, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item } } }],
    ...extra,
  };
}

describe('query language', () => {
  it('accepts select lists, count, paging, ordering, IN and LIKE in any case', async () => {
    const withSku = await query('SELECT *, Sku FROM Item');
    expect(withSku.status).toBe(200);
    expect(withSku.body.QueryResponse.Item.length).toBeGreaterThan(0);
    expect(withSku.body.QueryResponse.Item[0].Name).toBeDefined();

    const narrow = await query('select Id, DisplayName from Customer orderby DisplayName desc startposition 1 maxresults 2');
    expect(narrow.status).toBe(200);
    const rows = narrow.body.QueryResponse.Customer;
    expect(rows).toHaveLength(2);
    expect(Object.keys(rows[0]).filter((k) => !['Id', 'DisplayName', 'domain', 'sparse'].includes(k))).toEqual([]);
    expect(rows[0].DisplayName.toLowerCase() >= rows[1].DisplayName.toLowerCase()).toBe(true);

    const count = await query('Select Count(*) From Customer Where Active In (true, false)');
    expect(count.status).toBe(200);
    expect(count.body.QueryResponse.totalCount).toBeGreaterThan(0);

    const like = await query(`select Id from Customer where DisplayName like '${rows[0].DisplayName.slice(0, 3)}%'`);
    expect(like.status).toBe(200);
    expect(like.body.QueryResponse.Customer.map((r: Wire) => r.Id)).toContain(rows[0].Id);
  });
});

describe('empty strings for unset fields', () => {
  it('creates an invoice whose unset dates and total are sent as empty strings', async () => {
    const { customer, item } = await firstIds();
    const res = await create('Invoice', blankInvoice(customer, item));
    expect(res.status).toBe(200);
    expect(res.body.Invoice.TotalAmt).toBe(40);
    expect(res.body.Invoice.TxnDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(res.body.Invoice.ShipDate).toBeUndefined();
  });
});

describe('closed period', () => {
  it('refuses a transaction dated on or before BookCloseDate with 6210, and accepts the day after', async () => {
    const { customer, item } = await firstIds();
    sb.admin.setPreferences({ AccountingInfoPrefs: { BookCloseDate: '2026-06-30' } });
    const closed = await create('Invoice', blankInvoice(customer, item, { TxnDate: '2026-06-30' }));
    expect(closed.status).toBe(400);
    expect(closed.body.Fault.Error[0].code).toBe('6210');
    expect(closed.body.Fault.Error[0].Detail).toMatch(/account period has closed/);
    const open = await create('Invoice', blankInvoice(customer, item, { TxnDate: '2026-07-01' }));
    expect(open.status).toBe(200);
  });
});

describe('currency', () => {
  it('refuses a foreign currency while multicurrency is off, and an unknown one when it is on', async () => {
    const { customer, item } = await firstIds();
    const off = await create('Invoice', blankInvoice(customer, item, { CurrencyRef: { value: 'EUR' } }));
    expect(off.status).toBe(400);
    expect(off.body.Fault.Error[0].code).toBe('6000');
    expect(off.body.Fault.Error[0].element).toBe('CurrencyRef');

    sb.admin.setPreferences({ CurrencyPrefs: { MultiCurrencyEnabled: true } });
    const unknown = await create('Invoice', blankInvoice(customer, item, { CurrencyRef: { value: 'XYZ' } }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.Fault.Error[0].code).toBe('2500');

    const home = await create('Invoice', blankInvoice(customer, item, { CurrencyRef: { value: 'USD' } }));
    expect(home.status).toBe(200);
  });
});

describe('the product client meets the new refusals', () => {
  it('turns a closed-period refusal into a per-record rejection with the fix', async () => {
    const { customer, item } = await firstIds();
    sb.admin.setPreferences({ AccountingInfoPrefs: { BookCloseDate: '2026-06-30' } });
    const { client } = clientFor(sb);
    const err = await ledgerError(
      client.createInvoice({ TxnDate: '2026-05-01', CustomerRef: { value: customer }, Line: [{ Amount: 5, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item } } }] }),
    );
    expect(err.type).toBe('ValidationRejected');
    expect(err.fix).toMatch(/reopen the period/i);
    const currency = await ledgerError(
      client.createInvoice({ CurrencyRef: { value: 'EUR' }, CustomerRef: { value: customer }, Line: [{ Amount: 5, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item } } }] }),
    );
    expect(currency.fix).toMatch(/multicurrency/i);
  });
});

describe('customers, vendors and employees', () => {
  it('share display names: a name any of them holds is refused with 6240, in any case', async () => {
    const employee = await create('Employee', { GivenName: 'Pat', FamilyName: 'Lopez' });
    expect(employee.status).toBe(200);
    expect(employee.body.Employee.DisplayName).toBe('Pat Lopez');
    for (const [entity, name] of [['Customer', 'Pat Lopez'], ['Vendor', 'pat lopez ']]) {
      const refused = await create(entity, { DisplayName: name });
      expect(refused.status).toBe(400);
      expect(refused.body.Fault.Error[0].code).toBe('6240');
    }
    const customer = await create('Customer', { DisplayName: 'Orca Labs', Notes: 'ConnectWise company #250' });
    expect(customer.status).toBe(200);
    expect((await create('Employee', { GivenName: 'Orca', FamilyName: 'Labs', DisplayName: 'Orca Labs' })).body.Fault.Error[0].code).toBe('6240');
  });

  it('refuses a party with no name (6080) and a display name with a colon (6000)', async () => {
    expect((await create('Customer', { Notes: 'nameless' })).body.Fault.Error[0].code).toBe('6080');
    expect((await create('Vendor', { DisplayName: 'Orca: Labs' })).body.Fault.Error[0].code).toBe('6000');
  });

  it('returns Notes but refuses to filter on it (4001); DisplayName filters', async () => {
    await create('Customer', { DisplayName: 'Orca Labs', Notes: 'ConnectWise company #250' });
    const refused = await query("select * from Customer where Notes = 'ConnectWise company #250'");
    expect(refused.status).toBe(400);
    expect(refused.body.Fault.Error[0].code).toBe('4001');
    const found = await query("select * from Customer where DisplayName = 'orca labs' and Active in (true, false)");
    expect(found.body.QueryResponse.Customer.map((c: Wire) => c.Notes)).toEqual(['ConnectWise company #250']);
    expect((await query('select * from Employee')).body.QueryResponse.Employee.length).toBeGreaterThan(0);
  });
});

describe('custom transaction numbers and company currencies', () => {
  it('numbers a sales form itself when custom numbers are off, leaves it unnumbered when on, and keeps a number sent', async () => {
    const { customer, item } = await firstIds();
    const on = await create('Invoice', blankInvoice(customer, item));
    expect(on.body.Invoice.DocNumber).toBeUndefined();
    sb.admin.setPreferences({ SalesFormsPrefs: { CustomTxnNumbers: false } });
    const first = await create('Invoice', blankInvoice(customer, item));
    const second = await create('Invoice', blankInvoice(customer, item));
    expect(first.body.Invoice.DocNumber).toMatch(/^\d+$/);
    expect(Number(second.body.Invoice.DocNumber)).toBe(Number(first.body.Invoice.DocNumber) + 1);
    const sent = await create('Invoice', blankInvoice(customer, item, { DocNumber: 'CW-1' }));
    expect(sent.body.Invoice.DocNumber).toBe('CW-1');
  });

  it('lists the currencies a multicurrency company has added, and posts in an active one', async () => {
    const { customer, item } = await firstIds();
    sb.admin.setPreferences({ CurrencyPrefs: { MultiCurrencyEnabled: true } });
    sb.admin.addCurrency('EUR', 'Euro');
    const list = await query('select * from CompanyCurrency');
    expect(list.body.QueryResponse.CompanyCurrency.map((c: Wire) => c.Code)).toEqual(['EUR']);
    const euroCustomer = await create('Customer', { DisplayName: 'Kelp Europe', CurrencyRef: { value: 'EUR' } });
    expect(euroCustomer.body.Customer.CurrencyRef.value).toBe('EUR');
    expect((await create('Invoice', blankInvoice(euroCustomer.body.Customer.Id, item, { CurrencyRef: { value: 'EUR' } }))).status).toBe(200);

    // A customer trades in one currency: the home currency unless created in another.
    expect((await query(`select * from Customer where Id = '${customer}'`)).body.QueryResponse.Customer[0].CurrencyRef.value).toBe('USD');
    const mismatch = await create('Invoice', blankInvoice(customer, item, { CurrencyRef: { value: 'EUR' } }));
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.Fault.Error[0]).toMatchObject({ code: '6000', element: 'CustomerRef' });
    expect(mismatch.body.Fault.Error[0].Detail).toContain('must match the currency of the customer');
    const unknownCurrency = await create('Customer', { DisplayName: 'Kelp Yen', CurrencyRef: { value: 'JPY' } });
    expect(unknownCurrency.body.Fault.Error[0].code).toBe('2500');
  });
});

/** A transaction as read, in the shape the posted-transaction helpers take. */
const asLedger = (t: object, entity: 'Invoice' | 'CreditMemo'): LedgerTransaction => ({ ...(t as { Id: string }), entity });

describe('voids, deletes and SyncTokens', () => {
  it('refuses to void or delete an invoice with a payment applied (6000), and a stale SyncToken (5010); voids it once the payment is gone; names what is applied', async () => {
    const { customer, item } = await firstIds();
    const { client } = clientFor(sb);
    const invoice = await client.createInvoice({ CustomerRef: { value: customer }, Line: [{ Amount: 40, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item } } }] });
    const payment = sb.admin.recordPayment({ customerId: customer, amount: 15, invoiceIds: [invoice.Id], txnDate: '2026-11-20', paymentRefNum: 'CHK-9' });
    // Applying the payment moved the invoice's SyncToken: the one read before it is stale.
    const stale = await ledgerError(client.void('Invoice', { Id: invoice.Id, SyncToken: invoice.SyncToken }));
    expect([stale.type, stale.details?.code]).toEqual(['Conflict', '5010']);
    const paid = await client.read('Invoice', invoice.Id);
    const voidPaid = await ledgerError(client.void('Invoice', { Id: paid.Id, SyncToken: paid.SyncToken }));
    expect([voidPaid.type, voidPaid.details?.code, voidPaid.details?.detail]).toEqual(['ValidationRejected', '6000', expect.stringMatching(/payment applied/)]);
    const deletePaid = await ledgerError(client.delete('Invoice', { Id: paid.Id, SyncToken: paid.SyncToken }));
    expect([deletePaid.type, deletePaid.details?.code]).toEqual(['ValidationRejected', '6000']);
    expect(await appliedTo(client, asLedger(paid, 'Invoice'))).toEqual([{ what: 'payment', description: `payment Id ${payment.Id} (ref CHK-9, 2026-11-20, 15.00)` }]);

    sb.admin.deletePayment(payment.Id);
    const unpaid = await client.read('Invoice', invoice.Id);
    expect(await appliedTo(client, asLedger(unpaid, 'Invoice'))).toEqual([]);
    const voided = await client.void('Invoice', { Id: unpaid.Id, SyncToken: unpaid.SyncToken });
    expect(isVoided(voided)).toBe(true);
    expect(Number(voided.SyncToken)).toBe(Number(unpaid.SyncToken) + 1);
  });

  it('names a credit memo applied to an invoice through a payment, on both', async () => {
    const { customer, item } = await firstIds();
    const { client } = clientFor(sb);
    const line = (amount: number) => [{ Amount: amount, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item } } }];
    const invoice = await client.createInvoice({ CustomerRef: { value: customer }, Line: line(40) });
    const memo = await client.createCreditMemo({ CustomerRef: { value: customer }, Line: line(10) });
    const applied = await client.createPayment({
      CustomerRef: { value: customer },
      TotalAmt: 0,
      TxnDate: '2026-11-21',
      Line: [
        { Amount: 10, LinkedTxn: [{ TxnId: invoice.Id, TxnType: 'Invoice' }] },
        { Amount: 10, LinkedTxn: [{ TxnId: memo.Id, TxnType: 'CreditMemo' }] },
      ],
    });
    const onInvoice = await appliedTo(client, asLedger(await client.read('Invoice', invoice.Id), 'Invoice'));
    expect(onInvoice.map((a) => a.description)).toEqual([`payment Id ${applied.Id} (2026-11-21, 10.00)`, `credit memo Id ${memo.Id} applied through payment Id ${applied.Id}`]);
    const onMemo = await appliedTo(client, asLedger(await client.read('CreditMemo', memo.Id), 'CreditMemo'));
    expect(onMemo.map((a) => a.description)).toEqual([`payment Id ${applied.Id} (2026-11-21, 10.00)`, `its credit applied to invoice Id ${invoice.Id} through payment Id ${applied.Id}`]);
    const deleteMemo = await ledgerError(client.delete('CreditMemo', { Id: memo.Id, SyncToken: (await client.read('CreditMemo', memo.Id)).SyncToken }));
    expect(deleteMemo.details?.code).toBe('6000');
  });
});
