/**
 * Batch reversal activities: which PSA batches an accounting batch marked exported; per PSA batch,
 * the plan (each record's transaction, found by its idempotency key, and whether anything is applied
 * to it); voiding or deleting those transactions; returning the records to unposted in the PSA; and
 * the report mail. Every step reads before it writes and writes with a requestid tied to the object's
 * version, so a retry after a crash or a lost answer finds what the earlier attempt did.
 */
import { Context } from '@temporalio/activity';
import { LedgerError, isLedgerError, recordErrorOrThrow } from '../domain/errors';
import type {
  BatchToReverse,
  BatchToReverseInput,
  MailSent,
  PlanReversalInput,
  PlanReversalResult,
  ReturnToUnpostedInput,
  ReturnToUnpostedResult,
  ReverseTransactionsInput,
  SendReversalReportInput,
} from '../domain/contract';
import type { BatchSummary, BatchProgress } from '../domain/batch-summary';
import { kindOfPsaBatch } from '../domain/batch-chunk';
import { isVoided, possibleKinds } from '../domain/posting';
import { keptIdentifier, REVERSED_TAG, reversalActionFor, reversedTag, type ReversalLine, type ReversalResult } from '../domain/reversal';
import { exportedRecords, psaBatchKind, type ConnectWiseClient } from '../integrations/connectwise';
import type { Mailer } from '../integrations/mail';
import { renderReversalReport } from '../integrations/mail';
import type { QuickBooksClient, TransactionEntity } from '../integrations/quickbooks';
import {
  appliedTo,
  describeTransaction,
  findTransactions,
  idempotencyKeysOf,
  isStale,
  ownTransaction,
  readTransaction,
  recordTransactions,
  searchOf,
  writeRequestId,
  type LedgerTransaction,
} from '../integrations/posted-transactions';
import { activityCallBudget } from './call-budget';
import { earlierHeartbeat, heartbeat } from './heartbeat';
import { heldEntriesDiff, markRecordsExported } from './mark-exported';
import { reportRecipient, type Recipients } from './recipient';
import { DEFAULT_COMPANY } from '../domain/routing';

/** Stale SyncToken: read again and retry, this many times. */
const STALE_RETRIES = 3;

type Deps = { psa: ConnectWiseClient; ledger: QuickBooksClient; realmId: string; mailer: Mailer; recipients: Recipients; temporalUi: { baseUrl: string; namespace: string }; company?: { name: string } };

/** Why a reversal cannot use the accounting batch: not one, still posting, a dry run, nothing exported. */
function refuse(message: string, fix: string): never {
  throw new LedgerError('InvalidInput', message, { fix });
}

