/** `payments sync`: run paymentSync now and print what was applied and skipped (and why). */
import type { Command } from 'commander';
import type { PaymentSyncSummary } from '../../domain/payments';
import { describeZodError, paymentSyncInputSchema } from '../../domain/schemas';
import { newWorkflowId, withTemporal } from './connection';
import { CliUsageError } from './errors';
import { CliFailure } from './failures';
import { emit, note, withJson, type OutputOptions } from './output';

export function formatPaymentSummary(s: PaymentSyncSummary): string {
  if (s.status === 'NotEnabled') return `Payment sync did not run: ${s.message}`;
  const lines = [
    `Payment sync (${s.workflowId}): ${s.status}${s.company ? ` for ${s.company}` : ''}`,
    `  window: ${s.window?.since} to ${s.window?.until} (from ${s.window?.from})`,
    `  payments read: ${s.paymentsRead}; applied: ${s.appliedCount} (${s.appliedTotal}); skipped: ${s.skippedCount}`,
  ];
  for (const a of s.applied) lines.push(`  APPLIED ${a.paymentRef} -> invoice ${a.invoiceNumber}: ${a.amount} on ${a.date}${a.note ? ` (${a.note})` : ''}`);
  for (const k of s.skipped) {
    lines.push(`  SKIPPED ${k.paymentRef}${k.invoiceNumber ? ` for invoice ${k.invoiceNumber}` : ''}: ${k.reason}: ${k.detail}${k.fix ? `\n    fix: ${k.fix}` : ''}`);
  }
  const omitted = s.appliedCount - s.applied.length + (s.skippedCount - s.skipped.length);
  if (omitted > 0) lines.push(`  ...${omitted} more not listed (see the run in Temporal)`);
  return lines.join('\n');
}

interface SyncOptions extends OutputOptions {
  company?: string;
  since?: string;
  until?: string;
  lookback?: string;
  notify?: string;
  id?: string;
}

async function sync(opts: SyncOptions): Promise<void> {
  const input = {
    ...(opts.company && { company: opts.company }),
    ...(opts.since && { since: opts.since }),
    ...(opts.until && { until: opts.until }),
    ...(opts.lookback && { lookback: opts.lookback }),
    ...(opts.notify && { notify: opts.notify.includes('@') ? { email: opts.notify } : { member: opts.notify } }),
  };
  const parsed = paymentSyncInputSchema.safeParse(input);
  if (!parsed.success) throw new CliUsageError(`invalid payment sync input: ${describeZodError(parsed.error, paymentSyncInputSchema)}`);
  await withTemporal(async (client, config) => {
    const workflowId = opts.id ?? newWorkflowId(opts.company ? `payment-sync-${opts.company}` : 'payment-sync');
    note(`Syncing payments (${workflowId})...`);
    const summary = (await client.workflow.execute('paymentSync', { taskQueue: config.TEMPORAL_TASK_QUEUE, workflowId, args: [input] })) as PaymentSyncSummary;
    emit(opts, summary, () => formatPaymentSummary(summary));
    if (summary.status === 'NotEnabled') throw new CliFailure(`Payment sync did not run: ${summary.message}`);
  });
}

export function registerPaymentCommands(program: Command): void {
  const payments = program.command('payments').description('payments: QuickBooks -> ConnectWise invoices');
  withJson(
    payments
      .command('sync')
      .description('record payments made in QuickBooks on the PSA invoices, now')
      .option('--company <name>', "the accounting company whose QuickBooks payments to read (default: the only one)")
      .option('--since <date>', 'payments updated since this day or ISO time (default: the last successful sync)')
      .option('--until <date>', 'payments updated up to this day or ISO time (default: now)')
      .option('--lookback <duration>', 'first run only: how far back to read (default 30d)')
      .option('--notify <member|email>', 'who gets the report (PSA member identifier or address)')
      .option('--id <workflowId>', 'workflow id (default payment-sync-<time>)'),
  ).action((opts: SyncOptions) => sync(opts));
}
