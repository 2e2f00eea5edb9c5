/**
 * The accounting batch at scale, on a Temporal dev server with both sandboxes in-process and the
 * two workers in a child process (so their RSS is theirs alone). Per batch size
 * (BENCH_BATCH_SIZES, default 2000,10000 records from the PSA generator), throttles off:
 *   - records/s through the real workflow (start -> result);
 *   - records/s of the same activity functions over the same clients in a plain in-process loop,
 *     on a fresh stack with the same records, and the ratio (what durability costs);
 *   - the most events in any history of the run, and the workers' peak RSS.
 * Then once with throttles on (QuickBooks limits as configured + the accounting queue's
 * maxTaskQueueActivitiesPerSecond, BENCH_THROTTLED_SIZE records): the share of the configured rate
 * reached (BENCH_ACCOUNTING_RATE, default ACCOUNTING_MAX_ACTIVITIES_PER_SECOND or 8/s). Figures
 * only: nothing here passes or fails on time; targets are printed as met / not met.
 * Quick run: BENCH_BATCH_SIZES=200 BENCH_THROTTLED_SIZE=200 npx tsx bench/main.ts accounting-batch
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { createActivities } from '../activities';
import type { BatchSummary } from '../domain/batch-summary';
import { DEFAULT_LIMITS } from '../dev/sandbox/quickbooks/limits';
import { startLedgerStack, type LedgerStack } from '../dev/stack/ledger-stack';
import { spawnStackWorkers } from '../dev/stack/worker-process';
import { startDevServerEnv, workflowBundle } from '../dev/stack/temporal';
import { accountingBatch } from '../workflows';
import { accountingQueueFor } from '../workflows/definitions';
import { runPlainBatch } from './batch-plain-loop';
import type { BenchFigure, BenchReport } from './main';

const EventType = temporal.api.enums.v1.EventType;
const MB = 1024 * 1024;
const THROTTLES_OFF = { requestsPerMinute: 1e9, concurrentRequests: 1e9, batchRequestsPerMinute: 1e9 };

const sizes = (process.env.BENCH_BATCH_SIZES ?? '2000,10000').split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
const throttledSize = Number(process.env.BENCH_THROTTLED_SIZE ?? 1000);

/** Generated records split like an MSP's month: mostly invoices. Same seed, same records. */
async function stackWithRecords(n: number, qboKnobs: Record<string, number>): Promise<{ stack: LedgerStack; records: number }> {
  const stack = await startLedgerStack({ qboKnobs });
  const invoices = Math.round(n * 0.6);
  const expenses = Math.round(n * 0.2);
  await stack.psa.admin.generate({ invoices, expenses, procurement: n - invoices - expenses, seed: 42 });
  const psa = stack.deps.psa;
  const records = (await psa.unpostedInvoices.count()) + (await psa.unpostedExpenses.count()) + (await psa.unpostedProcurement.count());
  return { stack, records };
}

export interface HistoryStats {
  workflows: number;
  maxEvents: number;
  /** Start times (ms) of accounting-queue activity attempts, across every history of the run. */
  accountingStarts: number[];
  postStarts: number[];
}

/** Every workflow of the run (each run has its own namespace content: one batch per dev server). */
export async function historyStats(env: TestWorkflowEnvironment, batchWorkflowId: string, accountingQueue: string): Promise<HistoryStats> {
  const stats: HistoryStats = { workflows: 0, maxEvents: 0, accountingStarts: [], postStarts: [] };
  for await (const wf of env.client.workflow.list()) {
    if (wf.workflowId !== batchWorkflowId && !wf.workflowId.startsWith(`${batchWorkflowId}/`)) continue;
    const history = await env.client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    const events = history.events ?? [];
    stats.workflows += 1;
    stats.maxEvents = Math.max(stats.maxEvents, events.length);
    const scheduled = new Map<number, { queue: string; type: string }>();
    for (const e of events) {
      const a = e.activityTaskScheduledEventAttributes;
      if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && a) {
        scheduled.set(Number(e.eventId), { queue: a.taskQueue?.name ?? '', type: a.activityType?.name ?? '' });
      }
      const s = e.activityTaskStartedEventAttributes;
      if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED && s) {
        const what = scheduled.get(Number(s.scheduledEventId));
        // One started event per completed attempt (retries show as attempt > 1 on it).
        if (what?.queue === accountingQueue) {
          const at = tsToMs(e.eventTime!);
          for (let i = 0; i < (s.attempt ?? 1); i++) stats.accountingStarts.push(at);
          if (what.type === 'postRecords') stats.postStarts.push(at);
        }
      }
    }
  }
  return stats;
}

