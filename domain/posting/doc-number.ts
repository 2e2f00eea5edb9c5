/**
 * The DocNumber a transaction is sent with. QuickBooks keeps at most 21 characters and refuses
 * longer ones, so a longer PSA number fails its record before anything is written: cutting it
 * would make two records' numbers collide or hide which record a transaction came from. With
 * custom transaction numbers off (Preferences.SalesFormsPrefs.CustomTxnNumbers false) QuickBooks
 * numbers sales forms itself and advises sending none, so invoices and credit memos go without one;
 * the record is then found again by its idempotency marker, never by number.
 */
import { LedgerError } from '../errors';
import type { TransactionDraft, TransactionKind } from './draft';
import { DOC_NUMBER_MAX_LENGTH } from './settings';

/** The kinds QuickBooks numbers itself when custom transaction numbers are off. */
const SALES_FORMS: readonly TransactionKind[] = ['Invoice', 'CreditMemo'];

export function sendsDocNumber(kind: TransactionKind, customTxnNumbers: boolean): boolean {
  return customTxnNumbers || !SALES_FORMS.includes(kind);
}

/** `{ DocNumber }` for the request body, or nothing when QuickBooks assigns the number. */
export function docNumberField(draft: TransactionDraft, customTxnNumbers: boolean): { DocNumber?: string } {
  if (!sendsDocNumber(draft.kind, customTxnNumbers)) return {};
  if (draft.docNumber.length > DOC_NUMBER_MAX_LENGTH) {
    throw new LedgerError(
      'InvalidInput',
      `${draft.recordLabel}: its number "${draft.docNumber}" has ${draft.docNumber.length} characters; QuickBooks keeps at most ${DOC_NUMBER_MAX_LENGTH} in a DocNumber and refuses longer ones. Nothing was posted for it.`,
      {
        record: draft.recordLabel,
        fix: `Give the record a number of at most ${DOC_NUMBER_MAX_LENGTH} characters in ConnectWise (a shorter prefix or number), then retry it${SALES_FORMS.includes(draft.kind) ? "; or turn QuickBooks' custom transaction numbers off so QuickBooks numbers invoices and credit memos itself" : ''}.`,
        details: { docNumber: draft.docNumber, length: draft.docNumber.length, max: DOC_NUMBER_MAX_LENGTH },
      },
    );
  }
  return { DocNumber: draft.docNumber };
}
