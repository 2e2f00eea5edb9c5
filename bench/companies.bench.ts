/**
 * Fair capacity across accounting companies: on a deployment of four companies (the same records,
 * the same worker process), one company's batch alone, then (on a fresh copy of that deployment)
 * the four companies' batches at once, every company held to QuickBooks'
 * limits by its own throttles: its own sandbox realm at DEFAULT_LIMITS (500 requests/min, 10
 * concurrent, 40 batch calls/min) and its own accounting queue's rate limit, shared by all workers
 * (BENCH_COMPANY_RATE, default 1 activity/s: a post and a reconcile per group keep it under 40
 * batch calls a minute). Batches of BENCH_COMPANY_CHUNK records (default 10) make those limits, not
 * this machine's CPU, set the pace. Since each company's limits are its own, four companies should
 * reach about four times one company's throughput (target at least 3.6x).
 * Records per company: BENCH_COMPANY_RECORDS (default 600).
 * Figures only: nothing here passes or fails on time; the target is printed as met / not met.
 * Quick run: BENCH_COMPANY_RECORDS=100 npx tsx bench/main.ts companies
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { accountingBatch } from '../workflows';
import type { BatchSummary } from '../domain/batch-summary';
import { DEFAULT_LIMITS } from '../dev/sandbox/quickbooks/limits';
import { startLedgerStack } from '../dev/stack/ledger-stack';
import { spawnStackWorkers } from '../dev/stack/worker-process';
import { startDevServerEnv, workflowBundle } from '../dev/stack/temporal';
import { accountingQueueFor } from '../workflows/definitions';
import { historyStats } from './accounting-batch.bench';
import type { BenchFigure, BenchReport } from './main';

const perCompany = Number(process.env.BENCH_COMPANY_RECORDS ?? 600);
const rate = Number(process.env.BENCH_COMPANY_RATE ?? 1);
const chunkSize = Number(process.env.BENCH_COMPANY_CHUNK ?? 10);
/** Seattle and Tacoma come with the demo site; the others are added. */
const LOCATIONS = ['Seattle', 'Tacoma', 'Olympia', 'Spokane'];

interface Run {
  posted: number;
  failed: number;
  seconds: number;
  /** QuickBooks batch calls (postRecords) per minute, per company. */
  batchCallsPerMinute: number[];
}

const count = (s: BatchSummary, f: 'posted' | 'alreadyPosted' | 'failed') => Object.values(s.byKind).reduce((n, t) => n + t[f], 0);

const COMPANIES = LOCATIONS.length;

/**
 * A deployment of four companies with `perCompany` generated invoices each, whose first `running`
 * companies post at once (the others idle: both runs see the same systems, holding the same records).
 */
async function throttledRun(env: TestWorkflowEnvironment, running: number): Promise<Run> {
  const all = Array.from({ length: COMPANIES }, (_, i) => `c${i + 1}`);
  const names = all.slice(0, running);
  const taskQueue = `bench-companies-${running}`;
  const stack = await startLedgerStack({
    companies: all.map((name, i) => ({ name, routing: { locations: [i + 1] }, qboKnobs: { ...DEFAULT_LIMITS }, activitiesPerSecond: rate })),
    env: { TEMPORAL_TASK_QUEUE: taskQueue },
  });
  const workers = await spawnStackWorkers(stack, { temporalAddress: env.address, taskQueue, bundleCode: (await workflowBundle()).code });
  try {
    for (const name of LOCATIONS.slice(2)) stack.psa.admin.addLocation({ name });
    stack.psa.admin.generate({ invoices: perCompany * COMPANIES, locations: LOCATIONS, seed: 42 });
    const t0 = performance.now();
    const summaries = await Promise.all(
      names.map((company) =>
        env.client.workflow.execute(accountingBatch, {
          taskQueue,
          workflowId: `bench-${taskQueue}-${company}`,
          // retryWindow: failures must not hold the run open.
          args: [{ company, batchId: `BC-${company}`, chunkSize, retryWindow: '1s' }],
        }),
      ),
    );
    const seconds = (performance.now() - t0) / 1000;
    await workers.stop();
    const batchCallsPerMinute: number[] = [];
    for (const company of names) {
      const stats = await historyStats(env, `bench-${taskQueue}-${company}`, accountingQueueFor(taskQueue, company));
      const starts = stats.postStarts.sort((a, b) => a - b);
      const windowS = starts.length > 1 ? (starts[starts.length - 1]! - starts[0]!) / 1000 : NaN;
      batchCallsPerMinute.push((starts.length / windowS) * 60);
    }
    return {
      posted: summaries.reduce((n, s) => n + count(s, 'posted') + count(s, 'alreadyPosted'), 0),
      failed: summaries.reduce((n, s) => n + count(s, 'failed'), 0),
      seconds,
      batchCallsPerMinute,
    };
  } finally {
    if (workers.child.exitCode === null) await workers.kill();
    await stack.close();
  }
}

export async function run(): Promise<BenchReport> {
  const env = await startDevServerEnv();
  try {
    const one = await throttledRun(env, 1);
    const four = await throttledRun(env, COMPANIES);
    const oneRate = one.posted / one.seconds;
    const fourRate = four.posted / four.seconds;
    const ratio = fourRate / oneRate;
    const figures: BenchFigure[] = [
      { label: 'one company, throttled', value: oneRate, unit: `records/s (${one.posted} posted in ${one.seconds.toFixed(1)} s)` },
      { label: 'four companies in parallel, throttled', value: fourRate, unit: `records/s (${four.posted} posted in ${four.seconds.toFixed(1)} s)` },
      { label: 'four companies / one company', value: ratio, unit: 'x' },
      {
        label: 'QuickBooks batch calls per company',
        value: Math.max(...four.batchCallsPerMinute),
        unit: `per min at most (each: ${four.batchCallsPerMinute.map((r) => r.toFixed(0)).join(', ')}; one company alone ${one.batchCallsPerMinute[0]!.toFixed(0)}; QuickBooks allows ${DEFAULT_LIMITS.batchRequestsPerMinute})`,
      },
    ];
    const notes = [
      `target: four companies >= 3.6x one company's throughput: ${ratio >= 3.6 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}x); each company at QuickBooks' limits (${DEFAULT_LIMITS.requestsPerMinute} requests/min, ${DEFAULT_LIMITS.batchRequestsPerMinute} batch calls/min) and ${rate} accounting activities/s, chunks of ${chunkSize} records`,
    ];
    if (one.failed + four.failed > 0) notes.push(`records failed as business outcomes: one company ${one.failed}, four companies ${four.failed}`);
    return { name: 'several accounting companies: throughput under QuickBooks limits, one company vs four in parallel', figures, notes };
  } finally {
    await env.teardown();
  }
}
