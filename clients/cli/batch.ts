/**
 * `batch` commands: start (optionally following the progress query with a bar), status, list
 * (a visibility query on the BatchStatus search attribute) and retry (the retryFailed update).
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Command } from 'commander';
import { z } from 'zod';
import type { BatchProgress, BatchSummary } from '../../domain/batch-summary';
import { RECORD_KINDS } from '../../domain/contract';
import { formatLineAccount, type LineAccount } from '../../domain/posting/line-accounts';
import { formatChange } from '../../domain/posting/transaction-changes';
import type { ReversalSummary } from '../../domain/reversal';
import { accountingBatchInputSchema, describeZodError, reverseBatchInputSchema } from '../../domain/schemas';
import { AccountingCompanyKey, BatchIdKey, BatchStatusKey, FailedCountKey, PostedCountKey, progressQuery, retryFailedUpdate, reversalSummaryQuery, summaryQuery } from '../../workflows/definitions';
import { newWorkflowId, sleep, withTemporal } from './connection';
import { CliUsageError } from './errors';
import { DEFAULT_COMPANY } from '../../domain/routing';
import { CliFailure } from './failures';
import { emit, note, table, withJson, type OutputOptions } from './output';
import { ProgressLine, renderProgress } from './progress-bar';

const FOLLOW_POLL_MS = 500;

export function formatBatchSummary(s: BatchSummary): string {
  const lines = [`Batch ${s.batchId} (${s.workflowId}): ${s.status}${s.company ? ` for ${s.company}` : ''}${s.thruDate ? `, thru ${s.thruDate}` : ''}`];
  for (const kind of RECORD_KINDS) {
    const t = s.byKind[kind];
    if (t.collected + t.posted + t.alreadyPosted + t.failed === 0) continue;
    lines.push(`  ${kind}: collected ${t.collected}, posted ${t.posted} (${t.totals.posted}), already posted ${t.alreadyPosted}, failed ${t.failed}`);
  }
  if (s.dryRun) lines.push(`  dry run: would create ${s.wouldCreate.length} transactions`);
  const listLines = (title: string, r: { lines?: LineAccount[]; linesOmitted?: number }) => {
    if (r.lines === undefined) return;
    lines.push(`  ${title}:`);
    for (const l of r.lines) lines.push(`    ${formatLineAccount(l)}`);
    if (r.linesOmitted) lines.push(`    ...and ${r.linesOmitted} more line${r.linesOmitted === 1 ? '' : 's'}`);
  };
  for (const w of s.wouldCreate) listLines(`${w.entity} ${w.docNumber} (${w.kind} ${w.number})`, w);
  for (const p of s.postedLines ?? []) listLines(`posted ${p.kind} ${p.number}`, p);
  for (const p of s.missingParties ?? []) {
    const action = p.willCreate ? (s.dryRun ? 'would be created' : 'created') : 'missing';
    lines.push(`  ${p.role.toUpperCase()} ${action}: "${p.name}"${p.psaId === undefined ? '' : ` (ConnectWise #${p.psaId})`} for ${p.records.join(', ')}`);
  }
  for (const e of s.edits ?? []) {
    const what = e.outcome === 'updated' ? `updated in place (revision ${e.fromRevision} -> ${e.toRevision})` : `re-closed unchanged (revision ${e.toRevision}): nothing written`;
    lines.push(`  EDITED ${e.kind} ${e.number}: ${e.entity} Id ${e.txnId} ${what}`);
    for (const c of e.changes) lines.push(`    ${formatChange(c)}`);
    if (e.changesOmitted) lines.push(`    ...and ${e.changesOmitted} more change${e.changesOmitted === 1 ? '' : 's'}`);
  }
  for (const c of s.ledgerChanges ?? []) {
    lines.push(`  CHANGED IN QUICKBOOKS (posted by ${c.batch || 'an unknown batch'}) ${c.record}: ${c.entity}${c.txnId ? ` Id ${c.txnId}` : ''} ${c.change}: ${c.detail}\n    fix: ${c.fix}`);
  }
  if (s.ledgerCheckError) lines.push(`  QuickBooks not checked for changes: ${s.ledgerCheckError}`);
  if (s.ledgerCheckNote) lines.push(`  ${s.ledgerCheckNote}`);
  for (const f of s.failures) lines.push(`  FAILED ${f.kind} ${f.number}: ${f.type}: ${f.message}\n    fix: ${f.fix}`);
  for (const d of s.discrepancies) lines.push(`  DISCREPANCY ${d.kind} ${d.number} ${d.field}: expected ${d.expected}, got ${d.actual}`);
  if (s.fatalError) lines.push(`  stopped: ${s.fatalError}`);
  return lines.join('\n');
}

const failedCount = (s: BatchSummary) => RECORD_KINDS.reduce((n, k) => n + s.byKind[k].failed, 0);

/** Completed and dry runs succeed; anything with failures is a non-zero exit that says what to do. */
function verdict(s: BatchSummary): void {
  if (s.status === 'Completed' || s.status === 'DryRun') return;
  const failed = failedCount(s);
  throw new CliFailure(
    s.fatalError
      ? `Batch ${s.batchId} stopped: ${s.fatalError}`
      : `Batch ${s.batchId} is ${s.status}: ${failed} record(s) failed. Fix what the report says, then run \`batch retry ${s.workflowId}\`.`,
  );
}

