/**
 * Temporal Schedules for the nightly accounting batch and the recurring payment sync, one pair per
 * accounting company (config/companies.ts): the LEDGERLINE_*_SCHEDULE settings apply to every company,
 * a company's own `schedules` override them. The default company keeps the ids
 * `ledgerline-accounting-batch` and `ledgerline-payment-sync`; another company's end in `-<company>`
 * and its runs name it in their input. `applySchedules` is idempotent: it creates what is missing
 * and updates what exists (spec, action, policies) while keeping the schedule's state, so a schedule
 * ops paused stays paused after a redeploy. Overlap is SKIP (never two batches or syncs of a company
 * at once) with a bounded catch-up window after an outage.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleSpec, type ScheduleSummary } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { z } from 'zod';
import { accountingBatchInputSchema, describeZodError, paymentSyncInputSchema, type AccountingBatchInput, type PaymentSyncInput } from '../domain/schemas';
import { DEFAULT_COMPANY, hasCompaniesDocument, loadCompanies, type CompanyConfig } from '../config/companies';

/** The default company's schedules; another company's add `-<company>`. */
export const SCHEDULE_IDS = { batch: 'ledgerline-accounting-batch', payments: 'ledgerline-payment-sync' } as const;
export type ScheduleName = keyof typeof SCHEDULE_IDS;

const isDefault = (company?: string) => company === undefined || company === DEFAULT_COMPANY;

/** A company's schedule ids. */
export function scheduleIdsFor(company?: string): Record<ScheduleName, string> {
  return isDefault(company) ? { ...SCHEDULE_IDS } : { batch: `${SCHEDULE_IDS.batch}-${company}`, payments: `${SCHEDULE_IDS.payments}-${company}` };
}

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

