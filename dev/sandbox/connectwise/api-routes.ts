/** The ConnectWise REST endpoints the sandbox serves, below `/{codebase}/apis/3.0`. */
import { CwHttpError, notFound } from './cw-errors';
import { buildGlExport, transfersExpensesAsBill, type ExportSelection } from './gl-export';
import { addPayment, createBatch, deletePayment, exportSelection, isUnposted, patchGlAccount, patchPayment, type CreateBatchRequest, type ExportRequest } from './lifecycle';
import { byId, entriesOf } from './lookups';
import { DOCUMENTED_FIELDS } from './documented-fields';
import { countResponse, knownFields, listResponse } from './query';
import { intParam, Router, type RouteResult } from './router';
import type { SandboxState, Wire } from './state';
import {
  currentEntries,
  renderBatch,
  renderBatchEntry,
  renderAgreement,
  renderExpenseReport,
  renderInvoice,
  renderPayment,
  renderPurchaseOrder,
  renderPurchaseOrderLine,
  renderUnpostedAdjustment,
  renderUnpostedExpense,
  renderUnpostedInvoice,
  renderUnpostedPurchase,
  renderUnpostedTransfer,
} from './wire';

export const SANDBOX_VERSION = '2025.1';

const ok = (body: unknown, headers?: Record<string, string>): RouteResult => ({ status: 200, body, headers });

/**
 * The list of one collection, and its /count and /{id} where ConnectWise documents them (mapped
 * types have no /{id}, my security neither /{id} nor /count). Conditions may name only the fields
 * the collection's model documents.
 */
function collection(router: Router, path: string, items: () => Wire[], what: string, routes: { count?: boolean; byId?: boolean } = {}): void {
  const known = knownFields(DOCUMENTED_FIELDS[path]?.fields);
  router.add('GET', path, ({ url, headers }) => {
    const r = listResponse(items(), url, headers, known);
    return ok(r.body, r.headers);
  });
  if (routes.count !== false) router.add('GET', `${path}/count`, ({ url }) => ok(countResponse(items(), url.searchParams, known)));
  if (routes.byId !== false) router.add('GET', `${path}/:id`, ({ params }) => ok(byId(items(), intParam(params, 'id'), what)));
}

function exportSettings(req: ExportRequest | CreateBatchRequest): Record<string, unknown> {
  return {
    batchIdentifier: req.batchIdentifier ?? null,
    exportInvoices: !!req.exportInvoicesFlag,
    exportExpenses: !!req.exportExpensesFlag,
    exportProducts: !!req.exportProductsFlag,
    summarizeInvoices: (req as ExportRequest).summarizeInvoices ?? 'Default',
    thruDate: (req as ExportRequest).thruDate ?? null,
  };
}

function asObject(body: unknown, resource: string): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new CwHttpError(400, 'InvalidObject', `${resource} object is invalid`);
  return body as Record<string, unknown>;
}