async function isRunning(handle: WorkflowHandle): Promise<boolean> {
  return (await handle.describe()).status.name === 'RUNNING';
}

/** Polls the progress query until the batch closes or waits for retryFailed; returns its summary. */
async function follow(handle: WorkflowHandle): Promise<BatchSummary> {
  const bar = new ProgressLine();
  try {
    for (;;) {
      if (!(await isRunning(handle))) break;
      const progress = await handle.query(progressQuery).catch(() => undefined);
      if (progress) {
        bar.update(renderProgress(progress as BatchProgress));
        if (progress.stage === 'awaitingRetry') return await handle.query(summaryQuery);
      }
      await sleep(FOLLOW_POLL_MS);
    }
  } finally {
    bar.done();
  }
  return (await handle.result()) as BatchSummary;
}

const dateOption = (value: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new CliUsageError(`"${value}" is not a date (YYYY-MM-DD)`);
  return value;
};

interface StartOptions extends OutputOptions {
  company?: string;
  thru?: string;
  dryRun?: boolean;
  follow?: boolean;
  id?: string;
  batchId?: string;
  overrideChecklist?: boolean;
  notify?: string;
}

async function start(opts: StartOptions): Promise<void> {
  const input = {
    ...(opts.company && { company: opts.company }),
    ...(opts.thru && { thruDate: opts.thru }),
    ...(opts.batchId && { batchId: opts.batchId }),
    ...(opts.dryRun && { dryRun: true }),
    ...(opts.overrideChecklist && { override: true }),
    ...(opts.notify && { notify: opts.notify.includes('@') ? { email: opts.notify } : { member: opts.notify } }),
  };
  const parsed = accountingBatchInputSchema.safeParse(input);
  if (!parsed.success) throw new CliUsageError(`invalid batch input: ${describeZodError(parsed.error, accountingBatchInputSchema)}`);

  await withTemporal(async (client, config) => {
    const workflowId = opts.id ?? newWorkflowId(opts.company ? `accounting-batch-${opts.company}` : 'accounting-batch');
    const handle = await client.workflow.start('accountingBatch', { taskQueue: config.TEMPORAL_TASK_QUEUE, workflowId, args: [input] });
    if (!opts.follow) {
      emit(opts, { workflowId, runId: handle.firstExecutionRunId }, () => `Started accounting batch ${workflowId} (run ${handle.firstExecutionRunId}).\nFollow it with: batch status ${workflowId}`);
      return;
    }
    note(`Started accounting batch ${workflowId}`);
    const summary = await follow(handle);
    emit(opts, summary, () => formatBatchSummary(summary));
    verdict(summary);
  });
}

