/** The ConnectWise REST endpoints the sandbox serves, below `/{codebase}/apis/3.0`. */
import { CwHttpError, notFound } from './cw-errors';
import { buildGlExport, transfersExpensesAsBill, type ExportSelection } from './gl-export';
import { addPayment, createBatch, deleteBatch, deletePayment, exportSelection, isUnposted, patchGlAccount, patchPayment, recordsOfEntries, type CreateBatchRequest, type ExportRequest } from './lifecycle';
import { byId, entriesOf, findByIds } from './lookups';
import { DOCUMENTED_FIELDS } from './documented-fields';
import { countFromSource, countResponse, knownFields, listFromSource, listResponse, oneFromSource, type ListSource } from './query';
import { intParam, Router, type RouteResult } from './router';
import type { AdjustmentRecord, ExpenseRecord, InvoiceRecord, Lifecycle, PurchaseOrderRecord, SandboxState, TransferRecord } from './state';
import {
  currentEntries,
  renderBatch,
  renderBatchEntry,
  renderAgreement,
  renderCatalogItem,
  renderLocation,
  renderTimeEntry,
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
  unpostedRowId,
} from './wire';

export const SANDBOX_VERSION = '2025.1';

const ok = (body: unknown, headers?: Record<string, string>): RouteResult => ({ status: 200, body, headers });

/**
 * The list of one collection, and its /count and /{id} where ConnectWise documents them (mapped
 * types have no /{id}, my security neither /{id} nor /count). Conditions may name only the fields
 * the collection's model documents. Rows are rendered only when a request can answer with them.
 */
function collection<R>(router: Router, path: string, source: ListSource<R>, what: string, routes: { count?: boolean; byId?: boolean } = {}): void {
  const known = knownFields(DOCUMENTED_FIELDS[path]?.fields);
  router.add('GET', path, ({ url, headers }) => {
    const r = listFromSource(source, url, headers, known);
    return ok(r.body, r.headers);
  });
  if (routes.count !== false) router.add('GET', `${path}/count`, ({ url }) => ok(countFromSource(source, url.searchParams, known)));
  if (routes.byId !== false) router.add('GET', `${path}/:id`, ({ params }) => ok(oneFromSource(source, intParam(params, 'id'), what)));
}

