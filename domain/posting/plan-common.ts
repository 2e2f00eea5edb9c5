/** Pieces every posting plan shares: the header, the control account, document lines. */
import { LedgerError } from '../errors';
import { formatMoney, isExactProduct, type Cents } from '../money';
import type { AccountType } from '../gl/types';
import type { DraftControlAccount, DraftLine, DraftLineDetail, TransactionDraft, TransactionKind } from './draft';
import { debitNet, recordLabel } from './journal';
import type { PsaGlLine, PsaGlRecord } from './types';

const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:$|T)/;

export function invalid(record: PsaGlRecord, message: string, fix: string, type: 'InvalidInput' | 'MappingInvalid' | 'MappingMissing' | 'Unbalanced' = 'InvalidInput'): LedgerError {
  return new LedgerError(type, `${recordLabel(record)} (PSA id ${record.recordId}): ${message}`, { record: recordLabel(record), fix });
}

function isoDate(record: PsaGlRecord, value: string, field: string): string {
  const m = ISO_DATE.exec(value);
  if (!m) throw invalid(record, `${field} ${JSON.stringify(value)} is not a YYYY-MM-DD date`, 'Check the PSA export.');
  return m[1];
}

/** The header fields shared by every transaction kind. */
export function draftHeader(record: PsaGlRecord, kind: TransactionKind): Omit<TransactionDraft, 'lines' | 'taxLines' | 'total' | 'control'> {
  return {
    kind,
    source: { kind: record.kind, recordType: record.recordType, recordId: record.recordId, number: record.number, revision: record.revision },
    recordLabel: recordLabel(record),
    docNumber: record.number,
    txnDate: isoDate(record, record.date, 'date'),
    ...(record.dueDate !== undefined && { dueDate: isoDate(record, record.dueDate, 'due date') }),
    ...(record.terms !== undefined && { terms: record.terms }),
    ...(record.currency !== undefined && { currency: record.currency }),
    ...(record.taxCode !== undefined && { taxCode: record.taxCode }),
    ...(record.memo !== undefined && { memo: record.memo }),
    glEntryIds: glEntryIdsOf(record),
  };
}

/** The GL entries marking the record exported takes: those it names, else its lines'. */
export function glEntryIdsOf(record: Pick<PsaGlRecord, 'glEntryIds' | 'lines'>): number[] {
  return record.glEntryIds ?? [...new Set(record.lines.map((l) => l.glEntryId))];
}

/**
 * The header account (AR on sales, AP on bills, ...): every line of that type must name the same
 * account, because a transaction has one. Returns it with its debit-positive net.
 */
export function controlAccount(record: PsaGlRecord, accountType: AccountType): { control: DraftControlAccount; net: Cents; lines: PsaGlLine[] } {
  const lines = record.lines.filter((l) => l.accountType === accountType);
  if (lines.length === 0) {
    throw invalid(record, `has no ${accountType} GL entry`, `Check the ${accountType} mapping in the GL Accounts setup table, then reopen and close the record.`, 'MappingMissing');
  }
  const accounts = new Set(lines.map((l) => `${l.account}\u0000${l.class ?? ''}`));
  if (accounts.size > 1) {
    throw invalid(
      record,
      `its ${accountType} entries name ${accounts.size} different accounts (${[...new Set(lines.map((l) => l.account))].join(', ')}); one transaction has one ${accountType} account`,
      `Map ${accountType} so every line of one record resolves to the same account and class.`,
      'MappingInvalid',
    );
  }
  const net = lines.reduce((sum, l) => sum + debitNet(record, l), 0n);
  const { account, class: cls } = lines[0];
  return { control: { accountType, account, ...(cls !== undefined && { class: cls }) }, net, lines };
}

/** A document line from a GL line; Qty and UnitPrice only when their product is exactly the amount. */
export function documentLine(line: PsaGlLine, detail: DraftLineDetail, amount: Cents, unitPrice?: string): DraftLine {
  const price = unitPrice ?? line.unitPrice;
  const exact = line.quantity !== undefined && price !== undefined && isExactProduct(line.quantity, price, amount);
  return {
    detail,
    accountType: line.accountType,
    account: line.account,
    ...(line.class !== undefined && { class: line.class }),
    ...(line.productId !== undefined && { productId: line.productId }),
    ...(line.description !== undefined && { description: line.description }),
    amount: formatMoney(amount),
    ...(exact && { quantity: line.quantity, unitPrice: price }),
    ...(line.taxable !== undefined && { taxable: line.taxable }),
    glEntryIds: [line.glEntryId],
  };
}

/** A journal line: positive amount with its side. */
export function journalLine(record: PsaGlRecord, line: PsaGlLine): DraftLine {
  const net = debitNet(record, line);
  const entity = line.accountType === 'Accounts Receivable' ? 'customer' : line.accountType === 'Accounts Payable' ? 'vendor' : undefined;
  return {
    detail: 'journal',
    accountType: line.accountType,
    account: line.account,
    ...(line.class !== undefined && { class: line.class }),
    ...(line.description !== undefined && { description: line.description }),
    amount: formatMoney(net < 0n ? -net : net),
    postingType: net < 0n ? 'Credit' : 'Debit',
    ...(entity !== undefined && { entity }),
    glEntryIds: [line.glEntryId],
  };
}
