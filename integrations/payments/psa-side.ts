/** The PSA side of the payment sync: is it enabled, recording a payment exactly once, payments we recorded. */
import { isLedgerError, recordErrorOrThrow } from '../../domain/errors';
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

type Apply = Extract<PaymentDecision, { action: 'apply' }>;

/**
 * Leaves one PSA payment carrying this reference on the invoice: the oldest (lowest id) stays and
 * every later one is removed. Every overlapping attempt keeps the same one, so however their reads,
 * writes and removals interleave they end with exactly one; a payment another attempt already
 * removed counts as removed. Returns a duplicate the PSA refused to remove for a business reason.
 */
async function keepOldest(psa: ConnectWiseClient, invoiceId: number, reference: string): Promise<{ id: number; message: string } | undefined> {
  const [, ...later] = (await psa.invoicePayments(invoiceId).all()).filter((p) => p.source === reference).sort((a, b) => a.id - b.id);
  let stuck: { id: number; message: string } | undefined;
  for (const duplicate of later) {
    try {
      await psa.deleteInvoicePayment(invoiceId, duplicate.id);
    } catch (err) {
      if (isLedgerError(err) && err.type === 'NotFound') continue;
      stuck ??= { id: duplicate.id, message: recordErrorOrThrow(err).message };
    }
  }
  return stuck;
}

/**
 * Records one planned payment exactly once, even when two attempts of the same page overlap (one
 * that timed out but still runs, and its retry): each PSA payment carries its accounting payment's
 * reference ("QBO Payment <Id>", one per invoice it pays), the invoice is read again right before the
 * write and after it, and of several payments with the same reference only the oldest is kept.
 * A plan to apply means the reference was absent when this attempt read the invoice, and one payment
 * sync per accounting company runs at a time, so a payment with it found now was written by an
 * overlapping attempt of this page: this run recorded it, and it is reported as applied.
 */
export async function recordPayment(psa: ConnectWiseClient, d: Apply): Promise<PaymentDecision> {
  const skip = (detail: string, fix: string): PaymentDecision => ({
    action: 'skip',
    paymentId: d.paymentId,
    reference: d.reference,
    invoiceNumber: d.invoiceNumber,
    amount: d.amount,
    reason: 'other',
    detail,
    fix,
  });
  const settled = async (): Promise<PaymentDecision> => {
    const stuck = await keepOldest(psa, d.psaInvoiceId, d.reference);
    if (!stuck) return d;
    return skip(
      `recorded, but PSA payment id ${stuck.id} duplicates it and the PSA refused to remove it: ${stuck.message}`,
      `On PSA invoice ${d.invoiceNumber}, keep the oldest payment with reference "${d.reference}" and delete PSA payment ${stuck.id} by hand.`,
    );
  };
  const body: NewPayment & { source: string } = {
    type: 'P',
    amount: Number(d.amount),
    paymentDate: `${d.date}T00:00:00Z`,
    invoice: { id: d.psaInvoiceId },
    source: d.reference,
  };
  try {
    // Read again right before the write: an overlapping attempt may have written it since planning.
    const present = (await psa.invoicePayments(d.psaInvoiceId).all()).some((p) => p.source === d.reference);
    if (!present) await psa.createInvoicePayment(d.psaInvoiceId, body);
  } catch (err) {
    const error = recordErrorOrThrow(err);
    return skip(`the PSA refused it: ${error.message}`, error.fix);
  }
  // Read again after it: an overlapping attempt may have written it too.
  return settled();
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
