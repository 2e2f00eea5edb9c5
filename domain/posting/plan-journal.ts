/**
 * The general form: every GL entry as a journal line. Used for clearing entries (expenses without a
 * bill), inventory transfers, and inventory adjustments when quantity adjustments are not available.
 * AR and AP lines name the party, which the accounting package requires on those accounts.
 */
import { formatMoney } from '../money';
import type { TransactionDraft } from './draft';
import { assertBalanced, debitNet } from './journal';
import { draftHeader, journalLine } from './plan-common';
import type { PsaGlRecord } from './types';

export function planJournalEntry(record: PsaGlRecord): TransactionDraft {
  const header = draftHeader(record, 'JournalEntry');
  const { debits } = assertBalanced(record);
  const lines = record.lines.filter((l) => debitNet(record, l) !== 0n).map((l) => journalLine(record, l));
  const hasAr = lines.some((l) => l.entity === 'customer');
  const hasAp = lines.some((l) => l.entity === 'vendor');
  return {
    ...header,
    ...((hasAr || hasAp) && { party: { role: hasAr ? 'customer' : 'vendor', ...record.party } }),
    lines,
    taxLines: [],
    total: formatMoney(debits),
  };
}
