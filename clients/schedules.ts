/**
 * Temporal Schedules for the nightly accounting batch and the recurring payment sync. `applySchedules`
 * is idempotent: it creates what is missing and updates what exists (spec, action, policies) while
 * keeping the schedule's state, so a schedule ops paused stays paused after a redeploy. Overlap is
 * SKIP (never two batches or syncs at once) with a bounded catch-up window after an outage.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleSpec, type ScheduleSummary } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { z } from 'zod';
import { accountingBatchInputSchema, describeZodError, paymentSyncInputSchema, type AccountingBatchInput, type PaymentSyncInput } from '../domain/schemas';

export const SCHEDULE_IDS = { batch: 'ledgerline-accounting-batch', payments: 'ledgerline-payment-sync' } as const;
export type ScheduleName = keyof typeof SCHEDULE_IDS;

export class ScheduleConfigError extends Error {
  override name = 'ScheduleConfigError';
}

const duration = /^\d+(s|m|h|d)$/;
const dailyTime = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const cron = /^\S+(\s+\S+){4}$/;

const json = (what: string) =>
  z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `${what} is not JSON: ${(err as Error).message}` });
      return z.NEVER;
    }
  });

const when = z
  .string()
  .trim()
  .refine((v) => duration.test(v) || dailyTime.test(v) || cron.test(v), 'expected an interval (30m, 1h, 1d), a daily time (02:00) or a cron expression (0 2 * * 1-5)');

const scheduleEnvSchema = z.object({
  /** When the accounting batch runs: an interval, a daily time, or cron. */
  LEDGERLINE_BATCH_SCHEDULE: when.default('02:00'),
  /** When the payment sync runs. */
  LEDGERLINE_PAYMENT_SYNC_SCHEDULE: when.default('1h'),
  /** IANA zone for daily times and cron; intervals ignore it. */
  LEDGERLINE_SCHEDULE_TIMEZONE: z.string().min(1).default('UTC'),
  /** After an outage, runs missed less than this long ago still start (one, since overlap is SKIP). */
  LEDGERLINE_SCHEDULE_CATCHUP_WINDOW: z.string().regex(duration, 'expected a duration such as 30m, 6h or 1d').default('6h'),
  /** JSON input of the scheduled accountingBatch (the Start Workflow form's shape). */
  LEDGERLINE_BATCH_INPUT: json('LEDGERLINE_BATCH_INPUT').default({}),
  /** JSON input of the scheduled paymentSync; by default each run reads from the last watermark. */
  LEDGERLINE_PAYMENT_SYNC_INPUT: json('LEDGERLINE_PAYMENT_SYNC_INPUT').default({}),
});

export interface ScheduleConfig {
  batch: { spec: ScheduleSpec; input: AccountingBatchInput };
  payments: { spec: ScheduleSpec; input: PaymentSyncInput };
  catchupWindow: string;
}

/**
 * A nightly batch that waits a full day for retryFailed would still be open at the next night's
 * slot, and overlap SKIP would drop that run: scheduled batches wait at most 20h unless configured.
 */
const SCHEDULED_BATCH_DEFAULTS: AccountingBatchInput = { retryWindow: '20h' };

export function scheduleSpec(when: string, timezone: string): ScheduleSpec {
  if (duration.test(when)) return { intervals: [{ every: when as `${number}h` }] };
  const daily = dailyTime.exec(when);
  if (daily) return { calendars: [{ hour: Number(daily[1]), minute: Number(daily[2]), comment: `daily at ${when}` }], timezone };
  return { cronExpressions: [when], timezone };
}

export function loadScheduleConfig(env: NodeJS.ProcessEnv = process.env): ScheduleConfig {
  const parsed = scheduleEnvSchema.safeParse(env);
  if (!parsed.success) throw new ScheduleConfigError(`Invalid schedule configuration: ${describeZodError(parsed.error)}`);
  const e = parsed.data;
  const batchInput = accountingBatchInputSchema.safeParse({ ...SCHEDULED_BATCH_DEFAULTS, ...(e.LEDGERLINE_BATCH_INPUT as object) });
  if (!batchInput.success) throw new ScheduleConfigError(`LEDGERLINE_BATCH_INPUT: ${describeZodError(batchInput.error, accountingBatchInputSchema)}`);
  const syncInput = paymentSyncInputSchema.safeParse(e.LEDGERLINE_PAYMENT_SYNC_INPUT);
  if (!syncInput.success) throw new ScheduleConfigError(`LEDGERLINE_PAYMENT_SYNC_INPUT: ${describeZodError(syncInput.error, paymentSyncInputSchema)}`);
  return {
    // The raw (pre-default) input goes into the schedule, so the workflow applies its own defaults.
    batch: { spec: scheduleSpec(e.LEDGERLINE_BATCH_SCHEDULE, e.LEDGERLINE_SCHEDULE_TIMEZONE), input: { ...SCHEDULED_BATCH_DEFAULTS, ...(e.LEDGERLINE_BATCH_INPUT as AccountingBatchInput) } },
    payments: { spec: scheduleSpec(e.LEDGERLINE_PAYMENT_SYNC_SCHEDULE, e.LEDGERLINE_SCHEDULE_TIMEZONE), input: e.LEDGERLINE_PAYMENT_SYNC_INPUT as PaymentSyncInput },
    catchupWindow: e.LEDGERLINE_SCHEDULE_CATCHUP_WINDOW,
  };
}

