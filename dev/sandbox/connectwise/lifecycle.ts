/**
 * State changes with accounting meaning: closing and reopening records (GL entries frozen at close),
 * export selection, batch creation, payments, and GL mapping edits. Every function validates fully
 * before it mutates, so a rejected request leaves the state exactly as it was.
 */
import { createGlResolver } from '../../../domain/gl';
import type { ExportAccountingBatchRequest } from '../../../integrations/connectwise/schemas/accounting';
import { isLedgerError } from '../../../domain/errors';
import { CwHttpError, invalidObject, notFound, type CwFieldError } from './cw-errors';
import { computeGlEntries, type ClosableRecord } from './gl-compute';
import { byId, entriesOf, entryIndex, findById, findByIds, forgetIds, glMappingsOf, siteResolver } from './lookups';
import { documentedEntryIds, transfersExpensesAsBill, type ExportSelection } from './gl-export';
import { nextId, type BatchRecord, type GlEntry, type Lifecycle, type InvoiceRecord, type PaymentRecord, type RecordKind, type SandboxState, type Wire } from './state';
import { adjustmentProductId, appliedCents, invoiceTotals, purchaseProductId, transferProductId, unpostedRowId } from './wire';

export type CloseKind = 'invoice' | 'expenseReport' | 'purchaseOrder' | 'adjustment' | 'transfer';
export const CLOSE_KINDS: readonly CloseKind[] = ['invoice', 'expenseReport', 'purchaseOrder', 'adjustment', 'transfer'];

export const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export function isUnposted(state: SandboxState, rec: Lifecycle): boolean {
  if (!rec.closed || rec.entryIds.length === 0) return false;
  return !entriesOf(state, rec.entryIds).some((e) => e.batchId !== undefined);
}

/** The records a close/reopen of (kind, id) acts on: an expense report acts on each of its expenses. */
function targets(state: SandboxState, kind: CloseKind, id: number): ClosableRecord[] {
  switch (kind) {
    case 'invoice':
      return [{ kind: 'invoice', record: byId(state.invoices, id, 'Invoice') }];
    case 'expenseReport': {
      byId(state.expenseReports, id, 'Expense report');
      return state.expenses.filter((e) => e.reportId === id).map((record) => ({ kind: 'expense' as const, record }));
    }
    case 'purchaseOrder':
      return [{ kind: 'purchase', record: byId(state.purchaseOrders, id, 'Purchase order') }];
    case 'adjustment':
      return [{ kind: 'adjustment', record: byId(state.adjustments, id, 'Adjustment') }];
    case 'transfer':
      return [{ kind: 'transfer', record: byId(state.transfers, id, 'Transfer') }];
  }
}

function statusByName(state: SandboxState, name: string): Wire {
  const s = state.billingStatuses.find((b) => (b.name as string).toLowerCase() === name.toLowerCase());
  if (!s) throw invalidObject('invoice', `Billing status "${name}" does not exist`, [{ code: 'InvalidReference', field: 'status', message: name }]);
  return s;
}

/**
 * Close a record: compute and freeze its GL entries as a new revision. For invoices `statusName`
 * picks the billing status, which must be a closed one (default "Closed"). A closed record must be
 * reopened first; an invoice reopened (to "GL Reload", say) and closed again gets fresh GL entries
 * and is unposted again even when its earlier revision was exported.
 */
export function closeRecord(state: SandboxState, kind: CloseKind, id: number, statusName?: string): { revision: number; entryIds: number[] } {
  const records = targets(state, kind, id);
  if (records.length === 0) throw invalidObject(kind, `${kind} ${id} has nothing to close`);
  let status: Wire | undefined;
  if (kind === 'invoice') {
    status = statusByName(state, statusName ?? 'Closed');
    if (!status.closedFlag) throw invalidObject('invoice', `Billing status "${status.name as string}" is not a closed status`, [{ code: 'InvalidField', field: 'status', message: `${status.name as string} is not a closed status` }]);
  }
  if (records.some((r) => r.record.closed)) throw new CwHttpError(409, 'Conflict', `${kind} ${id} is already closed`);
  const resolver = siteResolver(state);
  const computed = records.map((r) => ({ r, entries: computeGlEntries(state, r, r.record.revision + 1, resolver) }));
  // Everything resolved: now commit.
  const dateClosed = nowIso();
  for (const { r, entries } of computed) {
    state.glEntries.push(...entries);
    Object.assign(r.record, { closed: true, dateClosed, revision: r.record.revision + 1, entryIds: entries.map((e) => e.id) });
  }
  if (kind === 'invoice') (records[0]!.record as { statusId: number }).statusId = status!.id;
  if (kind === 'expenseReport') Object.assign(byId(state.expenseReports, id, 'Expense report'), { status: 'ApprovedByTierTwo', closed: true, dateClosed, revision: records[0]!.record.revision });
  const first = records[0]!.record;
  return { revision: first.revision, entryIds: computed.flatMap((c) => c.entries.map((e) => e.id)) };
}

