/**
 * One chunk of an accounting batch as data: what the chunk workflow hands back to the batch, built
 * from the activities' outcomes. Pure, so the workflow only orchestrates.
 */
import {
  addAmount,
  addMissingParty,
  type MissingPartyLine,
  type RecordEditLine,
  type RecordLines,
  type RecordDiscrepancy,
  type RecordDrift,
  type RecordFailure,
  type RecordTaxDelta,
  type RecordWarning,
  type WouldCreate,
} from './batch-summary';
import type { StaleRecord } from './stale-agreements';
import { RECORD_KIND_INFO, type RecordKind } from './contract/record-kinds';
import type { PostOutcome, ReconcileOutcome, RecordRef, ResolveOutcome } from './contract/activities';
import { fnv1a32 } from './short-hash';
import { DEFAULT_COMPANY } from './routing';

/** What a chunk posted (or found posted) of one record kind: counts and exact totals. */
export interface PostedTally {
  posted: number;
  alreadyPosted: number;
  totals: { posted: string; alreadyPosted: string };
}

export interface ChunkResult {
  chunkKey: string;
  /** Confirmed records by kind, counted: the batch's history holds no list of them. */
  postedByKind?: Partial<Record<RecordKind, PostedTally>>;
  /** Each confirmed record (only in results recorded before they were counted by kind). */
  posted?: { ref: RecordRef; status: 'posted' | 'alreadyPosted'; total: string }[];
  failures: RecordFailure[];
  /** Refs of failed records, so `retryFailed` can try exactly these again. */
  failedRefs: RecordRef[];
  discrepancies: RecordDiscrepancy[];
  drift: RecordDrift[];
  /** Drifting lines beyond those listed (CHUNK_DRIFT_CAP, RECORD_DRIFT_CAP per record), counted. */
  driftOmitted?: number;
  /** Invoices whose agreement changed after they closed (absent in results recorded before). */
  stale?: StaleRecord[];
  taxDeltas?: RecordTaxDelta[];
  /** What matching noticed but let pass, per record (absent in results recorded before). */
  warnings?: RecordWarning[];
  wouldCreate: WouldCreate[];
  /** Where the lines of the chunk's first confirmed records posted (absent in results recorded before). */
  postedLines?: RecordLines[];
  /** Customers and vendors QuickBooks lacks (absent in results of chunks before parties were listed). */
  missingParties?: MissingPartyLine[];
  /** Re-closed records whose transaction was updated in place or found unchanged (absent in results recorded before). */
  edits?: RecordEditLine[];
  exportedBatches: string[];
}

export type ReadyRecord = Extract<ResolveOutcome, { status: 'ready' }>;

/** Drifting lines a chunk lists; the rest are counted, so a changed owner-level row cannot swell the history. */
export const CHUNK_DRIFT_CAP = 50;

export function emptyChunkResult(chunkKey: string): ChunkResult {
  return { chunkKey, postedByKind: {}, failures: [], failedRefs: [], discrepancies: [], drift: [], stale: [], wouldCreate: [], missingParties: [], exportedBatches: [] };
}

/** A record the accounting package holds as we meant it, counted with its kind. */
export function addPosted(result: ChunkResult, ref: RecordRef, status: 'posted' | 'alreadyPosted', total: string): void {
  const tally = ((result.postedByKind ??= {})[ref.kind] ??= { posted: 0, alreadyPosted: 0, totals: { posted: '0.00', alreadyPosted: '0.00' } });
  tally[status] += 1;
  tally.totals[status] = addAmount(tally.totals[status], total);
}

/** A record that failed for a business reason: in the report with its fix, and up for `retryFailed`. */
export function addFailure(result: ChunkResult, ref: RecordRef, error: { type: string; message: string; fix: string }): void {
  result.failures.push({ kind: ref.kind, id: ref.id, number: ref.number, type: error.type as RecordFailure['type'], message: error.message, fix: error.fix });
  result.failedRefs.push(ref);
}

/** Records the resolve outcomes (drift, failures) and returns the records ready to post. */
export function addResolved(result: ChunkResult, outcomes: readonly ResolveOutcome[]): ReadyRecord[] {
  const ready: ReadyRecord[] = [];
  for (const outcome of outcomes) {
    let omitted = outcome.driftOmitted ?? 0;
    for (const d of outcome.drift) {
      if (result.drift.length >= CHUNK_DRIFT_CAP) {
        omitted += 1;
        continue;
      }
      const { kind, number } = outcome.ref;
      result.drift.push({ kind, number, accountType: d.accountType, exported: d.exported, current: d.current, ...(d.line !== undefined && { glEntryId: d.glEntryId, line: d.line }), ...(d.why !== undefined && { why: d.why }) });
    }
    if (omitted > 0) result.driftOmitted = (result.driftOmitted ?? 0) + omitted;
    for (const s of outcome.stale ?? []) (result.stale ??= []).push({ kind: outcome.ref.kind, id: outcome.ref.id, number: outcome.ref.number, ...s });
    if (outcome.missingParty) {
      const { role, name, psaId, willCreate } = outcome.missingParty;
      addMissingParty((result.missingParties ??= []), { role, name, ...(psaId !== undefined && { psaId }), willCreate, records: [`${RECORD_KIND_INFO[outcome.ref.kind].label.one} ${outcome.ref.number}`] });
    }
    if (outcome.status === 'ready') {
      for (const warning of outcome.warnings ?? []) (result.warnings ??= []).push({ kind: outcome.ref.kind, number: outcome.ref.number, warning });
      ready.push(outcome);
    } else addFailure(result, outcome.ref, outcome.error);
  }
  return ready;
}

