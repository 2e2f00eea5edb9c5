/**
 * accountingBatch: collect the PSA's unposted records -> a child workflow per chunk (resolve GL,
 * post, reconcile, mark exported) with bounded concurrency -> email the report. Records that fail
 * for business reasons stay unposted in the PSA; `retryFailed` re-attempts exactly those.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  executeChild,
  isCancellation,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { ChunkResult } from '../domain/batch-chunk';
import {
  addChunkResult,
  checklistGateProblem,
  emptySummary,
  finalStatus,
  progressCounts,
  progressLine,
  pushCapped,
  reopenFailed,
  totalCount,
  type BatchProgress,
  type BatchSummary,
} from '../domain/batch-summary';
import { chunk } from '../domain/chunk';
import { nextCollectCursor, takeUncollected } from '../domain/collect';
import { RECORD_KINDS, RECORD_KIND_INFO, type RecordRef } from '../domain/contract';
import { accountingBatchInputSchema, type AccountingBatchInput } from '../domain/schemas';
import { accountingBatchChunk, ACCOUNTING_CHUNK_SIZE, FORMER_CHUNK_SIZE } from './accounting-batch-chunk';
import { CompanyLock } from './company-lock';
import { checkReportRecipient, companyActivities, describeFailure, parseWorkflowInput } from './helpers';
import { runCompany } from './run-company';
import { DEFAULT_COMPANY } from '../domain/routing';
import {
  BatchIdKey,
  BatchStatusKey,
  FailedCountKey,
  PostedCountKey,
  progressQuery,
  retryFailedUpdate,
  summaryQuery,
} from './definitions';

/** Records per collect activity: small pages keep each result far below the payload limit. */
export const COLLECT_PAGE_SIZE = 500;