function supersede(state: SandboxState, rec: Lifecycle): void {
  for (const e of entriesOf(state, rec.entryIds)) e.superseded = true;
  rec.entryIds = [];
}

/**
 * Reopen: the record leaves the unposted lists; its frozen entries are kept for batch history but no
 * longer exported. For invoices `statusName` picks the open billing status (default "New"; "GL
 * Reload" is the one set up for re-exporting), which must not be a closed one.
 */
export function reopenRecord(state: SandboxState, kind: CloseKind, id: number, statusName?: string): void {
  const records = targets(state, kind, id);
  let status: Wire | undefined;
  if (kind === 'invoice') {
    status = statusByName(state, statusName ?? 'New');
    if (status.closedFlag) throw invalidObject('invoice', `Billing status "${status.name as string}" is a closed status`, [{ code: 'InvalidField', field: 'status', message: `${status.name as string} is a closed status` }]);
  }
  if (!records.some((r) => r.record.closed)) throw new CwHttpError(409, 'Conflict', `${kind} ${id} is not closed`);
  for (const r of records) {
    supersede(state, r.record);
    r.record.closed = false;
    delete r.record.dateClosed;
  }
  if (kind === 'invoice') (records[0]!.record as { statusId: number }).statusId = status!.id;
  if (kind === 'expenseReport') Object.assign(byId(state.expenseReports, id, 'Expense report'), { status: 'Open', closed: false });
}

// --- Export and batches ------------------------------------------------------------------------

/** The body of export and batch export: the same wire type the client sends. */
export type ExportRequest = ExportAccountingBatchRequest;

function idFilter<T>(included: T[] | undefined, excluded: T[] | undefined) {
  return (key: T) => (!included || included.length === 0 || included.includes(key)) && !(excluded ?? []).includes(key);
}

export function exportSelection(state: SandboxState, req: ExportRequest): ExportSelection {
  if (!req.exportInvoicesFlag && !req.exportExpensesFlag && !req.exportProductsFlag && !req.exportPaymentsFlag) {
    throw invalidObject('exportAccountingBatchRequest', 'At least one export flag must be true', [{ code: 'MissingRequiredField', field: 'exportInvoicesFlag', message: 'At least one export flag must be true' }]);
  }
  let thru = Number.POSITIVE_INFINITY;
  if (req.thruDate) {
    thru = Date.parse(req.thruDate);
    if (Number.isNaN(thru)) throw invalidObject('exportAccountingBatchRequest', 'thruDate is not a datetime', [{ code: 'InvalidField', field: 'thruDate', message: req.thruDate }]);
  }
  const dated = (d: string) => Date.parse(d) <= thru;
  const inv = idFilter(req.includedInvoiceIds, req.excludedInvoiceIds);
  const exp = idFilter(req.includedExpenseIds, req.excludedExpenseIds);
  const prod = idFilter(req.includedProductIds, req.excludedProductIds);
  // Included ids confine each kind to the records they can name; the filters below still decide.
  const invoices = req.includedInvoiceIds?.length ? findByIds(state.invoices, req.includedInvoiceIds) : state.invoices;
  const expenses = req.includedExpenseIds?.length ? recordsOfEntries(state, state.expenses, 'expense', req.includedExpenseIds) : state.expenses;
  const productRecords = <T extends { id: number }>(items: T[]) => (req.includedProductIds?.length ? findByIds(items, req.includedProductIds.map(leadingId)) : items);
  return {
    invoices: req.exportInvoicesFlag ? invoices.filter((r) => isUnposted(state, r) && dated(r.date) && inv(r.id)) : [],
    expenses: req.exportExpensesFlag ? expenses.filter((r) => isUnposted(state, r) && dated(r.date) && exp(unpostedRowId(state, r))) : [],
    purchases: req.exportProductsFlag ? productRecords(state.purchaseOrders).filter((r) => isUnposted(state, r) && dated(r.poDate) && prod(purchaseProductId(r))) : [],
    adjustments: req.exportProductsFlag ? productRecords(state.adjustments).filter((r) => isUnposted(state, r) && dated(r.date) && prod(adjustmentProductId(r))) : [],
    transfers: req.exportProductsFlag ? productRecords(state.transfers).filter((r) => isUnposted(state, r) && dated(r.date) && prod(transferProductId(r))) : [],
  };
}

