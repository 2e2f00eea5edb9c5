/**
 * What crosses the workflow/activity boundary, per activity: ids, counts and short summaries, never
 * whole documents, so histories stay small and hold no more customer data than a report needs.
 */
import type { BatchSummary } from '../batch-summary';
import type { PsaBatchReversal, ReversalLine, ReversalSummary } from '../reversal';
import type { ChecklistItem, ChecklistStatus, ChecklistSummary } from '../checklist/types';
import type { ConnectionHealth } from '../connection-health';
import type { RecordError } from '../errors';
import type { LineAccount } from '../posting/line-accounts';
import type { PaymentDecision, SkipDecision } from '../payments/types';
import type { PaymentSyncSummary } from '../payments/summary';
import type { StaleRecord } from '../stale-agreements';
import type { TransactionChange } from '../posting/transaction-changes';
import type { RecordKind } from './record-kinds';

/** Who gets a report: a PSA member (by identifier) or an address; default the configured one. */
export type Notify = { member: string } | { email: string };

/** What a mail activity sent, and to whom. */
export interface MailSent {
  messageId: string;
  to: string;
}

// ---------------------------------------------------------------- accounting batch

/** Check agreement changes since the last check against invoices earlier batches posted; a dry run moves nothing. */
export interface PostedAgreementsInput {
  dryRun: boolean;
}

export interface PostedAgreementsCheck {
  /** Start of the window checked; absent on the company's first check, which only sets it. */
  since?: string;
  until: string;
  stale: StaleRecord[];
}

/** A record as collected from the PSA's unposted lists. */
export interface RecordRef {
  kind: RecordKind;
  /** PSA id (procurement uses ConnectWise's string unpostedProductId). */
  id: string;
  /**
   * Procurement: the unposted row's numeric id, the GL entry that names the record when it is marked
   * exported. Absent on references collected before it was kept (looked up again then).
   */
  rowId?: number;
  /**
   * Expenses: the expense's own id (UnpostedExpense.expenseDetailId), which stays when the expense
   * is reopened and closed again while its row's id (`id`, its GL entry) changes. Absent on
   * references collected before it was kept (looked up again then).
   */
  detailId?: number;
  /** What people call it: invoice number, expense report, PO number. */
  number: string;
  /** Decimal string. */
  total: string;
  /** Where it sits in ConnectWise, which decides its accounting company (absent in older histories). */
  locationId?: number;
  departmentId?: number;
}

/**
 * One page of one kind's unposted list. Forward-only (no `page`): the records with a PSA row id above
 * `afterId`, in id order, so records closed or exported meanwhile never shift later pages.
 * With `page`: numbered paging, as histories recorded before forward-only collection ask for it.
 */
export interface CollectPageInput {
  kind: RecordKind;
  thruDate?: string;
  pageSize: number;
  /** Forward-only cursor: the previous page's `nextAfterId`; absent on the first page. */
  afterId?: number;
  /** Numbered paging (1-based), only for workflows started before forward-only collection. */
  page?: number;
}

export interface CollectPageResult {
  refs: RecordRef[];
  hasMore: boolean;
  /** Forward-only: the cursor for the next page, present when `hasMore`. */
  nextAfterId?: number;
}

/** The GL entry that would land differently under today's setup table. */
export interface GlDrift {
  glEntryId: number;
  accountType: string;
  /** The account (and class) ConnectWise exported. */
  exported: string;
  /** The account (and class) today's GL setup gives. */
  current: string;
  /** The line: its GL entry and description (absent in histories recorded before). */
  line?: string;
  /** Which of today's mapping rows gives the new account or class (absent in histories recorded before). */
  why?: string;
}

/** A customer or vendor QuickBooks does not have: created before posting when willCreate. */
export interface MissingParty {
  role: 'customer' | 'vendor';
  name: string;
  /** The ConnectWise company (or, for expenses, member) id. */
  psaId?: number;
  willCreate: boolean;
}

