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

/**
 * The document numbers a record's transaction can carry: its own number, and for an expense also
 * its unposted row's id (its GL entry): the number an expense not transferred as a bill carried
 * when Ledgerline knew expenses by it (a bill carries the bill's document number).
 */
export function possibleDocNumbers(record: Pick<PsaGlRecord, 'recordType' | 'number' | 'recordId' | 'rowId'>, docNumber: string): string[] {
  const numbers = [docNumber, record.number];
  if (record.recordType === 'Expense') numbers.push(record.rowId ?? record.recordId);
  return [...new Set(numbers)];
}
