/** The accounting side of the payment sync: QuickBooks payments and invoices as domain/payments reads them. */
import { isLedgerError } from '../../domain/errors';
import { amountOf, postedPsaInvoiceOf, type LedgerInvoiceLink, type LedgerPayment } from '../../domain/payments';
import type { PaymentPageInput } from '../../domain/contract';
import type { QuickBooksClient, QuickBooksPayment, QuickBooksTransaction } from '../quickbooks';

export function toLedgerPayment(p: QuickBooksPayment): LedgerPayment {
  const lines = (p.Line ?? []).flatMap((line) =>
    (line.LinkedTxn ?? []).map((link) => ({ amount: amountOf(line.Amount), txnType: link.TxnType, txnId: link.TxnId })),
  );
  // QuickBooks keeps a voided payment with every amount zeroed (and "Voided" in its memo).
  const zeroed = p.TotalAmt === 0 && (p.Line ?? []).every((l) => l.Amount === 0);
  const voided = zeroed && ((p.Line ?? []).length > 0 || /^Voided\b/.test(p.PrivateNote ?? ''));
  return {
    id: p.Id,
    txnDate: p.TxnDate ?? '',
    total: amountOf(p.TotalAmt),
    unapplied: amountOf(p.UnappliedAmt ?? 0),
    ...(p.PaymentRefNum && { refNum: p.PaymentRefNum }),
    ...(p.CustomerRef?.name && { customer: p.CustomerRef.name }),
    voided,
    lines,
  };
}

export function toInvoiceLink(inv: QuickBooksTransaction): LedgerInvoiceLink {
  const posted = postedPsaInvoiceOf(inv.PrivateNote);
  return {
    txnId: inv.Id,
    ...(inv.DocNumber !== undefined && { docNumber: inv.DocNumber }),
    ...(posted !== undefined && { psaInvoiceId: posted.id, psaNumber: posted.number }),
  };
}

/** One page of entities last updated inside the sync window, in Id order for stable paging. */
export function changedInWindow(input: PaymentPageInput) {
  return {
    where: [
      { field: 'MetaData.LastUpdatedTime', op: '>=' as const, value: input.since },
      { field: 'MetaData.LastUpdatedTime', op: '<=' as const, value: input.until },
    ],
    orderBy: { field: 'Id' },
    startPosition: input.startPosition,
    maxResults: input.pageSize,
  };
}

/** Where the payment stands on the accounting side relative to one invoice. */
export async function paymentState(ledger: QuickBooksClient, id: string, invoiceTxnId: string): Promise<'deleted' | 'voided' | 'unlinked' | 'linked'> {
  try {
    const payment = toLedgerPayment(await ledger.getPayment(id));
    if (payment.voided) return 'voided';
    return payment.lines.some((l) => l.txnType === 'Invoice' && l.txnId === invoiceTxnId) ? 'linked' : 'unlinked';
  } catch (err) {
    if (isLedgerError(err) && err.type === 'NotFound') return 'deleted';
    throw err;
  }
}
