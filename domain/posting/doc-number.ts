/**
 * Whether a transaction is sent with its DocNumber (the planner already refused numbers over
 * QuickBooks' 21 characters). With custom transaction numbers off
 * (Preferences.SalesFormsPrefs.CustomTxnNumbers false) QuickBooks numbers sales forms itself and
 * advises sending none, so invoices and credit memos go without one; the record is then found
 * again by its idempotency marker, never by number.
 */
import type { TransactionDraft, TransactionKind } from './draft';

/** The kinds QuickBooks numbers itself when custom transaction numbers are off. */
const SALES_FORMS: readonly TransactionKind[] = ['Invoice', 'CreditMemo'];

export function sendsDocNumber(kind: TransactionKind, customTxnNumbers: boolean): boolean {
  return customTxnNumbers || !SALES_FORMS.includes(kind);
}

/** `{ DocNumber }` for the request body, or nothing when QuickBooks assigns the number. */
export function docNumberField(draft: TransactionDraft, customTxnNumbers: boolean): { DocNumber?: string } {
  return sendsDocNumber(draft.kind, customTxnNumbers) ? { DocNumber: draft.docNumber } : {};
}
