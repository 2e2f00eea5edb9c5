/**
 * The accounting batch under faults: real Temporal dev server, both sandboxes over HTTP with their
 * seeded fault knobs, the real clients and activities. Each case starts a fresh stack (demo seed +
 * generated records), runs one batch, then turns the knobs off and checks the books:
 *   - the batch completed and counted every record as posted or alreadyPosted;
 *   - QuickBooks holds exactly one transaction per record (one per idempotency marker, no two
 *     transactions for the same PSA record and DocNumber);
 *   - the PSA has nothing left unposted and no two accounting batches share an identifier.
 * Knobs are seeded PRNGs, so a run is repeatable; nothing here asserts on wall-clock time.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DEMO_CONNECTWISE } from '../../dev/stack/sandbox-worker-env';
import { ConnectWiseClient } from '../../integrations/connectwise';
import type { QuickBooksClient } from '../../integrations/quickbooks';
import { TRANSACTION_ENTITIES } from '../../integrations/quickbooks/entities';
import type { BatchSummary } from '../../domain/batch-summary';
import { postedSourceOf } from '../../domain/posting';
import { accountingBatch } from '../../workflows';
import { BatchStatusKey } from '../../workflows/definitions';
import type { AccountingBatchInput } from '../../domain/schemas';
import { stackLedgerClient, startLedgerStack, withStackWorkers, type LedgerStack, type LedgerStackOptions } from '../../dev/stack/ledger-stack';
import { spawnStackWorkers } from '../../dev/stack/worker-process';
import { startDevServerEnv, stackDataConverter, workflowBundle } from '../../dev/stack/temporal';

let env: TestWorkflowEnvironment;
let stack: LedgerStack | undefined;
let queue = 0;

beforeAll(async () => {
  env = await startDevServerEnv();
  await workflowBundle();
}, 120_000);
afterAll(async () => {
  await env?.teardown();
});
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const KNOBS_OFF = { errorRate: 0, throttleRate: 0, dropRate: 0, loseResponseRate: 0, latencyMs: 0 };
/** Transaction entities a batch can create (payments come from the payment sync, not from here). */
const POSTED_ENTITIES = TRANSACTION_ENTITIES.filter((e) => e !== 'Payment');
const MARKER = /\[ledgerline:(LL[0-9a-f]+)\]/;
/**
 * Small chunks so every case runs several child workflows concurrently. `override`: these fresh
 * stacks never ran the go-live checklist, which is not what these cases are about.
 */
const BATCH_SHAPE: AccountingBatchInput = { chunkSize: 8, maxConcurrentChunks: 3, override: true };

async function freshStack(options: LedgerStackOptions = {}, generate = { invoices: 16, expenses: 8, procurement: 8 }): Promise<{ stack: LedgerStack; expected: number }> {
  // The default ledger-context TTL: concurrent activities share one chart load, as in production.
  stack = await startLedgerStack(options);
  await stack.psa.admin.generate({ ...generate, seed: 7 });
  const expected = await unpostedCountViaAdmin(stack);
  return { stack, expected };
}

/** Unposted records as the PSA API lists them (the knobs must be off). */
async function unpostedCount(s: LedgerStack, psa = s.deps.psa): Promise<number> {
  return (await psa.unpostedInvoices.count()) + (await psa.unpostedExpenses.count()) + (await psa.unpostedProcurement.count());
}

/** Same count with the knobs off and the demo keys, for cases whose workers have bad keys. */
async function unpostedCountViaAdmin(s: LedgerStack): Promise<number> {
  const saved = s.psa.admin.knobs();
  s.psa.admin.setKnobs(KNOBS_OFF);
  try {
    return await unpostedCount(s, new ConnectWiseClient({ baseUrl: s.psa.baseUrl, ...DEMO_CONNECTWISE }));
  } finally {
    s.psa.admin.setKnobs(saved);
  }
}

interface LedgerTxn {
  entity: string;
  Id: string;
  DocNumber?: string;
  PrivateNote?: string;
}

