/**
 * The journal view of a PSA record: each GL line as a signed amount (debit positive), and the check
 * that the record balances to the cent before anything is planned from it.
 */
import { LedgerError } from '../errors';
import { formatMoney, parseMoney, type Cents } from '../money';
import type { PsaGlLine, PsaGlRecord } from './types';

/** "Invoice 10042" (or "Expense 77"): the record as people name it. */
export function recordLabel(record: PsaGlRecord): string {
  return `${record.recordType} ${record.number}`;
}

/** A line's amount in cents, or an InvalidInput error naming the record and the GL entry. */
export function lineCents(record: PsaGlRecord, line: PsaGlLine): Cents {
  try {
    return parseMoney(line.amount);
  } catch (err) {
    throw new LedgerError('InvalidInput', `${recordLabel(record)}: GL entry ${line.glEntryId} has amount ${JSON.stringify(line.amount)}: ${(err as Error).message}`, {
      record: recordLabel(record),
      fix: 'Amounts must be decimal strings with at most two decimals; check the PSA export.',
      cause: err,
    });
  }
}

/** Debit-positive amount: a credit of 10 and a debit of -10 are both -10. */
export function debitNet(record: PsaGlRecord, line: PsaGlLine): Cents {
  const cents = lineCents(record, line);
  return line.side === 'debit' ? cents : -cents;
}

export interface JournalTotals {
  debits: Cents;
  credits: Cents;
}

export function journalTotals(record: PsaGlRecord): JournalTotals {
  let debits = 0n;
  let credits = 0n;
  for (const line of record.lines) {
    const net = debitNet(record, line);
    if (net >= 0n) debits += net;
    else credits -= net;
  }
  return { debits, credits };
}

/** Debits must equal credits to the cent, or the record is refused with both totals. */
export function assertBalanced(record: PsaGlRecord): JournalTotals {
  const totals = journalTotals(record);
  if (totals.debits !== totals.credits) {
    const diff = totals.debits - totals.credits;
    throw new LedgerError(
      'Unbalanced',
      `${recordLabel(record)} (PSA id ${record.recordId}) does not balance: debits ${formatMoney(totals.debits)}, credits ${formatMoney(totals.credits)}, difference ${formatMoney(diff)}`,
      {
        record: recordLabel(record),
        fix: 'Reopen the record in ConnectWise, check its GL entries (Invoice GL Entries tab), then close it again so they are recomputed.',
        details: { debits: formatMoney(totals.debits), credits: formatMoney(totals.credits) },
      },
    );
  }
  return totals;
}
