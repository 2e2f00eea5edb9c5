/**
 * Payments voided, deleted or edited in QuickBooks after Ledgerline recorded them in the PSA, found
 * through change data capture (CDC returns deleted entities with status "Deleted"; a voided payment
 * keeps its record with every amount zeroed). Each application recorded for such a payment
 * (domain/payments/applications) is reversed in the PSA by removing the PSA payment Ledgerline
 * wrote; where the PSA refuses, it is reported with the PSA payment to remove by hand.
 */
import { applicationsOfPayment, type Applications, type RecordedApplication } from './applications';
import { paymentReference } from './reference';
import type { LedgerPayment, SkipDecision } from './types';

/** One payment as change data capture reports it: deleted (no body), or its current version. */
export type ChangedPayment = { id: string; deleted: true } | { id: string; deleted: false; payment: LedgerPayment };

export type RemovedWhy = 'deleted' | 'voided' | 'unlinked';

export interface RemovedApplication {
  app: RecordedApplication;
  why: RemovedWhy;
}

/** Does the payment still apply this part (the invoice, and the credit memo for a credit)? */
function stillApplies(payment: LedgerPayment, app: RecordedApplication): boolean {
  const has = (txnType: string, txnId: string) => payment.lines.some((l) => l.txnType === txnType && l.txnId === txnId);
  return has('Invoice', app.invoiceTxnId) && (app.creditMemoTxnId === undefined || has('CreditMemo', app.creditMemoTxnId));
}

/** The recorded applications that QuickBooks no longer backs, and why. */
export function removedApplications(apps: Applications, changed: readonly ChangedPayment[]): RemovedApplication[] {
  const out: RemovedApplication[] = [];
  for (const c of changed) {
    for (const app of applicationsOfPayment(apps, c.id)) {
      if (c.deleted) out.push({ app, why: 'deleted' });
      else if (c.payment.voided) out.push({ app, why: 'voided' });
      else if (!stillApplies(c.payment, app)) out.push({ app, why: 'unlinked' });
    }
  }
  return out;
}

export type ReversalResult = { kind: 'reversed' } | { kind: 'gone' } | { kind: 'unconfirmed' } | { kind: 'refused'; message: string };

const WHY: Record<RemovedWhy, string> = { deleted: 'deleted in QuickBooks', voided: 'voided in QuickBooks', unlinked: 'no longer applied to this invoice in QuickBooks' };

export function reversalDecision(r: RemovedApplication, result: ReversalResult): SkipDecision {
  const { app } = r;
  const what = app.psaCreditId === undefined ? 'payment' : 'credit application';
  const base = { action: 'skip' as const, paymentId: app.paymentId, reference: paymentReference(app.paymentId), invoiceNumber: app.invoiceNumber, amount: app.amount };
  const id = app.psaPaymentId;
  switch (result.kind) {
    case 'reversed':
      return { ...base, reason: 'reversed', detail: `${WHY[r.why]}: PSA ${what} id ${id} removed from invoice ${app.invoiceNumber}` };
    case 'gone':
      return { ...base, reason: 'reversed', detail: `${WHY[r.why]}: PSA ${what} id ${id} was already gone from invoice ${app.invoiceNumber}` };
    case 'unconfirmed':
      return {
        ...base,
        reason: r.why === 'voided' ? 'voided' : 'deleted',
        detail: `${WHY[r.why]}; Ledgerline meant to record ${app.amount} on PSA invoice ${app.invoiceNumber} but never confirmed the PSA payment`,
        fix: `Look for a ${what} of ${app.amount} on PSA invoice ${app.invoiceNumber} and remove it by hand if there is one.`,
      };
    case 'refused':
      return {
        ...base,
        reason: r.why === 'voided' ? 'voided' : 'deleted',
        detail: `${WHY[r.why]}; the PSA refused to remove PSA ${what} id ${id}: ${result.message}`,
        fix: `Remove PSA ${what} ${id} from invoice ${app.invoiceNumber} by hand (the API member needs Finance > Invoicing Delete).`,
      };
  }
}
