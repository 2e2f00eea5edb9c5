/**
 * The payment sync's result, progress and report input: counts, the applied total, and capped lists
 * of what was applied and skipped (with reasons). Pure, so the workflow builds it deterministically.
 */
import { formatMoney, parseMoney } from '../money';
import type { PaymentDecision, SkipReason } from './types';
import type { PaymentWindow } from './window';

export const PAYMENT_LIST_CAP = 500;

export interface AppliedEntry {
  paymentRef: string;
  invoiceNumber: string;
  amount: string;
  date: string;
  note?: string;
}

export interface SkippedEntry {
  paymentRef: string;
  invoiceNumber?: string;
  amount: string;
  reason: SkipReason;
  detail: string;
  fix?: string;
}

export interface PaymentSyncSummary {
  /** NotEnabled: payment sync is off in the PSA or the package is not QuickBooks (see message). */
  status: 'Running' | 'Completed' | 'Failed' | 'NotEnabled' | 'Refused';
  message?: string;
  workflowId: string;
  runId: string;
  /** The accounting company whose payments were read (absent in syncs started before companies had names). */
  company?: string;
  window?: PaymentWindow;
  paymentsRead: number;
  appliedCount: number;
  appliedTotal: string;
  skippedCount: number;
  skippedByReason: Partial<Record<SkipReason, number>>;
  applied: AppliedEntry[];
  skipped: SkippedEntry[];
  fatalError?: string;
}

export interface PaymentSyncProgress {
  stage: 'checking' | 'reading' | 'removed' | 'reporting' | 'done';
  pagesDone: number;
  paymentsRead: number;
  applied: number;
  skipped: number;
}

export function emptyPaymentSummary(workflowId: string, runId: string): PaymentSyncSummary {
  return { status: 'Running', workflowId, runId, paymentsRead: 0, appliedCount: 0, appliedTotal: '0.00', skippedCount: 0, skippedByReason: {}, applied: [], skipped: [] };
}

/** Folds outcomes (decisions that were carried out) into the summary. */
export function addOutcomes(summary: PaymentSyncSummary, outcomes: readonly PaymentDecision[]): void {
  for (const o of outcomes) {
    if (o.action === 'apply') {
      summary.appliedCount += 1;
      summary.appliedTotal = formatMoney(parseMoney(summary.appliedTotal) + parseMoney(o.amount));
      if (summary.applied.length < PAYMENT_LIST_CAP) {
        summary.applied.push({ paymentRef: o.reference, invoiceNumber: o.invoiceNumber, amount: o.amount, date: o.date, ...(o.note && { note: o.note }) });
      }
    } else {
      summary.skippedCount += 1;
      summary.skippedByReason[o.reason] = (summary.skippedByReason[o.reason] ?? 0) + 1;
      if (summary.skipped.length < PAYMENT_LIST_CAP) {
        summary.skipped.push({
          paymentRef: o.reference,
          ...(o.invoiceNumber !== undefined && { invoiceNumber: o.invoiceNumber }),
          amount: o.amount,
          reason: o.reason,
          detail: o.detail,
          ...(o.fix && { fix: o.fix }),
        });
      }
    }
  }
}

/** Mail when there is something to read: applied payments, failures, or skips other than repeats. */
export function worthMailing(summary: PaymentSyncSummary): boolean {
  const repeats = summary.skippedByReason.alreadyRecorded ?? 0;
  return summary.status === 'Failed' || summary.appliedCount > 0 || summary.skippedCount > repeats;
}