interface DurableRun {
  records: number;
  seconds: number;
  summary: BatchSummary;
  stats: HistoryStats;
  peakRssBytes: number;
}

async function durableRun(n: number, opts: { throttled: boolean; rate?: number }): Promise<DurableRun> {
  const env = await startDevServerEnv();
  const { stack, records } = await stackWithRecords(n, opts.throttled ? { ...DEFAULT_LIMITS } : THROTTLES_OFF);
  const taskQueue = `bench-${n}`;
  const workers = await spawnStackWorkers(stack, {
    temporalAddress: env.address,
    taskQueue,
    bundleCode: (await workflowBundle()).code,
    maxTaskQueueActivitiesPerSecond: opts.rate,
  });
  try {
    const workflowId = `bench-batch-${n}${opts.throttled ? '-throttled' : ''}`;
    const t0 = performance.now();
    const handle = await env.client.workflow.start(accountingBatch, {
      taskQueue,
      workflowId,
      // override: a fresh stack has no go-live checklist; retryWindow: failures must not hold the run open.
      args: [{ batchId: `B${n}`, override: true, retryWindow: '1s' }],
    });
    const summary = await handle.result();
    const seconds = (performance.now() - t0) / 1000;
    const peakRssBytes = await workers.stop();
    const stats = await historyStats(env, workflowId, accountingQueueFor(taskQueue));
    return { records, seconds, summary, stats, peakRssBytes };
  } finally {
    if (workers.child.exitCode === null) await workers.kill();
    await stack.close();
    await env.teardown();
  }
}

async function plainRun(n: number): Promise<{ records: number; seconds: number; failed: number }> {
  const { stack } = await stackWithRecords(n, THROTTLES_OFF);
  try {
    const t0 = performance.now();
    const result = await runPlainBatch(createActivities(stack.deps), `P${n}`);
    return { records: result.collected, seconds: (performance.now() - t0) / 1000, failed: result.failed };
  } finally {
    await stack.close();
  }
}

const count = (s: BatchSummary, f: 'posted' | 'alreadyPosted' | 'failed') => Object.values(s.byKind).reduce((n, t) => n + t[f], 0);
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

