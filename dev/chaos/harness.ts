/**
 * The chaos run: the product under the faults it must survive, then a count of the books.
 *
 * A real Temporal dev server, both sandboxes seeded with N records, a passed go-live checklist and
 * real worker processes. The sandboxes' fault knobs go on (5xx, 429, lost responses); several
 * `accountingBatch` starts race for one company (the product must refuse all but one with
 * BatchAlreadyRunning); workers are SIGKILLed at random moments and restarted; records are closed
 * in ConnectWise while the batch collects. Batches keep being started (retryFailed first, where
 * records failed transiently) until nothing eligible is left or the round limit is reached. Then
 * the knobs go off and `countBooks` judges every closed record. Every random choice comes from one
 * seed, so a run can be repeated.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TRANSIENT_ERROR_TYPES } from '../../domain/errors';
import type { BatchSummary } from '../../domain/batch-summary';
import type { AccountingBatchInput } from '../../domain/schemas';
import { TRANSACTION_ENTITIES } from '../../integrations/quickbooks/entities';
import { accountingBatch } from '../../workflows';
import { BatchStatusKey, progressQuery, retryFailedUpdate, summaryQuery } from '../../workflows/definitions';
import { createPrng, type Prng } from '../sandbox/shared/prng';
import type { FaultCounts } from '../sandbox/shared/fault-injector';
import type { CloseKind } from '../sandbox/connectwise';
import type { SandboxState } from '../sandbox/connectwise/state';
import { startLedgerStack, type LedgerStack } from '../stack/ledger-stack';
import { startDevServerEnv, workflowBundle } from '../stack/temporal';
import { spawnStackWorkers, type StackWorkerProcess } from '../stack/worker-process';
import { closedPsaRecords, countBooks, recordKey, type BooksCount, type LedgerTransaction } from './books';

export interface ChaosOptions {
  /** Generated PSA records (on top of the demo site's), `closes` of them left open to close mid-run. */
  records: number;
  /** Worker SIGKILLs (each followed by a restart). */
  kills: number;
  /** Records closed in ConnectWise while the first batch collects. */
  closes: number;
  /** `accountingBatch` starts racing at the same moment for the same company (the first Schedule-like). */
  starts: number;
  seed: number;
  /** Worker processes polling at once. */
  workers: number;
  /** Batches started after the first, at most. */
  maxRounds: number;
  /** retryFailed calls per batch, at most. */
  maxRetries: number;
  chunkSize: number;
  maxConcurrentChunks: number;
  /** Random gap between kills (and the first kill after the starts), in ms. */
  killGapMs: [number, number];
  /** How long a lost response keeps the socket before dropping it. */
  lostHoldMs: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export const DEFAULT_CHAOS_OPTIONS: ChaosOptions = {
  records: 3000,
  kills: 20,
  closes: 50,
  starts: 2,
  seed: 1,
  workers: 2,
  maxRounds: 6,
  maxRetries: 2,
  chunkSize: 100,
  maxConcurrentChunks: 4,
  killGapMs: [1500, 6000],
  lostHoldMs: 1000,
};

/** The fault rates of the run: QuickBooks 10% 5xx, 5% 429, 2% lost; ConnectWise 5% 5xx, 5% 429, 2% lost. */
export const CHAOS_FAULTS = {
  quickbooks: { errorRate: 0.1, throttleRate: 0.05, loseResponseRate: 0.02 },
  connectwise: { errorRate: 0.05, throttleRate: 0.05, loseResponseRate: 0.02 },
} as const;

const KNOBS_OFF = { errorRate: 0, throttleRate: 0, dropRate: 0, loseResponseRate: 0, latencyMs: 0 };
const POSTED_ENTITIES = TRANSACTION_ENTITIES.filter((e) => e !== 'Payment');

export interface ChaosFigures {
  records: number;
  /** Closed PSA records judged (generated + the demo site's closed ones). */
  eligible: number;
  kills: number;
  faults: { connectwise: FaultCounts; quickbooks: FaultCounts; total: number };
  starts: number;
  refused: number;
  /** Refusals whose failure did not name the reason (BatchAlreadyRunning and the running batch). */
  refusedUnexplained: number;
  closes: number;
  posted: number;
  failed: number;
  duplicates: number;
  lost: number;
  orphans: number;
  rounds: number;
  retries: number;
  wallTimeMs: number;
}