/** Every transaction the batch could have created, through the client's paged query. */
async function ledgerTransactions(s: LedgerStack): Promise<LedgerTxn[]> {
  const out: LedgerTxn[] = [];
  for (const entity of POSTED_ENTITIES) {
    const rows = (await s.deps.ledger.queryAll(entity)) as unknown as LedgerTxn[];
    out.push(...rows.map((r) => ({ entity, Id: r.Id, DocNumber: r.DocNumber, PrivateNote: r.PrivateNote })));
  }
  return out.filter((t) => MARKER.test(t.PrivateNote ?? ''));
}

/** Ledgerline transactions straight from the sandbox's state (no HTTP, no auth, no knobs). */
function ledgerTransactionsViaAdmin(s: LedgerStack): LedgerTxn[] {
  return POSTED_ENTITIES.flatMap((entity) =>
    s.qbo.admin.list(entity).map((r) => ({ entity, Id: String(r.Id), DocNumber: r.DocNumber as string | undefined, PrivateNote: r.PrivateNote as string | undefined })),
  ).filter((t) => MARKER.test(t.PrivateNote ?? ''));
}

const duplicates = (keys: string[]) => [...new Set(keys.filter((k, i) => keys.indexOf(k) !== i))];
const tally = (s: BatchSummary, field: 'posted' | 'alreadyPosted' | 'failed' | 'collected') => Object.values(s.byKind).reduce((n, t) => n + t[field], 0);

/** The books after a batch: exactly once in QuickBooks, nothing left in the PSA, no duplicate PSA batch. */
async function expectExactlyOnce(s: LedgerStack, expected: number, summary: BatchSummary): Promise<void> {
  s.qbo.admin.setKnobs(KNOBS_OFF);
  s.psa.admin.setKnobs(KNOBS_OFF);

  expect(summary.failures).toEqual([]);
  expect(summary.status).toBe('Completed');
  expect(tally(summary, 'collected')).toBe(expected);
  expect(tally(summary, 'posted') + tally(summary, 'alreadyPosted')).toBe(expected);

  const txns = await ledgerTransactions(s);
  const keys = txns.map((t) => MARKER.exec(t.PrivateNote!)![1]);
  expect(duplicates(keys)).toEqual([]);
  // Two PSA records may share a DocNumber (an expense report and a transfer both numbered 3); one
  // PSA record must never have two transactions.
  const sources = txns.map((t) => postedSourceOf(t.PrivateNote));
  expect(sources.every(Boolean)).toBe(true);
  expect(duplicates(txns.map((t, i) => `${t.entity}:${t.DocNumber}:${sources[i]!.recordType}:${sources[i]!.recordId}`))).toEqual([]);
  expect(txns).toHaveLength(expected);

  expect(await unpostedCount(s)).toBe(0);
  const batches = await s.deps.psa.batches.all();
  expect(duplicates(batches.map((b) => b.batchIdentifier))).toEqual([]);
  expect(duplicates(summary.exportedBatches)).toEqual([]);
  expect(batches.map((b) => b.batchIdentifier)).toEqual(expect.arrayContaining(summary.exportedBatches));
}

/** One batch on fresh queues with in-process workers (optionally over different dependencies). */
async function runBatch(s: LedgerStack, batchId: string, deps = s.deps): Promise<BatchSummary> {
  const taskQueue = `faults-${++queue}`;
  return withStackWorkers({ ...s, deps }, env.nativeConnection, taskQueue, stackDataConverter(), await workflowBundle(), () =>
    env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: `faults-${batchId}`, args: [{ batchId, ...BATCH_SHAPE }] }),
  );
}

/** A QuickBooks client like the workers' but with no in-call retries: a lost answer fails the activity. */
function ledgerWithoutClientRetries(s: LedgerStack): QuickBooksClient {
  return stackLedgerClient(s, { retry: { maxAttempts: 1 } });
}

function causes(err: unknown): Error[] {
  const out: Error[] = [];
  for (let e = err as Error | undefined; e; e = (e as { cause?: Error }).cause) out.push(e);
  return out;
}

