/**
 * Many hosts, one deployment: the same three-company deployment served by one worker process, then
 * (on fresh sandboxes with the same records) by two worker processes in working directories of their
 * own, as two hosts with separate disks. Mid-run every QuickBooks access token expires, so the
 * workers must rotate each company's refresh token, one writer at a time, through Temporal (a host
 * that rotated on its own would leave the other with a refresh token QuickBooks refuses). Batches and
 * payment syncs for all three companies must give the same books either way, both processes must
 * have done some of the work, and neither writes anything to its working directory.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { accountingBatch, paymentSync } from '../../workflows';
import type { BatchSummary } from '../../domain/batch-summary';
import type { PaymentSyncSummary } from '../../domain/payments';
import { TRANSACTION_ENTITIES } from '../../integrations/quickbooks';
import { transactionKey } from '../../dev/chaos/books';
import { startLedgerStack, type LedgerStack } from '../../dev/stack/ledger-stack';
import { spawnStackWorkers, type StackWorkerProcess } from '../../dev/stack/worker-process';
import { startDevServerEnv, workflowBundle } from '../../dev/stack/temporal';

const EventType = temporal.api.enums.v1.EventType;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startDevServerEnv();
}, 120_000);
afterAll(async () => {
  await env?.teardown();
});

const COMPANIES = [
  { name: 'east', routing: { locations: [1] } },
  { name: 'west', routing: { locations: [2] } },
  { name: 'north', routing: { locations: [3] } },
];

interface Books {
  batches: Record<string, { status: string; posted: number; failed: number }>;
  ledgers: Record<string, string[]>;
  syncs: Record<string, { status: string; applied: number; skipped: number }>;
  psaPayments: string[];
}

/** A failed run's reasons, outermost first, so a failure under load says what went wrong. */
async function explained<T>(run: Promise<T>): Promise<T> {
  try {
    return await run;
  } catch (err) {
    const reasons: string[] = [];
    for (let e: unknown = err; e instanceof Error; e = e.cause) reasons.push(`${e.name}: ${e.message}`);
    throw new Error(reasons.join('\n  caused by '), { cause: err });
  }
}

const sum = (s: BatchSummary, f: 'posted' | 'alreadyPosted' | 'failed') => Object.values(s.byKind).reduce((n, t) => n + t[f], 0);

function ledgerOf(stack: LedgerStack, company: string): string[] {
  const qbo = stack.companies.find((c) => c.name === company)!.qbo;
  return TRANSACTION_ENTITIES.filter((e) => e !== 'Payment')
    .flatMap((entity) => qbo.admin.list(entity).map((t) => `${transactionKey({ entity, id: String(t.Id), privateNote: t.PrivateNote as string | undefined })} ${entity} ${t.TotalAmt}`))
    .sort();
}

/** Who ran the activities of the deployment's workflows (a worker's identity names its process). */
async function activityWorkers(queue: string): Promise<Set<string>> {
  const identities = new Set<string>();
  for await (const wf of env.client.workflow.list({ query: `TaskQueue = "${queue}"` })) {
    const history = await env.client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    for (const e of history.events ?? []) {
      if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED && e.activityTaskStartedEventAttributes?.identity) identities.add(e.activityTaskStartedEventAttributes.identity);
    }
  }
  return identities;
}

