/**
 * The accounting batch at scale, on a Temporal dev server with both sandboxes in-process and the
 * two workers in a child process (so their RSS is theirs alone). Per batch size (BENCH_SIZES,
 * default 2000,10000,50000 records from the PSA generator; BENCH_BATCH_SIZES is read too), throttles
 * off:
 *   - records/s through the real workflow (start -> result), and of the same activity functions
 *     over the same clients in a plain in-process loop on a fresh stack with the same records, and
 *     their ratio (what durability costs); time growth against the previous size;
 *   - PSA requests per record (every request the ConnectWise sandbox served during the run);
 *   - the most events in any history of the run and the largest history's bytes, and the workers' peak RSS.
 * Then once with throttles on (QuickBooks' limits in the sandbox and as the company's configured
 * limits, which the client paces within; BENCH_THROTTLED_SIZE records; the accounting queue's rate
 * the company's unless BENCH_ACCOUNTING_RATE says): QuickBooks batch calls per minute against the 40
 * allowed, records/s end to end against the ceiling those allow (40 calls x 30 items a minute =
 * 20/s), and the 429s QuickBooks answered. Figures only: nothing here passes or fails on time;
 * targets are reported as met / not met / not measured.
 * Quick run: BENCH_SIZES=200,400 BENCH_THROTTLED_SIZE=200 npx tsx bench/main.ts accounting-batch
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { createActivities } from '../activities';
import type { BatchSummary } from '../domain/batch-summary';
import { DEFAULT_LIMITS } from '../dev/sandbox/quickbooks/limits';
import { MAX_BATCH_ITEMS } from '../dev/sandbox/quickbooks/api';
import type { QuickBooksTraffic } from '../dev/sandbox/quickbooks';
import { startLedgerStack, type LedgerStack } from '../dev/stack/ledger-stack';
import { spawnStackWorkers } from '../dev/stack/worker-process';
import { startDevServerEnv, workflowBundle } from '../dev/stack/temporal';
import { accountingBatch } from '../workflows';
import { accountingQueueFor, batchCallQueueFor } from '../workflows/definitions';
import { runPlainBatch } from './batch-plain-loop';
import type { BenchFigure, BenchReport, BenchTarget } from './main';

const EventType = temporal.api.enums.v1.EventType;
const MB = 1024 * 1024;
const THROTTLES_OFF = { requestsPerMinute: 1e9, concurrentRequests: 1e9, batchRequestsPerMinute: 1e9 };

const sizes = (process.env.BENCH_SIZES ?? process.env.BENCH_BATCH_SIZES ?? '2000,10000,50000').split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
/** Enough records for several minutes at QuickBooks' ceiling (20/s), so whole minutes are measured. */
const throttledSize = Number(process.env.BENCH_THROTTLED_SIZE ?? 4000);

/**
 * Sustained batch calls a minute: the calls in each whole minute from the first call, averaged
 * (the last, partial minute left out); under one whole minute, the calls over the time they took.
 */
export function batchCallsPerMinute(times: readonly number[]): { perMinute: number; minutes: number } {
  if (times.length < 2) return { perMinute: NaN, minutes: 0 };
  const first = times[0]!;
  const minutes = Math.floor((times[times.length - 1]! - first) / 60_000);
  if (minutes === 0) return { perMinute: ((times.length - 1) * 60_000) / (times[times.length - 1]! - first), minutes: 0 };
  return { perMinute: times.filter((t) => t < first + minutes * 60_000).length / minutes, minutes };
}

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
  /** The largest history's size as Temporal stores it (protobuf bytes, payloads encrypted). */
  maxBytes: number;
  /** Start times (ms) of the company's accounting and batch-call queue activity attempts, across every history of the run. */
  accountingStarts: number[];
  postStarts: number[];
}

