/**
 * The records an accounting batch marked exported, read back from ConnectWise: the batch's own
 * export (`POST /finance/accounting/batches/{id}/export`) converted like any GL export, each record
 * with the GL entries that batch holds for it. A procurement record's export names its detail, tax
 * and offset entries but not the unposted row's (its header entry, which marked it exported); the
 * batch's entries name their purchase order, adjustment or transfer, so that record's entry the
 * export does not name is its row. An expense's entries name the expense (`expense.id`): its own id,
 * which it is known by.
 */
import { kindOfPsaBatch } from '../../domain/batch-chunk';
import { RECORD_KINDS, type RecordKind } from '../../domain/contract';
import type { ConnectWiseClient } from './client';
import { glExportDocuments, type GlExportDocument } from './gl-export-to-records';
import { exportFlagsFor, kindMapper } from './record-kinds';
import type { AccountingBatch, BatchEntry, GlExportEnvelope } from './schemas/accounting';

type Raw = Record<string, unknown>;

/** The leading record id of an unpostedProductId ("12-PO0042-purchase" -> 12). */
function recordIdOf(unpostedProductId: string): number | undefined {
  const m = /^(\d+)-/.exec(unpostedProductId);
  return m ? Number(m[1]) : undefined;
}

const ids = (rows: unknown): number[] => (Array.isArray(rows) ? rows.map((r) => (r as { id?: unknown }).id).filter((id): id is number => typeof id === 'number') : []);

/** unpostedProductId -> the row's GL entry, for every procurement document whose row is the one entry left. */
export function procurementRowIdsFromEntries(exported: GlExportEnvelope, entries: readonly BatchEntry[]): Map<string, number> {
  const rows = new Map<string, number>();
  const claim = (id: string, belongs: (e: BatchEntry) => boolean, named: readonly number[]) => {
    const left = entries.filter((e) => belongs(e) && !named.includes(e.id));
    if (left.length === 1) rows.set(id, left[0]!.id);
  };
  for (const p of (exported.purchaseTransactions ?? []) as Raw[]) {
    const id = String(p.id);
    const po = recordIdOf(id);
    claim(id, (e) => e.purchaseOrder?.id === po, [...ids(p.purchaseDetail), ...ids(p.purchaseDetailTax)]);
  }
  for (const a of (exported.adjustmentTransactions ?? []) as Raw[]) {
    const id = String(a.id);
    const adjustment = recordIdOf(id);
    claim(id, (e) => e.adjustmentDetail?.id === adjustment, []);
  }
  for (const t of (exported.inventoryTransfers ?? []) as Raw[]) {
    const id = String(t.id);
    const transfer = recordIdOf(id) ?? Number(id);
    claim(id, (e) => e.transfer === String(transfer), ids([t.offset]));
  }
  return rows;
}

/** An expense's GL entries -> the expense's own id, as the batch's entries name it (`expense.id`). */
export function expenseIdsFromEntries(entries: readonly BatchEntry[]): Map<number, number> {
  return new Map(entries.flatMap((e) => (typeof e.expense?.id === 'number' ? [[e.id, e.expense.id] as const] : [])));
}

/** The kind of records a PSA batch holds: from its export flag, else the letter Ledgerline ends its identifiers with. */
export function psaBatchKind(batch: AccountingBatch): RecordKind | undefined {
  return RECORD_KINDS.find((k) => (batch as Record<string, unknown>)[kindMapper(k).exportFlag] === true) ?? kindOfPsaBatch(batch.batchIdentifier);
}

/** Every record the batch holds, converted or failed on its own. */
export async function exportedRecords(psa: ConnectWiseClient, batch: Pick<AccountingBatch, 'id' | 'batchIdentifier'>, kind: RecordKind): Promise<GlExportDocument[]> {
  const exported = await psa.exportBatch(batch.id, { batchIdentifier: batch.batchIdentifier, ...exportFlagsFor(kind) });
  const entries = kind === 'procurement' || kind === 'expense' ? await psa.batchEntries(batch.id).all() : [];
  const rowIds = kind === 'procurement' ? procurementRowIdsFromEntries(exported, entries) : new Map<string, number>();
  return glExportDocuments(exported, { rowIds, expenseIds: expenseIdsFromEntries(entries) });
}