/** A procurement product id (`<record id>-...`) names its record by the number it starts with. */
const leadingId = (productId: string): number => Number.parseInt(String(productId), 10);

/** The records of one kind whose GL entries have these ids (an unposted row's id is its header entry's). */
export function recordsOfEntries<T extends { id: number }>(state: SandboxState, items: T[], kind: RecordKind, entryIds: readonly number[]): T[] {
  const index = entryIndex(state);
  const recordIds = entryIds.map((id) => index.get(id)).filter((e): e is GlEntry => e?.recordKind === kind).map((e) => e.recordId);
  return findByIds(items, recordIds);
}

export interface CreateBatchRequest {
  batchIdentifier?: string;
  glInterfaceIdentifier?: string;
  exportInvoicesFlag?: boolean;
  exportExpensesFlag?: boolean;
  exportProductsFlag?: boolean;
  processedRecordIds?: number[];
}

const FLAG_FOR: Record<RecordKind, 'exportInvoicesFlag' | 'exportExpensesFlag' | 'exportProductsFlag'> = {
  invoice: 'exportInvoicesFlag',
  expense: 'exportExpensesFlag',
  purchase: 'exportProductsFlag',
  adjustment: 'exportProductsFlag',
  transfer: 'exportProductsFlag',
};

function recordOf(state: SandboxState, e: GlEntry): Lifecycle {
  switch (e.recordKind) {
    case 'invoice':
      return byId(state.invoices, e.recordId, 'Invoice');
    case 'expense':
      return byId(state.expenses, e.recordId, 'Expense');
    case 'purchase':
      return byId(state.purchaseOrders, e.recordId, 'Purchase order');
    case 'adjustment':
      return byId(state.adjustments, e.recordId, 'Adjustment');
    case 'transfer':
      return byId(state.transfers, e.recordId, 'Transfer');
  }
}

/**
 * Mark the named GL entries exported. Every record touched must be named by all the GL entries its
 * export document shows (documentedEntryIds), so a record is either posted or not; its other entries
 * go with it. Its kind's export flag must be set.
 */
