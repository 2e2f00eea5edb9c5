/**
 * Every transaction kind a PSA record type can become, whatever the company's settings are today.
 * Settings can change between two runs for the same record (ConnectWise's "transfer expenses as a
 * bill", expenses as a Purchase, adjustments as a JournalEntry), so the look-up that keeps posting
 * exactly-once searches all of them, not only the kind today's settings pick.
 */
import type { TransactionKind } from './draft';
import type { PsaGlRecord, PsaRecordType } from './types';

const POSSIBLE_KINDS: Record<PsaRecordType, readonly TransactionKind[]> = {
  Standard: ['Invoice'],
  Agreement: ['Invoice'],
  Progress: ['Invoice'],
  Miscellaneous: ['Invoice'],
  DownPayment: ['Invoice'],
  CreditMemo: ['CreditMemo'],
  Expense: ['JournalEntry', 'Bill', 'Purchase'],
  Purchase: ['Bill'],
  Adjustment: ['InventoryAdjustment', 'JournalEntry'],
  Transfer: ['JournalEntry'],
};

export function possibleKinds(recordType: PsaRecordType): readonly TransactionKind[] {
  return POSSIBLE_KINDS[recordType];
}

/** The number an expense known by its own id carries when it is not transferred as a bill. */
export function expenseNumber(expenseId: string): string {
  return `EXP-${expenseId}`;
}

/**
 * The document numbers a record's transaction can carry: its own number, and for an expense also
 * the number of its non-bill form (a bill carries the bill's document number; settings can change
 * between two runs): `EXP-<its own id>` when it is known by that, and its unposted row's id (its GL
 * entry), the number it carried when Ledgerline knew expenses by the row.
 */
export function possibleDocNumbers(record: Pick<PsaGlRecord, 'recordType' | 'number' | 'recordId' | 'rowId'>, docNumber: string): string[] {
  const numbers = [docNumber, record.number];
  if (record.recordType === 'Expense') numbers.push(...(record.rowId !== undefined ? [expenseNumber(record.recordId), record.rowId] : [record.recordId]));
  return [...new Set(numbers)];
}
