/** The PSA side of the payment sync: is it enabled, recording an application exactly once, reversing one. */
import { isLedgerError, recordErrorOrThrow } from '../../domain/errors';
import type { PaymentSyncCheck } from '../../domain/contract';
import {
  applicationKey,
  claimedPsaPayments,
  reversalDecision,
  type PaymentDecision,
  type RemovedApplication,
  type ReversalResult,
  type SkipDecision,
} from '../../domain/payments';
import type { ConnectWiseClient, NewPayment, Payment } from '../connectwise';
import type { CompanyStateStore } from '../state';

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

/** Where the payment sync keeps what it recorded (the company state, integrations/state). */
export type ApplicationStore = Pick<CompanyStateStore, 'applications' | 'intendApplication' | 'claimApplication' | 'releaseApplication'>;

/** A PSA payment that could be the write of this application: same amount and same credit memo (or none). */
const fits = (p: Payment, d: Apply) => Math.round(p.amount * 100) === Math.round(Number(d.amount) * 100) && (p.credit?.id ?? undefined) === d.credit?.psaId;

/**
 * Records one planned application exactly once, with ConnectWise's documented payment fields only
 * (type, amount, paymentDate, invoice, and `credit` for a credit memo's credit). The link to the
 * QuickBooks payment is kept in the company state (domain/payments/applications):
 * 1. the intent is recorded first, with the PSA payment ids already on the invoice;
 * 2. a PSA payment that fits and appeared after the intent, claimed by no other application, is a
 *    write of ours whose answer was lost (or an overlapping attempt's): it is adopted, not repeated;
 * 3. otherwise the payment is created; then it is claimed. The first claim wins, and an attempt
 *    whose claim lost removes the payment it created itself (and only that one).
 * The only PSA payments Ledgerline ever removes are ones it created.
 */
export async function recordPayment(psa: ConnectWiseClient, store: ApplicationStore, d: Apply): Promise<PaymentDecision> {
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
  const key = applicationKey(d.part);
  try {
    const before = await psa.invoicePayments(d.psaInvoiceId).all();
    const { entry, all } = await store.intendApplication({
      ...d.part,
      key,
      psaInvoiceId: d.psaInvoiceId,
      invoiceNumber: d.invoiceNumber,
      ...(d.credit && { psaCreditId: d.credit.psaId }),
      amount: d.amount,
      seenBefore: before.map((p) => p.id),
    });
    if (entry.psaPaymentId !== undefined) return d; // an overlapping attempt of this page recorded it
    const claimed = claimedPsaPayments(all);
    const seen = new Set(entry.seenBefore);
    const adopted = before.filter((p) => !seen.has(p.id) && !claimed.has(p.id) && fits(p, d)).sort((a, b) => a.id - b.id)[0];
    const mine = adopted?.id ?? (await create()).id;
    const kept = await store.claimApplication(key, mine);
    if (kept !== mine && adopted === undefined) {
      try {
        await psa.deleteInvoicePayment(d.psaInvoiceId, mine);
      } catch (err) {
        if (!(isLedgerError(err) && err.type === 'NotFound')) {
          const error = recordErrorOrThrow(err);
          return skip(
            `recorded as PSA payment id ${kept}, but this attempt's duplicate PSA payment id ${mine} could not be removed: ${error.message}`,
            `Delete PSA payment ${mine} on invoice ${d.invoiceNumber} by hand.`,
          );
        }
      }
    }
    return d;
  } catch (err) {
    const error = recordErrorOrThrow(err);
    return skip(`the PSA refused it: ${error.message}`, error.fix);
  }

  function create(): Promise<Payment> {
    const body: NewPayment = {
      type: 'P',
      amount: Number(d.amount),
      // "Date paid" in the PSA: the day the customer paid (QuickBooks' TxnDate).
      paymentDate: `${d.date}T00:00:00Z`,
      invoice: { id: d.psaInvoiceId },
      ...(d.credit && { credit: { id: d.credit.psaId } }),
    };
    return psa.createInvoicePayment(d.psaInvoiceId, body);
  }
}

/**
 * Reverses one recorded application in the PSA: removes the PSA payment Ledgerline created for it,
 * then forgets it. A payment already gone counts as reversed; a refusal is reported and the
 * application kept, so the next run tries again.
 */
export async function reverseApplication(psa: ConnectWiseClient, store: ApplicationStore, r: RemovedApplication): Promise<SkipDecision> {
  const { app } = r;
  if (app.psaPaymentId === undefined) {
    await store.releaseApplication(app.key, undefined);
    return reversalDecision(r, { kind: 'unconfirmed' });
  }
  let result: ReversalResult = { kind: 'reversed' };
  try {
    await psa.deleteInvoicePayment(app.psaInvoiceId, app.psaPaymentId);
  } catch (err) {
    if (isLedgerError(err) && err.type === 'NotFound') result = { kind: 'gone' };
    else return reversalDecision(r, { kind: 'refused', message: recordErrorOrThrow(err).message });
  }
  await store.releaseApplication(app.key, app.psaPaymentId);
  return reversalDecision(r, result);
}
