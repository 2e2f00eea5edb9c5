/**
 * paymentSync: read the payments changed in the accounting package over a window (default: since the
 * last successful run), record each on the PSA invoice it pays (cash and credit memos' credit),
 * reverse in the PSA what was recorded for payments since voided or deleted, report what was skipped and why,
 * advance the watermark and mail the report. Pages are read and applied inside activities; only
 * compact outcomes come back, so history stays small however many payments there are.
 */
import { ApplicationFailure, log, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { addOutcomes, emptyPaymentSummary, paymentWindow, worthMailing, type PaymentDecision, type PaymentSyncProgress, type PaymentSyncSummary } from '../domain/payments';
import { paymentSyncInputSchema, type PaymentSyncInput } from '../domain/schemas';
import { CompanyLock } from './company-lock';
import { paymentProgressQuery, paymentSummaryQuery } from './definitions';
import { checkReportRecipient, companyActivities, parseWorkflowInput } from './helpers';
import { runCompany } from './run-company';
import { DEFAULT_COMPANY } from '../domain/routing';

/** Payments per activity: each is matched and recorded before the activity returns. */
export const PAYMENT_PAGE_SIZE = 100;

export async function paymentSync(rawInput?: PaymentSyncInput): Promise<PaymentSyncSummary> {
  const info = workflowInfo();
  const options = parseWorkflowInput('paymentSync', paymentSyncInputSchema, rawInput);

  const summary = emptyPaymentSummary(info.workflowId, info.runId);
  const progress: PaymentSyncProgress = { stage: 'checking', pagesDone: 0, paymentsRead: 0, applied: 0, skipped: 0 };
  setHandler(paymentProgressQuery, () => progress);
  setHandler(paymentSummaryQuery, () => summary);
  const company = await runCompany('paymentSync', options.company, info.taskQueue);
  if (company && company.name !== DEFAULT_COMPANY) summary.company = company.name;
  const activities = companyActivities(company);
  const psa = activities.psa(undefined, '5 minutes');
  await checkReportRecipient('paymentSync', options.notify, activities.psa('check the report recipient', '1 minute'));
  // Reads and writes that touch the accounting API go to the company's rate-limited queue.
  const ledger = activities.accounting(undefined, '10 minutes');

  const check = await psa.checkPaymentSync();
  if (!check.enabled) {
    log.warn('Payment sync is not enabled', { message: check.message });
    summary.status = 'NotEnabled';
    summary.message = check.message;
    progress.stage = 'done';
    return summary;
  }

  // One payment sync per accounting company at a time, so two never record the same payment.
  const lock = patched('one-payment-sync-per-company') ? new CompanyLock('payment-sync', company) : undefined;
  const refused = await lock?.acquire();
  if (refused !== undefined) {
    summary.status = 'Refused';
    summary.message = `Not started: ${refused}`;
    progress.stage = 'done';
    throw ApplicationFailure.nonRetryable(`Payment sync refused: ${refused}`, 'PaymentSyncAlreadyRunning');
  }

  const { watermark } = options.since !== undefined ? { watermark: undefined } : await psa.readPaymentWatermark();
  const window = paymentWindow(options, watermark, Date.now());
  summary.window = window;
  const fold = (outcomes: PaymentDecision[]) => {
    addOutcomes(summary, outcomes);
    progress.applied = summary.appliedCount;
    progress.skipped = summary.skippedCount;
    progress.pagesDone += 1;
  };

  try {
    progress.stage = 'reading';
    for (let start = 1; ; ) {
      const page = await ledger.syncPaymentsPage({ since: window.since, until: window.until, startPosition: start, pageSize: PAYMENT_PAGE_SIZE });
      summary.paymentsRead += page.read;
      progress.paymentsRead = summary.paymentsRead;
      fold(page.outcomes);
      if (!page.hasMore) break;
      start += page.read;
    }
    progress.stage = 'removed';
    if (patched('payment-reversals-from-cdc')) {
      // Voided, deleted and unlinked payments, from QuickBooks' change data capture: what was
      // recorded for them is reversed in the PSA (or reported where the PSA refuses).
      fold((await ledger.reverseRemovedPayments({ since: window.since })).outcomes);
    } else {
      for (let start = 1; ; ) {
        const page = await ledger.findRemovedPayments({ since: window.since, until: window.until, startPosition: start, pageSize: PAYMENT_PAGE_SIZE });
        fold(page.outcomes);
        if (!page.hasMore) break;
        start += page.read;
      }
    }
  } catch (err) {
    summary.status = 'Failed';
    summary.fatalError = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    progress.stage = 'reporting';
    await lock?.release();
    await psa.sendPaymentSyncReport({ summary, notify: options.notify });
    throw err;
  }

  summary.status = 'Completed';
  summary.message = `${summary.appliedCount} applied (${summary.appliedTotal}), ${summary.skippedCount} skipped, from ${summary.paymentsRead} payments updated ${window.since} to ${window.until}.`;
  await psa.writePaymentWatermark({ until: window.until });
  await lock?.release();
  progress.stage = 'reporting';
  if (worthMailing(summary)) await psa.sendPaymentSyncReport({ summary, notify: options.notify });
  progress.stage = 'done';
  return summary;
}
