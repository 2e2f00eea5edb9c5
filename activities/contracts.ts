/**
 * What crosses the workflow/activity boundary: ids, counts and short summaries, never whole
 * documents, so histories stay small and hold no more customer data than a report needs.
 * Workflows import these as types only.
 */
import type { RecordError } from '../domain/errors';
import type {
  LatestChecklistStatus,
  RecordChecklistResultInput,
  RunChecklistInput,
  RunChecklistResult,
  SendChecklistReportInput,
} from '../domain/checklist/types';

export type RecordKind = 'invoice' | 'expense' | 'procurement';

/** A record as collected from the PSA's unposted lists. */
export interface RecordRef {
  kind: RecordKind;
  /** PSA id (procurement uses ConnectWise's string unpostedProductId). */
  id: string;
  /** What people call it: invoice number, expense report, PO number. */
  number: string;
  /** Decimal string. */
  total: string;
}

export interface CollectPageInput {
  kind: RecordKind;
  thruDate?: string;
  page: number;
  pageSize: number;
}

export interface CollectPageResult {
  refs: RecordRef[];
  hasMore: boolean;
}

/** The GL entry that would land differently under today's setup table. */
export interface GlDrift {
  glEntryId: number;
  accountType: string;
  exported: string;
  current: string;
}

export type ResolveOutcome =
  | {
      ref: RecordRef;
      status: 'ready';
      /** Digest of the planned transaction; `post` re-plans and refuses to post if it changed. */
      draftDigest: string;
      entity: string;
      docNumber: string;
      total: string;
      lineCount: number;
      drift: GlDrift[];
    }
  | { ref: RecordRef; status: 'failed'; error: RecordError; drift: GlDrift[] };

export interface ResolveInput {
  refs: RecordRef[];
  glSource: 'psa' | 'current';
}

export interface PostInput {
  batchId: string;
  glSource: 'psa' | 'current';
  records: { ref: RecordRef; draftDigest: string }[];
}

export type PostOutcome =
  | {
      ref: RecordRef;
      status: 'posted' | 'alreadyPosted';
      entity: string;
      txnId: string;
      total: string;
    }
  | { ref: RecordRef; status: 'failed'; error: RecordError };

export interface ReconcileInput {
  glSource: 'psa' | 'current';
  posted: { ref: RecordRef; entity: string; txnId: string }[];
}

export interface Discrepancy {
  field: 'total' | 'tax' | 'lines' | 'account' | 'missing';
  expected: string;
  actual: string;
}

export interface ReconcileOutcome {
  ref: RecordRef;
  confirmed: boolean;
  /** ConnectWise GL entry ids to mark exported when confirmed. */
  glEntryIds: number[];
  discrepancies: Discrepancy[];
}

export interface MarkExportedInput {
  /** Unique per chunk and kind; creating it twice is detected and skipped. */
  batchIdentifier: string;
  kind: RecordKind;
  glEntryIds: number[];
}

export interface MarkExportedResult {
  psaBatchId: number;
  alreadyExisted: boolean;
}

/** The activity surface workflows call (implemented by createActivities in activities/index.ts). */
export interface LedgerActivities {
  collectUnposted(input: CollectPageInput): Promise<CollectPageResult>;
  resolveRecords(input: ResolveInput): Promise<ResolveOutcome[]>;
  postRecords(input: PostInput): Promise<PostOutcome[]>;
  reconcileRecords(input: ReconcileInput): Promise<ReconcileOutcome[]>;
  markExported(input: MarkExportedInput): Promise<MarkExportedResult>;
  sendBatchReport(input: SendBatchReportInput): Promise<{ messageId: string; to: string }>;
  /** Go-live checklist: fetch the facts, run the twelve checks, return the items. */
  runChecklistChecks(input: RunChecklistInput): Promise<RunChecklistResult>;
  sendChecklistReport(input: SendChecklistReportInput): Promise<{ messageId: string; to: string }>;
  /** Persist the finished checklist as this accounting company's latest (read by the batch's gate). */
  recordChecklistResult(input: RecordChecklistResultInput): Promise<LatestChecklistStatus>;
  /** The latest finished checklist of the configured accounting company, if any ran. */
  latestChecklistStatus(): Promise<LatestChecklistStatus | undefined>;
}

export interface SendBatchReportInput {
  summary: import('../domain/batch-summary').BatchSummary;
  notify?: { member: string } | { email: string };
}
