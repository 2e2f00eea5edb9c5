/**
 * `checklist run` starts the go-live checklist (goLiveChecklist) and prints the automated checks
 * once they are done; `checklist confirm ITEM` confirms a manual item through the `confirm` update
 * on the given run, or on the newest running checklist.
 */
import { userInfo } from 'node:os';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Command } from 'commander';
import type { ChecklistSummary } from '../../domain/checklist/types';
import { describeZodError, goLiveChecklistInputSchema } from '../../domain/schemas';
import { AccountingCompanyKey, checklistResultQuery, confirmManualItemUpdate } from '../../workflows/definitions';
import { newWorkflowId, sleep, withTemporal } from './connection';
import { CliUsageError } from './errors';
import { CliFailure } from './failures';
import { emit, note, withJson, type OutputOptions } from './output';

export function formatChecklist(s: ChecklistSummary): string {
  const mark = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' } as const;
  const lines = [`Go-live checklist (${s.workflowId}): ${s.status}${s.stage === 'awaitingConfirmation' ? ', waiting for confirmations' : ''}${s.company ? ` for ${s.company}` : ''}`];
  for (const item of s.items) {
    lines.push(`  ${mark[item.result]} ${item.id}: ${item.title}`);
    if (item.result !== 'pass' && item.fix) lines.push(`       fix: ${item.fix}`);
  }
  for (const m of s.manualItems) lines.push(`  ${m.confirmed ? 'DONE' : 'TODO'} ${m.id}: ${m.title}${m.confirmed ? ` (by ${m.by})` : ''}`);
  const todo = s.manualItems.filter((m) => !m.confirmed);
  if (s.stage === 'awaitingConfirmation' && todo.length) lines.push(`Confirm with: checklist confirm ${todo[0].id} --by <name>`);
  return lines.join('\n');
}

/** Waits until the automated checks are done (or the run closed) and returns the summary. */
async function afterChecks(handle: WorkflowHandle): Promise<ChecklistSummary> {
  for (;;) {
    const d = await handle.describe();
    if (d.status.name !== 'RUNNING') return (await handle.result()) as ChecklistSummary;
    const s = await handle.query(checklistResultQuery).catch(() => undefined);
    if (s && s.stage !== 'checking') return s;
    await sleep(500);
  }
}

interface RunOptions extends OutputOptions {
  company?: string;
  lockDate?: string;
  item?: string[];
  id?: string;
}

async function run(opts: RunOptions): Promise<void> {
  const input = { ...(opts.company && { company: opts.company }), ...(opts.lockDate && { lockDate: opts.lockDate }), ...(opts.item && { manualItems: opts.item }) };
  const parsed = goLiveChecklistInputSchema.safeParse(input);
  if (!parsed.success) throw new CliUsageError(`invalid checklist input: ${describeZodError(parsed.error, goLiveChecklistInputSchema)}`);
  await withTemporal(async (client, config) => {
    const workflowId = opts.id ?? newWorkflowId(opts.company ? `go-live-checklist-${opts.company}` : 'go-live-checklist');
    const handle = await client.workflow.start('goLiveChecklist', { taskQueue: config.TEMPORAL_TASK_QUEUE, workflowId, args: [input] });
    note(`Running the go-live checklist (${workflowId})...`);
    const summary = await afterChecks(handle);
    emit(opts, summary, () => formatChecklist(summary));
    if (summary.status === 'Failed') throw new CliFailure(`The go-live checklist failed: ${summary.items.filter((i) => i.result === 'fail').map((i) => i.id).join(', ')}. Fix them and run it again.`);
  });
}

async function newestRunning(client: Client, company?: string): Promise<string> {
  const ofCompany = company ? ` AND ${AccountingCompanyKey.name} = '${company}'` : '';
  for await (const w of client.workflow.list({ query: `WorkflowType = 'goLiveChecklist' AND ExecutionStatus = 'Running'${ofCompany}` })) return w.workflowId;
  throw new CliFailure(`No go-live checklist${company ? ` of ${company}` : ''} is waiting for confirmations; start one with \`checklist run\` (or pass --id).`);
}

interface ConfirmOptions extends OutputOptions {
  company?: string;
  by?: string;
  note?: string;
  id?: string;
}

async function confirm(item: string, opts: ConfirmOptions): Promise<void> {
  const by = opts.by ?? process.env.USER ?? userInfo().username;
  await withTemporal(async (client) => {
    const workflowId = opts.id ?? (await newestRunning(client, opts.company));
    const summary = await client.workflow.getHandle(workflowId).executeUpdate(confirmManualItemUpdate, { args: [{ item, by, ...(opts.note && { note: opts.note }) }] });
    emit(opts, summary, () => `Confirmed ${item} by ${by}.\n${formatChecklist(summary)}`);
  });
}

export function registerChecklistCommands(program: Command): void {
  const checklist = program.command('checklist').description('the go-live checklist (goLiveChecklist workflow)');
  withJson(
    checklist
      .command('run')
      .description('run the automated checks, then wait for manual confirmations')
      .option('--company <name>', 'the accounting company to check (default: the only one)')
      .option('--lock-date <date>', 'conversion/lock date (YYYY-MM-DD); default: QuickBooks closing date')
      .option('--item <id...>', 'manual items to confirm (default: the standard ones)')
      .option('--id <workflowId>', 'workflow id (default go-live-checklist-<time>)'),
  ).action((opts: RunOptions) => run(opts));
  withJson(
    checklist
      .command('confirm')
      .argument('<item>', 'manual item id, e.g. test-invoices')
      .description('confirm a manual item on the running checklist')
      .option('--by <name>', 'who confirms (default: $USER)')
      .option('--note <text>', 'note recorded with the confirmation')
      .option('--company <name>', "the newest running checklist of this accounting company")
      .option('--id <workflowId>', 'the checklist run (default: the newest running one)'),
  ).action((item: string, opts: ConfirmOptions) => confirm(item, opts));
}
