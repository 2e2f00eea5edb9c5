import type { ApplicationPart, Applications } from './applications';

/**
 * The payment sync's vocabulary: an accounting-package payment, what we know of the invoices it
 * pays on both sides, and the decision for each part of it. Amounts are decimal strings.
 */

/** One applied line of an accounting payment (QuickBooks Line[].LinkedTxn). */
export interface LedgerPaymentLine {
  amount: string;
  /** "Invoice", "CreditMemo", "JournalEntry"... only invoices are recorded in the PSA. */
  txnType: string;
  txnId: string;
}

export interface LedgerPayment {
  id: string;
  /** YYYY-MM-DD. */
  txnDate: string;
  total: string;
  /** What the customer paid that is not applied to any invoice (overpayment). */
  unapplied: string;
  /** Check number or card transaction id. */
  refNum?: string;
  customer?: string;
  /** QuickBooks keeps a voided payment with every amount zeroed. */
  voided: boolean;
  lines: LedgerPaymentLine[];
}

/** What the accounting invoice says about its PSA origin. */
export interface LedgerInvoiceLink {
  txnId: string;
  docNumber?: string;
  /** From the posting's PrivateNote marker; absent for invoices Ledgerline did not post. */
  psaInvoiceId?: number;
  /** The PSA invoice's number when it was posted (the same marker); QuickBooks' DocNumber may differ. */
  psaNumber?: string;
}

/** A payment already on the PSA invoice. */
export interface PsaPaymentFact {
  id: number;
  amount: string;
  /** A credit application: the PSA credit memo it spends. */
  creditId?: number;
  /** The day paid (YYYY-MM-DD), from paymentDate. */
  date?: string;
}

export interface PsaInvoiceFact {
  id: number;
  number: string;
  total: string;
  balance: string;
  /** Invoice type; a CreditMemo's open credit is minus its balance. */
  type?: string;
  payments: PsaPaymentFact[];
}

/** Everything the matcher may look at; gathered by the activity, so matching stays pure. */
export interface MatchFacts {
  ledgerInvoices: Record<string, LedgerInvoiceLink>;
  /** QuickBooks credit memos the payments apply, by Id; their PSA origin as for invoices. */
  ledgerCreditMemos: Record<string, LedgerInvoiceLink>;
  /** What earlier runs recorded in the PSA, by application key. */
  applications: Applications;
  psaInvoicesById: Record<string, PsaInvoiceFact>;
  /** PSA invoice ids per invoice number (more than one is ambiguous and reported). */
  psaIdsByNumber: Record<string, number[]>;
}

/** reversed: voided or deleted in QuickBooks, and the PSA payment Ledgerline recorded for it was removed. */
export type SkipReason = 'alreadyRecorded' | 'unknownInvoice' | 'voided' | 'deleted' | 'reversed' | 'overpayment' | 'partialPayment' | 'other';

export interface ApplyDecision {
  action: 'apply';
  paymentId: string;
  reference: string;
  /** The application (domain/payments/applications) this writes. */
  part: ApplicationPart;
  psaInvoiceId: number;
  invoiceNumber: string;
  /** A credit application: the PSA credit memo whose credit it spends. */
  credit?: { psaId: number; number: string };
  amount: string;
  date: string;
  note?: string;
}

export interface SkipDecision {
  action: 'skip';
  paymentId: string;
  reference: string;
  invoiceNumber?: string;
  amount: string;
  reason: SkipReason;
  detail: string;
  fix?: string;
}

export type PaymentDecision = ApplyDecision | SkipDecision;
