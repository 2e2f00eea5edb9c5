/** The payment sync's reads and writes on both sides; the decisions are domain/payments'. */
export { changedInWindow, changedPayments, CDC_MAX_AGE_MS, toInvoiceLink, toLedgerPayment } from './ledger-side';
export { gatherMatchFacts } from './match-facts';
export { paymentSyncCheck, recordPayment, reverseApplication, type ApplicationStore } from './psa-side';
