/**
 * Sandbox state and administration: persistence across restarts (entities, requestid answers,
 * OAuth grants), reset and seed, recorded customer payments with void/delete, preferences, and
 * the raw wire shapes a third-party client would see.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_ACCOUNTS } from '../../../dev/sandbox/shared/demo-chart';
import { DEMO_ACCESS_TOKEN, type QuickBooksSandbox } from '../../../dev/sandbox/quickbooks';
import { clientFor, JSON_TYPE, ledgerError, startSandbox, tempDir } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw wire bodies are inspected loosely
const json = (res: Response): Promise<any> => res.json();

const invoiceBody = (customer: string, item: string, amount: number) => ({
  CustomerRef: { value: customer },
  Line: [{ Amount: amount, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item } } }],
});

describe('persistence', () => {
  it('keeps entities, requestid answers and OAuth grants across a restart', async () => {
    const dataDir = tempDir();
    let sb = await startSandbox({ dataDir });
    let { client } = clientFor(sb);
    const customer = (await client.listCustomers())[0].Id;
    const item = (await client.listItems())[0].Id;
    const inv = await client.createInvoice(invoiceBody(customer, item, 55), { requestId: 'restart-1' });
    const issued = sb.admin.issueTokens();
    await sb.close();
    expect(existsSync(join(dataDir, 'state.json'))).toBe(true);

    sb = await startSandbox({ dataDir, seed: 'empty' });
    try {
      client = clientFor(sb).client;
      expect((await client.read('Invoice', inv.Id)).TotalAmt).toBe(55);
      const replay = await client.createInvoice(invoiceBody(customer, item, 55), { requestId: 'restart-1' });
      expect(replay.Id).toBe(inv.Id);
      const res = await fetch(sb.tokenUrl, {
        method: 'POST',
        headers: { Authorization: `Basic ${Buffer.from('ledgerline-demo-client:ledgerline-demo-secret').toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: issued.refresh_token }).toString(),
      });
      expect(res.status).toBe(200);
    } finally {
      await sb.close();
    }
  });

  it('reset empties the company; seed brings the demo back (also over HTTP)', async () => {
    const sb = await startSandbox();
    try {
      const { client } = clientFor(sb);
      sb.admin.reset();
      expect(await client.listAccounts()).toEqual([]);
      const res = await fetch(`${sb.baseUrl}/__admin/seed`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ seed: 'demo', extraCustomers: 5 }) });
      expect(res.status).toBe(200);
      expect(await client.listAccounts()).toHaveLength(DEMO_ACCOUNTS.length);
      expect((await client.queryAll('Customer', { where: [{ field: 'DisplayName', op: 'LIKE', value: 'Generated Customer%' }] })).length).toBe(5);
    } finally {
      await sb.close();
    }
  });
});

describe('admin', () => {
  let sb: QuickBooksSandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());

  it('records a customer payment against the oldest open invoices, then voids and deletes it', async () => {
    const { client } = clientFor(sb);
    const customer = (await client.listCustomers())[3].Id;
    const item = (await client.listItems())[0].Id;
    const older = await client.createInvoice({ ...invoiceBody(customer, item, 100), TxnDate: '2026-10-01' });
    const newer = await client.createInvoice({ ...invoiceBody(customer, item, 100), TxnDate: '2026-10-15' });
    const payment = sb.admin.recordPayment({ customerId: customer, amount: 150, paymentRefNum: 'CHK-881' });
    expect(payment).toMatchObject({ TotalAmt: 150, UnappliedAmt: 0, PaymentRefNum: 'CHK-881' });
    expect((await client.read('Invoice', older.Id)).Balance).toBe(0);
    expect((await client.read('Invoice', newer.Id)).Balance).toBe(50);
    expect((await client.getPayment(payment.Id)).Line?.map((l) => l.LinkedTxn?.[0].TxnId)).toEqual([older.Id, newer.Id]);

    const voided = await json(await fetch(`${sb.baseUrl}/__admin/payments/${payment.Id}/void`, { method: 'POST', headers: JSON_TYPE }));
    expect(voided.Payment).toMatchObject({ TotalAmt: 0 });
    expect((await client.read('Invoice', newer.Id)).Balance).toBe(100);

    const byName = await json(await fetch(`${sb.baseUrl}/__admin/payments`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ customerId: customer, amount: 30, invoiceIds: [newer.Id] }) }));
    expect((await client.read('Invoice', newer.Id)).Balance).toBe(70);
    const deleted = await fetch(`${sb.baseUrl}/__admin/payments/${byName.Payment.Id}/delete`, { method: 'POST', headers: JSON_TYPE });
    expect(deleted.status).toBe(200);
    expect((await client.read('Invoice', newer.Id)).Balance).toBe(100);

    // Deleted payments are only visible through CDC, as tombstones.
    const cdc = await fetch(`${sb.baseUrl}/v3/company/${sb.realmId}/cdc?entities=Payment&changedSince=2020-01-01T00:00:00Z`, { headers: { Authorization: `Bearer ${DEMO_ACCESS_TOKEN}`, Accept: 'application/json' } });
    const rows = (await json(cdc)).CDCResponse[0].QueryResponse[0].Payment as Array<{ Id: string; status?: string }>;
    expect(rows).toEqual(expect.arrayContaining([expect.objectContaining({ Id: byName.Payment.Id, status: 'Deleted' })]));
  });

  it('switches preferences: account numbers via admin only, class tracking via the API too', async () => {
    const { client } = clientFor(sb);
    sb.admin.setPreferences({ AccountingInfoPrefs: { UseAccountNumbers: false } });
    let prefs = await client.getPreferences();
    expect(prefs.AccountingInfoPrefs?.UseAccountNumbers).toBe(false);
    prefs = await client.update('Preferences', { Id: prefs.Id, SyncToken: prefs.SyncToken, AccountingInfoPrefs: { UseAccountNumbers: true, ClassTrackingPerTxnLine: false } });
    expect(prefs.AccountingInfoPrefs).toMatchObject({ UseAccountNumbers: false, ClassTrackingPerTxnLine: false });

    const customer = (await client.listCustomers())[0].Id;
    const item = (await client.listItems())[0].Id;
    const klass = (await client.listClasses())[0].Id;
    const body = invoiceBody(customer, item, 10);
    (body.Line[0].SalesItemLineDetail as Record<string, unknown>).ClassRef = { value: klass };
    const err = await ledgerError(client.createInvoice(body));
    expect(err.details).toMatchObject({ code: '6000' });
    sb.admin.setPreferences({ AccountingInfoPrefs: { ClassTrackingPerTxnLine: true, UseAccountNumbers: true } });
    expect((await client.createInvoice(body)).Id).toBeDefined();
  });
});

describe('wire shapes', () => {
  let sb: QuickBooksSandbox;
  const api = (path: string) => `${sb.baseUrl}/v3/company/${sb.realmId}/${path}`;
  const auth = { Authorization: `Bearer ${DEMO_ACCESS_TOKEN}`, Accept: 'application/json' };
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());

  it('answers a bad token with the gateway 401 fault shape', async () => {
    const res = await fetch(api('query?query=select%20*%20from%20Term'), { headers: { Authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    const body = await json(res);
    expect(body.fault.error[0]).toMatchObject({ code: '3200', message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401' });
    expect(body.fault.type).toBe('AUTHENTICATION');
    expect(typeof body.time).toBe('number');
    expect(res.headers.get('intuit_tid')).toBeTruthy();
  });

  it('accepts POST /query with an application/text body', async () => {
    const res = await fetch(api('query?minorversion=75'), { method: 'POST', headers: { ...auth, 'Content-Type': 'application/text' }, body: "select * from Account where AccountType = 'Bank'" });
    const body = await json(res);
    expect(body.QueryResponse).toMatchObject({ startPosition: 1, maxResults: 1, Account: [expect.objectContaining({ Name: 'Operating Checking' })] });
  });

  it('answers count(*) with totalCount', async () => {
    const res = await fetch(api(`query?query=${encodeURIComponent('select count(*) from Customer')}`), { headers: auth });
    expect((await json(res)).QueryResponse).toEqual({ totalCount: 32 });
  });

  it('rejects a 31-item batch and an over-long requestid', async () => {
    const items = Array.from({ length: 31 }, (_, i) => ({ bId: `q${i}`, Query: 'select * from Term' }));
    const big = await fetch(api('batch'), { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ BatchItemRequest: items }) });
    expect(big.status).toBe(400);
    expect((await json(big)).Fault.Error[0].code).toBe('1040');
    const thirty = await fetch(api('batch'), { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ BatchItemRequest: items.slice(0, 30) }) });
    expect((await json(thirty)).BatchItemResponse).toHaveLength(30);
    const long = await fetch(api(`class?requestid=${'r'.repeat(51)}`), { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ Name: 'Long Id' }) });
    expect(long.status).toBe(400);
    expect((await json(long)).Fault.Error[0].code).toBe('6000');
  });

  it('serves company info', async () => {
    const res = await fetch(api(`companyinfo/${sb.realmId}`), { headers: auth });
    expect((await json(res)).CompanyInfo.CompanyName).toContain('Ledgerline');
  });
});
