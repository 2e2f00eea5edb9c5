/**
 * Changes made in QuickBooks to transactions Ledgerline posted, over a window of QuickBooks' last
 * update times, [since, until) in whole seconds (each change is reported by the one check whose
 * window holds it):
 *   - within change data capture's 30 days, one `/cdc` call over the kinds Ledgerline posts; beyond
 *     them, or when its answer may have been cut at 1,000 objects, a read-back (transactions queried
 *     by `MetaData.LastUpdatedTime`, paged), which cannot see deletes;
 *   - a transaction carrying Ledgerline's marker is voided (unless a batch reversal voided it, which
 *     tags it first), or edited when what it holds differs from the fingerprint Ledgerline wrote with it;
 *   - QuickBooks names a deleted transaction only by its Id, so the records of the PSA accounting
 *     batches Ledgerline created in the last 30 days are read back: one whose transaction is gone,
 *     of a kind QuickBooks deleted in the window, is reported deleted.
 */
import { batchIdOfPsaBatch, isCompanyPsaBatch, kindOfPsaBatch } from '../domain/batch-chunk';
import { describeFingerprintChanges, LEDGER_CHANGE_FIX, type LedgerChange, type LedgerChangesCheck } from '../domain/ledger-changes';
import { fingerprintChanges, fingerprintInNote, isVoided, possibleKinds, postedSourceOf } from '../domain/posting';
import { REVERSED_TAG } from '../domain/reversal';
import { cwDate, exportedRecords, psaBatchKind, type ConnectWiseClient } from './connectwise';
import { CDC_MAX_AGE_MS } from './payments/ledger-side';
import { findTransactions, idempotencyKeysOf, idempotencyMarker, ownTransaction, recordTransactions, searchOf } from './posted-transactions';
import type { QuickBooksClient, TransactionEntity } from './quickbooks';

/** The company whose postings are checked: its realm, and its name when it has one. */
interface LedgerChangeDeps {
  psa: ConnectWiseClient;
  ledger: QuickBooksClient;
  realmId: string;
  company?: { name: string };
}

/** The transaction kinds Ledgerline posts. */
export const POSTED_ENTITIES: readonly TransactionEntity[] = ['Invoice', 'CreditMemo', 'Bill', 'Purchase', 'JournalEntry', 'InventoryAdjustment'];

/** Change data capture answers at most this many objects, without saying it cut the rest. */
const CDC_MAX_OBJECTS = 1000;

/** Read this much before the window: QuickBooks' clock is not ours. Reports still go by last update time, once. */
const CLOCK_OVERLAP_MS = 15 * 60_000;

type Row = Record<string, unknown> & { Id: string; status?: string };
type Deleted = { entity: TransactionEntity; id: string; at: string };

const lastUpdated = (row: Row): string => String((row.MetaData as { LastUpdatedTime?: string } | undefined)?.LastUpdatedTime ?? '');

/** "Standard 10042 (PSA id 77)" from the record line Ledgerline writes. */
function recordOfNote(note: string): string {
  const source = postedSourceOf(note);
  return source ? `${source.recordType} ${source.number} (PSA id ${source.recordId})` : 'a record (its PrivateNote no longer names it)';
}

/** A changed transaction carrying Ledgerline's marker: voided or edited, else nothing to say. */
function changeOf(entity: TransactionEntity, row: Row): LedgerChange | undefined {
  const note = String(row.PrivateNote ?? '');
  if (!note.includes('[ledgerline:')) return undefined;
  const fp = fingerprintInNote(note);
  const base = { batch: fp?.batch ?? '', record: recordOfNote(note), entity, txnId: row.Id, ...(typeof row.DocNumber === 'string' && { docNumber: row.DocNumber }), at: lastUpdated(row) };
  if (isVoided(row)) return REVERSED_TAG.test(note) ? undefined : { ...base, change: 'voided', detail: 'voided in QuickBooks (every amount zeroed)', fix: LEDGER_CHANGE_FIX.voided };
  const diffs = fp ? fingerprintChanges(fp, entity, row) : [];
  return diffs.length ? { ...base, change: 'edited', detail: describeFingerprintChanges(diffs), fix: LEDGER_CHANGE_FIX.edited } : undefined;
}