interface Definition {
  scheduleId: string;
  spec: ScheduleSpec;
  workflowType: 'accountingBatch' | 'paymentSync';
  workflowId: string;
  input: unknown;
  note: string;
}

function definitions(config: ScheduleConfig): Definition[] {
  return [
    { scheduleId: SCHEDULE_IDS.batch, spec: config.batch.spec, workflowType: 'accountingBatch', workflowId: 'accounting-batch', input: config.batch.input, note: 'Nightly accounting batch (ConnectWise -> QuickBooks)' },
    { scheduleId: SCHEDULE_IDS.payments, spec: config.payments.spec, workflowType: 'paymentSync', workflowId: 'payment-sync', input: config.payments.input, note: 'Payment sync (QuickBooks -> ConnectWise)' },
  ];
}

export interface AppliedSchedule {
  scheduleId: string;
  outcome: 'created' | 'updated';
}

/** Creates or updates both schedules; safe to run on every deploy. */
export async function applySchedules(client: Client, config: ScheduleConfig, taskQueue: string): Promise<AppliedSchedule[]> {
  const out: AppliedSchedule[] = [];
  for (const d of definitions(config)) {
    // The server appends the scheduled time to workflowId, so each run's id stays unique.
    const action = { type: 'startWorkflow' as const, workflowType: d.workflowType, args: [d.input], taskQueue, workflowId: d.workflowId };
    const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: config.catchupWindow as Duration, pauseOnFailure: false };
    try {
      await client.schedule.create({ scheduleId: d.scheduleId, spec: d.spec, action, policies, state: { note: d.note }, memo: { managedBy: 'ledgerline schedules apply' } });
      out.push({ scheduleId: d.scheduleId, outcome: 'created' });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(d.scheduleId).update((prev) => ({ ...prev, spec: d.spec, action, policies }));
      out.push({ scheduleId: d.scheduleId, outcome: 'updated' });
    }
  }
  return out;
}

export interface ScheduleListing {
  scheduleId: string;
  workflowType?: string;
  paused: boolean;
  note?: string;
  nextRuns: string[];
  recentRuns: { workflowId: string; startedAt: string }[];
}

function toListing(s: ScheduleSummary): ScheduleListing {
  return {
    scheduleId: s.scheduleId,
    ...(s.action?.type === 'startWorkflow' && { workflowType: s.action.workflowType }),
    paused: s.state.paused,
    ...(s.state.note && { note: s.state.note }),
    nextRuns: s.info.nextActionTimes.slice(0, 3).map((d) => d.toISOString()),
    recentRuns: s.info.recentActions.slice(-3).map((a) => ({ workflowId: a.action.workflow.workflowId, startedAt: a.takenAt.toISOString() })),
  };
}

/** Ledgerline's schedules (others in the namespace are left out). */
export async function listSchedules(client: Client): Promise<ScheduleListing[]> {
  const ours = new Set<string>(Object.values(SCHEDULE_IDS));
  const out: ScheduleListing[] = [];
  for await (const s of client.schedule.list()) if (ours.has(s.scheduleId)) out.push(toListing(s));
  return out.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

/** "batch", "payments", or a full schedule id. */
export function scheduleIdOf(name: string): string {
  if (name in SCHEDULE_IDS) return SCHEDULE_IDS[name as ScheduleName];
  if ((Object.values(SCHEDULE_IDS) as string[]).includes(name)) return name;
  throw new ScheduleConfigError(`Unknown schedule "${name}": use ${Object.keys(SCHEDULE_IDS).join(' or ')} (or ${Object.values(SCHEDULE_IDS).join(', ')})`);
}

export async function pauseSchedule(client: Client, name: string, note = 'Paused from the ledgerline CLI'): Promise<string> {
  const id = scheduleIdOf(name);
  await client.schedule.getHandle(id).pause(note);
  return id;
}

export async function unpauseSchedule(client: Client, name: string, note = 'Unpaused from the ledgerline CLI'): Promise<string> {
  const id = scheduleIdOf(name);
  await client.schedule.getHandle(id).unpause(note);
  return id;
}

/** Runs the schedule's action now; with SKIP, nothing starts while a run is still open. */
export async function triggerSchedule(client: Client, name: string): Promise<string> {
  const id = scheduleIdOf(name);
  await client.schedule.getHandle(id).trigger(ScheduleOverlapPolicy.SKIP);
  return id;
}
