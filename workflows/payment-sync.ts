/**
 * paymentSync: read the payments changed in the accounting package over a window (default: since the
 * last successful run), record each on the PSA invoice it pays, report what was skipped and why,
 * advance the watermark and mail the report. Pages are read and applied inside activities; only
 * compact outcomes come back, so history stays small however many payments there are.
 */
import { ApplicationFailure, log, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { RetryPolicy } from '@temporalio/common';
import type { PaymentActivities } from '../activities/payments';
import { addOutcomes, emptyPaymentSummary, paymentWindow, type PaymentDecision, type PaymentSyncProgress, type PaymentSyncSummary } from '../domain/payments';
import { describeZodError, paymentSyncInputSchema, type PaymentSyncInput, type PaymentSyncOptions } from '../domain/schemas';
import { accountingQueueFor, paymentProgressQuery, paymentSummaryQuery } from './definitions';

/** Payments per activity: each is matched and recorded before the activity returns. */
export const PAYMENT_PAGE_SIZE = 100;

const retry: RetryPolicy = {
  initialInterval: '2 seconds',
  backoffCoefficient: 2,
  maximumInterval: '2 minutes',
  maximumAttempts: 12,
  nonRetryableErrorTypes: ['InvalidInput', 'AuthenticationFailed', 'PermissionDenied', 'ResponseShapeMismatch'],
};

const psa = proxyActivities<PaymentActivities>({ startToCloseTimeout: '5 minutes', heartbeatTimeout: '30 seconds', retry });

function parseInput(raw: unknown): PaymentSyncOptions {
  const parsed = paymentSyncInputSchema.safeParse(raw ?? {});
  if (!parsed.success) throw ApplicationFailure.nonRetryable(`Invalid paymentSync input: ${describeZodError(parsed.error)}`, 'InvalidInput');
  return parsed.data;
}

/** Mail when there is something to read: applied payments, failures, or skips other than repeats. */
function worthMailing(summary: PaymentSyncSummary): boolean {
  const repeats = summary.skippedByReason.alreadyRecorded ?? 0;
  return summary.status === 'Failed' || summary.appliedCount > 0 || summary.skippedCount > repeats;
}

export async function paymentSync(rawInput?: PaymentSyncInput): Promise<PaymentSyncSummary> {
  const info = workflowInfo();
  const options = parseInput(rawInput);
  // Reads and writes that touch the accounting API go to its rate-limited queue.
  const ledger = proxyActivities<PaymentActivities>({ taskQueue: accountingQueueFor(info.taskQueue), startToCloseTimeout: '10 minutes', heartbeatTimeout: '30 seconds', retry });

  const summary = emptyPaymentSummary(info.workflowId, info.runId);
  const progress: PaymentSyncProgress = { stage: 'checking', pagesDone: 0, paymentsRead: 0, applied: 0, skipped: 0 };
  setHandler(paymentProgressQuery, () => progress);
  setHandler(paymentSummaryQuery, () => summary);

  const check = await psa.checkPaymentSync();
  if (!check.enabled) {
    log.warn('Payment sync is not enabled', { message: check.message });
    summary.status = 'NotEnabled';
    summary.message = check.message;
    progress.stage = 'done';
    return summary;
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
    for (let start = 1; ; ) {
      const page = await ledger.findRemovedPayments({ since: window.since, until: window.until, startPosition: start, pageSize: PAYMENT_PAGE_SIZE });
      fold(page.outcomes);
      if (!page.hasMore) break;
      start += page.read;
    }
  } catch (err) {
    summary.status = 'Failed';
    summary.fatalError = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    progress.stage = 'reporting';
    await psa.sendPaymentSyncReport({ summary, notify: options.notify });
    throw err;
  }

  summary.status = 'Completed';
  summary.message = `${summary.appliedCount} applied (${summary.appliedTotal}), ${summary.skippedCount} skipped, from ${summary.paymentsRead} payments updated ${window.since} to ${window.until}.`;
  await psa.writePaymentWatermark({ until: window.until });
  progress.stage = 'reporting';
  if (worthMailing(summary)) await psa.sendPaymentSyncReport({ summary, notify: options.notify });
  progress.stage = 'done';
  return summary;
}
