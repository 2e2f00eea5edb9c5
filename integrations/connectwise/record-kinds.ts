/**
 * Where each record kind lives in ConnectWise: its unposted list, the date that list is filtered
 * and sorted by, how a row becomes a RecordRef, and how GL export and "mark exported" name it.
 * A new kind in RECORD_KINDS needs its entry here (the compiler asks for it).
 */
import { RECORD_KINDS, type RecordKind, type RecordRef } from '../../domain/contract';
import type { ConnectWiseClient } from './client';
import { cwIn } from './conditions';
import type { Collection } from './collection';
import { money } from './amounts';
import type { CreateAccountingBatchRequest, ExportAccountingBatchRequest, UnpostedExpense, UnpostedInvoice, UnpostedProcurement } from './schemas/accounting';

type ExportFlag = 'exportInvoicesFlag' | 'exportExpensesFlag' | 'exportProductsFlag';

interface KindMapper<Row> {
  unposted(psa: ConnectWiseClient): Collection<Row>;
  /** The field a thru-date condition filters on. */
  dateField: string;
  toRef(row: Row): RecordRef;
  /** The record's date as the go-live checklist reads it ('' when the PSA has none). */
  dateOf(row: Row): string;
  /** The export request's flag for this kind, and the filter naming exactly these records. */
  exportFlag: ExportFlag;
  included(refs: RecordRef[]): Partial<ExportAccountingBatchRequest>;
}

/** Where an unposted row sits (its documented `locationId` and `departmentId`): what routes it to a company. */
function placeOf(row: { locationId?: number | null; departmentId?: number | null }): Pick<RecordRef, 'locationId' | 'departmentId'> {
  return { ...(typeof row.locationId === 'number' && { locationId: row.locationId }), ...(typeof row.departmentId === 'number' && { departmentId: row.departmentId }) };
}

export const RECORD_KIND_MAPPERS = {
  invoice: {
    unposted: (psa) => psa.unpostedInvoices,
    dateField: 'invoiceDate',
    toRef: (r) => ({ kind: 'invoice', id: String(r.id), number: r.invoiceNumber, total: money(r.total), ...placeOf(r) }),
    dateOf: (r) => r.invoiceDate,
    exportFlag: 'exportInvoicesFlag',
    included: (refs) => ({ includedInvoiceIds: refs.map((r) => Number(r.id)) }),
  } satisfies KindMapper<UnpostedInvoice>,
  expense: {
    unposted: (psa) => psa.unpostedExpenses,
    dateField: 'dateExpense',
    // The row's id is the expense's GL entry (what the export and processedRecordIds take); people know it by the expense's own id.
    toRef: (r) => ({ kind: 'expense', id: String(r.id), ...(typeof r.expenseDetailId === 'number' && { detailId: r.expenseDetailId }), number: `EXP-${r.expenseDetailId ?? r.id}`, total: money(r.total), ...placeOf(r) }),
    dateOf: (r) => r.dateExpense,
    exportFlag: 'exportExpensesFlag',
    included: (refs) => ({ includedExpenseIds: refs.map((r) => Number(r.id)) }),
  } satisfies KindMapper<UnpostedExpense>,
  procurement: {
    unposted: (psa) => psa.unpostedProcurement,
    dateField: 'purchaseDate',
    // Exported by unpostedProductId; marked exported by the row's id (its header's GL entry).
    toRef: (r) => ({ kind: 'procurement', id: r.unpostedProductId, rowId: r.id, number: r.purchaseOrder?.name ?? r.unpostedProductId, total: money(r.total), ...placeOf(r) }),
    dateOf: (r) => r.purchaseDate ?? r.dateClosed ?? '',
    exportFlag: 'exportProductsFlag',
    included: (refs) => ({ includedProductIds: refs.map((r) => r.id) }),
  } satisfies KindMapper<UnpostedProcurement>,
} satisfies Record<RecordKind, unknown>;

export type UnpostedRowOf<K extends RecordKind> = Parameters<(typeof RECORD_KIND_MAPPERS)[K]['toRef']>[0];

/** Any kind's mapper, for code that handles every kind alike. */
export function kindMapper(kind: RecordKind): KindMapper<unknown> {
  return RECORD_KIND_MAPPERS[kind] as KindMapper<unknown>;
}

/** The GL export request for some records of one kind. */
export function glExportRequest(kind: RecordKind, refs: RecordRef[], batchIdentifier: string): ExportAccountingBatchRequest {
  const mapper = kindMapper(kind);
  return { batchIdentifier, [mapper.exportFlag]: true, ...mapper.included(refs) };
}

/** The "mark exported" batch flags: set for this kind only. */
export function exportFlagsFor(kind: RecordKind): Pick<CreateAccountingBatchRequest, ExportFlag> {
  return Object.fromEntries(RECORD_KINDS.map((k) => [kindMapper(k).exportFlag, k === kind]));
}

/**
 * Unposted procurement rows' ids by unpostedProductId (each row's id is the GL entry that names its
 * record in processedRecordIds): those of the given ids, or of every unposted row.
 */
export async function procurementRowIds(psa: ConnectWiseClient, unpostedProductIds?: readonly string[]): Promise<Map<string, number>> {
  if (unpostedProductIds?.length === 0) return new Map();
  const conditions = unpostedProductIds ? `unpostedProductId in ${cwIn(unpostedProductIds)}` : undefined;
  const rows = await psa.unpostedProcurement.all(conditions ? { conditions } : {});
  return new Map(rows.map((row) => [row.unpostedProductId, row.id]));
}

/**
 * Unposted expense rows' expense ids (expenseDetailId) by the row's id (the expense's GL entry): the
 * identity an expense keeps when it is reopened and closed again. Rows without one are left out.
 */
export async function expenseDetailIds(psa: ConnectWiseClient, rowIds: readonly number[]): Promise<Map<number, number>> {
  if (rowIds.length === 0) return new Map();
  const rows = await psa.unpostedExpenses.all({ conditions: `id in ${cwIn(rowIds)}` });
  return new Map(rows.flatMap((row) => (typeof row.expenseDetailId === 'number' ? [[row.id, row.expenseDetailId] as const] : [])));
}
