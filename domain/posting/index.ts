/** Posting: PSA record -> balanced draft -> matched references -> QuickBooks Online body. */
export * from './types';
export * from './draft';
export { planPosting } from './plan';
export { glEntryIdsOf } from './plan-common';
export { DOC_NUMBER_MAX_LENGTH, type PostingSettings } from './settings';
export { assertBalanced, journalTotals, recordLabel, type JournalTotals } from './journal';
export { matchDraftRefs, type DraftRefs, type MatchedDraft, type MatchOptions, type PurchasePaymentType } from './draft-refs';
export {
  toQuickBooksPayload,
  postedSourceOf,
  assertDraftBalanced,
  type QuickBooksBody,
  type QuickBooksPayload,
  type QuickBooksPayloadOptions,
} from './qbo-payload';
export { expenseNumber, possibleDocNumbers, possibleKinds } from './possible-kinds';
export { astTaxCheck, matchTaxRefs, taxRegimeOf, type AstTaxCheck, type TaxChart, type TaxRefs, type TaxRegime, type TaxSettings } from './tax';
export { docNumberField, sendsDocNumber } from './doc-number';
export { checkCurrency, type CompanyCurrencies } from './currency';
export { nameInactiveReference, referenceAt } from './inactive-fault';
export { LINE_ACCOUNT_RECORDS, LINE_ACCOUNTS_PER_RECORD, firstRecordsLines, formatLineAccount, lineAccountsOf, type LineAccount } from './line-accounts';
export {
  fingerprintChanges,
  fingerprintInNote,
  fingerprintOf,
  isVoided,
  ownLines,
  partyRef,
  withFingerprint,
  type FingerprintChange,
  type PostedFingerprint,
} from './posted-fingerprint';
export { formatChange, transactionChanges, type TransactionChange } from './transaction-changes';