/**
 * The batch stops at once (no retry can fix a credential): the run fails with a non-retryable
 * ApplicationFailure whose message names AuthenticationFailed and the system, BatchStatus says
 * Failed for the ops filter, and the report still goes out.
 */
async function expectStoppedByAuth(s: LedgerStack, batchId: string, system: RegExp): Promise<void> {
  const taskQueue = `faults-${++queue}`;
  const { error, handle } = await withStackWorkers(s, env.nativeConnection, taskQueue, stackDataConverter(), await workflowBundle(), async () => {
    const handle = await env.client.workflow.start(accountingBatch, { taskQueue, workflowId: `faults-${batchId}`, args: [{ batchId, ...BATCH_SHAPE }] });
    return { error: await handle.result().then(() => undefined, (e: unknown) => e), handle };
  });
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const failure = (error as WorkflowFailedError).cause;
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect((failure as ApplicationFailure).nonRetryable).toBe(true);
  const said = causes(error).map((e) => `${(e as ApplicationFailure).type ?? ''} ${e.message}`).join(' | ');
  expect(said).toMatch(/AuthenticationFailed/);
  expect(said).toMatch(system);
  const described = await handle.describe();
  expect(described.status.name).toBe('FAILED');
  expect(described.typedSearchAttributes.get(BatchStatusKey)).toBe('Failed');
  expect((await s.mail.list()).some((m) => m.subject.includes(batchId))).toBe(true);
}

