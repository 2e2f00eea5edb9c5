/**
 * The accounting batch's result and progress: counts and totals per record kind, each failure with
 * its fix, discrepancies, drift, and (dry run) what would be created. Pure, so the workflow builds it
 * and the email activity renders it.
 */
import type { ChunkResult, PostedTally } from './batch-chunk';
import type { LatestChecklistStatus, RecordEdit, RecordRef } from './contract/activities';
import { perKind, type RecordKind } from './contract/record-kinds';
import type { RecordError } from './errors';
import { formatMoney, parseMoney } from './money';
import type { StaleRecord } from './stale-agreements';
import type { LedgerChange } from './ledger-changes';
import { LINE_ACCOUNT_RECORDS, type LineAccount } from './posting/line-accounts';

export interface KindTally {
  collected: number;
  posted: number;
  alreadyPosted: number;
  failed: number;
  /** Sums of record totals per outcome, decimal strings. */
  totals: { posted: string; alreadyPosted: string; failed: string };
}

export interface RecordFailure extends RecordError {
  kind: RecordKind;
  id: string;
  number: string;
}

export interface RecordDiscrepancy {
  kind: RecordKind;
  number: string;
  field: string;
  expected: string;
  actual: string;
}

export interface RecordDrift {
  kind: RecordKind;
  number: string;
  accountType: string;
  exported: string;
  current: string;
  /** The GL entry, the line as people know it, and which of today's rows moves it (absent in results recorded before). */
  glEntryId?: number;
  line?: string;
  why?: string;
}

/** Automated Sales Tax: an invoice's ConnectWise tax against what QuickBooks computed. */
/** Something matching noticed about a record but let pass; the record still posts. */
export interface RecordWarning {
  kind: RecordKind;
  number: string;
  warning: string;
}

export interface RecordTaxDelta {
  kind: RecordKind;
  number: string;
  sent: string;
  computed: string;
  delta: string;
  aboveTolerance: boolean;
}

export interface WouldCreate {
  kind: RecordKind;
  number: string;
  entity: string;
  docNumber: string;
  total: string;
  lineCount: number;
  /** Where each line posts, for the first LINE_ACCOUNT_RECORDS records of a dry run. */
  lines?: LineAccount[];
  /** Lines of this record left out of `lines` (more than LINE_ACCOUNTS_PER_RECORD). */
  linesOmitted?: number;
}

/** Where each line of one posted record went (the batch's first LINE_ACCOUNT_RECORDS confirmed records). */
export interface RecordLines {
  kind: RecordKind;
  number: string;
  lines: LineAccount[];
  linesOmitted: number;
}

/** A re-closed record whose transaction was updated in place or left unchanged, with what changed line by line. */
export type RecordEditLine = RecordEdit & { kind: RecordKind; number: string };

/** A customer or vendor QuickBooks lacks, with the records that need it (dry run and report). */
export interface MissingPartyLine {
  role: 'customer' | 'vendor';
  name: string;
  psaId?: number;
  /** Created before posting (CREATE_MISSING_PARTIES), or failing its records until someone creates it. */
  willCreate: boolean;
  records: string[];
}

