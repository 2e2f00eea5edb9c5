/**
 * The accounting batch's result and progress: counts and totals per record kind, each failure with
 * its fix, discrepancies, drift, and (dry run) what would be created. Pure, so the workflow builds it
 * and the email activity renders it.
 */
import type { RecordError } from './errors';
import { formatMoney, parseMoney } from './money';

export type RecordKindName = 'invoice' | 'expense' | 'procurement';

export interface KindTally {
  collected: number;
  posted: number;
  alreadyPosted: number;
  failed: number;
  /** Sums of record totals per outcome, decimal strings. */
  totals: { posted: string; alreadyPosted: string; failed: string };
}

export interface RecordFailure extends RecordError {
  kind: RecordKindName;
  id: string;
  number: string;
}

export interface RecordDiscrepancy {
  kind: RecordKindName;
  number: string;
  field: string;
  expected: string;
  actual: string;
}

export interface RecordDrift {
  kind: RecordKindName;
  number: string;
  accountType: string;
  exported: string;
  current: string;
}

export interface WouldCreate {
  kind: RecordKindName;
  number: string;
  entity: string;
  docNumber: string;
  total: string;
  lineCount: number;
}

export interface BatchSummary {
  batchId: string;
  workflowId: string;
  runId: string;
  status: 'Running' | 'Completed' | 'PartiallyFailed' | 'Failed' | 'DryRun';
  dryRun: boolean;
  overrideChecklist: boolean;
  thruDate?: string;
  byKind: Record<RecordKindName, KindTally>;
  failures: RecordFailure[];
  discrepancies: RecordDiscrepancy[];
  drift: RecordDrift[];
  wouldCreate: WouldCreate[];
  /** ConnectWise accounting batches created to mark records exported. */
  exportedBatches: string[];
  /** Retry rounds run through `retryFailed`. */
  retries: number;
  /** Set when the batch stopped for a reason that is not one record's fault. */
  fatalError?: string;
}

export interface BatchProgress {
  stage: 'validating' | 'collecting' | 'posting' | 'reporting' | 'awaitingRetry' | 'done';
  collected: number;
  chunksTotal: number;
  chunksDone: number;
  posted: number;
  alreadyPosted: number;
  failed: number;
  discrepancies: number;
}

/** Lists in the summary are capped so a huge failing batch cannot blow the payload limit. */
export const SUMMARY_LIST_CAP = 500;

export function emptyTally(): KindTally {
  return { collected: 0, posted: 0, alreadyPosted: 0, failed: 0, totals: { posted: '0.00', alreadyPosted: '0.00', failed: '0.00' } };
}

export function emptySummary(fields: Pick<BatchSummary, 'batchId' | 'workflowId' | 'runId' | 'dryRun' | 'overrideChecklist' | 'thruDate'>): BatchSummary {
  return {
    ...fields,
    status: 'Running',
    byKind: { invoice: emptyTally(), expense: emptyTally(), procurement: emptyTally() },
    failures: [],
    discrepancies: [],
    drift: [],
    wouldCreate: [],
    exportedBatches: [],
    retries: 0,
  };
}

export function pushCapped<T>(list: T[], items: T[]): void {
  for (const item of items) {
    if (list.length >= SUMMARY_LIST_CAP) return;
    list.push(item);
  }
}

export function finalStatus(summary: BatchSummary): BatchSummary['status'] {
  if (summary.fatalError) return 'Failed';
  if (summary.dryRun) return 'DryRun';
  const failed = Object.values(summary.byKind).reduce((n, t) => n + t.failed, 0);
  return failed > 0 || summary.discrepancies.length > 0 ? 'PartiallyFailed' : 'Completed';
}

export function totalCount(summary: BatchSummary, field: 'posted' | 'alreadyPosted' | 'failed' | 'collected'): number {
  return Object.values(summary.byKind).reduce((n, t) => n + t[field], 0);
}

/** Adds a decimal-string amount to a running decimal-string total, exactly. */
export function addAmount(total: string, amount: string): string {
  return formatMoney(parseMoney(total) + parseMoney(amount));
}

export function subtractAmount(total: string, amount: string): string {
  return formatMoney(parseMoney(total) - parseMoney(amount));
}