export type ResolveOutcome =
  | {
      ref: RecordRef;
      status: 'ready';
      /** The party to be created before the record posts (party creation on). */
      missingParty?: MissingParty;
      /** Digest of the planned transaction; `post` re-plans and refuses to post if it changed. */
      draftDigest: string;
      entity: string;
      docNumber: string;
      total: string;
      lineCount: number;
      /** Asked for (ResolveInput.lineAccounts): where each line posts; `linesOmitted` counts the rest. */
      lines?: LineAccount[];
      linesOmitted?: number;
      drift: GlDrift[];
      /** Drifting lines beyond RECORD_DRIFT_CAP, counted, not listed. */
      driftOmitted?: number;
      /** The record's agreement was cancelled or changed after it closed (absent in older histories). */
      stale?: StaleAgreement[];
      /** What matching noticed but let pass, at most RECORD_WARNINGS_CAP (absent in older histories). */
      warnings?: string[];
    }
  | { ref: RecordRef; status: 'failed'; error: RecordError; drift: GlDrift[]; driftOmitted?: number; stale?: StaleAgreement[]; missingParty?: MissingParty };

/** Warnings kept per record in a resolve outcome: enough to act on, small in history. */
export const RECORD_WARNINGS_CAP = 5;

/** Drifting lines listed per record in a resolve outcome; the rest are counted. */
export const RECORD_DRIFT_CAP = 5;

/** An invoice's agreement cancelled or changed after the invoice closed: what changed, and the fix. */
export interface StaleAgreement {
  agreement: string;
  change: string;
  fix: string;
}

export interface ResolveInput {
  refs: RecordRef[];
  glSource: 'psa' | 'current';
  /** The batch run the records belong to: lookups shared by its chunks are cached under it. */
  batchId?: string;
  /** A dry run: the first this many ready records list their lines' accounts (none when absent). */
  lineAccounts?: number;
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
      /** Automated Sales Tax: ConnectWise's tax minus QuickBooks' computed tax, with the verdict. */
      taxDelta?: { delta: string; computed: string; sent: string; aboveTolerance: boolean };
      /** A re-closed record: its transaction updated in place ("posted") or left as it was ("alreadyPosted"). */
      edit?: RecordEdit;
    }
  | { ref: RecordRef; status: 'failed'; error: RecordError };

/** Changes listed per edited record: enough to check it, small in history. */
export const EDIT_CHANGES_CAP = 20;

/**
 * A record reopened and closed again in the PSA after an earlier revision posted: its QuickBooks
 * transaction was updated in place, or nothing QuickBooks holds changed and nothing was written.
 */
export interface RecordEdit {
  outcome: 'updated' | 'unchanged';
  entity: string;
  txnId: string;
  docNumber?: string;
  fromRevision: string;
  toRevision: string;
  /** What changed, header and line by line (at most EDIT_CHANGES_CAP; `changesOmitted` counts the rest). */
  changes: TransactionChange[];
  changesOmitted?: number;
}

export interface ReconcileInput {
  glSource: 'psa' | 'current';
  posted: { ref: RecordRef; entity: string; txnId: string }[];
  /** The first this many confirmed records list where their lines posted (none when absent). */
  lineAccounts?: number;
}

export interface Discrepancy {
  field: 'total' | 'tax' | 'lines' | 'account' | 'party' | 'date' | 'docNumber' | 'missing';
  expected: string;
  actual: string;
}

export interface ReconcileOutcome {
  ref: RecordRef;
  confirmed: boolean;
  /** ConnectWise GL entry ids to mark exported when confirmed. */
  glEntryIds: number[];
  discrepancies: Discrepancy[];
  /** Asked for (ReconcileInput.lineAccounts) and confirmed: where each line posted. */
  lines?: LineAccount[];
  linesOmitted?: number;
}

export interface MarkExportedInput {
  /**
   * Unique per batch run, chunk and kind. Found already created with exactly these GL entries, it is
   * this step's earlier attempt; found holding anything else, the step fails naming it.
   */
  batchIdentifier: string;
  kind: RecordKind;
  glEntryIds: number[];
  /**
   * The records the entries belong to (absent in histories from before): a record ConnectWise no
   * longer exports with these entries (reopened while it was posted) is left out and named in
   * `changed`, and the others are marked exported.
   */
  records?: { ref: RecordRef; glEntryIds: number[] }[];
}

export interface MarkExportedResult {
  /** Absent when every record changed: no PSA batch was created. */
  psaBatchId?: number;
  alreadyExisted: boolean;
  /** Records left unmarked because ConnectWise no longer exports them with the entries posted. */
  changed?: RecordRef[];
}

export interface SendBatchReportInput {
  summary: BatchSummary;
  notify?: Notify;
}

/** An alert about the accounting company's connection, mailed to MAIL_DEFAULT_TO. */
export interface SendConnectionAlertInput {
  health: ConnectionHealth;
}

/** The recipient a run's report will go to, checked when the run starts. */
export interface CheckReportRecipientInput {
  notify: Notify;
}

