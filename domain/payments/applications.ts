/**
 * What Ledgerline recorded in the PSA, per part of an accounting payment. ConnectWise's published
 * Payment model (id, type, invoice, credit, amount, paymentDate, appliedBy) has no field a caller may
 * fill with its own reference, so the link from a QuickBooks payment to the PSA payment it became is
 * kept here, in the company's durable state (domain/company-state), not on the PSA payment.
 *
 * One application is one part of a QuickBooks payment as it lands on one PSA invoice: its cash, or
 * one credit memo's credit. Its key names the QuickBooks payment, the credit memo (if any) and the
 * QuickBooks invoice. The life of an entry: intended (before the PSA write; the invoice's payment
 * ids at that moment are kept, so a write whose answer was lost is recognised afterwards), claimed
 * (the PSA payment id; the first claim wins, so of two overlapping attempts that both wrote, one
 * keeps its payment and the other removes its own), released (after the PSA payment was reversed).
 * Pure and bundle-safe.
 */

export interface ApplicationPart {
  /** QuickBooks Payment Id. */
  paymentId: string;
  /** QuickBooks Invoice Id the part pays. */
  invoiceTxnId: string;
  /** QuickBooks CreditMemo Id whose credit this part applies; absent for cash. */
  creditMemoTxnId?: string;
}

export function applicationKey(part: ApplicationPart): string {
  return `${part.paymentId}>${part.creditMemoTxnId === undefined ? 'cash' : `CreditMemo:${part.creditMemoTxnId}`}>Invoice:${part.invoiceTxnId}`;
}

export interface RecordedApplication extends ApplicationPart {
  key: string;
  psaInvoiceId: number;
  invoiceNumber: string;
  /** The PSA credit memo (an invoice of type CreditMemo) whose credit it spends. */
  psaCreditId?: number;
  amount: string;
  /** PSA payment ids on the invoice when the write was intended: none of them is this one. */
  seenBefore: number[];
  /** The PSA payment that records it, once claimed. */
  psaPaymentId?: number;
}

export type Applications = Record<string, RecordedApplication>;

/** Keeps an earlier intent (and its list of payments seen before) over a later one. */
export function withIntent(apps: Applications, app: RecordedApplication): Applications {
  if (apps[app.key]) return apps;
  return { ...apps, [app.key]: { ...app, psaPaymentId: undefined } };
}

/** The first claim wins; later claims leave it as it is (their callers remove their own payment). */
export function withClaim(apps: Applications, key: string, psaPaymentId: number): Applications {
  const app = apps[key];
  if (!app || app.psaPaymentId !== undefined) return apps;
  return { ...apps, [key]: { ...app, psaPaymentId } };
}

/** Forgets an application once its PSA payment is reversed (only if it is still the one claimed). */
export function withRelease(apps: Applications, key: string, psaPaymentId: number | undefined): Applications {
  const app = apps[key];
  if (!app || app.psaPaymentId !== psaPaymentId) return apps;
  const { [key]: _gone, ...rest } = apps;
  return rest;
}

/** PSA payment ids some application claims: never adopted as another application's write. */
export function claimedPsaPayments(apps: Applications): Set<number> {
  return new Set(Object.values(apps).flatMap((a) => (a.psaPaymentId === undefined ? [] : [a.psaPaymentId])));
}

export function applicationsOfPayment(apps: Applications, paymentId: string): RecordedApplication[] {
  return Object.values(apps).filter((a) => a.paymentId === paymentId);
}