/** Every workflow of the run (each run has its own namespace content: one batch per dev server). */
export async function historyStats(env: TestWorkflowEnvironment, batchWorkflowId: string, accountingQueue: string): Promise<HistoryStats> {
  const stats: HistoryStats = { workflows: 0, maxEvents: 0, maxBytes: 0, accountingStarts: [], postStarts: [] };
  for await (const wf of env.client.workflow.list()) {
    if (wf.workflowId !== batchWorkflowId && !wf.workflowId.startsWith(`${batchWorkflowId}/`)) continue;
    const history = await env.client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    const events = history.events ?? [];
    stats.workflows += 1;
    stats.maxEvents = Math.max(stats.maxEvents, events.length);
    stats.maxBytes = Math.max(stats.maxBytes, temporal.api.history.v1.History.encode(history).finish().length);
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
        if (what?.queue === accountingQueue || what?.queue === batchCallQueueFor(accountingQueue)) {
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
  psaRequests: number;
  qbo: QuickBooksTraffic;
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
  let psaRequests = 0;
  const stopCounting = stack.psa.admin.onRequest(() => void (psaRequests += 1));
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
    stopCounting();
    const qbo = stack.qbo.admin.traffic();
    const peakRssBytes = await workers.stop();
    const stats = await historyStats(env, workflowId, accountingQueueFor(taskQueue));
    return { records, seconds, summary, stats, peakRssBytes, psaRequests, qbo };
  } finally {
    stopCounting();
    if (workers.child.exitCode === null) await workers.kill();
    await stack.close();
    await env.teardown();
  }
}

async function plainRun(n: number): Promise<{ records: number; seconds: number; failed: number; psaRequests: number }> {
  const { stack } = await stackWithRecords(n, THROTTLES_OFF);
  let psaRequests = 0;
  const stopCounting = stack.psa.admin.onRequest(() => void (psaRequests += 1));
  try {
    const t0 = performance.now();
    const result = await runPlainBatch(createActivities(stack.deps), `P${n}`);
    return { records: result.collected, seconds: (performance.now() - t0) / 1000, failed: result.failed, psaRequests };
  } finally {
    stopCounting();
    await stack.close();
  }
}

const count = (s: BatchSummary, f: 'posted' | 'alreadyPosted' | 'failed') => Object.values(s.byKind).reduce((n, t) => n + t[f], 0);
const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;

/** The targets of the accounting batch (issue figures on this machine, not assertions). */
const TARGET = { ratio: 0.9, growth50kOver10k: 5.5, rssAt50kMb: 300, batchCallsPerMinute: 38, recordsPerSecond: 18 };

interface SizeResult {
  n: number;
  durable: DurableRun;
  plain: Awaited<ReturnType<typeof plainRun>>;
}

export async function run(): Promise<BenchReport> {
  const figures: BenchFigure[] = [];
  const notes: string[] = [];
  const table: string[][] = [['records', 'durable rec/s', 'plain rec/s', 'durable/plain', 'time growth (durable, plain)', 'PSA requests/record', 'max history events', 'largest history', 'worker peak RSS', 'failed (durable/plain)']];
  const results: SizeResult[] = [];

  for (const n of sizes) {
    const durable = await durableRun(n, { throttled: false });
    const plain = await plainRun(n);
    const previous = results[results.length - 1];
    results.push({ n, durable, plain });
    const durableRate = durable.records / durable.seconds;
    const plainRate = plain.records / plain.seconds;
    const ratio = durableRate / plainRate;
    const growth = previous
      ? `${(durable.seconds / previous.durable.seconds).toFixed(2)}x, ${(plain.seconds / previous.plain.seconds).toFixed(2)}x for ${(durable.records / previous.durable.records).toFixed(2)}x records`
      : '-';
    figures.push(
      { label: `${n}: durable workflow`, value: durableRate, unit: `records/s (${durable.records} in ${durable.seconds.toFixed(1)} s)` },
      { label: `${n}: plain in-process loop`, value: plainRate, unit: `records/s (${plain.records} in ${plain.seconds.toFixed(1)} s)` },
      { label: `${n}: durable / plain`, value: ratio, unit: 'x' },
      { label: `${n}: PSA requests per record`, value: durable.psaRequests / durable.records, unit: `(durable; plain loop ${(plain.psaRequests / plain.records).toFixed(2)})` },
      { label: `${n}: most events in a history`, value: durable.stats.maxEvents, unit: `events (${durable.stats.workflows} workflows)` },
      { label: `${n}: largest history`, value: durable.stats.maxBytes / MB, unit: 'MB' },
      { label: `${n}: worker peak RSS`, value: durable.peakRssBytes / MB, unit: 'MB' },
    );
    if (previous) figures.push({ label: `${n}: durable time growth`, value: durable.seconds / previous.durable.seconds, unit: `x over ${previous.n} (records ${(durable.records / previous.durable.records).toFixed(2)}x)` });
    const failedDurable = count(durable.summary, 'failed');
    if (failedDurable > 0 || plain.failed > 0) {
      notes.push(`${n}: records failed as business outcomes: durable ${failedDurable}, plain ${plain.failed}; first: ${JSON.stringify(durable.summary.failures[0] ?? null)}`);
    }
    table.push([
      String(durable.records),
      durableRate.toFixed(1),
      plainRate.toFixed(1),
      `${ratio.toFixed(2)}x`,
      growth,
      `${(durable.psaRequests / durable.records).toFixed(2)} (plain ${(plain.psaRequests / plain.records).toFixed(2)})`,
      String(durable.stats.maxEvents),
      `${(durable.stats.maxBytes / MB).toFixed(2)} MB`,
      mb(durable.peakRssBytes),
      `${failedDurable}/${plain.failed}`,
    ]);
  }

  // Throttled: QuickBooks' own limits in the sandbox and in the company's configuration.
  const rate = process.env.BENCH_ACCOUNTING_RATE ? Number(process.env.BENCH_ACCOUNTING_RATE) : undefined;
  const throttled = await durableRun(throttledSize, { throttled: true, rate });
  const starts = throttled.stats.accountingStarts.sort((a, b) => a - b);
  const windowS = starts.length > 1 ? (starts[starts.length - 1]! - starts[0]!) / 1000 : NaN;
  const achieved = starts.length / windowS;
  const q = throttled.qbo;
  const { perMinute: batchCallsRate, minutes: batchMinutes } = batchCallsPerMinute(q.batchCallTimes);
  const ceiling = (DEFAULT_LIMITS.batchRequestsPerMinute * MAX_BATCH_ITEMS) / 60;
  const throttledRate = throttled.records / throttled.seconds;
  figures.push(
    { label: `throttled ${throttled.records}: durable workflow`, value: throttledRate, unit: `records/s end to end (${throttled.seconds.toFixed(1)} s; ceiling ${ceiling}/s = ${DEFAULT_LIMITS.batchRequestsPerMinute} batch calls x ${MAX_BATCH_ITEMS} a minute)` },
    { label: 'throttled: QuickBooks batch calls', value: batchCallsRate, unit: `per min (of ${DEFAULT_LIMITS.batchRequestsPerMinute} allowed; ${q.batchCalls} calls, ${batchMinutes} whole minute(s) measured)` },
    { label: 'throttled: 429s from QuickBooks', value: q.throttled, unit: `(of ${q.requests} requests${q.throttled ? `; over ${JSON.stringify(q.throttledBy)}` : ''})` },
    { label: 'throttled: accounting activities started', value: achieved, unit: `per s (queue limit ${(rate ?? DEFAULT_LIMITS.requestsPerMinute / 60).toFixed(2)}/s, ${starts.length} attempts over ${windowS.toFixed(1)} s)` },
  );
  table.push([
    `${throttled.records} throttled`,
    throttledRate.toFixed(1),
    '-',
    '-',
    `${batchCallsRate.toFixed(1)} of ${DEFAULT_LIMITS.batchRequestsPerMinute} batch calls/min`,
    `${(throttled.psaRequests / throttled.records).toFixed(2)}`,
    String(throttled.stats.maxEvents),
    `${(throttled.stats.maxBytes / MB).toFixed(2)} MB`,
    mb(throttled.peakRssBytes),
    `${count(throttled.summary, 'failed')}; ${q.throttled} 429s`,
  ]);

  const targets: BenchTarget[] = [];
  for (const { n, durable, plain } of results) {
    const ratio = durable.records / durable.seconds / (plain.records / plain.seconds);
    targets.push({ target: `durable >= ${TARGET.ratio}x plain at ${n}`, met: ratio >= TARGET.ratio, measured: `${ratio.toFixed(2)}x` });
  }
  const at = (n: number) => results.find((r) => r.n === n);
  const r10 = at(10000);
  const r50 = at(50000);
  targets.push(
    r10 && r50
      ? { target: `durable time at 50k <= ${TARGET.growth50kOver10k}x the time at 10k`, met: r50.durable.seconds / r10.durable.seconds <= TARGET.growth50kOver10k, measured: `${(r50.durable.seconds / r10.durable.seconds).toFixed(2)}x (${r10.durable.seconds.toFixed(0)} s -> ${r50.durable.seconds.toFixed(0)} s)` }
      : { target: `durable time at 50k <= ${TARGET.growth50kOver10k}x the time at 10k`, met: null, measured: 'needs sizes 10000 and 50000 in BENCH_SIZES' },
    r50
      ? { target: `worker peak RSS <= ${TARGET.rssAt50kMb} MB at 50k`, met: r50.durable.peakRssBytes <= TARGET.rssAt50kMb * MB, measured: mb(r50.durable.peakRssBytes) }
      : {
          target: `worker peak RSS <= ${TARGET.rssAt50kMb} MB at 50k`,
          met: null,
          measured: results.length ? `50000 not in BENCH_SIZES; ${mb(Math.max(...results.map((r) => r.durable.peakRssBytes)))} at ${results[results.length - 1]!.n}` : 'no sizes',
        },
    {
      target: `throttled: >= ${TARGET.batchCallsPerMinute} of ${DEFAULT_LIMITS.batchRequestsPerMinute} batch calls/min`,
      met: batchMinutes > 0 && batchCallsRate >= TARGET.batchCallsPerMinute,
      measured: `${batchCallsRate.toFixed(1)}/min over ${batchMinutes} whole minute(s) (${throttled.records} records)`,
    },
    { target: `throttled: >= ${TARGET.recordsPerSecond} records/s end to end (ceiling ${ceiling}/s)`, met: throttledRate >= TARGET.recordsPerSecond, measured: `${throttledRate.toFixed(1)} records/s` },
    { target: 'throttled: 0 429s from QuickBooks', met: q.throttled === 0, measured: String(q.throttled) },
  );
  return { name: 'accounting batch: durable workflow vs plain loop, throttled at QuickBooks limits, history size, worker RSS', figures, notes, table, targets };
}
