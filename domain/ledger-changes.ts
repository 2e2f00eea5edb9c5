/**
 * Changes made in QuickBooks to transactions Ledgerline posted (edited, voided, deleted), found after
 * the fact and reported once, by the posting batch that follows, grouped by the batch that posted
 * each transaction. Ledgerline never writes over them: the edit replay refuses to update a
 * transaction changed in QuickBooks. Pure and bundle-safe.
 */
import type { FingerprintChange } from './posting/posted-fingerprint';

export type LedgerChangeKind = 'edited' | 'voided' | 'deleted';

export interface LedgerChange {
  /** The Ledgerline batch that posted the transaction ("" when it cannot be told). */
  batch: string;
  /** The PSA record, as the transaction names it ("Standard 10042 (PSA id 77)"). */
  record: string;
  entity: string;
  /** QuickBooks Id; for a delete matched to its record, the deleted Id when only one fits. */
  txnId?: string;
  docNumber?: string;
  change: LedgerChangeKind;
  /** When QuickBooks last changed it. */
  at?: string;
  /** What changed: "total 1500.00 -> 1400.00, lines changed". */
  detail: string;
  fix: string;
}

export interface LedgerChangesCheck {
  /** Start of the window checked; absent on the company's first check, which only sets it. */
  since?: string;
  until: string;
  /** "changeDataCapture" within QuickBooks' 30 days; "readBack" (queries by last update, no deletes) beyond. */
  method?: 'changeDataCapture' | 'readBack';
  changes: LedgerChange[];
  /** Something the window could not see (deletes older than change data capture keeps). */
  notSeen?: string;
}

/** Changes listed in a summary: enough to act on, small in history. */
export const LEDGER_CHANGES_CAP = 200;

const FIELD: Record<FingerprintChange['field'], string> = { total: 'total', party: 'customer or vendor (QuickBooks Id)', date: 'date', number: 'number', lines: 'lines' };

export function describeFingerprintChanges(changes: readonly FingerprintChange[]): string {
  return changes.map((c) => (c.field === 'lines' ? 'lines changed (account, item, amount, side or class)' : `${FIELD[c.field]} ${c.posted || 'none'} -> ${c.now || 'none'}`)).join(', ');
}

export const LEDGER_CHANGE_FIX: Record<LedgerChangeKind, string> = {
  edited:
    'Ledgerline does not overwrite it. If the change is right, make the record agree in ConnectWise (reopen, correct and close it: the next batch then finds nothing to write); if it is wrong, undo it in QuickBooks.',
  voided:
    'The record is still marked exported in ConnectWise. If it should not be in the books, credit it in ConnectWise too; to post it again, reverse its batch (`npm run cli -- batch reverse <batch workflow id> --execute`) or reopen and close it in ConnectWise.',
  deleted:
    'The record is still marked exported in ConnectWise. If it should not be in the books, credit it in ConnectWise too; to post it again, reverse its batch (`npm run cli -- batch reverse <batch workflow id> --execute`) or reopen and close it in ConnectWise.',
};