export function createBatch(state: SandboxState, req: CreateBatchRequest): { batch: BatchRecord; selection: ExportSelection } {
  const errors: CwFieldError[] = [];
  const identifier = req.batchIdentifier?.trim() ?? '';
  if (!identifier) errors.push({ code: 'MissingRequiredField', field: 'batchIdentifier', message: 'batchIdentifier is required' });
  else if (identifier.length > 50) errors.push({ code: 'InvalidField', field: 'batchIdentifier', message: 'batchIdentifier is limited to 50 characters' });
  else if (state.batches.some((b) => b.batchIdentifier.toLowerCase() === identifier.toLowerCase())) {
    errors.push({ code: 'ObjectExists', field: 'batchIdentifier', message: `A batch with identifier ${identifier} already exists` });
  }
  if (!req.exportInvoicesFlag && !req.exportExpensesFlag && !req.exportProductsFlag) {
    errors.push({ code: 'MissingRequiredField', field: 'exportInvoicesFlag', message: 'At least one export flag must be true' });
  }
  const ids = req.processedRecordIds ?? [];
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => !Number.isInteger(id))) {
    errors.push({ code: 'MissingRequiredField', field: 'processedRecordIds', message: 'processedRecordIds must list the GL entry ids to post' });
  }
  const byEntryId = entryIndex(state);
  const named = new Set<number>();
  const records = new Map<string, { rec: Lifecycle; kind: RecordKind }>();
  for (const id of Array.isArray(ids) ? ids : []) {
    const e = byEntryId.get(id);
    if (!e || e.superseded) {
      errors.push({ code: 'InvalidField', field: 'processedRecordIds', message: `GL entry ${id} is not an unposted GL entry` });
      continue;
    }
    if (e.batchId !== undefined) {
      errors.push({ code: 'InvalidField', field: 'processedRecordIds', message: `GL entry ${id} is already in batch ${e.batchId}` });
      continue;
    }
    if (!req[FLAG_FOR[e.recordKind]]) {
      errors.push({ code: 'InvalidField', field: FLAG_FOR[e.recordKind], message: `GL entry ${id} is a ${e.recordKind} entry but ${FLAG_FOR[e.recordKind]} is false` });
    }
    named.add(id);
    records.set(`${e.recordKind}:${e.recordId}`, { rec: recordOf(state, e), kind: e.recordKind });
  }
  const asBill = transfersExpensesAsBill(state);
  for (const [key, { rec, kind }] of records) {
    const missing = documentedEntryIds(state, kind, rec, asBill).filter((id) => !named.has(id));
    if (missing.length) errors.push({ code: 'InvalidField', field: 'processedRecordIds', message: `${key} has GL entries ${missing.join(', ')} that are not in processedRecordIds` });
  }
  if (errors.length) throw invalidObject('accountingBatch', errors[0]!.message, errors);

  const batch: BatchRecord = {
    id: nextId(state, 'batch'),
    batchIdentifier: identifier,
    glInterfaceIdentifier: req.glInterfaceIdentifier,
    exportInvoicesFlag: !!req.exportInvoicesFlag,
    exportExpensesFlag: !!req.exportExpensesFlag,
    exportProductsFlag: !!req.exportProductsFlag,
    entryIds: [...named],
    dateEntered: nowIso(),
  };
  const selection: ExportSelection = { invoices: [], expenses: [], purchases: [], adjustments: [], transfers: [] };
  for (const { rec, kind } of records.values()) {
    if (kind === 'invoice') selection.invoices.push(rec as ExportSelection['invoices'][number]);
    else if (kind === 'expense') selection.expenses.push(rec as ExportSelection['expenses'][number]);
    else if (kind === 'purchase') selection.purchases.push(rec as ExportSelection['purchases'][number]);
    else if (kind === 'adjustment') selection.adjustments.push(rec as ExportSelection['adjustments'][number]);
    else selection.transfers.push(rec as ExportSelection['transfers'][number]);
  }
  for (const { rec } of records.values()) for (const id of rec.entryIds) byEntryId.get(id)!.batchId = batch.id;
  state.batches.push(batch);
  return { batch, selection };
}

/**
 * Delete an accounting batch (`DELETE /finance/accounting/batches/{id}`, 204): its GL entries are no
 * longer batched, so its records show in the unposted lists again. ConnectWise publishes the
 * operation without saying what it does to the records; returning them to unposted is the reading
 * the accounting-interface documentation and integrators give it.
 */
export function deleteBatch(state: SandboxState, id: number): void {
  const at = state.batches.findIndex((b) => b.id === id);
  if (at < 0) throw notFound(`Accounting batch recId ${id}`);
  for (const e of state.glEntries) if (e.batchId === id) delete e.batchId;
  state.batches.splice(at, 1);
  forgetIds(state.batches);
}

/** What a person edits on an open invoice line. */
export interface InvoiceLineChange {
  quantity?: number;
  unitPriceCents?: number;
  description?: string;
}

/** Edit a line of an open invoice (closed ones are reopened first, as in ConnectWise). */
export function editInvoiceLine(state: SandboxState, invoiceId: number, index: number, change: InvoiceLineChange): void {
  const inv = byId(state.invoices, invoiceId, 'Invoice');
  if (inv.closed) throw new CwHttpError(409, 'Conflict', `Invoice ${inv.invoiceNumber} is closed; reopen it first`);
  const line = inv.lines[index];
  if (!line) throw invalidObject('invoice', `Invoice ${inv.invoiceNumber} has no line ${index}`);
  if (change.quantity !== undefined && !(change.quantity > 0)) throw invalidObject('invoice', 'quantity must be positive');
  if (change.unitPriceCents !== undefined && !Number.isInteger(change.unitPriceCents)) throw invalidObject('invoice', 'unitPriceCents must be whole cents');
  Object.assign(line, change);
}

/** What a person edits on an open expense (its report reopened). */
export interface ExpenseChange {
  amountCents?: number;
  notes?: string;
}

/** Edit an expense whose report is open (a closed report is reopened first, as in ConnectWise). */
export function editExpense(state: SandboxState, expenseId: number, change: ExpenseChange): void {
  const exp = byId(state.expenses, expenseId, 'Expense');
  if (exp.closed) throw new CwHttpError(409, 'Conflict', `Expense ${exp.id} is on a closed expense report; reopen report ${exp.reportId} first`);
  if (change.amountCents !== undefined && !(Number.isInteger(change.amountCents) && change.amountCents > 0)) throw invalidObject('expense', 'amountCents must be positive whole cents');
  Object.assign(exp, change);
}

