/** The payment sync's reads and writes on both sides; the decisions are domain/payments'. */
export { changedInWindow, paymentState, toInvoiceLink, toLedgerPayment } from './ledger-side';
export { gatherMatchFacts } from './match-facts';
export { paymentSyncCheck, recordPayment, removedPaymentsOf } from './psa-side';