export async function accountingBatch(rawInput?: AccountingBatchInput): Promise<BatchSummary> {
  const info = workflowInfo();
  const options = parseWorkflowInput('accountingBatch', accountingBatchInputSchema, rawInput);
  const batchId = options.batchId ?? info.workflowId.replace(/[^A-Za-z0-9._-]/g, '-').slice(-30);

  const summary = emptySummary({
    batchId,
    workflowId: info.workflowId,
    runId: info.runId,
    dryRun: options.dryRun,
    overrideChecklist: false,
    thruDate: options.thruDate,
  });
  const progress: BatchProgress = {
    stage: 'collecting',
    collected: 0,
    chunksTotal: 0,
    chunksDone: 0,
    posted: 0,
    alreadyPosted: 0,
    failed: 0,
    discrepancies: 0,
  };
  let failedRefs: RecordRef[] = [];
  let retryRequested = false;
  /** Why the last retryFailed could not start (another batch held the company), for its caller. */
  let retryRefused: string | undefined;

  setHandler(progressQuery, () => progress);
  setHandler(summaryQuery, () => summary);
  setHandler(
    retryFailedUpdate,
    async () => {
      retryRequested = true;
      await condition(() => !retryRequested);
      if (retryRefused !== undefined) throw ApplicationFailure.nonRetryable(`retryFailed refused: ${retryRefused}`, 'BatchAlreadyRunning');
      return summary;
    },
    {
      validator: () => {
        if (progress.stage !== 'awaitingRetry') {
          throw new Error(`retryFailed is accepted once the batch has finished a round with failures (now: ${progress.stage})`);
        }
      },
    },
  );

  // The accounting company it posts to (the input's, or the only one): every activity names it.
  const company = await runCompany('accountingBatch', options.company, info.taskQueue);
  // Reports name the company once a deployment has named ones (the default company's read as before).
  if (company && company.name !== DEFAULT_COMPANY) summary.company = company.name;
  const activities = companyActivities(company);
  const psaActivity = (summary: string) => activities.psa(summary);
  // Where the report goes is checked before anything is locked or written.
  await checkReportRecipient('accountingBatch', options.notify, activities.psa('check the report recipient', '1 minute'));
  const publishCounts = (status: string) =>
    upsertSearchAttributes([
      { key: BatchIdKey, value: batchId },
      { key: BatchStatusKey, value: status },
      { key: PostedCountKey, value: totalCount(summary, 'posted') + totalCount(summary, 'alreadyPosted') },
      { key: FailedCountKey, value: totalCount(summary, 'failed') },
    ]);
  // One posting batch per accounting company at a time: a second start is refused at once, naming
  // the running batch. A dry run writes nothing and takes no lock.
  const lock = !options.dryRun && patched('one-batch-per-company') ? new CompanyLock('accounting-batch', company) : undefined;
  const refused = await lock?.acquire();
  if (refused !== undefined) {
    summary.status = 'Refused';
    summary.fatalError = `Not started: ${refused}`;
    publishCounts('Refused');
    throw ApplicationFailure.nonRetryable(`Batch ${batchId} refused: ${refused}`, 'BatchAlreadyRunning');
  }
  publishCounts('Running');

  const showProgress = () => setCurrentDetails(progressLine(progress));

  // Nothing posts for a company whose latest go-live checklist has not passed, unless ops override
  // it (the override shows in this history and in the report). A dry run writes nothing: no gate.
  let checklistRefused = false;
  if (!options.dryRun) {
    const why = checklistGateProblem(await psaActivity('check the latest go-live checklist').latestChecklistStatus());
    if (why !== undefined) {
      if (options.override) {
        summary.overrideChecklist = true;
        log.warn('Posting with override although the go-live checklist has not passed', { batchId, why });
      } else {
        checklistRefused = true;
        summary.fatalError = `Not posting: ${why}. Run goLiveChecklist and fix what it reports, or start the batch with "override": true.`;
      }
    }
  }

  // collect: compact references only, page by page. Forward-only by id, each record once (by kind
  // and id): a record closed or exported while collecting is in this batch once or in the next, and
  // one unposted throughout is never skipped.
  const refs: RecordRef[] = [];
  const collect = async () => {
    const forwardOnly = patched('forward-only-collection');
    const collected = new Set<string>();
    for (const kind of RECORD_KINDS) {
      if (!options.include[RECORD_KIND_INFO[kind].includeFlag]) continue;
      let afterId: number | undefined;
      for (let page = 1; ; page++) {
        const result = await psaActivity(`collect unposted ${kind} records, page ${page}`).collectUnposted({
          kind,
          thruDate: options.thruDate,
          pageSize: COLLECT_PAGE_SIZE,
          ...(forwardOnly ? { afterId } : { page }),
        });
        const fresh = forwardOnly ? takeUncollected(collected, result.refs) : result.refs;
        refs.push(...fresh);
        summary.byKind[kind].collected += fresh.length;
        progress.collected = refs.length;
        if (!forwardOnly) {
          if (!result.hasMore) break;
          continue;
        }
        afterId = nextCollectCursor(result, afterId);
        if (afterId === undefined) break;
      }
    }
  };
  if (!summary.fatalError) {
    await collect().catch((err) => {
      summary.fatalError = `Collecting unposted records failed: ${describeFailure(err)}`;
    });
  }
  log.info('Collected unposted records', { batchId, count: refs.length });
  showProgress();

  // Invoices earlier batches posted whose agreement was cancelled or changed since the company's
  // last check: flagged in this report, once. Checked before this batch marks its own invoices
  // exported (those are checked when they close). A failed check is said in the report.
  if (!summary.fatalError && patched('posted-agreement-changes')) {
    await psaActivity('check agreement changes against invoices posted earlier')
      .checkPostedAgreements({ dryRun: options.dryRun })
      .then((check) => pushCapped(summary.stale, check.stale))
      .catch((err) => {
        if (isCancellation(err)) throw err;
        summary.agreementCheckError = describeFailure(err);
        log.warn('Agreement changes not checked against posted invoices', { batchId, why: summary.agreementCheckError });
      });
  }

  // Transactions Ledgerline posted that were edited, voided or deleted in QuickBooks since the
  // company's last check: reported in this batch, once, grouped by the batch that posted them. A
  // failed check is said in the report; the next batch checks the same window again.
  if (!summary.fatalError && patched('ledger-changes')) {
    await activities.accounting('check QuickBooks for changes to posted transactions')
      .checkLedgerChanges({ dryRun: options.dryRun })
      .then((check) => {
        summary.ledgerChanges = check.changes;
        if (check.notSeen) summary.ledgerCheckNote = `Not seen: ${check.notSeen}.`;
      })
      .catch((err) => {
        if (isCancellation(err)) throw err;
        summary.ledgerCheckError = describeFailure(err);
        log.warn('QuickBooks not checked for changes to posted transactions', { batchId, why: summary.ledgerCheckError });
      });
  }

  const applyChunk = (result: ChunkResult) => {
    addChunkResult(summary, result);
    failedRefs.push(...result.failedRefs);
    progress.chunksDone += 1;
    Object.assign(progress, progressCounts(summary));
  };

  const chunkSize = () => options.chunkSize ?? (patched('chunks-of-whole-post-groups') ? ACCOUNTING_CHUNK_SIZE : FORMER_CHUNK_SIZE);

  // Runs chunks as child workflows, at most maxConcurrentChunks at a time. A chunk that fails as a
  // whole (authentication, an outage outlasting the retries) stops the batch: its records stay
  // unposted in the PSA, and the report says why.
  const runRound = async (roundRefs: RecordRef[], prefix: string) => {
    const chunks = chunk(roundRefs, chunkSize());
    progress.stage = 'posting';
    progress.chunksTotal += chunks.length;
    let next = 0;
    const lane = async () => {
      while (next < chunks.length && !summary.fatalError) {
        const index = next++;
        const chunkKey = `${prefix}${index}`;
        try {
          const result = await executeChild(accountingBatchChunk, {
            workflowId: `${info.workflowId}/chunk-${chunkKey}`,
            staticSummary: `Batch ${batchId}, chunk ${chunkKey}: ${chunks[index].length} records`,
            args: [{ batchId, chunkKey, refs: chunks[index], dryRun: options.dryRun, glSource: options.glSource, ...(company && { company: { name: company.name, accountingQueue: company.accountingQueue } }) }],
          });
          applyChunk(result);
        } catch (err) {
          summary.fatalError ??= `Chunk ${chunkKey} failed: ${describeFailure(err)}`;
        }
        publishCounts('Running');
        showProgress();
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.maxConcurrentChunks, chunks.length) }, lane));
  };

  const keepPostingAfterMailFailure = patched('report-failure-kept');
  const report = async () => {
    progress.stage = 'reporting';
    summary.status = finalStatus(summary);
    showProgress();
    const send = psaActivity(`email the ${summary.status} report of batch ${batchId}`).sendBatchReport({ summary, notify: options.notify });
    if (!keepPostingAfterMailFailure) {
      await send;
      return;
    }
    // What was posted stays posted and retryFailed stays possible: a report that could not be sent
    // is said in the result and the UI, not a failed batch.
    summary.reportError = undefined;
    await send.catch((err) => {
      summary.reportError = `The report email could not be sent: ${describeFailure(err)}`;
      log.warn('Batch report not sent', { batchId, why: summary.reportError });
    });
    progress.reportError = summary.reportError;
    showProgress();
  };

  if (!summary.fatalError) await runRound(refs, '');
  await report();

  // Failures wait for ops to fix mappings and call retryFailed, up to the retry window.
  while (failedRefs.length > 0 && !options.dryRun && !summary.fatalError) {
    // The company is free for other batches while this one waits for fixes.
    await lock?.release();
    progress.stage = 'awaitingRetry';
    publishCounts(finalStatus(summary));
    showProgress();
    const asked = await condition(() => retryRequested, options.retryWindow as Duration);
    if (!asked) break;
    retryRefused = await lock?.acquire();
    if (retryRefused === undefined) {
      const round = summary.retries + 1;
      const again = failedRefs;
      failedRefs = [];
      summary.retries = round;
      reopenFailed(summary, again);
      await runRound(again, `r${round}-`);
      await report();
    }
    retryRequested = false;
  }

  await lock?.release();
  progress.stage = 'done';
  summary.status = finalStatus(summary);
  publishCounts(summary.status === 'DryRun' ? 'Completed' : summary.status);
  showProgress();
  await condition(allHandlersFinished);
  if (summary.fatalError) {
    // The run itself failed: say so where ops look first (the workflow's status and failure).
    throw ApplicationFailure.nonRetryable(`Batch ${batchId} stopped: ${summary.fatalError}`, checklistRefused ? 'ChecklistNotPassed' : 'BatchFailed');
  }
  return summary;
}