export interface ReportRecipient {
  to: string;
}

// ---------------------------------------------------------------- batch reversal

/** The accounting batch to reverse, by its workflow id. */
export interface BatchToReverseInput {
  workflowId: string;
}

export interface BatchToReverse {
  workflowId: string;
  batchId: string;
  /** The PSA accounting batches it marked its records exported in. */
  psaBatches: string[];
}

/** Plan the reversal of one PSA batch's records (what each posted as, and what reversing does to it). */
export interface PlanReversalInput {
  /** The PSA batch identifier from the accounting batch's summary. */
  source: string;
}

export type PlanReversalResult = PsaBatchReversal;

/** Void or delete the planned transactions of one PSA batch's records. */
export interface ReverseTransactionsInput {
  /** The reversed accounting batch's id: written on each voided transaction. */
  batchId: string;
  records: ReversalLine[];
}

/** Return one PSA batch's records to unposted: delete the batch, mark the kept records exported again. */
export interface ReturnToUnpostedInput {
  identifier: string;
  psaBatchId: number;
  kind: RecordKind;
  /** GL entries of the records kept posted. */
  keptGlEntryIds: number[];
}

export interface ReturnToUnpostedResult {
  deleted: boolean;
  keptIdentifier?: string;
}

export interface SendReversalReportInput {
  summary: ReversalSummary;
  notify?: Notify;
}

// ---------------------------------------------------------------- go-live checklist

export interface RunChecklistInput {
  /** YYYY-MM-DD from the workflow input; else QuickBooks' closing date is used. */
  lockDate?: string;
}

export interface RunChecklistResult {
  items: ChecklistItem[];
  realmId: string;
  company?: string;
  lockDate?: string;
}

export interface SendChecklistReportInput {
  summary: ChecklistSummary;
  stage: 'reminder' | 'final';
}

/** The latest finished checklist of an accounting company, as the accounting batch reads it. */
export interface LatestChecklistStatus {
  passed: boolean;
  status: ChecklistStatus;
  /** ISO timestamp when the checklist run finished. */
  at: string;
  workflowId: string;
  runId: string;
  realmId: string;
  /** Ids of the checks that failed, and manual items left unconfirmed. */
  failed: string[];
  unconfirmed: string[];
}

export type RecordChecklistResultInput = Omit<LatestChecklistStatus, 'realmId'>;

// ---------------------------------------------------------------- payment sync

export interface PaymentSyncCheck {
  enabled: boolean;
  /** Why not, or what is configured: shown to ops as is. */
  message: string;
  packageName?: string;
}

export interface PaymentPageInput {
  since: string;
  until: string;
  startPosition: number;
  pageSize: number;
}

export interface PaymentPageResult {
  /** One per applied invoice line or skipped part of a payment. */
  outcomes: PaymentDecision[];
  read: number;
  hasMore: boolean;
}

export interface RemovedPaymentsPageResult {
  outcomes: SkipDecision[];
  read: number;
  hasMore: boolean;
}

export interface PaymentReversalInput {
  /** Payments changed in QuickBooks since then (change data capture reaches 30 days back). */
  since: string;
}

export interface PaymentReversalResult {
  /** One per recorded application QuickBooks no longer backs: reversed, or why not. */
  outcomes: SkipDecision[];
  /** Payments change data capture reported. */
  read: number;
}

export interface PaymentWatermark {
  watermark?: string;
}

export interface SendPaymentReportInput {
  summary: PaymentSyncSummary;
  notify?: Notify;
}

// ---------------------------------------------------------------- one run per accounting company

/**
 * Names the accounting company an activity works for (config/companies.ts); absent: the
 * deployment's only company. Every activity takes it beside its own input.
 */
export interface CompanyInput {
  company?: string;
}

/** An accounting company as workflows know it: what its locks, queue and search attribute are named by. */
export interface AccountingCompany {
  /** The QuickBooks realm id: an opaque number, no customer data. */
  companyKey: string;
  /** Its name in the configuration (absent in histories recorded before companies had names). */
  name?: string;
  /** The task queue its accounting activities run on, rate-limited for it alone. */
  accountingQueue?: string;
}

export interface DescribeCompanyLockInput {
  lockWorkflowId: string;
}

/** Who holds a company's lock right now (nobody when it was released meanwhile). */
export interface CompanyLockHolder {
  holderWorkflowId?: string;
  /** ISO timestamp when the holder took the lock. */
  since?: string;
}