export function apiRoutes(getState: () => SandboxState): Router {
  const r = new Router();
  const s = getState;

  r.add('GET', '/system/info', () =>
    ok({ version: `v${SANDBOX_VERSION}.100001`, isCloud: false, serverTimeZone: 'Pacific Standard Time', licenseBits: [{ name: 'AccountingInterface', activeFlag: true }], cloudRegion: 'NA' }),
  );
  collection(r, '/system/mySecurity', () => s().security, 'Security setting', { count: false, byId: false });
  collection(r, '/system/members', () => s().members, 'Member');
  // Locations as documented (the sandbox also keeps each one's warehouses, which Location does not carry).
  collection(r, '/system/locations', () => s().locations.map(({ warehouses: _kept, ...location }) => location), 'Location');
  collection(r, '/company/companies', () => s().companies, 'Company');
  collection(r, '/company/contacts', () => s().contacts, 'Contact');

  // Unposted records: closed, GL entries computed, not yet in a batch.
  const unpostedInvoices = () => s().invoices.filter((i) => isUnposted(s(), i)).map((i) => renderUnpostedInvoice(s(), i));
  const unpostedExpenses = () => s().expenses.filter((e) => isUnposted(s(), e)).map((e) => renderUnpostedExpense(s(), e));
  const unpostedProcurement = () => [
    ...s().purchaseOrders.filter((p) => isUnposted(s(), p)).map((p) => renderUnpostedPurchase(s(), p)),
    ...s().adjustments.filter((a) => isUnposted(s(), a)).map((a) => renderUnpostedAdjustment(s(), a)),
    ...s().transfers.filter((t) => isUnposted(s(), t)).map((t) => renderUnpostedTransfer(s(), t)),
  ];
  collection(r, '/finance/accounting/unpostedinvoices', unpostedInvoices, 'Unposted invoice');
  collection(r, '/finance/accounting/unpostedexpenses', unpostedExpenses, 'Unposted expense');
  collection(r, '/finance/accounting/unpostedprocurement', unpostedProcurement, 'Unposted procurement');
  r.add('GET', '/finance/accounting/unpostedinvoices/:id/taxableLevels', ({ params, url, headers }) => {
    const inv = byId(s().invoices, intParam(params, 'id'), 'Unposted invoice');
    if (!isUnposted(s(), inv)) throw notFound(`Unposted invoice recId ${inv.id}`);
    const levels = currentEntries(s(), inv.entryIds)
      .filter((e) => e.role === 'tax')
      .map((e) => ({ id: e.id, taxLevel: e.taxLevel, taxCodeXref: e.taxCodeXref, taxAmount: e.totalCents / 100 }));
    const res = listResponse(levels, url, headers);
    return ok(res.body, res.headers);
  });

  r.add('POST', '/finance/accounting/export', ({ body }) => {
    const req = asObject(body, 'exportAccountingBatchRequest') as ExportRequest;
    return { status: 200, body: buildGlExport(s(), exportSelection(s(), req), transfersExpensesAsBill(s()), exportSettings(req)) };
  }, false);

  const batches = () => s().batches.map(renderBatch);
  r.add('POST', '/finance/accounting/batches', ({ body }) => {
    const req = asObject(body, 'createAccountingBatchRequest') as CreateBatchRequest;
    const { batch, selection } = createBatch(s(), req);
    return { status: 201, body: { ...buildGlExport(s(), selection, transfersExpensesAsBill(s()), exportSettings(req)), id: batch.id } };
  });
  collection(r, '/finance/accounting/batches', batches, 'Accounting batch');
  const batchSelection = (batchId: number): ExportSelection => {
    const batch = byId(s().batches, batchId, 'Accounting batch');
    const entries = entriesOf(s(), batch.entryIds).filter((e) => !e.superseded);
    const ids = (kind: string) => new Set(entries.filter((e) => e.recordKind === kind).map((e) => e.recordId));
    return {
      invoices: s().invoices.filter((x) => ids('invoice').has(x.id)),
      expenses: s().expenses.filter((x) => ids('expense').has(x.id)),
      purchases: s().purchaseOrders.filter((x) => ids('purchase').has(x.id)),
      adjustments: s().adjustments.filter((x) => ids('adjustment').has(x.id)),
      transfers: s().transfers.filter((x) => ids('transfer').has(x.id)),
    };
  };
  r.add('POST', '/finance/accounting/batches/:id/export', ({ params, body }) => {
    const req = asObject(body ?? {}, 'exportAccountingBatchRequest') as ExportRequest;
    return { status: 200, body: buildGlExport(s(), batchSelection(intParam(params, 'id')), transfersExpensesAsBill(s()), exportSettings(req)) };
  }, false);
  const entries = (batchId: number) => {
    const batch = byId(s().batches, batchId, 'Accounting batch');
    return entriesOf(s(), batch.entryIds).map((e) => renderBatchEntry(s(), e));
  };
  r.add('GET', '/finance/accounting/batches/:id/entries', ({ params, url, headers }) => {
    const res = listResponse(entries(intParam(params, 'id')), url, headers);
    return ok(res.body, res.headers);
  });
  r.add('GET', '/finance/accounting/batches/:id/entries/count', ({ params, url }) => ok(countResponse(entries(intParam(params, 'id')), url.searchParams)));
  r.add('GET', '/finance/accounting/batches/:id/entries/:entryId', ({ params }) => ok(byId(entries(intParam(params, 'id')), intParam(params, 'entryId'), 'Batch entry')));

  collection(r, '/finance/glAccounts/mappedTypes', () => s().mappedTypes, 'Mapped type', { byId: false });
  collection(r, '/finance/glCaptions', () => s().glCaptions ?? [], 'GL caption');
  collection(r, '/finance/glAccounts', () => s().glAccounts, 'GL account');
  r.add('PATCH', '/finance/glAccounts/:id', ({ params, body }) => ok(patchGlAccount(s(), intParam(params, 'id'), body)));
  collection(r, '/finance/accountingPackageSetup', () => s().accountingPackageSetup, 'Accounting package setup');

  collection(r, '/finance/invoices', () => s().invoices.map((i) => renderInvoice(s(), i)), 'Invoice');
  const payments = (invoiceId: number) => {
    byId(s().invoices, invoiceId, 'Invoice');
    return s().payments.filter((p) => p.invoiceId === invoiceId).map((p) => renderPayment(s(), p));
  };
  r.add('GET', '/finance/invoices/:id/payments', ({ params, url, headers }) => {
    const res = listResponse(payments(intParam(params, 'id')), url, headers);
    return ok(res.body, res.headers);
  });
  r.add('GET', '/finance/invoices/:id/payments/count', ({ params, url }) => ok(countResponse(payments(intParam(params, 'id')), url.searchParams)));
  r.add('GET', '/finance/invoices/:id/payments/:paymentId', ({ params }) => ok(byId(payments(intParam(params, 'id')), intParam(params, 'paymentId'), 'Payment')));
  r.add('POST', '/finance/invoices/:id/payments', ({ params, body }) => {
    const payment = addPayment(s(), intParam(params, 'id'), asObject(body, 'payment'));
    return { status: 201, body: renderPayment(s(), payment) };
  });
  r.add('PATCH', '/finance/invoices/:id/payments/:paymentId', ({ params, body }) =>
    ok(renderPayment(s(), patchPayment(s(), intParam(params, 'id'), intParam(params, 'paymentId'), body))),
  );
  r.add('DELETE', '/finance/invoices/:id/payments/:paymentId', ({ params }) => {
    deletePayment(s(), intParam(params, 'id'), intParam(params, 'paymentId'));
    return { status: 204, body: undefined };
  });

  collection(r, '/finance/billingStatuses', () => s().billingStatuses, 'Billing status');
  collection(r, '/finance/agreements', () => s().agreements.map((a) => renderAgreement(s(), a)), 'Agreement');
  collection(r, '/finance/billingTerms', () => s().billingTerms, 'Billing terms');
  collection(r, '/finance/taxCodes', () => s().taxCodes, 'Tax code');
  r.add('GET', '/finance/taxCodes/:id/taxCodeLevels', ({ params, url, headers }) => {
    const id = byId(s().taxCodes, intParam(params, 'id'), 'Tax code').id;
    const res = listResponse(s().taxCodeLevels.filter((l) => l.taxCodeId === id).map(({ taxCodeId: _omit, ...level }) => level), url, headers);
    return ok(res.body, res.headers);
  });

  collection(r, '/expense/reports', () => s().expenseReports.map((x) => renderExpenseReport(s(), x)), 'Expense report');
  collection(r, '/procurement/purchaseorders', () => s().purchaseOrders.map((p) => renderPurchaseOrder(s(), p)), 'Purchase order');
  r.add('GET', '/procurement/purchaseorders/:id/lineitems', ({ params, url, headers }) => {
    const po = byId(s().purchaseOrders, intParam(params, 'id'), 'Purchase order');
    const res = listResponse(po.lines.map((l) => renderPurchaseOrderLine(po, l)), url, headers);
    return ok(res.body, res.headers);
  });

  return r;
}
