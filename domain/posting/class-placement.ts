/**
 * Where a transaction's classes go, by the company's class tracking (Preferences.AccountingInfoPrefs):
 * - 'line' (ClassTrackingPerTxnLine): every line carries its own GL class.
 * - 'transaction' (ClassTrackingPerTxn): the record has one class. Sales forms carry it in the
 *   header ClassRef; bills, purchases and inventory adjustments have no header ClassRef in
 *   QuickBooks' schema, so it goes on each of their lines; journal entries keep a class per line
 *   whatever the setting. A record whose GL classes differ cannot be one class and fails.
 * - 'none': no class is sent.
 */
import { LedgerError } from '../errors';
import type { TransactionDraft } from './draft';

export type ClassTracking = 'line' | 'transaction' | 'none';

export interface ClassPlacement {
  /** The header ClassRef's class name (sales forms, per-transaction tracking). */
  header?: string;
  /** The class name each line (by index in draft.lines) carries. */
  lines: Array<string | undefined>;
}

/** Every GL class the record names (header account and lines), in order, once each. */
export function recordClasses(draft: TransactionDraft): string[] {
  const names = [draft.control?.class, ...draft.lines.map((l) => l.class)].filter((n): n is string => n !== undefined && n !== '');
  return [...new Set(names)];
}

export function classPlacement(draft: TransactionDraft, tracking: ClassTracking): ClassPlacement {
  if (tracking === 'none') return { lines: draft.lines.map(() => undefined) };
  if (tracking === 'line' || draft.kind === 'JournalEntry') return { lines: draft.lines.map((l) => l.class) };
  const classes = recordClasses(draft);
  if (classes.length > 1) {
    throw new LedgerError(
      'MappingInvalid',
      `${draft.recordLabel}: its GL entries carry ${classes.length} classes (${classes.join(', ')}), but QuickBooks tracks one class per transaction`,
      {
        record: draft.recordLabel,
        fix: "Turn on per-line class tracking in QuickBooks (Settings > Advanced > Categories > Track classes: one to each row in transaction), or make this record's GL classes agree in ConnectWise, then reopen and close it.",
      },
    );
  }
  const only = classes[0];
  if (draft.kind === 'Invoice' || draft.kind === 'CreditMemo') return { header: only, lines: draft.lines.map(() => undefined) };
  return { lines: draft.lines.map(() => only) };
}