/** What a person edits on a line of an open purchase order. */
export interface PurchaseOrderLineChange {
  quantity?: number;
  unitCostCents?: number;
}

/** Edit a line of an open purchase order (`index` 0-based); a received line receives its new quantity. */
export function editPurchaseOrderLine(state: SandboxState, poId: number, index: number, change: PurchaseOrderLineChange): void {
  const po = byId(state.purchaseOrders, poId, 'Purchase order');
  if (po.closed) throw new CwHttpError(409, 'Conflict', `Purchase order ${po.poNumber} is closed; reopen it first`);
  const line = po.lines[index];
  if (!line) throw invalidObject('purchaseOrder', `Purchase order ${po.poNumber} has no line ${index}`);
  if (change.quantity !== undefined && !(Number.isInteger(change.quantity) && change.quantity > 0)) throw invalidObject('purchaseOrder', 'quantity must be a positive integer');
  if (change.unitCostCents !== undefined && !(Number.isInteger(change.unitCostCents) && change.unitCostCents >= 0)) throw invalidObject('purchaseOrder', 'unitCostCents must be whole cents');
  const received = line.receivedQuantity === line.quantity;
  Object.assign(line, change);
  if (received && change.quantity !== undefined) line.receivedQuantity = change.quantity;
}

// --- Payments ------------------------------------------------------------------------------------

/**
 * A credit application names the credit memo (`credit: {id}`): a closed-or-open invoice of type
 * CreditMemo of the same company, other than the invoice itself, with at least the amount of its
 * credit left. Its credit is then spent: what is applied to other invoices is no longer available.
 */
function creditToApply(state: SandboxState, inv: InvoiceRecord, credit: unknown, amount: unknown, errors: CwFieldError[]): number | undefined {
  if (credit === undefined || credit === null) return undefined;
  const id = (credit as { id?: unknown }).id;
  const memo = typeof id === 'number' ? findById(state.invoices, id) : undefined;
  if (!memo) {
    errors.push({ code: 'InvalidField', field: 'credit', message: `credit.id ${String(id)} is not an invoice` });
    return undefined;
  }
  if (memo.type !== 'CreditMemo' || memo.id === inv.id) errors.push({ code: 'InvalidField', field: 'credit', message: `Invoice ${memo.invoiceNumber} is not a credit memo that can be applied to invoice ${inv.invoiceNumber}` });
  else if (memo.companyId !== inv.companyId) errors.push({ code: 'InvalidField', field: 'credit', message: `Credit memo ${memo.invoiceNumber} belongs to another company` });
  else if (typeof amount === 'number') {
    const remaining = -invoiceTotals(state, memo).totalCents - appliedCents(state, memo).creditUsed;
    if (Math.round(amount * 100) > remaining) errors.push({ code: 'InvalidField', field: 'amount', message: `Credit memo ${memo.invoiceNumber} has ${(remaining / 100).toFixed(2)} of credit left` });
  }
  return memo.id;
}

export function addPayment(state: SandboxState, invoiceId: number, body: Record<string, unknown>): PaymentRecord {
  const inv = byId(state.invoices, invoiceId, 'Invoice');
  const errors: CwFieldError[] = [];
  const amount = body.amount;
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) errors.push({ code: 'MissingRequiredField', field: 'amount', message: 'amount must be a positive number' });
  if (body.type !== undefined && typeof body.type !== 'string') errors.push({ code: 'InvalidField', field: 'type', message: 'type must be a string' });
  const paymentDate = body.paymentDate === undefined ? nowIso() : body.paymentDate;
  if (typeof paymentDate !== 'string' || Number.isNaN(Date.parse(paymentDate))) errors.push({ code: 'InvalidField', field: 'paymentDate', message: 'paymentDate must be an ISO datetime' });
  const ref = body.invoice as { id?: unknown } | undefined;
  if (ref && ref.id !== undefined && ref.id !== invoiceId) errors.push({ code: 'InvalidField', field: 'invoice', message: `invoice.id ${String(ref.id)} does not match the path (${invoiceId})` });
  const creditId = creditToApply(state, inv, body.credit, amount, errors);
  if (errors.length) throw invalidObject('payment', errors[0]!.message, errors);
  const payment: PaymentRecord = {
    id: nextId(state, 'payment'),
    invoiceId: inv.id,
    type: (body.type as string | undefined) ?? 'P',
    amountCents: Math.round((amount as number) * 100),
    paymentDate: paymentDate as string,
    appliedBy: 'ledgerline-api',
    ...(creditId !== undefined && { creditId }),
    dateEntered: nowIso(),
  };
  state.payments.push(payment);
  inv.paymentIds.push(payment.id);
  return payment;
}

