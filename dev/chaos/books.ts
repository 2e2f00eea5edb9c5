/**
 * The chaos run's verdict, as pure functions over what both systems hold once the run is over:
 *   - a duplicate is a second (third, ...) QuickBooks transaction for one PSA record, found by the
 *     record named in its PrivateNote or, when the note names none, by its idempotency marker;
 *   - every closed PSA record must be either posted exactly once and marked exported, or still
 *     unposted (not exported, nothing in QuickBooks) with a failure reason some batch recorded.
 *     Anything else is lost: exported but not in QuickBooks, in QuickBooks but not marked exported
 *     (the next batch would post it again), or unposted with no reason anywhere.
 * Labels name kinds and PSA ids only, never customer data.
 */
import type { RecordKind } from '../../domain/contract';
import { postedSourceOf } from '../../domain/posting';
import { entriesOf } from '../sandbox/connectwise/lookups';
import type { SandboxState } from '../sandbox/connectwise/state';
import { adjustmentProductId, purchaseProductId, transferProductId, unpostedRowId } from '../sandbox/connectwise/wire';

/** A closed PSA record, keyed the way PrivateNotes name it (its kind and PSA id). */
export interface PsaRecord {
  kind: RecordKind;
  id: string;
  /** The id batch failures name it by (RecordRef.id) when it differs: an expense's unposted row id. */
  refId?: string;
  /** Its GL entries are in a ConnectWise accounting batch. */
  exported: boolean;
}

export interface LedgerTransaction {
  entity: string;
  id: string;
  privateNote?: string;
}

export type LostReason = 'exported-not-posted' | 'posted-not-exported' | 'unposted-without-reason';

export interface BooksCount {
  /** Closed PSA records checked. */
  records: number;
  /** Posted (once or more) and marked exported. */
  posted: number;
  /** Unposted, not in QuickBooks, with a failure reason recorded by a batch. */
  failed: number;
  /** Extra transactions beyond the first for one record. */
  duplicates: number;
  lost: number;
  /** Ledgerline transactions whose record the PSA does not have (reported, not judged). */
  orphans: number;
  duplicateRecords: Array<{ key: string; transactions: string[] }>;
  lostRecords: Array<{ key: string; why: LostReason }>;
}

const MARKER = /\[ledgerline:(LL[0-9a-f]+)\]/;

export const recordKey = (kind: RecordKind, id: string) => `${kind}:${id}`;

/** PrivateNote record types (domain/posting PsaRecordType) to the batch's record kinds. */
export function kindOfRecordType(recordType: string): RecordKind {
  if (recordType === 'Expense') return 'expense';
  if (recordType === 'Purchase' || recordType === 'Adjustment' || recordType === 'Transfer') return 'procurement';
  return 'invoice';
}

/** The record a transaction was posted from: `kind:id` from its note, else `marker:<key>`, else undefined (not Ledgerline's). */
export function transactionKey(txn: LedgerTransaction): string | undefined {
  const source = postedSourceOf(txn.privateNote);
  if (source) return recordKey(kindOfRecordType(source.recordType), source.recordId);
  const marker = MARKER.exec(txn.privateNote ?? '');
  return marker ? `marker:${marker[1]}` : undefined;
}

export function countBooks(input: { records: PsaRecord[]; transactions: LedgerTransaction[]; failureReasons: ReadonlyMap<string, string> }): BooksCount {
  const byKey = new Map<string, LedgerTransaction[]>();
  for (const txn of input.transactions) {
    const key = transactionKey(txn);
    if (key === undefined) continue;
    byKey.set(key, [...(byKey.get(key) ?? []), txn]);
  }
  // Several transactions carrying one marker are one record posted twice even if the notes differ.
  const byMarker = new Map<string, Set<string>>();
  for (const [key, txns] of byKey) {
    for (const txn of txns) {
      const marker = MARKER.exec(txn.privateNote ?? '')?.[1];
      if (marker) byMarker.set(marker, new Set([...(byMarker.get(marker) ?? []), key]));
    }
  }

  const out: BooksCount = { records: input.records.length, posted: 0, failed: 0, duplicates: 0, lost: 0, orphans: 0, duplicateRecords: [], lostRecords: [] };
  for (const [key, txns] of byKey) {
    if (txns.length > 1) {
      out.duplicates += txns.length - 1;
      out.duplicateRecords.push({ key, transactions: txns.map((t) => `${t.entity} ${t.id}`) });
    }
  }
  for (const [marker, keys] of byMarker) {
    if (keys.size > 1) {
      const txns = [...keys].flatMap((k) => byKey.get(k)!);
      out.duplicates += keys.size - 1;
      out.duplicateRecords.push({ key: `marker:${marker}`, transactions: txns.map((t) => `${t.entity} ${t.id}`) });
    }
  }

  const known = new Set<string>();
  const lose = (key: string, why: LostReason) => {
    out.lost += 1;
    out.lostRecords.push({ key, why });
  };
  for (const record of input.records) {
    const key = recordKey(record.kind, record.id);
    known.add(key);
    const inLedger = (byKey.get(key)?.length ?? 0) > 0;
    if (inLedger && record.exported) out.posted += 1;
    else if (inLedger) lose(key, 'posted-not-exported');
    else if (record.exported) lose(key, 'exported-not-posted');
    else if (input.failureReasons.has(recordKey(record.kind, record.refId ?? record.id))) out.failed += 1;
    else lose(key, 'unposted-without-reason');
  }
  out.orphans = [...byKey.keys()].filter((k) => !k.startsWith('marker:') && !known.has(k)).length;
  return out;
}

/** Every closed record in the ConnectWise sandbox's state, with whether its current GL entries were exported. */
export function closedPsaRecords(state: SandboxState): PsaRecord[] {
  const out: PsaRecord[] = [];
  const add = (kind: RecordKind, id: string, rec: { closed: boolean; entryIds: number[] }, refId?: string) => {
    if (!rec.closed || rec.entryIds.length === 0) return;
    out.push({ kind, id, ...(refId !== undefined && { refId }), exported: entriesOf(state, rec.entryIds).some((e) => e.batchId !== undefined) });
  };
  for (const r of state.invoices) add('invoice', String(r.id), r);
  // An expense is posted under its own id (expenseDetailId); batches name it by its unposted row's id (its GL entry).
  for (const r of state.expenses) if (r.closed && r.entryIds.length > 0) add('expense', String(r.id), r, String(unpostedRowId(state, r)));
  for (const r of state.purchaseOrders) add('procurement', purchaseProductId(r), r);
  for (const r of state.adjustments) add('procurement', adjustmentProductId(r), r);
  for (const r of state.transfers) add('procurement', transferProductId(r), r);
  return out;
}