export interface BatchSummary {
  batchId: string;
  /** The accounting company it posted for (absent in batches started before companies had names). */
  company?: string;
  workflowId: string;
  runId: string;
  status: 'Running' | 'Completed' | 'PartiallyFailed' | 'Failed' | 'DryRun' | 'Refused';
  dryRun: boolean;
  overrideChecklist: boolean;
  thruDate?: string;
  byKind: Record<RecordKind, KindTally>;
  failures: RecordFailure[];
  discrepancies: RecordDiscrepancy[];
  drift: RecordDrift[];
  /** Drifting lines counted but not listed (the lists are capped). */
  driftOmitted?: number;
  /** Invoices whose agreement was cancelled or changed after they closed: flagged, still posted. */
  stale: StaleRecord[];
  /** Absent in batches started before tax deltas were reported. */
  taxDeltas?: RecordTaxDelta[];
  /** What matching noticed but let pass (absent in batches started before warnings were reported). */
  warnings?: RecordWarning[];
  /** Why invoices posted by earlier batches could not be checked for agreement changes (the next batch checks again). */
  agreementCheckError?: string;
  /** Transactions Ledgerline posted that were edited, voided or deleted in QuickBooks since the last check (absent in runs before). */
  ledgerChanges?: LedgerChange[];
  /** What the QuickBooks check could not see, or why it failed (the next batch checks the same window again). */
  ledgerCheckNote?: string;
  ledgerCheckError?: string;
  wouldCreate: WouldCreate[];
  /** Where the lines of the first confirmed records posted (absent in summaries of runs before). */
  postedLines?: RecordLines[];
  /** Every missing customer and vendor (absent in summaries of runs before parties were listed). */
  missingParties?: MissingPartyLine[];
  /** Re-closed records updated in place or found unchanged (absent in summaries of runs before). */
  edits?: RecordEditLine[];
  /** ConnectWise accounting batches created to mark records exported. */
  exportedBatches: string[];
  /** Retry rounds run through `retryFailed`. */
  retries: number;
  /** Set when the batch stopped for a reason that is not one record's fault. */
  fatalError?: string;
  /** Set when the report email of the latest round could not be sent; what was posted stays posted. */
  reportError?: string;
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
  /** The report email of the latest round could not be sent (shown in the UI's current details). */
  reportError?: string;
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
    byKind: perKind(emptyTally),
    failures: [],
    discrepancies: [],
    drift: [],
    stale: [],
    wouldCreate: [],
    missingParties: [],
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

/** The batch's running counts after a chunk: what it posted (or found posted) and what failed, by kind. */
export function addChunkResult(summary: BatchSummary, result: ChunkResult): void {
  for (const [kind, counted] of Object.entries(result.postedByKind ?? {}) as [RecordKind, PostedTally][]) {
    const tally = summary.byKind[kind];
    for (const status of ['posted', 'alreadyPosted'] as const) {
      tally[status] += counted[status];
      tally.totals[status] = addAmount(tally.totals[status], counted.totals[status]);
    }
  }
  for (const p of result.posted ?? []) {
    const tally = summary.byKind[p.ref.kind];
    tally[p.status] += 1;
    tally.totals[p.status] = addAmount(tally.totals[p.status], p.total);
  }
  for (const ref of result.failedRefs) {
    const tally = summary.byKind[ref.kind];
    tally.failed += 1;
    tally.totals.failed = addAmount(tally.totals.failed, ref.total);
  }
  pushCapped(summary.failures, result.failures);
  pushCapped(summary.discrepancies, result.discrepancies);
  const driftRoom = Math.max(0, SUMMARY_LIST_CAP - summary.drift.length);
  pushCapped(summary.drift, result.drift);
  const driftOmitted = (result.driftOmitted ?? 0) + Math.max(0, result.drift.length - driftRoom);
  if (driftOmitted > 0) summary.driftOmitted = (summary.driftOmitted ?? 0) + driftOmitted;
  // Summaries and results recorded before stale records were flagged have none.
  if (result.stale?.length) pushCapped((summary.stale ??= []), result.stale);
  if (result.taxDeltas?.length) pushCapped((summary.taxDeltas ??= []), result.taxDeltas);
  if (result.warnings?.length) pushCapped((summary.warnings ??= []), result.warnings);
  addWouldCreate(summary.wouldCreate, result.wouldCreate);
  for (const r of result.postedLines ?? []) if ((summary.postedLines ??= []).length < LINE_ACCOUNT_RECORDS) summary.postedLines.push(r);
  for (const line of result.missingParties ?? []) addMissingParty((summary.missingParties ??= []), line);
  if (result.edits?.length) pushCapped((summary.edits ??= []), result.edits);
  summary.exportedBatches.push(...result.exportedBatches);
}

/** Would-create lines, capped; only the first LINE_ACCOUNT_RECORDS records keep their lines' accounts. */
export function addWouldCreate(list: WouldCreate[], items: readonly WouldCreate[]): void {
  let withLines = list.filter((w) => w.lines !== undefined).length;
  for (const item of items) {
    if (list.length >= SUMMARY_LIST_CAP) return;
    if (item.lines === undefined || withLines < LINE_ACCOUNT_RECORDS) {
      if (item.lines !== undefined) withLines += 1;
      list.push(item);
    } else {
      const { lines: _lines, linesOmitted: _omitted, ...rest } = item;
      list.push(rest);
    }
  }
}

/** One line per party (role and ConnectWise id, else name); the records needing it are listed on it. */
export function addMissingParty(list: MissingPartyLine[], line: MissingPartyLine): void {
  const same = list.find((l) => l.role === line.role && (l.psaId !== undefined || line.psaId !== undefined ? l.psaId === line.psaId : l.name === line.name));
  if (!same) {
    if (list.length < SUMMARY_LIST_CAP) list.push({ ...line, records: [...line.records] });
    return;
  }
  for (const r of line.records) if (!same.records.includes(r) && same.records.length < SUMMARY_LIST_CAP) same.records.push(r);
  same.willCreate = same.willCreate && line.willCreate;
}

/** Records going into a retry round no longer count as failed; the round counts them again. */
export function reopenFailed(summary: BatchSummary, refs: readonly RecordRef[]): void {
  for (const ref of refs) {
    const tally = summary.byKind[ref.kind];
    tally.failed -= 1;
    tally.totals.failed = subtractAmount(tally.totals.failed, ref.total);
  }
  summary.failures = summary.failures.filter((f) => !refs.some((r) => r.kind === f.kind && r.id === f.id));
}

/** The progress query's counts, from the summary. */
export function progressCounts(summary: BatchSummary): Pick<BatchProgress, 'posted' | 'alreadyPosted' | 'failed' | 'discrepancies'> {
  return {
    posted: totalCount(summary, 'posted'),
    alreadyPosted: totalCount(summary, 'alreadyPosted'),
    failed: totalCount(summary, 'failed'),
    discrepancies: summary.discrepancies.length,
  };
}

/** The progress line shown as the workflow's current details in the UI. */
export function progressLine(progress: BatchProgress): string {
  return (
    `**${progress.stage}**: ${progress.collected} collected, chunks ${progress.chunksDone}/${progress.chunksTotal}, ` +
    `${progress.posted} posted, ${progress.alreadyPosted} already posted, ${progress.failed} failed` +
    (progress.reportError ? `. ${progress.reportError}` : '')
  );
}

/** Why the go-live checklist gate refuses to post, or undefined when the latest checklist passed. */
export function checklistGateProblem(checklist: LatestChecklistStatus | undefined): string | undefined {
  if (checklist?.passed) return undefined;
  if (!checklist) return 'no go-live checklist has run for this accounting company';
  return (
    `the latest go-live checklist (${checklist.workflowId}, ${checklist.at}) ended ${checklist.status}` +
    (checklist.failed.length ? `; failed: ${checklist.failed.join(', ')}` : '') +
    (checklist.unconfirmed.length ? `; unconfirmed: ${checklist.unconfirmed.join(', ')}` : '')
  );
}
