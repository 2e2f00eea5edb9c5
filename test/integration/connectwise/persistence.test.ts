/** Sandbox state survives a restart; admin reset/seed/generate and record lifecycle over HTTP. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { glExportToRecords, procurementRowIds } from '../../../integrations/connectwise';
import { raw, startFixture, type Fixture } from './sandbox-fixture';

const dataDir = mkdtempSync(join(tmpdir(), 'cw-persist-'));
let fx: Fixture | undefined;

afterAll(async () => {
  await fx?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('persistence across restarts', () => {
  it('keeps batches, payments, mapping changes and revisions', async () => {
    fx = await startFixture({ seed: 'demo', dataDir });
    let cw = fx.client();
    const ids = glExportToRecords(await cw.exportGl({ exportInvoicesFlag: true, includedInvoiceIds: [2] }))[0]!.lines.map((l) => l.glEntryId);
    await cw.createBatch({ batchIdentifier: 'before-restart', exportInvoicesFlag: true, processedRecordIds: ids });
    await cw.createInvoicePayment(3, { type: 'P', amount: 100 });
    const ar = (await cw.glAccounts.all({ conditions: 'glType="AR"' }))[0]!;
    await cw.patchGlAccount(ar.id, [{ op: 'replace', path: 'segment2', value: 'Managed Services' }]);
    const { revision } = fx.sandbox.admin.close('invoice', 29);
    const unposted = await cw.unpostedInvoices.count();
    await fx.sandbox.close();

    // Same data dir; the seed applies only to an empty dir.
    fx = await startFixture({ seed: 'demo', dataDir });
    cw = fx.client();
    expect(await cw.findBatch('before-restart')).toBeDefined();
    expect(await cw.unpostedInvoices.count()).toBe(unposted);
    expect((await cw.invoicePayments(3).all()).map((p) => p.amount)).toEqual([100]);
    expect((await cw.glAccounts.get(ar.id)).segment2).toBe('Managed Services');
    expect(fx.sandbox.admin.snapshot().invoices.find((i) => i.id === 29)?.revision).toBe(revision);
    // New ids continue after the old ones rather than colliding.
    const next = await cw.createInvoicePayment(3, { type: 'P', amount: 5 });
    expect(next.id).toBeGreaterThan(1);
  });

  it('starts over from the seed with `fresh`', async () => {
    await fx!.sandbox.close();
    fx = await startFixture({ seed: 'demo', dataDir, fresh: true });
    expect(await fx.client().findBatch('before-restart')).toBeUndefined();
  });
});

describe('admin endpoints', () => {
  it('reset to empty, seed demo, generate benchmark records', async () => {
    const reset = await raw(fx!, '/__admin/reset', { method: 'POST', body: JSON.stringify({ seed: 'empty' }) });
    expect(reset.status).toBe(200);
    expect(await fx!.client().companies.count()).toBe(0);
    const gen = await raw(fx!, '/__admin/seed', { method: 'POST', body: JSON.stringify({ generate: { invoices: 2 } }) });
    expect(gen.status).toBe(400); // the generator needs the demo setup

    await raw(fx!, '/__admin/seed', { method: 'POST', body: JSON.stringify({ seed: 'demo' }) });
    const before = await fx!.client().unpostedInvoices.count();
    const res = await raw(fx!, '/__admin/seed', { method: 'POST', body: JSON.stringify({ generate: { invoices: 40, expenses: 10, procurement: 10, seed: 5 } }) });
    expect(await res.json()).toEqual({ invoices: 40, expenses: 10, procurement: 10 });
    const cw = fx!.client();
    expect(await cw.unpostedInvoices.count()).toBe(before + 40);
    const records = glExportToRecords(await cw.exportGl({ exportInvoicesFlag: true, exportExpensesFlag: true, exportProductsFlag: true }), { transferExpensesAsBill: true, rowIds: await procurementRowIds(cw) });
    expect(records.filter((r) => r.kind === 'procurement').length).toBeGreaterThanOrEqual(10);
  });

  it('closes and reopens records, changes a mapping and records a payment over HTTP', async () => {
    const cw = fx!.client();
    const open = (await cw.invoices.all({ conditions: 'status/name in ("New","Sent")' }))[0]!;
    const closed = await raw(fx!, `/__admin/records/invoice/${open.id}/close`, { method: 'POST', body: JSON.stringify({ status: 'Closed' }) });
    expect(closed.status).toBe(200);
    expect(await cw.unpostedInvoices.count({ conditions: `id=${open.id}` })).toBe(1);
    expect((await raw(fx!, `/__admin/records/invoice/${open.id}/close`, { method: 'POST' })).status).toBe(409);
    // "GL Reload" is an open status: closing with it is refused; setting it reopens the invoice.
    const closeWithReload = await raw(fx!, `/__admin/records/invoice/${open.id}/close`, { method: 'POST', body: JSON.stringify({ status: 'GL Reload' }) });
    expect(closeWithReload.status).toBe(400);
    expect(((await closeWithReload.json()) as { message: string }).message).toBe('Billing status "GL Reload" is not a closed status');
    expect((await raw(fx!, `/__admin/records/invoice/${open.id}/reopen`, { method: 'POST', body: JSON.stringify({ status: 'Closed' }) })).status).toBe(400);
    expect((await raw(fx!, `/__admin/records/invoice/${open.id}/reopen`, { method: 'POST', body: JSON.stringify({ status: 'GL Reload' }) })).status).toBe(200);
    expect((await cw.invoices.get(open.id)).status?.name).toBe('GL Reload');
    expect(await cw.unpostedInvoices.count({ conditions: `id=${open.id}` })).toBe(0);
    // Closing it again recomputes its GL entries as a new revision, back in the unposted list.
    const reclosed = (await (await raw(fx!, `/__admin/records/invoice/${open.id}/close`, { method: 'POST', body: JSON.stringify({ status: 'Closed' }) })).json()) as { revision: number };
    expect(reclosed.revision).toBe(2);
    expect(await cw.unpostedInvoices.count({ conditions: `id=${open.id}` })).toBe(1);
    expect((await raw(fx!, `/__admin/records/invoice/${open.id}/reopen`, { method: 'POST' })).status).toBe(200);
    expect(await cw.unpostedInvoices.count({ conditions: `id=${open.id}` })).toBe(0);

    const report = (await cw.expenseReports.all({ conditions: 'status="Open"' }))[0]!;
    const before = await cw.unpostedExpenses.count();
    await raw(fx!, `/__admin/records/expenseReport/${report.id}/close`, { method: 'POST' });
    expect(await cw.unpostedExpenses.count()).toBe(before + 1);

    const row = (await cw.glAccounts.all({ conditions: 'glType="EO"' }))[0]!;
    await raw(fx!, `/__admin/glAccounts/${row.id}`, { method: 'POST', body: JSON.stringify({ account: 'Operating Checking' }) });
    expect((await cw.glAccounts.get(row.id)).segment1).toBe('Operating Checking');

    const pay = await raw(fx!, '/__admin/payments', { method: 'POST', body: JSON.stringify({ invoiceId: 2, amount: 25 }) });
    expect(pay.status).toBe(200);
    expect((await cw.invoicePayments(2).all()).map((p) => p.amount)).toContain(25);
  });

  it('closes several records in one call, or none of them when one cannot close', async () => {
    const cw = fx!.client();
    const open = (await cw.invoices.all({ conditions: 'status/name in ("New","Sent")' })).slice(0, 3);
    const before = fx!.sandbox.admin.snapshot();
    const bad = await raw(fx!, '/__admin/records/close', { method: 'POST', body: JSON.stringify({ records: [{ kind: 'invoice', id: open[0]!.id }, { kind: 'invoice', id: 999999 }] }) });
    expect(bad.status).toBe(404);
    expect(fx!.sandbox.admin.snapshot()).toEqual(before);

    const ok = await raw(fx!, '/__admin/records/close', { method: 'POST', body: JSON.stringify({ records: open.map((i) => ({ kind: 'invoice', id: i.id })) }) });
    expect(ok.status).toBe(200);
    expect(await cw.unpostedInvoices.count({ conditions: `id in (${open.map((i) => i.id).join(',')})` })).toBe(3);
    expect((await raw(fx!, '/__admin/records/close', { method: 'POST', body: JSON.stringify({ records: [] }) })).status).toBe(400);
  });

  it('refuses to close a record whose GL mapping is missing, and changes nothing', async () => {
    const cw = fx!.client();
    const ar = (await cw.glAccounts.all({ conditions: 'glType="AR"' }))[0]!;
    await cw.patchGlAccount(ar.id, [{ op: 'replace', path: 'segment1', value: '' }]);
    const open = (await cw.invoices.all({ conditions: 'status/name in ("New","Sent")' }))[0]!;
    const before = fx!.sandbox.admin.snapshot();
    const res = await raw(fx!, `/__admin/records/invoice/${open.id}/close`, { method: 'POST' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/Accounts Receivable/);
    expect(fx!.sandbox.admin.snapshot()).toEqual(before);
  });
});