export async function run(): Promise<BenchReport> {
  const figures: BenchFigure[] = [];
  const notes: string[] = [];
  const table: string[][] = [['records', 'durable rec/s', 'plain rec/s', 'ratio', 'max history', 'worker peak RSS', 'failed (durable/plain)']];
  let worstRatio = Infinity;
  let maxEvents = 0;
  let peakRss = 0;

  for (const n of sizes) {
    const durable = await durableRun(n, { throttled: false });
    const plain = await plainRun(n);
    const durableRate = durable.records / durable.seconds;
    const plainRate = plain.records / plain.seconds;
    const ratio = durableRate / plainRate;
    worstRatio = Math.min(worstRatio, ratio);
    maxEvents = Math.max(maxEvents, durable.stats.maxEvents);
    peakRss = Math.max(peakRss, durable.peakRssBytes);
    figures.push(
      { label: `${n}: durable workflow`, value: durableRate, unit: `records/s (${durable.records} in ${durable.seconds.toFixed(1)} s)` },
      { label: `${n}: plain in-process loop`, value: plainRate, unit: `records/s (${plain.records} in ${plain.seconds.toFixed(1)} s)` },
      { label: `${n}: durable / plain`, value: ratio, unit: 'x' },
      { label: `${n}: most events in a history`, value: durable.stats.maxEvents, unit: `events (${durable.stats.workflows} workflows)` },
      { label: `${n}: worker peak RSS`, value: durable.peakRssBytes / MB, unit: 'MB' },
    );
    const failedDurable = count(durable.summary, 'failed');
    if (failedDurable > 0 || plain.failed > 0) {
      notes.push(`${n}: records failed as business outcomes: durable ${failedDurable}, plain ${plain.failed}; first: ${JSON.stringify(durable.summary.failures[0] ?? null)}`);
    }
    table.push([
      String(durable.records),
      durableRate.toFixed(1),
      plainRate.toFixed(1),
      `${ratio.toFixed(2)}x`,
      String(durable.stats.maxEvents),
      `${(durable.peakRssBytes / MB).toFixed(0)} MB`,
      `${failedDurable}/${plain.failed}`,
    ]);
  }

  // Throttled: QuickBooks' own limits as configured, and the accounting queue's rate limit.
  const rate = Number(process.env.BENCH_ACCOUNTING_RATE ?? process.env.ACCOUNTING_MAX_ACTIVITIES_PER_SECOND ?? 8);
  const throttled = await durableRun(throttledSize, { throttled: true, rate });
  const starts = throttled.stats.accountingStarts.sort((a, b) => a - b);
  const windowS = starts.length > 1 ? (starts[starts.length - 1] - starts[0]) / 1000 : NaN;
  const achieved = starts.length / windowS;
  const postsPerMinute = (throttled.stats.postStarts.length / windowS) * 60;
  const share = achieved / rate;
  figures.push(
    { label: `throttled ${throttled.records}: durable workflow`, value: throttled.records / throttled.seconds, unit: `records/s (${throttled.seconds.toFixed(1)} s)` },
    { label: 'throttled: accounting activities started', value: achieved, unit: `per s (limit ${rate}/s, ${starts.length} attempts over ${windowS.toFixed(1)} s)` },
    { label: 'throttled: share of the accounting rate limit', value: share * 100, unit: '%' },
    { label: 'throttled: QuickBooks batch calls (postRecords)', value: postsPerMinute, unit: `per min (QuickBooks allows ${DEFAULT_LIMITS.batchRequestsPerMinute}/min)` },
  );
  maxEvents = Math.max(maxEvents, throttled.stats.maxEvents);
  peakRss = Math.max(peakRss, throttled.peakRssBytes);

  notes.push(
    `targets: durable >= 0.8x plain: ${sizes.length ? `${met(worstRatio >= 0.8)} (worst ${worstRatio.toFixed(2)}x)` : 'not measured (BENCH_BATCH_SIZES empty)'}; ` +
      `>= 90% of the rate limit when throttled: ${met(share >= 0.9)} (${(share * 100).toFixed(0)}%); ` +
      `no history above 5,000 events: ${met(maxEvents <= 5000)} (${maxEvents}); ` +
      `worker peak RSS < 400 MB: ${met(peakRss < 400 * MB)} (${(peakRss / MB).toFixed(0)} MB)`,
  );
  table.push([`${throttled.records} thr.`, (throttled.records / throttled.seconds).toFixed(1), '-', `${(share * 100).toFixed(0)}% of ${rate}/s`, String(throttled.stats.maxEvents), `${(throttled.peakRssBytes / MB).toFixed(0)} MB`, String(count(throttled.summary, 'failed'))]);
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  notes.push('summary table:\n' + table.map((r) => '    ' + r.map((c, i) => c.padStart(widths[i])).join('  ')).join('\n'));
  return { name: 'accounting batch: durable workflow vs plain loop, throttled rate, history size, worker RSS', figures, notes };
}