const REVERSAL_RESULT: Record<string, string> = { voided: 'voided', deleted: 'deleted', alreadyGone: 'already gone', refused: 'REFUSED', failed: 'FAILED' };
const REVERSAL_PLAN: Record<string, string> = { void: 'would void', delete: 'would delete', none: 'nothing to void (return to unposted)', refuse: 'REFUSED' };

export function formatReversalSummary(s: ReversalSummary): string {
  const c = s.counts;
  const lines = [
    `Reversal of batch ${s.batch.batchId || s.batch.workflowId} (${s.workflowId}): ${s.status}`,
    `  ${c.records} records: ${c.reversed} ${s.dryRun ? 'to void or delete' : 'voided or deleted'}, ${c.alreadyGone} already gone from QuickBooks, ${c.refused + c.failed} refused`,
  ];
  for (const r of s.records) {
    const txn = r.txn ? `${r.txn.entity} ${r.txn.docNumber ?? ''} (Id ${r.txn.id}) ${r.txn.total}`.replace('  ', ' ') : 'no live QuickBooks transaction';
    lines.push(`  ${r.kind} ${r.number}: ${txn}: ${r.result ? REVERSAL_RESULT[r.result] : REVERSAL_PLAN[r.action]}`);
    if (r.reason && (r.result === 'refused' || r.result === 'failed' || r.action === 'refuse')) lines.push(`    why: ${r.reason}\n    fix: ${r.fix ?? 'see the reason'}`);
  }
  for (const b of s.psaBatches) {
    const what = b.problem
      ? `left as it is: ${b.problem}`
      : b.returned
        ? `${b.returned.returned} record(s) unposted again${b.returned.kept ? `, ${b.returned.kept} kept exported in ${b.returned.keptIdentifier ?? b.identifier}` : ''}`
        : b.psaBatchId === undefined
          ? 'no longer in ConnectWise'
          : s.dryRun
            ? 'its records would return to unposted'
            : 'not returned';
    lines.push(`  PSA batch ${b.identifier ?? b.source}: ${what}`);
  }
  if (s.dryRun && s.status === 'DryRun') lines.push(`  dry run: nothing changed. Reverse with: batch reverse ${s.batch.workflowId} --execute`);
  if (s.fatalError) lines.push(`  stopped: ${s.fatalError}`);
  if (s.reportError) lines.push(`  ${s.reportError}`);
  return lines.join('\n');
}

async function status(id: string, opts: OutputOptions): Promise<void> {
  await withTemporal(async (client) => {
    const handle = client.workflow.getHandle(id);
    const d = await handle.describe();
    if (d.type === 'reverseBatch') {
      const summary = await handle.query(reversalSummaryQuery);
      emit(opts, { workflowId: id, runId: d.runId, execution: d.status.name, summary }, () => formatReversalSummary(summary));
      return;
    }
    if (d.type !== 'accountingBatch') throw new CliFailure(`${id} is a ${d.type} workflow, not an accounting batch.`);
    const attrs = {
      company: d.typedSearchAttributes.get(AccountingCompanyKey),
      batchId: d.typedSearchAttributes.get(BatchIdKey),
      batchStatus: d.typedSearchAttributes.get(BatchStatusKey),
      posted: d.typedSearchAttributes.get(PostedCountKey),
      failed: d.typedSearchAttributes.get(FailedCountKey),
    };
    const base = { workflowId: id, runId: d.runId, execution: d.status.name, startTime: d.startTime.toISOString(), ...attrs };
    if (d.status.name === 'RUNNING') {
      const [progress, summary] = await Promise.all([handle.query(progressQuery), handle.query(summaryQuery)]);
      emit(opts, { ...base, progress, summary }, () => `${formatBatchSummary(summary)}\n  running: ${renderProgress(progress)}`);
    } else if (d.status.name === 'COMPLETED') {
      const summary = (await handle.result()) as BatchSummary;
      emit(opts, { ...base, summary }, () => formatBatchSummary(summary));
    } else {
      const failure = await handle.result().then(
        () => undefined,
        (err: unknown) => (err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)),
      );
      emit(opts, { ...base, failure }, () => `Batch ${attrs.batchId ?? id}: ${d.status.name}${failure ? `: ${failure}` : ''}`);
    }
  });
}