export interface PatchOp {
  op: string;
  path: string;
  value?: unknown;
}

function parseOps(body: unknown, resource: string): PatchOp[] {
  if (!Array.isArray(body) || body.some((o) => !o || typeof o !== 'object' || typeof o.path !== 'string' || !['add', 'replace', 'remove'].includes(o.op))) {
    throw invalidObject(resource, 'The PATCH body must be an array of {op: add|replace|remove, path, value}');
  }
  return (body as PatchOp[]).map((o) => ({ ...o, path: o.path.replace(/^\//, '') }));
}

export function patchPayment(state: SandboxState, invoiceId: number, paymentId: number, body: unknown): PaymentRecord {
  byId(state.invoices, invoiceId, 'Invoice');
  const payment = state.payments.find((p) => p.id === paymentId && p.invoiceId === invoiceId);
  if (!payment) throw notFound(`Payment recId ${paymentId}`);
  const ops = parseOps(body, 'payment');
  const next = { ...payment };
  for (const op of ops) {
    if (op.path === 'amount' && typeof op.value === 'number' && op.value > 0) next.amountCents = Math.round(op.value * 100);
    else if (op.path === 'paymentDate' && typeof op.value === 'string' && !Number.isNaN(Date.parse(op.value))) next.paymentDate = op.value;
    else if (op.path === 'type' && typeof op.value === 'string') next.type = op.value;
    else throw invalidObject('payment', `Cannot ${op.op} ${op.path}`, [{ code: 'InvalidField', field: op.path, message: `Cannot ${op.op} ${op.path} with ${JSON.stringify(op.value)}` }]);
  }
  Object.assign(payment, next);
  return payment;
}

/** Remove a payment from its invoice (the invoice's balance rises by its amount). */
export function deletePayment(state: SandboxState, invoiceId: number, paymentId: number): void {
  const inv = byId(state.invoices, invoiceId, 'Invoice');
  const at = state.payments.findIndex((p) => p.id === paymentId && p.invoiceId === invoiceId);
  if (at < 0) throw notFound(`Payment recId ${paymentId}`);
  state.payments.splice(at, 1);
  forgetIds(state.payments);
  inv.paymentIds = inv.paymentIds.filter((id) => id !== paymentId);
}

const GL_ACCOUNT_FIELDS = new Set(['productId', 'inventory', 'salesCode', ...Array.from({ length: 10 }, (_, i) => [`segment${i + 1}`, `cogs${i + 1}`]).flat()]);

/**
 * Edit a GL Accounts row. Entries of records already closed keep the accounts they were computed
 * with; only records closed afterwards see the change.
 */
export function patchGlAccount(state: SandboxState, id: number, body: unknown): Wire {
  const row = byId(state.glAccounts, id, 'GL account');
  const ops = parseOps(body, 'glAccount');
  const next: Wire = { ...row };
  for (const op of ops) {
    if (!GL_ACCOUNT_FIELDS.has(op.path)) throw invalidObject('glAccount', `Cannot ${op.op} ${op.path}`, [{ code: 'InvalidField', field: op.path, message: 'Only segments, cogs, productId, inventory and salesCode can be changed' }]);
    if (op.op === 'remove') next[op.path] = '';
    else if (typeof op.value === 'string') next[op.path] = op.value;
    else throw invalidObject('glAccount', `${op.path} must be a string`, [{ code: 'InvalidField', field: op.path, message: 'must be a string' }]);
  }
  const candidate = { ...state, glAccounts: state.glAccounts.map((r) => (r.id === id ? next : r)) };
  try {
    createGlResolver(glMappingsOf(candidate));
  } catch (err) {
    if (isLedgerError(err)) throw invalidObject('glAccount', err.message);
    throw err;
  }
  Object.assign(row, next, { _info: { lastUpdated: nowIso(), updatedBy: 'ledgerline-api' } });
  return row;
}
