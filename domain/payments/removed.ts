/**
 * Payments that disappeared from the accounting side after Ledgerline recorded them in the PSA:
 * deleted outright (QuickBooks keeps no record; a query no longer finds them) or edited so they no
 * longer pay that invoice. Found from the PSA payments carrying our reference on invoices that
 * changed in the window. Reported with the PSA payment to reverse; never reversed automatically.
 */
import type { PsaPaymentFact, SkipDecision } from './types';

export interface RemovedPayment {
  invoice: { id: number; number: string };
  psaPayment: PsaPaymentFact;
  ledgerPaymentId: string;
  /** deleted: QuickBooks has no such payment; unlinked: it exists but no longer pays this invoice. */
  state: 'deleted' | 'unlinked';
}

export function removedPaymentDecisions(removed: readonly RemovedPayment[]): SkipDecision[] {
  return removed.map((r) => ({
    action: 'skip',
    paymentId: r.ledgerPaymentId,
    reference: r.psaPayment.reference ?? '',
    invoiceNumber: r.invoice.number,
    amount: r.psaPayment.amount,
    reason: r.state === 'deleted' ? 'deleted' : 'other',
    detail:
      r.state === 'deleted'
        ? `deleted in QuickBooks after Ledgerline recorded it on the PSA invoice (PSA payment id ${r.psaPayment.id})`
        : `no longer applied to this invoice in QuickBooks, but recorded on the PSA invoice (PSA payment id ${r.psaPayment.id})`,
    fix: `Reverse PSA payment ${r.psaPayment.id} on invoice ${r.invoice.number} if the customer did not pay it; Ledgerline never reverses payments itself.`,
  }));
}
