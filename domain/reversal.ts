/**
 * Reversing an accounting batch: each QuickBooks transaction its records posted as is voided (an
 * invoice) or deleted (every other kind), or refused on its own where a payment or credit is applied;
 * the PSA records come back unposted (ConnectWise returns a whole accounting batch at a time, so the
 * records kept posted are marked exported again in a batch of their own). A dry run lists what would
 * happen and changes nothing. Pure: the workflow builds the summary, the report mail renders it.
 */
import type { RecordKind } from './contract/record-kinds';
import { fnv1a32 } from './short-hash';

/** What reversing does to a record's transaction (an invoice is voided, the rest deleted), or why it does nothing. */
export type ReversalAction = 'void' | 'delete' | 'none' | 'refuse';

export type ReversalResult = 'voided' | 'deleted' | 'alreadyGone' | 'refused' | 'failed';

/** One record of the batch: what the reversal plans for it and, once run, what happened. */
export interface ReversalLine {
  kind: RecordKind;
  recordId: string;
  number: string;
  total: string;
  /** The transaction it posted as (none: QuickBooks has no live one any more). */
  txn?: { entity: string; id: string; docNumber?: string; total: string };
  /** Its GL entries in the PSA batch: marked exported again when the record is kept posted. */
  glEntryIds: number[];
  action: ReversalAction;
  result?: ReversalResult;
  /** Why it is refused or failed, or what was found (already voided, deleted). */
  reason?: string;
  fix?: string;
}

/** One PSA accounting batch of the batch: the records it holds now and what the reversal does with them. */
export interface PsaBatchReversal {
  /** The identifier in the accounting batch's summary. */
  source: string;
  /** The PSA batch holding its records now: the source, or the batch of records an earlier reversal kept. */
  identifier?: string;
  psaBatchId?: number;
  kind: RecordKind;
  records: ReversalLine[];
  /** Set once the records were returned: the PSA batch deleted, the kept ones marked exported again (in `keptIdentifier`). */
  returned?: { deleted: boolean; keptIdentifier?: string; kept: number; returned: number };
  /** Why the PSA batch is left as it is (a record that cannot be read back, a failure). */
  problem?: string;
}

export interface ReversalSummary {
  workflowId: string;
  runId: string;
  /** The accounting batch being reversed. */
  batch: { workflowId: string; batchId: string };
  dryRun: boolean;
  status: 'Running' | 'DryRun' | 'Completed' | 'PartiallyReversed' | 'Failed' | 'Refused';
  counts: { records: number; reversed: number; alreadyGone: number; refused: number; failed: number };
  /** Every record with its plan and outcome (at most REVERSAL_LIST_CAP; counts hold them all). */
  records: ReversalLine[];
  psaBatches: Array<Omit<PsaBatchReversal, 'records'>>;
  fatalError?: string;
  reportError?: string;
}

export const REVERSAL_LIST_CAP = 500;

export function emptyReversalSummary(fields: Pick<ReversalSummary, 'workflowId' | 'runId' | 'batch' | 'dryRun'>): ReversalSummary {
  return { ...fields, status: 'Running', counts: { records: 0, reversed: 0, alreadyGone: 0, refused: 0, failed: 0 }, records: [], psaBatches: [] };
}

/** Adds one PSA batch's planned (dry run) or finished records to the summary. */
export function addPsaBatch(summary: ReversalSummary, batch: PsaBatchReversal): void {
  const { records, ...rest } = batch;
  summary.psaBatches.push(rest);
  for (const r of records) {
    summary.counts.records += 1;
    const outcome = r.result ?? (r.action === 'void' ? 'voided' : r.action === 'delete' ? 'deleted' : r.action === 'none' ? 'alreadyGone' : 'refused');
    if (outcome === 'voided' || outcome === 'deleted') summary.counts.reversed += 1;
    else if (outcome === 'alreadyGone') summary.counts.alreadyGone += 1;
    else if (outcome === 'refused') summary.counts.refused += 1;
    else summary.counts.failed += 1;
    if (summary.records.length < REVERSAL_LIST_CAP) summary.records.push(r);
  }
}

export function reversalStatus(summary: ReversalSummary): ReversalSummary['status'] {
  if (summary.fatalError) return 'Failed';
  if (summary.dryRun) return 'DryRun';
  const problems = summary.counts.refused + summary.counts.failed + summary.psaBatches.filter((b) => b.problem).length;
  return problems > 0 ? 'PartiallyReversed' : 'Completed';
}

/** The records kept posted: everything but what was voided, deleted or found gone. */
export function keptRecords(records: readonly ReversalLine[]): ReversalLine[] {
  return records.filter((r) => r.result !== 'voided' && r.result !== 'deleted' && r.result !== 'alreadyGone');
}

/** ConnectWise's limit on an accounting batch identifier. */
const IDENTIFIER_MAX = 50;

/**
 * The PSA batch that marks exported again the records a reversal kept from `identifier`: the same
 * identifier with "-K" (a kept batch keeps its own identifier), shortened with a hash when it would
 * pass 50 characters.
 */
export function keptIdentifier(identifier: string): string {
  if (/-K(\.[0-9a-z]{7})?$/.test(identifier)) return identifier;
  const plain = `${identifier}-K`;
  if (plain.length <= IDENTIFIER_MAX) return plain;
  const tag = fnv1a32(identifier).toString(36).padStart(7, '0');
  return `${identifier.slice(0, IDENTIFIER_MAX - 10)}-K.${tag}`;
}

/** The transaction's word for what reversing it does. */
export function reversalActionFor(entity: string): 'void' | 'delete' {
  // QuickBooks voids invoices (the document stays, with zero amounts); other posted kinds are deleted.
  return entity === 'Invoice' ? 'void' : 'delete';
}

/** Written into a transaction's PrivateNote before a reversal voids it, so the record says why it was voided. */
export const reversedTag = (batchId: string) => `[ledgerline-reversed:${batchId}]`;
export const REVERSED_TAG = /\[ledgerline-reversed:[^\]]*\]/;