export interface ChaosReport {
  figures: ChaosFigures;
  books: BooksCount;
  /** One line per batch run: its id and how it ended. */
  batches: string[];
  /** Failure reasons by record kind:id (the latest one a batch recorded). */
  failureReasons: Map<string, string>;
}

type Handle = WorkflowHandle<typeof accountingBatch>;

interface BatchRun {
  handle: Handle;
  outcome?: string;
  refused?: boolean;
  summary?: BatchSummary;
  retries: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Retries an operation that needs a live worker (queries) or a busy server, a bounded number of times. */
async function persist<T>(what: string, fn: () => Promise<T>, attempts = 20): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn();
    } catch (err) {
      last = err;
      await sleep(500 + 250 * i);
    }
  }
  throw new Error(`${what} failed ${attempts} times: ${(last as Error)?.message}`);
}

function failureText(err: unknown): { type?: string; message: string } {
  const parts: string[] = [];
  let type: string | undefined;
  for (let e = err as Error | undefined; e; e = (e as { cause?: Error }).cause) {
    if (e instanceof ApplicationFailure && e.type) type ??= e.type;
    parts.push(e.message);
  }
  return { type, message: parts.join(' | ') };
}

/** Splits N generated records over the kinds as an MSP's month looks: mostly invoices. */
function split(n: number): { invoices: number; expenses: number; procurement: number } {
  const invoices = Math.round(n * 0.6);
  const expenses = Math.round(n * 0.2);
  return { invoices, expenses, procurement: Math.max(0, n - invoices - expenses) };
}

/** Records still open in `after` that `before` did not have: what the second generate call added. */
function newOpenRecords(before: SandboxState, after: SandboxState): Array<{ kind: CloseKind; id: number }> {
  const had = (list: Array<{ id: number }>) => new Set(list.map((r) => r.id));
  const out: Array<{ kind: CloseKind; id: number }> = [];
  const add = (kind: CloseKind, list: Array<{ id: number; closed: boolean }>, old: Array<{ id: number }>) => {
    const seen = had(old);
    for (const r of list) if (!seen.has(r.id) && !r.closed) out.push({ kind, id: r.id });
  };
  add('invoice', after.invoices, before.invoices);
  add('expenseReport', after.expenseReports, before.expenseReports);
  add('purchaseOrder', after.purchaseOrders, before.purchaseOrders);
  add('adjustment', after.adjustments, before.adjustments);
  add('transfer', after.transfers, before.transfers);
  return out;
}