interface ListOptions extends OutputOptions {
  failed?: boolean;
  company?: string;
  limit: number;
}

/** The visibility query `batch list` runs (exported for tests and for pasting into the UI). */
export function batchListQuery(failedOnly: boolean, company?: string): string {
  const clauses = [`WorkflowType = 'accountingBatch'`];
  if (company) clauses.push(`${AccountingCompanyKey.name} = '${company}'`);
  if (failedOnly) clauses.push(`${BatchStatusKey.name} IN ('Failed', 'PartiallyFailed')`);
  return clauses.join(' AND ');
}

async function listBatches(client: Client, opts: ListOptions) {
  const rows = [];
  for await (const w of client.workflow.list({ query: batchListQuery(!!opts.failed, opts.company) })) {
    rows.push({
      workflowId: w.workflowId,
      company: w.typedSearchAttributes.get(AccountingCompanyKey),
      execution: w.status.name,
      batchId: w.typedSearchAttributes.get(BatchIdKey),
      batchStatus: w.typedSearchAttributes.get(BatchStatusKey),
      posted: w.typedSearchAttributes.get(PostedCountKey),
      failed: w.typedSearchAttributes.get(FailedCountKey),
      startTime: w.startTime.toISOString(),
    });
    if (rows.length >= opts.limit) break;
  }
  return rows;
}

async function list(opts: ListOptions): Promise<void> {
  await withTemporal(async (client) => {
    const rows = await listBatches(client, opts);
    // The company column appears once a deployment has named companies.
    const named = rows.some((r) => r.company !== undefined && r.company !== DEFAULT_COMPANY);
    emit(opts, rows, () =>
      rows.length === 0
        ? opts.failed ? 'No failed batches.' : 'No batches.'
        : table([
            ['WORKFLOW ID', ...(named ? ['COMPANY'] : []), 'BATCH', 'STATUS', 'POSTED', 'FAILED', 'STARTED'],
            ...rows.map((r) => [r.workflowId, ...(named ? [r.company ?? ''] : []), r.batchId ?? '', r.batchStatus ?? r.execution, String(r.posted ?? ''), String(r.failed ?? ''), r.startTime]),
          ]),
    );
  });
}

async function retry(id: string, opts: OutputOptions): Promise<void> {
  await withTemporal(async (client) => {
    note(`Retrying the failed records of ${id}...`);
    const summary = await client.workflow.getHandle(id).executeUpdate(retryFailedUpdate);
    emit(opts, summary, () => formatBatchSummary(summary));
    verdict(summary);
  });
}

interface ReverseOptions extends OutputOptions {
  execute?: boolean;
  notify?: string;
  company?: string;
  id?: string;
}

