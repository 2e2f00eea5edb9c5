/** The accounting side of the payment sync: QuickBooks payments and invoices as domain/payments reads them. */
import { LedgerError } from '../../domain/errors';
import { isVoided } from '../../domain/posting';
import { amountOf, postedPsaInvoiceOf, type ChangedPayment, type LedgerInvoiceLink, type LedgerPayment } from '../../domain/payments';
import type { PaymentPageInput } from '../../domain/contract';
import { paymentSchema, type QuickBooksClient, type QuickBooksPayment, type QuickBooksTransaction } from '../quickbooks';

export function toLedgerPayment(p: QuickBooksPayment): LedgerPayment {
  const lines = (p.Line ?? []).flatMap((line) =>
    (line.LinkedTxn ?? []).map((link) => ({ amount: amountOf(line.Amount), txnType: link.TxnType, txnId: link.TxnId })),
  );
  const voided = isVoided(p, { zeroLinesSuffice: true });
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

/** A payment from a CDC answer, checked like any other QuickBooks payment. */
function cdcPayment(row: unknown): QuickBooksPayment {
  const parsed = paymentSchema.safeParse(row);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new LedgerError('ResponseShapeMismatch', `QuickBooks GET /cdc (Payment) answered an unexpected shape at ${issue?.path.join('.') || '(body)'}: ${issue?.message ?? 'invalid'}`);
}

/** QuickBooks keeps change data capture for 30 days; an older `changedSince` is moved up to that. */
export const CDC_MAX_AGE_MS = 30 * 86_400_000;

/**
 * Payments changed since `since` (at most CDC's 30 days back), as change data capture reports them:
 * deleted ones with status "Deleted" and no body, the rest as they now are.
 */
export async function changedPayments(ledger: QuickBooksClient, since: string, nowMs: number): Promise<ChangedPayment[]> {
  const from = new Date(Math.max(Date.parse(since), nowMs - CDC_MAX_AGE_MS + 60_000)).toISOString();
  const rows = (await ledger.changeDataCapture(['Payment'], from)).Payment ?? [];
  return rows.map((row) =>
    row.status === 'Deleted'
      ? { id: row.Id, deleted: true as const }
      : { id: row.Id, deleted: false as const, payment: toLedgerPayment(cdcPayment(row)) },
  );
}