/** One company's schedules (absent `company`: the default company's). */
export interface ScheduleConfig {
  company?: string;
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

/**
 * One company's schedules: the LEDGERLINE_* settings, overridden by the company's own `schedules`;
 * without a company, the default company's.
 */
export function loadScheduleConfig(env: NodeJS.ProcessEnv = process.env, company?: Pick<CompanyConfig, 'name' | 'schedules'>): ScheduleConfig {
  const own = company?.schedules ?? {};
  const where = company && !isDefault(company.name) ? `company ${company.name}: schedules.` : '';
  const merged = {
    ...env,
    ...(own.batch !== undefined && { LEDGERLINE_BATCH_SCHEDULE: own.batch }),
    ...(own.payments !== undefined && { LEDGERLINE_PAYMENT_SYNC_SCHEDULE: own.payments }),
    ...(own.timezone !== undefined && { LEDGERLINE_SCHEDULE_TIMEZONE: own.timezone }),
  };
  const parsed = scheduleEnvSchema.safeParse(merged);
  if (!parsed.success) throw new ScheduleConfigError(`Invalid schedule configuration: ${where}${describeZodError(parsed.error)}`);
  const e = parsed.data;
  const named = company && !isDefault(company.name) ? { company: company.name } : {};
  const rawBatch = { ...SCHEDULED_BATCH_DEFAULTS, ...(e.LEDGERLINE_BATCH_INPUT as object), ...own.batchInput, ...named } as AccountingBatchInput;
  const rawSync = { ...(e.LEDGERLINE_PAYMENT_SYNC_INPUT as object), ...own.paymentSyncInput, ...named } as PaymentSyncInput;
  const batchInput = accountingBatchInputSchema.safeParse(rawBatch);
  if (!batchInput.success) throw new ScheduleConfigError(`${where}${own.batchInput ? 'batchInput' : 'LEDGERLINE_BATCH_INPUT'}: ${describeZodError(batchInput.error, accountingBatchInputSchema)}`);
  const syncInput = paymentSyncInputSchema.safeParse(rawSync);
  if (!syncInput.success) throw new ScheduleConfigError(`${where}${own.paymentSyncInput ? 'paymentSyncInput' : 'LEDGERLINE_PAYMENT_SYNC_INPUT'}: ${describeZodError(syncInput.error, paymentSyncInputSchema)}`);
  return {
    ...(company && !isDefault(company.name) && { company: company.name }),
    // The raw (pre-default) input goes into the schedule, so the workflow applies its own defaults.
    batch: { spec: scheduleSpec(e.LEDGERLINE_BATCH_SCHEDULE, e.LEDGERLINE_SCHEDULE_TIMEZONE), input: rawBatch },
    payments: { spec: scheduleSpec(e.LEDGERLINE_PAYMENT_SYNC_SCHEDULE, e.LEDGERLINE_SCHEDULE_TIMEZONE), input: rawSync },
    catchupWindow: e.LEDGERLINE_SCHEDULE_CATCHUP_WINDOW,
  };
}

/** Every accounting company's schedules (without a companies document: the default company's). */
export function loadCompanySchedules(env: NodeJS.ProcessEnv = process.env): ScheduleConfig[] {
  if (!hasCompaniesDocument(env)) return [loadScheduleConfig(env)];
  return loadCompanies(env).map((company) => loadScheduleConfig(env, company));
}

interface Definition {
  catchupWindow: string;
  scheduleId: string;
  spec: ScheduleSpec;
  workflowType: 'accountingBatch' | 'paymentSync';
  workflowId: string;
  input: unknown;
  note: string;
}

function definitions(config: ScheduleConfig): Definition[] {
  const ids = scheduleIdsFor(config.company);
  const suffix = config.company ? `-${config.company}` : '';
  const of = config.company ? ` for accounting company ${config.company}` : '';
  return [
    { catchupWindow: config.catchupWindow, scheduleId: ids.batch, spec: config.batch.spec, workflowType: 'accountingBatch', workflowId: `accounting-batch${suffix}`, input: config.batch.input, note: `Nightly accounting batch (ConnectWise -> QuickBooks)${of}` },
    { catchupWindow: config.catchupWindow, scheduleId: ids.payments, spec: config.payments.spec, workflowType: 'paymentSync', workflowId: `payment-sync${suffix}`, input: config.payments.input, note: `Payment sync (QuickBooks -> ConnectWise)${of}` },
  ];
}

export interface AppliedSchedule {
  scheduleId: string;
  outcome: 'created' | 'updated';
}

/** Creates or updates both schedules of each company; safe to run on every deploy. */
export async function applySchedules(client: Client, config: ScheduleConfig | ScheduleConfig[], taskQueue: string): Promise<AppliedSchedule[]> {
  const out: AppliedSchedule[] = [];
  for (const d of [config].flat().flatMap(definitions)) {
    // The server appends the scheduled time to workflowId, so each run's id stays unique.
    const action = { type: 'startWorkflow' as const, workflowType: d.workflowType, args: [d.input], taskQueue, workflowId: d.workflowId };
    const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: d.catchupWindow as Duration, pauseOnFailure: false };
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

/** Ledgerline's schedules, every company's (others in the namespace are left out). */
export async function listSchedules(client: Client): Promise<ScheduleListing[]> {
  const ours = (id: string) => Object.values(SCHEDULE_IDS).some((prefix) => id === prefix || id.startsWith(`${prefix}-`));
  const out: ScheduleListing[] = [];
  for await (const s of client.schedule.list()) if (ours(s.scheduleId)) out.push(toListing(s));
  return out.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

/** "batch" or "payments" of a company (default: the default company's), or a full schedule id. */
export function scheduleIdOf(name: string, company?: string): string {
  if (name in SCHEDULE_IDS) return scheduleIdsFor(company)[name as ScheduleName];
  if (Object.values(SCHEDULE_IDS).some((prefix) => name === prefix || name.startsWith(`${prefix}-`))) return name;
  throw new ScheduleConfigError(`Unknown schedule "${name}": use ${Object.keys(SCHEDULE_IDS).join(' or ')} (with --company for another company's), or a schedule id (${Object.values(SCHEDULE_IDS).join(', ')}, ...)`);
}

export async function pauseSchedule(client: Client, name: string, note = 'Paused from the ledgerline CLI', company?: string): Promise<string> {
  const id = scheduleIdOf(name, company);
  await client.schedule.getHandle(id).pause(note);
  return id;
}

export async function unpauseSchedule(client: Client, name: string, note = 'Unpaused from the ledgerline CLI', company?: string): Promise<string> {
  const id = scheduleIdOf(name, company);
  await client.schedule.getHandle(id).unpause(note);
  return id;
}

/** Runs the schedule's action now; with SKIP, nothing starts while a run is still open. */
export async function triggerSchedule(client: Client, name: string, company?: string): Promise<string> {
  const id = scheduleIdOf(name, company);
  await client.schedule.getHandle(id).trigger(ScheduleOverlapPolicy.SKIP);
  return id;
}