/** A dry run's answer: the transactions the ready records would create. */
export function wouldCreateOf(ready: readonly ReadyRecord[]): WouldCreate[] {
  return ready.map((r) => ({
    kind: r.ref.kind,
    number: r.ref.number,
    entity: r.entity,
    docNumber: r.docNumber,
    total: r.total,
    lineCount: r.lineCount,
    ...(r.lines !== undefined && { lines: r.lines, linesOmitted: r.linesOmitted ?? 0 }),
  }));
}

/** A re-closed record's edit replay, for the report: updated in place or unchanged, with what changed. */
export function addEdit(result: ChunkResult, outcome: PostOutcome): void {
  if (outcome.status === 'failed' || !outcome.edit) return;
  (result.edits ??= []).push({ kind: outcome.ref.kind, number: outcome.ref.number, ...outcome.edit });
}

/** Records the reconcile outcomes' discrepancies and returns the confirmed ones by record. */
export function addReconciled(result: ChunkResult, outcomes: readonly ReconcileOutcome[]): Map<string, ReconcileOutcome> {
  const confirmed = new Map<string, ReconcileOutcome>();
  for (const outcome of outcomes) {
    for (const d of outcome.discrepancies) result.discrepancies.push({ kind: outcome.ref.kind, number: outcome.ref.number, ...d });
    if (outcome.confirmed) confirmed.set(refKey(outcome.ref), outcome);
    if (outcome.lines !== undefined) {
      (result.postedLines ??= []).push({ kind: outcome.ref.kind, number: outcome.ref.number, lines: outcome.lines, linesOmitted: outcome.linesOmitted ?? 0 });
    }
  }
  return confirmed;
}

export const refKey = (ref: Pick<RecordRef, 'kind' | 'id'>) => `${ref.kind}:${ref.id}`;

/** ConnectWise's limit on an accounting batch identifier. */
export const PSA_BATCH_IDENTIFIER_MAX = 50;

/** A short, stable tag of a workflow run id (FNV-1a, base 36, 7 characters). */
export function runTag(runId: string): string {
  return fnv1a32(runId).toString(36).padStart(7, '0');
}

/** The record kind of a PSA batch named by psaBatchIdentifier (its last letter, before a kept batch's "-K"). */
export function kindOfPsaBatch(identifier: string): RecordKind | undefined {
  const letter = /-([A-Z])(?:-K(?:\.[0-9a-z]{7})?)?$/.exec(identifier)?.[1];
  return (Object.keys(RECORD_KIND_INFO) as RecordKind[]).find((k) => RECORD_KIND_INFO[k].letter === letter);
}

/** The Ledgerline batch id a PSA batch identifier starts with (before the company, run tag and chunk suffix). */
export function batchIdOfPsaBatch(identifier: string): string {
  return identifier
    .replace(/-K(\.[0-9a-z]{7})?$/, '')
    .replace(/(\.[0-9a-z]{7})?-(r\d+-)?\d+-[A-Z]$/, '')
    .replace(/@[a-z0-9-]+$/, '');
}

/** The named accounting company a PSA batch identifier carries, or undefined (the default company's). */
export function companyOfPsaBatch(identifier: string): string | undefined {
  return /@([a-z0-9][a-z0-9-]*?)(?:\.[0-9a-z]{7})?-(?:r\d+-)?\d+-[A-Z](?:-K(?:\.[0-9a-z]{7})?)?$/.exec(identifier)?.[1];
}

/**
 * The PSA batch that marks one chunk's confirmed records of one kind exported. With the run's tag
 * it is unique per run, so a batchId reused by a later run (a Schedule's fixed input) names new PSA
 * batches, and a retry within the run finds its own. Without a tag: the identifier of runs started
 * before per-run identifiers. A named accounting company's batches carry "@<company>" after the batch
 * id, so each company finds its own among the site's batches (the default company's carry none).
 * At most PSA_BATCH_IDENTIFIER_MAX characters (the batch id gives way).
 */
export function psaBatchIdentifier(batchId: string, chunkKey: string, kind: RecordKind, run?: string, company?: string): string {
  const suffix = `${companyTag(company)}${run === undefined ? '' : `.${run}`}-${chunkKey}-${RECORD_KIND_INFO[kind].letter}`;
  return `${batchId.slice(0, Math.max(1, PSA_BATCH_IDENTIFIER_MAX - suffix.length))}${suffix}`;
}

const companyTag = (company: string | undefined) => (company === undefined || company === DEFAULT_COMPANY ? '' : `@${company}`);

/** Whether a PSA batch Ledgerline named belongs to this accounting company. */
export function isCompanyPsaBatch(identifier: string, company: string | undefined): boolean {
  return (companyOfPsaBatch(identifier) ?? DEFAULT_COMPANY) === (company ?? DEFAULT_COMPANY);
}