/** Records of the last 30 days' Ledgerline PSA batches whose transaction is gone, matched to the deletes seen. */
async function deletedPostings(deps: LedgerChangeDeps, deleted: readonly Deleted[], nowMs: number): Promise<LedgerChange[]> {
  const out: LedgerChange[] = [];
  const recent = await deps.psa.batches.all({ conditions: `_info/lastUpdated > ${cwDate(new Date(nowMs - CDC_MAX_AGE_MS))}` });
  for (const batch of recent) {
    // Batches Ledgerline named for this company; any other holds no transaction posted here.
    const kind = kindOfPsaBatch(batch.batchIdentifier) && isCompanyPsaBatch(batch.batchIdentifier, deps.company?.name) && psaBatchKind(batch);
    if (!kind) continue;
    const docs = await exportedRecords(deps.psa, batch, kind);
    const records = docs.flatMap((d) => (d.ok ? [d.record] : []));
    const kindsHere = new Set(records.flatMap((r) => possibleKinds(r.recordType)));
    if (!deleted.some((d) => kindsHere.has(d.entity as never))) continue;
    const found = await findTransactions(deps.ledger, records.flatMap(searchOf));
    for (const record of records) {
      const kinds = possibleKinds(record.recordType) as readonly string[];
      const keys = idempotencyKeysOf(deps.realmId, record);
      if (ownTransaction(found, keys, kinds) || recordTransactions(found, record).length > 0) continue;
      // Voided ones are still there (and reported as voided when the window holds the void).
      if (found.some((t) => keys.some((key) => (t.PrivateNote ?? '').includes(idempotencyMarker(key))))) continue;
      const candidates = deleted.filter((d) => kinds.includes(d.entity));
      if (candidates.length === 0) continue;
      const one = candidates.length === 1 ? candidates[0] : undefined;
      out.push({
        batch: batchIdOfPsaBatch(batch.batchIdentifier),
        record: `${record.recordType} ${record.number} (PSA id ${record.recordId})`,
        entity: one?.entity ?? [...new Set(candidates.map((c) => c.entity))].join(' or '),
        ...(one && { txnId: one.id, at: one.at }),
        change: 'deleted',
        detail: `marked exported in PSA batch ${batch.batchIdentifier}, but QuickBooks holds no transaction for it any more` + (one ? '' : ` (QuickBooks deleted ${candidates.map((c) => `${c.entity} Id ${c.id}`).join(', ')} in this window)`),
        fix: LEDGER_CHANGE_FIX.deleted,
      });
    }
  }
  return out;
}

/** Changes made in QuickBooks to Ledgerline's transactions whose last update falls in [since, until). */
export async function ledgerChanges(deps: LedgerChangeDeps, window: { since: string; until: string }, nowMs: number): Promise<Omit<LedgerChangesCheck, 'since' | 'until'>> {
  const sinceMs = Date.parse(window.since);
  const untilMs = Date.parse(window.until);
  const from = sinceMs - CLOCK_OVERLAP_MS;
  // Change data capture reaches 30 days back; a minute's margin keeps the request inside it.
  const reach = nowMs - CDC_MAX_AGE_MS + 60_000;
  const cdc = await deps.ledger.changeDataCapture(POSTED_ENTITIES, new Date(Math.max(from, reach)).toISOString());
  const rows: Array<{ entity: TransactionEntity; row: Row }> = [];
  // A full answer may have been cut: the changed transactions are then read back (paged, complete).
  const full = Object.values(cdc).reduce((n, list) => n + list.length, 0) >= CDC_MAX_OBJECTS;
  const readBack = from < reach || full;
  for (const entity of POSTED_ENTITIES) {
    const changed = readBack
      ? ((await deps.ledger.queryAll(entity, { where: [{ field: 'MetaData.LastUpdatedTime', op: '>=', value: new Date(from).toISOString() }] })) as unknown as Row[])
      : [];
    for (const row of [...changed, ...(cdc[entity] ?? []).filter((r) => !readBack || r.status === 'Deleted')]) rows.push({ entity, row: row as Row });
  }
  const changes: LedgerChange[] = [];
  const deleted: Deleted[] = [];
  const seen = new Set<string>();
  for (const { entity, row } of rows) {
    const at = Date.parse(lastUpdated(row));
    if (!(at >= sinceMs && at < untilMs) || seen.has(`${entity}:${row.Id}`)) continue;
    seen.add(`${entity}:${row.Id}`);
    if (row.status === 'Deleted') deleted.push({ entity, id: row.Id, at: lastUpdated(row) });
    else {
      const change = changeOf(entity, row);
      if (change) changes.push(change);
    }
  }
  if (deleted.length > 0) changes.push(...(await deletedPostings(deps, deleted, nowMs)));
  const notSeen = from < reach
    ? `deletes before ${new Date(reach).toISOString()}: QuickBooks keeps change data capture for 30 days, and a deleted transaction cannot be read back`
    : full
      ? `deletes beyond the first ${CDC_MAX_OBJECTS} changes change data capture answered: a deleted transaction cannot be read back`
      : undefined;
  return { method: readBack ? 'readBack' : 'changeDataCapture', changes, ...(notSeen && { notSeen }) };
}