describe('accountingBatch under sandbox faults: exactly once, nothing lost', () => {
  it('QuickBooks answering 5xx at a high rate', async () => {
    const { stack: s, expected } = await freshStack({ qboKnobs: { seed: 11, errorRate: 0.5 } });
    const summary = await runBatch(s, 'Q5XX');
    await expectExactlyOnce(s, expected, summary);
  });

  it('QuickBooks answering 429 with Retry-After', async () => {
    const { stack: s, expected } = await freshStack({ qboKnobs: { seed: 12, throttleRate: 0.4, retryAfterSeconds: 1 } });
    const summary = await runBatch(s, 'Q429');
    await expectExactlyOnce(s, expected, summary);
  });

  it('QuickBooks committing writes and losing the answer: the default client replays its requestid', async () => {
    const { stack: s, expected } = await freshStack({ qboKnobs: { seed: 13, loseResponseRate: 0.5, loseResponseHoldMs: 100 } });
    const summary = await runBatch(s, 'QLOST');
    await expectExactlyOnce(s, expected, summary);
  });

  it('QuickBooks losing every write answer with no client retry: the look-up after the lost answer finds the posts', async () => {
    // Every batch create commits and the worker sees a dropped connection; its own retries are off,
    // so the activity must find each transaction by DocNumber + marker before sending it again, and
    // count it as posted by this batch (it created it), never create it a second time.
    const { stack: s, expected } = await freshStack({ qboKnobs: { seed: 14, loseResponseRate: 1, loseResponseHoldMs: 50 } });
    const summary = await runBatch(s, 'QLOSTALL', { ...s.deps, ledger: ledgerWithoutClientRetries(s) });
    expect(tally(summary, 'posted')).toBe(expected);
    expect(tally(summary, 'alreadyPosted')).toBe(0);
    await expectExactlyOnce(s, expected, summary);
  });

  it('ConnectWise committing the accounting batch and losing the answer: the retry finds it, no second batch', async () => {
    // The only PSA write of a batch is creating the accounting batch; every one is lost.
    const { stack: s, expected } = await freshStack({ psaKnobs: { seed: 15, loseResponseRate: 1, loseResponseHoldMs: 50 } });
    const summary = await runBatch(s, 'CWLOST');
    expect(summary.exportedBatches.length).toBeGreaterThan(1);
    await expectExactlyOnce(s, expected, summary);
  });

  it('ConnectWise answering 5xx and 429 with Retry-After', async () => {
    const { stack: s, expected } = await freshStack({ psaKnobs: { seed: 16, errorRate: 0.3, throttleRate: 0.2, retryAfterSeconds: 1 } });
    const summary = await runBatch(s, 'CWFLAKY');
    await expectExactlyOnce(s, expected, summary);
  });

  it('workers SIGKILLed mid-batch: new workers finish it with no duplicate and no lost record', async () => {
    // Latency on QuickBooks keeps chunks in flight long enough to kill the workers among them.
    // Recovery waits out the activities' 2-minute heartbeat timeout: the dead worker never reports.
    const { stack: s, expected } = await freshStack({ qboKnobs: { seed: 17, latencyMs: 40 } });
    const taskQueue = `faults-${++queue}`;
    const bundle = await workflowBundle();
    const crashing = await spawnStackWorkers(s, { temporalAddress: env.address, taskQueue, bundleCode: bundle.code });
    let handle: WorkflowHandle<typeof accountingBatch>;
    let postedAtKill: number;
    try {
      handle = await env.client.workflow.start(accountingBatch, { taskQueue, workflowId: 'faults-KILL', args: [{ batchId: 'KILL', ...BATCH_SHAPE }] });
      // Kill once some records are in QuickBooks and most are not: chunks are mid-flight.
      for (;;) {
        postedAtKill = ledgerTransactionsViaAdmin(s).length;
        if (postedAtKill >= 4) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await crashing.kill();
    }
    expect(postedAtKill).toBeLessThan(expected);
    expect((await handle.describe()).status.name).toBe('RUNNING');

    s.qbo.admin.setKnobs(KNOBS_OFF);
    const summary = await withStackWorkers(s, env.nativeConnection, taskQueue, stackDataConverter(), bundle, () => handle.result());
    await expectExactlyOnce(s, expected, summary);
  }, 240_000);

  /**
   * Found by the kill case: an expense report and a transfer with the same number both become a
   * JournalEntry with that DocNumber; the duplicate lookup must not take one for the other.
   */
  it('an expense report and a transfer with the same number both post (JournalEntry DocNumber collision)', async () => {
    const { stack: s, expected } = await freshStack({}, { invoices: 30, expenses: 15, procurement: 15 });
    const batch = (batchId: string, include: AccountingBatchInput['include']) => {
      const taskQueue = `faults-${++queue}`;
      return withStackWorkers(s, env.nativeConnection, taskQueue, stackDataConverter(), bundle, () =>
        env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: `faults-${batchId}`, args: [{ batchId, ...BATCH_SHAPE, retryWindow: '1s', include }] }),
      );
    };
    const bundle = await workflowBundle();
    const expenses = await batch('DOCX1', { invoices: true, expenses: true, procurement: false });
    const procurement = await batch('DOCX2', { invoices: false, expenses: false, procurement: true });
    expect(procurement.failures).toEqual([]);
    expect(tally(expenses, 'posted') + tally(procurement, 'posted')).toBe(expected);
  });

  it('a QuickBooks token that cannot refresh stops the batch: Failed, non-retryable, AuthenticationFailed named', async () => {
    const { stack: s, expected } = await freshStack({ env: { QBO_ACCESS_TOKEN: 'revoked-access-token', QBO_REFRESH_TOKEN: 'revoked-refresh-token' } });
    await expectStoppedByAuth(s, 'QAUTH', /QuickBooks .*refresh_token.*refused/);
    expect(ledgerTransactionsViaAdmin(s)).toEqual([]);
    expect(await unpostedCountViaAdmin(s)).toBe(expected);
    expect(s.psa.admin.snapshot().batches).toEqual([]);
  });

  it('wrong ConnectWise keys stop the batch: Failed, non-retryable, AuthenticationFailed named', async () => {
    const { stack: s, expected } = await freshStack({ env: { CW_PRIVATE_KEY: 'not-the-private-key' } });
    await expectStoppedByAuth(s, 'CWAUTH', /ConnectWise .*401/);
    expect(ledgerTransactionsViaAdmin(s)).toEqual([]);
    expect(await unpostedCountViaAdmin(s)).toBe(expected);
    expect(s.psa.admin.snapshot().batches).toEqual([]);
  });
});
