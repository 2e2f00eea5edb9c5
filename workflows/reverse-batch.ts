/**
 * reverseBatch: undo an accounting batch. For each PSA accounting batch it marked records exported
 * in: plan (each record's QuickBooks transaction and what reversing does to it), then, unless this is
 * a dry run, void or delete those transactions (refused per record where a payment or credit is
 * applied) and return the records to unposted in the PSA; then mail the report. It takes the
 * company's batch lock, so no accounting batch posts while it runs. Every step finds what an earlier
 * attempt (or an earlier reversal of the same batch) did, so a crash, a retry or a second run
 * reverses nothing twice and loses no record.
 */
import { ApplicationFailure, isCancellation, log, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { chunk } from '../domain/chunk';
import { addPsaBatch, emptyReversalSummary, keptRecords, reversalStatus, type ReversalLine, type ReversalSummary } from '../domain/reversal';
import { reverseBatchInputSchema, type ReverseBatchInput } from '../domain/schemas';
import { CompanyLock } from './company-lock';
import { BatchIdKey, reversalSummaryQuery } from './definitions';
import { companyActivities, describeFailure, parseWorkflowInput } from './helpers';
import { runCompany } from './run-company';

/** Records per reverseTransactions call: QuickBooks' pace for a handful of reads and writes each. */
export const REVERSE_GROUP_SIZE = 30;

export async function reverseBatch(rawInput?: ReverseBatchInput): Promise<ReversalSummary> {
  const info = workflowInfo();
  const options = parseWorkflowInput('reverseBatch', reverseBatchInputSchema, rawInput);
  const summary = emptyReversalSummary({ workflowId: info.workflowId, runId: info.runId, batch: { workflowId: options.batch, batchId: '' }, dryRun: options.dryRun });
  setHandler(reversalSummaryQuery, () => summary);
  const show = (stage: string) =>
    setCurrentDetails(`**${stage}**: ${summary.counts.records} records, ${summary.counts.reversed} ${options.dryRun ? 'to reverse' : 'reversed'}, ${summary.counts.refused} refused`);

  // The accounting company the batch posted to (the input's, or the only one): every activity names it.
  const company = await runCompany('reverseBatch', options.company, info.taskQueue);
  const activities = companyActivities(company);
  const psaActivity = (summary: string) => activities.psa(summary);
  const accountingActivities = (summary: string) => activities.accounting(summary);

  // The company's batch lock: no accounting batch posts (or collects the records coming back) meanwhile.
  const lock = options.dryRun ? undefined : new CompanyLock('accounting-batch', company);
  const refused = await lock?.acquire();
  if (refused !== undefined) {
    summary.status = 'Refused';
    summary.fatalError = `Not started: ${refused}`;
    throw ApplicationFailure.nonRetryable(`Reversal of ${options.batch} refused: ${refused}`, 'BatchAlreadyRunning');
  }

  try {
    show('reading the batch');
    const target = await psaActivity(`read accounting batch ${options.batch}`).batchToReverse({ workflowId: options.batch });
    summary.batch.batchId = target.batchId;
    await upsertSearchAttributes([{ key: BatchIdKey, value: target.batchId }]);
    for (const source of target.psaBatches) {
      show(`PSA batch ${source}`);
      const plan = await accountingActivities(`plan the reversal of PSA batch ${source}`).planReversal({ source });
      if (options.dryRun || plan.psaBatchId === undefined || plan.identifier === undefined || plan.problem !== undefined) {
        addPsaBatch(summary, plan);
        continue;
      }
      // Groups small enough to finish well inside the activity's timeout, however big the PSA batch.
      const records: ReversalLine[] = [];
      for (const [i, group] of chunk(plan.records, REVERSE_GROUP_SIZE).entries()) {
        records.push(...(await accountingActivities(`void or delete the transactions of PSA batch ${plan.identifier} (group ${i})`).reverseTransactions({ batchId: target.batchId, records: group })));
      }
      const kept = keptRecords(records);
      const returned = await psaActivity(`return the records of PSA batch ${plan.identifier} to unposted`).returnToUnposted({
        identifier: plan.identifier,
        psaBatchId: plan.psaBatchId,
        kind: plan.kind,
        keptGlEntryIds: kept.flatMap((r) => r.glEntryIds),
      });
      addPsaBatch(summary, { ...plan, records, returned: { deleted: returned.deleted, ...(returned.keptIdentifier && { keptIdentifier: returned.keptIdentifier }), kept: kept.length, returned: records.length - kept.length } });
    }
  } catch (err) {
    if (isCancellation(err)) throw err;
    summary.fatalError = describeFailure(err);
  }
  await lock?.release();
  summary.status = reversalStatus(summary);
  show(summary.status);

  // What was reversed stays reversed: a report that could not be sent is said in the result.
  await psaActivity(`email the ${summary.status} report of the reversal of ${options.batch}`)
    .sendReversalReport({ summary, notify: options.notify })
    .catch((err) => {
      if (isCancellation(err)) throw err;
      summary.reportError = `The report email could not be sent: ${describeFailure(err)}`;
      log.warn('Reversal report not sent', { batch: options.batch, why: summary.reportError });
    });
  if (summary.fatalError) throw ApplicationFailure.nonRetryable(`Reversal of ${options.batch} stopped: ${summary.fatalError}`, 'ReversalFailed');
  return summary;
}