/** Starts reverseBatch (a dry run unless --execute) and waits for its summary; refused or failed records exit 1. */
async function reverse(batchWorkflowId: string, opts: ReverseOptions): Promise<void> {
  const inputFor = (company: string | undefined) => ({
    batch: batchWorkflowId,
    dryRun: !opts.execute,
    ...(company && { company }),
    ...(opts.notify && { notify: opts.notify.includes('@') ? { email: opts.notify } : { member: opts.notify } }),
  });
  const parsed = reverseBatchInputSchema.safeParse(inputFor(opts.company));
  if (!parsed.success) throw new CliUsageError(`invalid reversal input: ${describeZodError(parsed.error, reverseBatchInputSchema)}`);
  await withTemporal(async (client, config) => {
    // Without --company, the company the batch posted to (its AccountingCompany search attribute).
    const posted = opts.company ?? (await client.workflow.getHandle(batchWorkflowId).describe().then((d) => d.typedSearchAttributes.get(AccountingCompanyKey), () => undefined));
    const input = inputFor(posted !== DEFAULT_COMPANY ? posted : undefined);
    const workflowId = opts.id ?? newWorkflowId('batch-reversal');
    note(`${opts.execute ? 'Reversing' : 'Dry run of the reversal of'} ${batchWorkflowId} as ${workflowId}...`);
    const handle = await client.workflow.start('reverseBatch', { taskQueue: config.TEMPORAL_TASK_QUEUE, workflowId, args: [input] });
    const summary = (await handle.result()) as ReversalSummary;
    emit(opts, summary, () => formatReversalSummary(summary));
    if (summary.status === 'PartiallyReversed') throw new CliFailure(`The reversal of ${batchWorkflowId} is PartiallyReversed: fix the refused records as listed, then run \`batch reverse ${batchWorkflowId} --execute\` again.`);
  });
}

const positiveInt = (value: string) => {
  const n = z.coerce.number().int().min(1).max(1000).safeParse(value);
  if (!n.success) throw new CliUsageError(`--limit must be a whole number from 1 to 1000, not "${value}"`);
  return n.data;
};

export function registerBatchCommands(program: Command): void {
  const batch = program.command('batch').description('accounting batches: ConnectWise records -> QuickBooks');
  withJson(
    batch
      .command('start')
      .description('start an accounting batch')
      .option('--company <name>', 'the accounting company to post for (default: the only one)')
      .option('--thru <date>', 'post records dated up to and including this day (YYYY-MM-DD)', dateOption)
      .option('--dry-run', 'report what would be posted, write nothing')
      .option('--follow', 'show progress until the batch finishes (exit 1 if records failed)')
      .option('--id <workflowId>', 'workflow id (default accounting-batch-<time>)')
      .option('--batch-id <id>', 'ConnectWise batch identifier (default from the workflow id)')
      .option('--override-checklist', 'post even if the latest go-live checklist has not passed')
      .option('--notify <member|email>', 'who gets the report (PSA member identifier or address)'),
  ).action((opts: StartOptions) => start(opts));
  withJson(batch.command('status').argument('<workflowId>').description('show a batch: status, counts, failures')).action((id: string, opts: OutputOptions) => status(id, opts));
  withJson(
    batch
      .command('list')
      .description('list recent batches (newest first)')
      .option('--failed', 'only batches whose BatchStatus is Failed or PartiallyFailed')
      .option('--company <name>', "only this accounting company's batches")
      .option('--limit <n>', 'at most this many', positiveInt, 20),
  ).action((opts: ListOptions) => list(opts));
  withJson(batch.command('retry').argument('<workflowId>').description('re-attempt the records that failed (after fixing them)')).action((id: string, opts: OutputOptions) => retry(id, opts));
  withJson(
    batch
      .command('reverse')
      .argument('<workflowId>', 'the accounting batch to reverse')
      .description('undo a batch: void or delete its QuickBooks transactions, return its records to unposted (a dry run unless --execute)')
      .option('--execute', 'reverse it (without: list what would be voided, deleted and returned, change nothing)')
      .option('--company <name>', 'the accounting company the batch posted to (default: the one the batch names)')
      .option('--notify <member|email>', 'who gets the report (PSA member identifier or address)')
      .option('--id <workflowId>', 'workflow id of the reversal (default batch-reversal-<time>)'),
  ).action((id: string, opts: ReverseOptions) => reverse(id, opts));
}