function shuffle<T>(items: T[], prng: Prng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = prng.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const isRetryable = (f: { type: string }) => (TRANSIENT_ERROR_TYPES as readonly string[]).includes(f.type) || f.type === 'Conflict';

export async function runChaos(partial: Partial<ChaosOptions> = {}): Promise<ChaosReport> {
  const o: ChaosOptions = { ...DEFAULT_CHAOS_OPTIONS, ...partial };
  const log = o.log ?? (() => undefined);
  const started = Date.now();
  const killPrng = createPrng(o.seed + 101);
  const closePrng = createPrng(o.seed + 202);

  let env: TestWorkflowEnvironment | undefined;
  let stack: LedgerStack | undefined;
  const workers: StackWorkerProcess[] = [];
  try {
    env = await startDevServerEnv();
    const bundle = await workflowBundle();
    stack = await startLedgerStack({ psaSeed: 'demo' });
    const s = stack;

    // Seed: N - C closed records, then C open ones to close while the batch collects.
    const closedCount = Math.max(0, o.records - o.closes);
    if (closedCount > 0) s.psa.admin.generate({ ...split(closedCount), seed: o.seed });
    const beforeOpen = s.psa.admin.snapshot();
    if (o.closes > 0) s.psa.admin.generate({ ...split(o.closes), seed: o.seed + 1, close: false });
    const toClose = shuffle(newOpenRecords(beforeOpen, s.psa.admin.snapshot()), closePrng).slice(0, o.closes);
    log(`seeded ${closedCount} closed + ${toClose.length} open records`);

    const taskQueue = 'chaos';
    const spawn = () =>
      spawnStackWorkers(s, {
        temporalAddress: env!.address,
        taskQueue,
        bundleCode: bundle.code,
      });
    for (let i = 0; i < o.workers; i++) workers.push(await spawn());
    log(`${o.workers} worker processes up`);

    const lost = { loseResponseHoldMs: o.lostHoldMs, retryAfterSeconds: 1 };
    s.psa.admin.setKnobs({ seed: o.seed + 11, ...CHAOS_FAULTS.connectwise, ...lost });
    s.qbo.admin.setKnobs({ seed: o.seed + 12, ...CHAOS_FAULTS.quickbooks, ...lost });

    const client = env.client;
    const input: AccountingBatchInput = { chunkSize: o.chunkSize, maxConcurrentChunks: o.maxConcurrentChunks, retryWindow: '1h' };
    const runs: BatchRun[] = [];
    const start = (workflowId: string) => client.workflow.start(accountingBatch, { taskQueue, workflowId, args: [input] });

    let done = false;
    let kills = 0;
    // Background loops keep their first error for the end (a rejection nobody awaits yet would crash).
    const errors: unknown[] = [];
    const keepError = (err: unknown) => void errors.push(err);
    // Kills at random moments while batches run; each killed worker is replaced at once.
    const killer = (async () => {
      while (!done && kills < o.kills) {
        await sleep(killPrng.int(o.killGapMs[0], o.killGapMs[1]));
        if (done) break;
        const i = killPrng.int(0, workers.length - 1);
        await workers[i]!.kill();
        kills += 1;
        log(`kill ${kills}: worker ${i} SIGKILLed`);
        workers[i] = await persist('restarting a worker', spawn, 5);
      }
    })().catch(keepError);

    let closes = 0;
    let collecting = false;
    const closer = (async () => {
      // Collection has begun once a batch has collected its first page; close into the remaining pages.
      for (let waited = 0; !collecting && waited < 120_000; waited += 100) {
        const answers = await Promise.allSettled(runs.map((r) => r.handle.query(progressQuery)));
        collecting = answers.some((a) => a.status === 'fulfilled' && a.value.collected > 0);
        if (!collecting) await sleep(100);
      }
      log(`closing ${toClose.length} records ${collecting ? 'while the batch collects' : '(no batch started collecting)'}`);
      // A few small groups (one state save each) so the closes land among the collect pages.
      const group = Math.max(1, Math.ceil(toClose.length / 5));
      for (let i = 0; i < toClose.length; i += group) {
        const records = toClose.slice(i, i + group);
        const res = await fetch(`${s.psa.origin}/__admin/records/close`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ records }) });
        if (!res.ok) throw new Error(`closing ${records.length} records answered ${res.status}: ${await res.text()}`);
        closes += records.length;
        await sleep(closePrng.int(0, 100));
      }
      log(`closed ${closes} records`);
    })().catch(keepError);

    // The race: a Schedule-like start and UI-like starts at the same moment.
    const stamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const ids = Array.from({ length: o.starts }, (_, i) => (i === 0 ? `ledgerline-accounting-batch-${stamp}` : `chaos-ui-${o.seed}-${i}`));
    const handles = await Promise.all(ids.map(start));
    runs.push(...handles.map((handle) => ({ handle, retries: 0 })));

    /** Waits until a batch has ended or sits awaiting retryFailed with nothing more to retry. */
    const settle = async (run: BatchRun): Promise<void> => {
      for (;;) {
        const d = await persist('describing a batch', () => run.handle.describe());
        if (d.status.name !== 'RUNNING') {
          try {
            run.summary = await run.handle.result();
            run.outcome = run.summary.status;
          } catch (err) {
            const f = failureText(err instanceof WorkflowFailedError ? err.cause : err);
            run.refused = f.type === 'BatchAlreadyRunning';
            run.outcome = `${d.status.name} ${f.type ?? ''}: ${f.message}`;
          }
          if (!run.refused) run.summary ??= await persist('querying a summary', () => run.handle.query(summaryQuery)).catch(() => undefined);
          return;
        }
        // PartiallyFailed while running: awaiting retryFailed, or a retry round that has not yet published.
        if (d.typedSearchAttributes.get(BatchStatusKey) === 'PartiallyFailed') {
          const progress = await persist('querying progress', () => run.handle.query(progressQuery));
          if (progress.stage !== 'awaitingRetry') {
            await sleep(500);
            continue;
          }
          const summary = await persist('querying a summary', () => run.handle.query(summaryQuery));
          run.summary = summary;
          if (run.retries < o.maxRetries && summary.failures.some(isRetryable)) {
            run.retries += 1;
            log(`${run.handle.workflowId}: retryFailed ${run.retries} (${summary.failures.filter(isRetryable).length} transient failures)`);
            try {
              run.summary = await run.handle.executeUpdate(retryFailedUpdate);
            } catch (err) {
              log(`${run.handle.workflowId}: retryFailed refused: ${failureText(err).message}`);
              await sleep(500);
            }
            continue;
          }
          run.outcome = `awaiting retryFailed (${summary.failures.length} failures)`;
          return;
        }
        await sleep(500);
      }
    };

    await Promise.all(runs.map(settle));
    await closer;

    const reasons = new Map<string, string>();
    const noteReasons = () => {
      for (const run of runs) for (const f of run.summary?.failures ?? []) reasons.set(recordKey(f.kind, f.id), `${f.type}: ${f.message}`);
    };
    const eligibleLeft = () => {
      noteReasons();
      return closedPsaRecords(s.psa.admin.snapshot()).filter((r) => !r.exported && !reasons.has(recordKey(r.kind, r.refId ?? r.id))).length;
    };

    let rounds = 1;
    for (let left = eligibleLeft(); left > 0 && rounds <= o.maxRounds; left = eligibleLeft()) {
      log(`round ${rounds + 1}: ${left} records still eligible`);
      const run: BatchRun = { handle: await start(`chaos-ui-${o.seed}-round-${rounds + 1}`), retries: 0 };
      runs.push(run);
      rounds += 1;
      await settle(run);
    }
    done = true;
    await killer;
    if (errors.length > 0) throw errors[0];

    s.psa.admin.setKnobs(KNOBS_OFF);
    s.qbo.admin.setKnobs(KNOBS_OFF);
    noteReasons();
    const transactions: LedgerTransaction[] = POSTED_ENTITIES.flatMap((entity) =>
      s.qbo.admin.list(entity).map((t) => ({ entity, id: String(t.Id), privateNote: t.PrivateNote as string | undefined })),
    );
    const books = countBooks({ records: closedPsaRecords(s.psa.admin.snapshot()), transactions, failureReasons: reasons });
    const connectwise = s.psa.admin.faultCounts();
    const quickbooks = s.qbo.admin.faultCounts();
    const sum = (c: FaultCounts) => c.error + c.throttle + c.drop + c.loseResponse;
    const refusedRuns = runs.filter((r) => r.refused);
    const figures: ChaosFigures = {
      records: o.records,
      eligible: books.records,
      kills,
      faults: { connectwise, quickbooks, total: sum(connectwise) + sum(quickbooks) },
      starts: runs.length,
      refused: refusedRuns.length,
      refusedUnexplained: refusedRuns.filter((r) => !/another accounting batch/.test(r.outcome ?? '')).length,
      closes,
      posted: books.posted,
      failed: books.failed,
      duplicates: books.duplicates,
      lost: books.lost,
      orphans: books.orphans,
      rounds,
      retries: runs.reduce((n, r) => n + r.retries, 0),
      wallTimeMs: Date.now() - started,
    };
    return { figures, books, batches: runs.map((r) => `${r.handle.workflowId}: ${r.outcome ?? 'unknown'}`), failureReasons: reasons };
  } finally {
    await Promise.allSettled(workers.map((w) => w.kill()));
    await stack?.close();
    await env?.teardown();
  }
}