export function reversalActivities(deps: Deps) {
  const ledgerFor = () => deps.ledger.withBudget(activityCallBudget());

  /** Voids (with the reversal's tag written first) or deletes one transaction; re-reads on a stale SyncToken. */
  async function reverseOne(ledger: QuickBooksClient, line: ReversalLine, batchId: string, earlier: Record<string, ReversalResult>): Promise<ReversalLine> {
    const planned = line.txn!;
    const key = `${planned.entity}:${planned.id}`;
    for (let attempt = 1; ; attempt++) {
      const txn = await readTransaction(ledger, planned.entity as TransactionEntity, planned.id);
      if (!txn) return earlier[key] === 'deleted' ? { ...line, result: 'deleted' } : { ...line, result: 'alreadyGone', reason: `${describeTransaction({ ...planned, Id: planned.id, entity: planned.entity as TransactionEntity })} is no longer in QuickBooks (deleted already)` };
      if (isVoided(txn)) {
        return REVERSED_TAG.test(txn.PrivateNote ?? '') ? { ...line, result: 'voided' } : { ...line, result: 'alreadyGone', reason: `${describeTransaction(txn)} was voided in QuickBooks already` };
      }
      const applied = await appliedTo(ledger, txn);
      if (applied.length > 0) {
        const items = applied.map((a) => a.description).join('; ');
        return { ...line, result: 'refused', reason: `${describeTransaction(txn)} has ${items} applied`, fix: `Remove ${items} from it in QuickBooks, then reverse the batch again: the rest is already done and is skipped.` };
      }
      try {
        if (line.action === 'void') {
          let current: LedgerTransaction = txn;
          if (!REVERSED_TAG.test(txn.PrivateNote ?? '')) {
            const note = `${txn.PrivateNote ?? ''} ${reversedTag(batchId)}`.trim();
            const tagged = await ledger.update(txn.entity as 'Invoice', { Id: txn.Id, SyncToken: txn.SyncToken ?? '0', PrivateNote: note }, { requestId: writeRequestId('tag-reversed', txn, batchId) });
            current = { ...txn, SyncToken: tagged.SyncToken, PrivateNote: note };
          }
          await ledger.void(current.entity, { Id: current.Id, SyncToken: current.SyncToken ?? '0' }, { requestId: writeRequestId('void', current, batchId) });
          return { ...line, result: 'voided' };
        }
        earlier[key] = 'deleted';
        heartbeat({ done: earlier });
        await ledger.delete(txn.entity, { Id: txn.Id, SyncToken: txn.SyncToken ?? '0' }, { requestId: writeRequestId('delete', txn, batchId) });
        return { ...line, result: 'deleted' };
      } catch (err) {
        if (isStale(err) && attempt < STALE_RETRIES) continue;
        if (isLedgerError(err) && err.retryable) throw err;
        const error = recordErrorOrThrow(err);
        return { ...line, result: 'refused', reason: `QuickBooks refused to ${line.action} ${describeTransaction(txn)}: ${error.message}`, fix: error.fix };
      }
    }
  }

  return {
    /** The accounting batch's PSA batches, read from its summary (the batch must have finished a round that posted). */
    async batchToReverse(input: BatchToReverseInput): Promise<BatchToReverse> {
      const handle = Context.current().client.workflow.getHandle(input.workflowId);
      let description;
      try {
        description = await handle.describe();
      } catch (err) {
        if ((err as Error).name === 'WorkflowNotFoundError') refuse(`No accounting batch ${input.workflowId} in this namespace`, 'Name the batch by its workflow id (`npm run cli -- batch list`).');
        throw err;
      }
      if (description.type !== 'accountingBatch') refuse(`${input.workflowId} is a ${description.type} workflow, not an accounting batch`, 'Name the accounting batch to reverse by its workflow id (`npm run cli -- batch list`).');
      if (description.status.name === 'RUNNING') {
        const progress = await handle.query<BatchProgress>('progress');
        if (progress.stage !== 'awaitingRetry') refuse(`Accounting batch ${input.workflowId} is still ${progress.stage}`, 'Reverse it once it has finished (`npm run cli -- batch status` shows where it is).');
      }
      const summary = await handle.query<BatchSummary>('summary');
      if (summary.dryRun) refuse(`Accounting batch ${input.workflowId} was a dry run: it posted nothing`, 'Name a batch that posted.');
      const postedTo = summary.company ?? DEFAULT_COMPANY;
      const here = deps.company?.name ?? DEFAULT_COMPANY;
      if (postedTo !== here) refuse(`Accounting batch ${input.workflowId} posted to accounting company ${postedTo}, not ${here}`, `Start the reversal with "company": "${postedTo}".`);
      if (summary.exportedBatches.length === 0) refuse(`Accounting batch ${input.workflowId} marked no records exported, so it has nothing to reverse`, 'Records it posted but could not confirm are listed under its discrepancies; void those in QuickBooks by hand if needed.');
      return { workflowId: input.workflowId, batchId: summary.batchId, psaBatches: summary.exportedBatches };
    },

    /** What reversing one PSA batch's records does: each record's transaction, and void, delete, nothing or refuse. */
    async planReversal(input: PlanReversalInput): Promise<PlanReversalResult> {
      const ledger = ledgerFor();
      let batch = await deps.psa.findBatch(input.source);
      if (!batch) batch = await deps.psa.findBatch(keptIdentifier(input.source));
      const fallbackKind = kindOfPsaBatch(input.source) ?? 'invoice';
      if (!batch) return { source: input.source, kind: fallbackKind, records: [] };
      const kind = psaBatchKind(batch) ?? fallbackKind;
      const docs = await exportedRecords(deps.psa, batch, kind);
      heartbeat('read the PSA batch');
      const records = docs.flatMap((d) => (d.ok ? [d.record] : []));
      const found = await findTransactions(ledger, records.flatMap(searchOf));
      heartbeat('found the transactions');
      const lines: ReversalLine[] = [];
      for (const record of records) {
        const kinds = possibleKinds(record.recordType) as readonly string[];
        const txn = ownTransaction(found, idempotencyKeysOf(deps.realmId, record), kinds) ?? recordTransactions(found, record)[0];
        const base = { kind: record.kind, recordId: record.recordId, number: record.number, total: record.total, glEntryIds: record.glEntryIds ?? [...new Set(record.lines.map((l) => l.glEntryId))] };
        if (!txn) {
          lines.push({ ...base, action: 'none', reason: 'QuickBooks holds no live transaction for it (voided or deleted already)' });
          continue;
        }
        const posted = { entity: txn.entity, id: txn.Id, ...(txn.DocNumber !== undefined && { docNumber: txn.DocNumber }), total: Number(txn.TotalAmt ?? 0).toFixed(2) };
        const applied = await appliedTo(ledger, txn);
        if (applied.length > 0) {
          const items = applied.map((a) => a.description).join('; ');
          lines.push({ ...base, txn: posted, action: 'refuse', reason: `${describeTransaction(txn)} has ${items} applied`, fix: `Remove ${items} from it in QuickBooks, then reverse the batch again: it stays posted and exported until then.` });
        } else lines.push({ ...base, txn: posted, action: reversalActionFor(txn.entity) });
        heartbeat(`planned ${lines.length} of ${records.length}`);
      }
      const unreadable = docs.flatMap((d) => (d.ok ? [] : [`${d.kind} ${d.number}: ${d.error.message}`]));
      if (unreadable.length === 0) return { source: input.source, identifier: batch.batchIdentifier, psaBatchId: batch.id, kind, records: lines };
      // ConnectWise returns a whole batch to unposted: one record it cannot name keeps the batch as it is.
      const problem = `PSA batch ${batch.batchIdentifier} holds records Ledgerline cannot read back (${unreadable.join('; ')}), so it is left as it is`;
      const fix = 'Check those records in ConnectWise (Finance > Accounting Interface > batches); reverse their transactions by hand if needed.';
      return {
        source: input.source,
        identifier: batch.batchIdentifier,
        psaBatchId: batch.id,
        kind,
        problem,
        records: lines.map((l) => ({ ...l, action: 'refuse', reason: problem, fix })),
      };
    },

    /** Voids or deletes each planned transaction, or says why not; an earlier attempt's work is found, not repeated. */
    async reverseTransactions(input: ReverseTransactionsInput): Promise<ReversalLine[]> {
      const ledger = ledgerFor();
      const earlier = { ...(earlierHeartbeat<{ done?: Record<string, ReversalResult> }>()?.done ?? {}) };
      const out: ReversalLine[] = [];
      for (const line of input.records) {
        if (line.action === 'void' || line.action === 'delete') out.push(await reverseOne(ledger, line, input.batchId, earlier));
        else out.push({ ...line, result: line.action === 'none' ? 'alreadyGone' : 'refused' });
        heartbeat({ done: earlier });
      }
      return out;
    },

    /**
     * Returns one PSA batch's records to unposted: the batch is deleted and the records kept posted
     * are marked exported again in a batch of their own. Found already holding exactly the kept
     * records, it is this step's earlier attempt (or nothing was reversed): nothing to do.
     */
    async returnToUnposted(input: ReturnToUnpostedInput): Promise<ReturnToUnpostedResult> {
      const kept = keptIdentifier(input.identifier);
      const batch = await deps.psa.findBatch(input.identifier);
      if (batch) {
        const { missing, others } = await heldEntriesDiff(deps.psa, batch.id, input.keptGlEntryIds);
        if (missing === 0 && others === 0) return { deleted: false };
        try {
          await deps.psa.deleteBatch(batch.id);
        } catch (err) {
          if (!(isLedgerError(err) && err.type === 'NotFound')) throw err;
        }
      }
      if (input.keptGlEntryIds.length === 0) return { deleted: true };
      await markRecordsExported(deps.psa, { batchIdentifier: kept, kind: input.kind, glEntryIds: input.keptGlEntryIds });
      return { deleted: true, keptIdentifier: kept };
    },

    async sendReversalReport(input: SendReversalReportInput): Promise<MailSent> {
      const to = await reportRecipient(deps.psa, input.notify, deps.recipients);
      const { reportError: _reportError, ...summary } = input.summary;
      // A report is mailed once the reversal has ended: still running or refused is a failure.
      const status = summary.status === 'Running' || summary.status === 'Refused' ? 'Failed' : summary.status;
      const mail = renderReversalReport({ ...summary, status, temporalUi: deps.temporalUi });
      heartbeat('rendered');
      return { messageId: await deps.mailer.send({ to, ...mail }), to };
    },
  };
}