/** One deployment on fresh sandboxes served by `hosts` worker processes; returns its books. */
async function runDeployment(queue: string, hosts: number): Promise<{ books: Books; workers: Set<string>; leftOnDisk: string[] }> {
  const stack = await startLedgerStack({
    companies: COMPANIES,
    tokenStore: 'temporal',
    temporal: { client: env.client },
    env: { TEMPORAL_TASK_QUEUE: queue, LEDGER_CONTEXT_TTL: '0ms' },
  });
  const dirs = Array.from({ length: hosts }, () => mkdtempSync(join(tmpdir(), `ledgerline-host-`)));
  const workers: StackWorkerProcess[] = [];
  try {
    stack.psa.admin.addLocation({ name: 'Spokane' });
    stack.psa.admin.generate({ invoices: 9, locations: ['Seattle', 'Tacoma', 'Spokane'], seed: 61 });
    const bundleCode = (await workflowBundle()).code;
    for (const cwd of dirs) workers.push(await spawnStackWorkers(stack, { temporalAddress: env.address, taskQueue: queue, bundleCode, cwd }));
    const expireTokens = () => stack.companies.forEach((c) => c.qbo.admin.expireAccessTokens(true));

    // Every company's batch at once; the access tokens expire once posting has begun.
    const handles = await Promise.all(
      COMPANIES.map((c) => env.client.workflow.start(accountingBatch, { taskQueue: queue, workflowId: `${queue}-batch-${c.name}`, args: [{ company: c.name, batchId: `H-${c.name}`, chunkSize: 5, retryWindow: '1s' }] })),
    );
    while (stack.companies.every((c) => ledgerOf(stack, c.name).length === 0)) await new Promise((r) => setTimeout(r, 50));
    expireTokens();
    const batches = await Promise.all(handles.map((h) => explained(h.result())));

    // A customer pays two invoices in each company's QuickBooks; then every company's payment sync at once.
    for (const c of stack.companies) {
      const open = c.qbo.admin.list('Invoice').filter((i) => Number(i.Balance) > 0).sort((a, b) => String(a.DocNumber).localeCompare(String(b.DocNumber))).slice(0, 2);
      for (const inv of open) {
        c.qbo.admin.recordPayment({ customerId: String((inv.CustomerRef as { value: string }).value), amount: Number(inv.Balance), invoiceIds: [String(inv.Id)], paymentRefNum: `CHK-${inv.DocNumber}` });
      }
    }
    expireTokens();
    const syncs = await Promise.all(COMPANIES.map((c) => explained(env.client.workflow.execute(paymentSync, { taskQueue: queue, workflowId: `${queue}-sync-${c.name}`, args: [{ company: c.name, since: '2000-01-01' }] }))));

    const books: Books = {
      batches: Object.fromEntries(batches.map((s, i) => [COMPANIES[i]!.name, { status: s.status, posted: sum(s, 'posted') + sum(s, 'alreadyPosted'), failed: sum(s, 'failed') }])),
      ledgers: Object.fromEntries(COMPANIES.map((c) => [c.name, ledgerOf(stack, c.name)])),
      syncs: Object.fromEntries(syncs.map((s: PaymentSyncSummary, i) => [COMPANIES[i]!.name, { status: s.status, applied: s.appliedCount, skipped: s.skippedCount }])),
      psaPayments: stack.psa.admin
        .snapshot()
        .payments.map((p) => `${p.invoiceId} ${p.amountCents} ${p.paymentDate}`)
        .sort(),
    };
    for (const w of workers) await w.stop();
    return { books, workers: await activityWorkers(queue), leftOnDisk: dirs.flatMap((d) => readdirSync(d)) };
  } finally {
    for (const w of workers) if (w.child.exitCode === null) await w.kill();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await stack.close();
  }
}

describe('any number of worker processes serve one deployment', () => {
  it('two hosts with separate disks give the same books as one, rotating the QuickBooks tokens through Temporal', async () => {
    const one = await runDeployment('hosts-one', 1);
    const two = await runDeployment('hosts-two', 2);

    for (const c of COMPANIES) {
      expect(one.books.batches[c.name]).toEqual({ status: 'Completed', posted: one.books.ledgers[c.name]!.length, failed: 0 });
      expect(one.books.ledgers[c.name]!.length).toBeGreaterThan(0);
      expect(one.books.syncs[c.name]).toMatchObject({ status: 'Completed', applied: 2 });
    }
    expect(two.books).toEqual(one.books);
    expect(one.workers.size).toBe(1);
    expect(two.workers.size).toBe(2);
    expect([...one.leftOnDisk, ...two.leftOnDisk]).toEqual([]);
  }, 900_000);
});