/** The figures as an aligned two-column table. */
export function figuresTable(f: ChaosFigures): string {
  const faults = (c: FaultCounts) => `${c.error} 5xx, ${c.throttle} 429, ${c.loseResponse} lost, ${c.drop} dropped`;
  const rows: Array<[string, string]> = [
    ['records', `${f.records} generated, ${f.eligible} closed records judged`],
    ['kills', String(f.kills)],
    ['faults', `${f.faults.total} (QuickBooks ${faults(f.faults.quickbooks)}; ConnectWise ${faults(f.faults.connectwise)})`],
    ['starts', `${f.starts} (${f.rounds} rounds, ${f.retries} retryFailed)`],
    ['refused', `${f.refused}${f.refusedUnexplained ? ` (${f.refusedUnexplained} without the reason)` : ''}`],
    ['closes', String(f.closes)],
    ['posted', String(f.posted)],
    ['failed', `${f.failed} (unposted with a recorded reason)`],
    ['duplicates', String(f.duplicates)],
    ['lost', String(f.lost)],
    ['orphans', String(f.orphans)],
    ['wall time', `${(f.wallTimeMs / 1000).toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

/** Non-zero when the books are wrong or a refusal did not say why. */
export function chaosExitCode(f: ChaosFigures): number {
  return f.duplicates > 0 || f.lost > 0 || f.refusedUnexplained > 0 ? 1 : 0;
}
