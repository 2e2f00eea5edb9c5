/** The PSA side of the payment sync: is it enabled, recording a payment once, payments we recorded. */
import { recordErrorOrThrow } from '../../domain/errors';
import type { PaymentSyncCheck } from '../../domain/contract';
import { amountOf, ledgerPaymentIdOf, psaInvoiceIdFromNote, type PaymentDecision, type RemovedPayment } from '../../domain/payments';
import type { ConnectWiseClient, NewPayment } from '../connectwise';
import type { QuickBooksClient, QuickBooksTransaction } from '../quickbooks';
import { paymentState } from './ledger-side';

/** Payments sync back only from QuickBooks Online, and only with the PSA's sync flag on. */
export async function paymentSyncCheck(psa: ConnectWiseClient): Promise<PaymentSyncCheck> {
  const setup = await psa.accountingPackageSetup();
  const packageName = setup.accountingPackage?.name ?? setup.accountingPackage?.identifier ?? 'none';
  if (!/quickbooks/i.test(`${setup.accountingPackage?.name ?? ''} ${setup.accountingPackage?.identifier ?? ''}`)) {
    return {
      enabled: false,
      packageName,
      message: `The PSA's accounting package is "${packageName}". Ledgerline syncs payments back only from QuickBooks Online (ConnectWise also supports Dynamics GP, which Ledgerline does not connect to).`,
    };
  }
  if (!setup.syncPaymentInfoFlag) {
    return {
      enabled: false,
      packageName,
      message: 'Payment sync is turned off in the PSA. Turn on System > Setup Tables > Accounting Package > Direct Transfer and "Sync Payment Info From Accounting Package", then run it again.',
    };
  }
  return { enabled: true, packageName, message: `Payment sync is enabled for ${packageName}.` };
}

/**
 * Records one planned payment. The invoice's payments are read again first: if this reference is
 * there (an earlier attempt whose response was lost, or a concurrent run), nothing is written.
 */
export async function recordPayment(psa: ConnectWiseClient, d: Extract<PaymentDecision, { action: 'apply' }>): Promise<PaymentDecision> {
  const present = (await psa.invoicePayments(d.psaInvoiceId).all()).find((p) => p.source === d.reference);
  if (present) {
    return { action: 'skip', paymentId: d.paymentId, reference: d.reference, invoiceNumber: d.invoiceNumber, amount: d.amount, reason: 'alreadyRecorded', detail: `PSA payment id ${present.id} already records it` };
  }
  const body: NewPayment & { source: string } = {
    type: 'P',
    amount: Number(d.amount),
    paymentDate: `${d.date}T00:00:00Z`,
    invoice: { id: d.psaInvoiceId },
    source: d.reference,
  };
  try {
    await psa.createInvoicePayment(d.psaInvoiceId, body);
    return d;
  } catch (err) {
    const error = recordErrorOrThrow(err);
    return { action: 'skip', paymentId: d.paymentId, reference: d.reference, invoiceNumber: d.invoiceNumber, amount: d.amount, reason: 'other', detail: `the PSA refused it: ${error.message}`, fix: error.fix };
  }
}

/**
 * Payments we recorded on the PSA invoice behind this accounting invoice that the accounting side
 * no longer links to it (deleted or moved); voided ones are reported from the payment itself.
 */
export async function removedPaymentsOf(psa: ConnectWiseClient, ledger: QuickBooksClient, inv: QuickBooksTransaction): Promise<RemovedPayment[]> {
  const psaId = psaInvoiceIdFromNote(inv.PrivateNote);
  if (psaId === undefined) return [];
  const linked = new Set((inv.LinkedTxn ?? []).filter((l) => l.TxnType === 'Payment').map((l) => l.TxnId));
  const ours = (await psa.invoicePayments(psaId).all()).filter((p) => {
    const id = ledgerPaymentIdOf(p.source);
    return id !== undefined && !linked.has(id);
  });
  const removed: RemovedPayment[] = [];
  for (const p of ours) {
    const ledgerPaymentId = ledgerPaymentIdOf(p.source)!;
    const state = await paymentState(ledger, ledgerPaymentId, inv.Id);
    if (state === 'voided' || state === 'linked') continue;
    removed.push({
      invoice: { id: psaId, number: inv.DocNumber ?? String(psaId) },
      psaPayment: { id: p.id, amount: amountOf(p.amount), reference: p.source ?? undefined },
      ledgerPaymentId,
      state,
    });
  }
  return removed;
}