/** Stored rows with their own `id`, rendered by `render` (wire-shaped setup rows: as they are). */
function stored<R extends { id: number }>(rows: () => R[], render: (row: R) => unknown = (row) => row): ListSource<R> {
  return { rows, id: (row) => row.id, render, withIds: (ids) => findByIds(rows(), ids) };
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
  collection(r, '/system/mySecurity', stored(() => s().security), 'Security setting', { count: false, byId: false });
  collection(r, '/system/members', stored(() => s().members), 'Member');
  collection(r, '/company/companies', stored(() => s().companies), 'Company');
  collection(r, '/company/contacts', stored(() => s().contacts), 'Contact');

  // Unposted records: closed, GL entries computed, not yet in a batch. Invoice rows carry the
  // invoice's id; expense and procurement rows the id of their header GL entry.
  const unposted = <T extends Lifecycle>(items: T[]) => items.filter((x) => isUnposted(s(), x));
  const rowId = (rec: Lifecycle) => unpostedRowId(s(), rec);
  const unpostedInvoices: ListSource<InvoiceRecord> = {
    rows: () => unposted(s().invoices),
    id: (inv) => inv.id,
    render: (inv) => renderUnpostedInvoice(s(), inv),
    withIds: (ids) => unposted(findByIds(s().invoices, ids)),
  };
  const unpostedExpenses: ListSource<ExpenseRecord> = {
    rows: () => unposted(s().expenses),
    id: rowId,
    render: (e) => renderUnpostedExpense(s(), e),
    withIds: (ids) => unposted(recordsOfEntries(s(), s().expenses, 'expense', ids)).filter((e) => ids.includes(rowId(e))),
  };
  type ProcurementRow = { kind: 'purchase'; rec: PurchaseOrderRecord } | { kind: 'adjustment'; rec: AdjustmentRecord } | { kind: 'transfer'; rec: TransferRecord };
  const procurementRows = (purchases: PurchaseOrderRecord[], adjustments: AdjustmentRecord[], transfers: TransferRecord[]): ProcurementRow[] => [
    ...unposted(purchases).map((rec) => ({ kind: 'purchase' as const, rec })),
    ...unposted(adjustments).map((rec) => ({ kind: 'adjustment' as const, rec })),
    ...unposted(transfers).map((rec) => ({ kind: 'transfer' as const, rec })),
  ];
  const unpostedProcurement: ListSource<ProcurementRow> = {
    rows: () => procurementRows(s().purchaseOrders, s().adjustments, s().transfers),
    id: (row) => rowId(row.rec),
    render: (row) =>
      row.kind === 'purchase' ? renderUnpostedPurchase(s(), row.rec) : row.kind === 'adjustment' ? renderUnpostedAdjustment(s(), row.rec) : renderUnpostedTransfer(s(), row.rec),
    withIds: (ids) =>
      procurementRows(
        recordsOfEntries(s(), s().purchaseOrders, 'purchase', ids),
        recordsOfEntries(s(), s().adjustments, 'adjustment', ids),
        recordsOfEntries(s(), s().transfers, 'transfer', ids),
      ).filter((row) => ids.includes(rowId(row.rec))),
  };
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

  const batches = stored(() => s().batches, renderBatch);
  r.add('POST', '/finance/accounting/batches', ({ body }) => {
    const req = asObject(body, 'createAccountingBatchRequest') as CreateBatchRequest;
    // The answer is the batch's GLExport, which names no batch id (the batch is found by its identifier).
    const { selection } = createBatch(s(), req);
    return { status: 201, body: buildGlExport(s(), selection, transfersExpensesAsBill(s()), exportSettings(req)) };
  });
  collection(r, '/finance/accounting/batches', batches, 'Accounting batch');
  r.add('DELETE', '/finance/accounting/batches/:id', ({ params }) => {
    deleteBatch(s(), intParam(params, 'id'));
    return { status: 204, body: undefined };
  });
  const batchSelection = (batchId: number): ExportSelection => {
    const batch = byId(s().batches, batchId, 'Accounting batch');
    const entries = entriesOf(s(), batch.entryIds).filter((e) => !e.superseded);
    const ids = (kind: string) => entries.filter((e) => e.recordKind === kind).map((e) => e.recordId);
    return {
      invoices: findByIds(s().invoices, ids('invoice')),
      expenses: findByIds(s().expenses, ids('expense')),
      purchases: findByIds(s().purchaseOrders, ids('purchase')),
      adjustments: findByIds(s().adjustments, ids('adjustment')),
      transfers: findByIds(s().transfers, ids('transfer')),
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

  collection(r, '/finance/glAccounts/mappedTypes', stored(() => s().mappedTypes), 'Mapped type', { byId: false });
  collection(r, '/finance/glCaptions', stored(() => s().glCaptions ?? []), 'GL caption');
  collection(r, '/finance/glAccounts', stored(() => s().glAccounts), 'GL account');
  r.add('PATCH', '/finance/glAccounts/:id', ({ params, body }) => ok(patchGlAccount(s(), intParam(params, 'id'), body)));
  collection(r, '/finance/accountingPackageSetup', stored(() => s().accountingPackageSetup), 'Accounting package setup');

  collection(r, '/finance/invoices', stored(() => s().invoices, (i) => renderInvoice(s(), i)), 'Invoice');
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

  collection(r, '/finance/billingStatuses', stored(() => s().billingStatuses), 'Billing status');
  collection(r, '/finance/agreements', stored(() => s().agreements, (a) => renderAgreement(s(), a)), 'Agreement');
  collection(r, '/finance/billingTerms', stored(() => s().billingTerms), 'Billing terms');
  collection(r, '/finance/taxCodes', stored(() => s().taxCodes), 'Tax code');
  r.add('GET', '/finance/taxCodes/:id/taxCodeLevels', ({ params, url, headers }) => {
    const id = byId(s().taxCodes, intParam(params, 'id'), 'Tax code').id;
    const res = listResponse(s().taxCodeLevels.filter((l) => l.taxCodeId === id).map(({ taxCodeId: _omit, ...level }) => level), url, headers);
    return ok(res.body, res.headers);
  });

  // What GL lines come from: the records behind an export's documented references.
  collection(r, '/time/entries', stored(() => s().timeEntries, (t) => renderTimeEntry(s(), t)), 'Time entry');
  collection(r, '/time/workTypes', stored(() => s().workTypes), 'Work type');
  collection(r, '/time/workRoles', stored(() => s().workRoles), 'Work role');
  collection(r, '/time/chargeCodes', stored(() => s().chargeCodes), 'Charge code');
  collection(r, '/service/tickets', stored(() => s().tickets), 'Ticket');
  collection(r, '/project/projects', stored(() => s().projects), 'Project');
  collection(r, '/system/locations', stored(() => s().locations, renderLocation), 'Location');
  collection(r, '/system/departments', stored(() => s().departments), 'Department');
  collection(r, '/procurement/catalog', stored(() => s().catalog, renderCatalogItem), 'Catalog item');

  collection(r, '/expense/reports', stored(() => s().expenseReports, (x) => renderExpenseReport(s(), x)), 'Expense report');
  collection(r, '/procurement/purchaseorders', stored(() => s().purchaseOrders, (p) => renderPurchaseOrder(s(), p)), 'Purchase order');
  r.add('GET', '/procurement/purchaseorders/:id/lineitems', ({ params, url, headers }) => {
    const po = byId(s().purchaseOrders, intParam(params, 'id'), 'Purchase order');
    const res = listResponse(po.lines.map((l) => renderPurchaseOrderLine(s(), po, l)), url, headers);
    return ok(res.body, res.headers);
  });

  return r;
}
