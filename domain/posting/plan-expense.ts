/**
 * Expenses: with "transfer expenses as a bill" on, a Bill to the member as vendor, AP as
 * the header account, for what the member is owed; company-paid expenses, and all expenses with it off, an expense or clearing entry: a JournalEntry of the GL entries
 * as they are, or (when configured and all the credit is one Expense Offset account, i.e. a company
 * card) a Purchase paid from that account.
 */
import { formatMoney } from '../money';
import type { DraftLine, TransactionDraft } from './draft';
import { debitNet } from './journal';
import { controlAccount, documentLine, draftHeader, invalid } from './plan-common';
import { planJournalEntry } from './plan-journal';
import type { PostingSettings } from './settings';
import type { PsaGlRecord } from './types';

export function planExpense(record: PsaGlRecord, settings: PostingSettings): TransactionDraft {
  const asBill = record.transferAsBill ?? settings.transferExpensesAsBill ?? false;
  // Only what is owed to the member becomes a bill: a company-paid (non-reimbursable) expense
  // credits Expense Offset instead of Accounts Payable and posts as an expense entry.
  const owedToMember = record.lines.some((l) => l.accountType === 'Accounts Payable');
  if (asBill && owedToMember) return planPayableDocument(record, 'Bill', 'Accounts Payable');
  if (settings.expensesWithoutBill === 'Purchase') {
    const credits = record.lines.filter((l) => debitNet(record, l) < 0n);
    const onlyOffset = credits.length > 0 && credits.every((l) => l.accountType === 'Expense Offset');
    if (!onlyOffset) {
      throw invalid(
        record,
        'posting expenses as a Purchase needs all of the credit on the Expense Offset account (a company-paid expense); this one credits ' +
          [...new Set(credits.map((l) => l.accountType))].join(', '),
        'Turn on "transfer expenses as a bill" for reimbursable expenses, or post expenses as journal entries.',
      );
    }
    return planPayableDocument(record, 'Purchase', 'Expense Offset');
  }
  return planJournalEntry(record);
}

/**
 * A Bill or Purchase: the header account's credit is the total, every other entry a line (debits
 * positive, any other credit negative).
 */
export function planPayableDocument(record: PsaGlRecord, kind: 'Bill' | 'Purchase', headerType: 'Accounts Payable' | 'Expense Offset'): TransactionDraft {
  const header = draftHeader(record, kind);
  const head = controlAccount(record, headerType);
  const total = -head.net;
  if (total < 0n) {
    throw invalid(record, `its ${headerType} entries total a debit of ${formatMoney(-total)}; a ${kind} must be owed, not refunded`, 'Post refunds as a vendor credit in the accounting package.');
  }
  const lines: DraftLine[] = [];
  for (const line of record.lines) {
    if (line.accountType === headerType) continue;
    const amount = debitNet(record, line);
    if (amount === 0n) continue;
    // A product line on a bill is an item line: QuickBooks raises quantity on hand for inventory items.
    const isItem = line.productId !== undefined && !line.accountType.includes('Tax');
    lines.push(documentLine(line, isItem ? 'item' : 'account', amount, isItem ? (line.cost ?? line.unitPrice) : undefined));
  }
  return {
    ...header,
    party: { role: 'vendor', ...record.party },
    control: head.control,
    lines,
    taxLines: [],
    total: formatMoney(total),
  };
}
