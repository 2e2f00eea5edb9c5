/**
 * Records real workflow histories for the replay tests: runs the accounting batch scenarios on a
 * Temporal dev server against the sandboxes (real clients and activities) and saves each run's
 * history (parent and chunk children) as JSON under test/replay/histories/. Payloads are encrypted
 * with the stack's fixed codec key, so the replay test decodes them with the same codec.
 *
 * Sets: `single` (one company configured by QBO_* variables; the files the first recordings made),
 * `companies` (a deployment with two accounting companies, its token vault in Temporal) and `chunks`
 * (a batch of several chunks of the default size), `kinds` (a chunk of every record kind).
 * Record after an intended workflow change: `npm run record:histories [-- single|companies|chunks|kinds]`. A
 * history already on disk is kept as it is (it stands for workflows started by the code that
 * recorded it); only new ones are written, so a change that breaks running workflows keeps failing
 * the replay test.
 */
import '../dev/stack/quiet-runtime';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { accountingBatch, goLiveChecklist, paymentSync, reverseBatch } from '../workflows';
import { checklistResultQuery, confirmManualItemUpdate, progressQuery, retryFailedUpdate } from '../workflows/definitions';
import { startDevServerEnv, stackDataConverter, workflowBundle } from '../dev/stack/temporal';
import { startLedgerStack, withStackWorkers } from '../dev/stack/ledger-stack';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

const OUT = resolve(__dirname, '..', 'test', 'replay', 'histories');
/** file -> workflow id: replay must run under the id the history was recorded with. */
const manifest: Record<string, string> = existsSync(join(OUT, 'manifest.json')) ? JSON.parse(readFileSync(join(OUT, 'manifest.json'), 'utf8')) : {};

async function save(name: string, handle: WorkflowHandle): Promise<void> {
  if (existsSync(join(OUT, `${name}.json`))) {
    console.log(`  ${name}.json kept (recorded by earlier code)`);
    return;
  }
  const history = await handle.fetchHistory();
  writeFileSync(join(OUT, `${name}.json`), historyToJSON(history) + '\n');
  manifest[`${name}.json`] = handle.workflowId;
  console.log(`  ${name}.json (${history.events?.length ?? 0} events)`);
}

/**
 * Runs `fn` on a fresh single-company stack (the demo records, plus `generate.invoices` more) while
 * its workers poll `taskQueue`, then closes the stack.
 */
async function onRecordingStack(env: TestWorkflowEnvironment, taskQueue: string, fn: () => Promise<void>, generate?: { invoices: number }): Promise<void> {
  const stack = await startLedgerStack({ env: { LEDGER_CONTEXT_TTL: '0ms' } });
  try {
    if (generate) await stack.psa.admin.generate({ invoices: generate.invoices, expenses: 0, procurement: 0, seed: 7 });
    await withStackWorkers(stack, env.nativeConnection, taskQueue, stackDataConverter(), await workflowBundle(), fn);
  } finally {
    await stack.close();
  }
}

async function recordSingle(env: TestWorkflowEnvironment): Promise<void> {
  const stack = await startLedgerStack({ env: { LEDGER_CONTEXT_TTL: '0ms' } });
  const client = env.client;
  try {
    await withStackWorkers(stack, env.nativeConnection, 'record', stackDataConverter(), await workflowBundle(), async () => {
      const dry = await client.workflow.start(accountingBatch, { taskQueue: 'record', workflowId: 'replay-dry-run', args: [{ dryRun: true }] });
      await dry.result();
      await save('accounting-batch-dry-run', dry);
      await save('accounting-batch-dry-run-chunk', client.workflow.getHandle('replay-dry-run/chunk-0'));

      const full = await client.workflow.start(accountingBatch, { taskQueue: 'record', workflowId: 'replay-full', args: [{ batchId: 'REPLAY1', chunkSize: 10 }] });
      await full.result();
      await save('accounting-batch-full', full);
      await save('accounting-batch-chunk', client.workflow.getHandle('replay-full/chunk-0'));

      const bad = await client.workflow.start(accountingBatch, { taskQueue: 'record', workflowId: 'replay-invalid', args: [{ chunkSize: -1 } as never] });
      await bad.result().catch(() => undefined);
      await save('accounting-batch-invalid-input', bad);

      // A failure round and a retryFailed update: rename an account away and back.
      await stack.psa.admin.generate({ invoices: 2, expenses: 0, procurement: 0 });
      const [account] = (await stack.deps.ledger.listAccounts()).filter((a) => a.Name === 'Service Revenue');
      await stack.deps.ledger.update('Account', { Id: account.Id, SyncToken: account.SyncToken, Name: 'Service Revenue (old)' });
      const retry = await client.workflow.start(accountingBatch, { taskQueue: 'record', workflowId: 'replay-retry', args: [{ batchId: 'REPLAY2' }] });
      while ((await retry.query(progressQuery)).stage !== 'awaitingRetry') await new Promise((r) => setTimeout(r, 200));
      const renamed = (await stack.deps.ledger.listAccounts()).find((a) => a.Id === account.Id)!;
      await stack.deps.ledger.update('Account', { Id: renamed.Id, SyncToken: renamed.SyncToken, Name: 'Service Revenue' });
      await retry.executeUpdate(retryFailedUpdate);
      await retry.result();
      await save('accounting-batch-retry-failed', retry);

      // The go-live checklist with one manual item confirmed through the update.
      const checklist = await client.workflow.start(goLiveChecklist, {
        taskQueue: 'record',
        workflowId: 'replay-checklist',
        args: [{ manualItems: ['chart-signoff'], reminderAfter: '1h', confirmTimeout: '2h' }],
      });
      while ((await checklist.query(checklistResultQuery)).manualItems.length === 0) await new Promise((r) => setTimeout(r, 200));
      await checklist.executeUpdate(confirmManualItemUpdate, { args: [{ item: 'chart-signoff', by: 'recorder' }] });
      await checklist.result();
      await save('go-live-checklist', checklist);

      // Payment sync: one payment on an invoice the batches above posted.
      const [invoice] = (await stack.deps.ledger.queryAll('Invoice')).filter((i) => (i.Balance ?? 0) > 1);
      const customerId = String((invoice as unknown as { CustomerRef: { value: string } }).CustomerRef.value);
      stack.qbo.admin.recordPayment({ customerId, amount: invoice.Balance!, invoiceIds: [invoice.Id], paymentRefNum: 'CHK-1' });
      const sync = await client.workflow.start(paymentSync, { taskQueue: 'record', workflowId: 'replay-payment-sync', args: [{}] });
      await sync.result();
      await save('payment-sync', sync);

      // Corrections: a re-closed invoice updated in place, a change made in QuickBooks reported by
      // the next batch, and that batch reversed (a dry run, then for real).
      const snap = stack.psa.admin.snapshot();
      const batched = new Set(snap.glEntries.filter((e) => e.batchId !== undefined).map((e) => e.id));
      const reloaded = snap.invoices.find((i) => i.closed && i.type === 'Standard' && i.entryIds.every((id) => batched.has(id)) && i.lines.some((l) => l.kind === 'time'))!;
      stack.psa.admin.reopen('invoice', reloaded.id, 'GL Reload');
      const line = reloaded.lines.findIndex((l) => l.kind === 'time');
      stack.psa.admin.editInvoiceLine(reloaded.id, line, { quantity: reloaded.lines[line]!.quantity + 1 });
      stack.psa.admin.close('invoice', reloaded.id);
      const [changed] = (await stack.deps.ledger.queryAll('Invoice')).filter((i) => i.Id !== invoice.Id && (i.Balance ?? 0) > 1 && i.DocNumber !== reloaded.invoiceNumber);
      await stack.deps.ledger.update('Invoice', { Id: changed!.Id, SyncToken: changed!.SyncToken, TxnDate: '2026-11-30' });
      await new Promise((r) => setTimeout(r, 1100));
      const corrections = await client.workflow.start(accountingBatch, { taskQueue: 'record', workflowId: 'replay-corrections', args: [{ batchId: 'REPLAY3' }] });
      await corrections.result();
      await save('accounting-batch-corrections', corrections);
      const reverseDry = await client.workflow.start(reverseBatch, { taskQueue: 'record', workflowId: 'replay-reverse-dry-run', args: [{ batch: 'replay-corrections' }] });
      await reverseDry.result();
      await save('reverse-batch-dry-run', reverseDry);
      const reverse = await client.workflow.start(reverseBatch, { taskQueue: 'record', workflowId: 'replay-reverse', args: [{ batch: 'replay-corrections', dryRun: false }] });
      await reverse.result();
      await save('reverse-batch', reverse);
    });
  } finally {
    await stack.close();
  }
}

/**
 * Two accounting companies (east: Seattle, west: Tacoma), each posting to its own QuickBooks realm,
 * tokens in Temporal: a batch, its chunk, a payment sync and a checklist naming their company, a
 * default-company dry run, and the token vault after a rotation.
 */
async function recordCompanies(env: TestWorkflowEnvironment): Promise<void> {
  const queue = 'record-companies';
  const stack = await startLedgerStack({
    companies: [
      { name: 'east', routing: { locations: [1] } },
      { name: 'west', routing: { locations: [2] } },
    ],
    tokenStore: 'temporal',
    temporal: { client: env.client },
    env: { LEDGER_CONTEXT_TTL: '0ms', TEMPORAL_TASK_QUEUE: queue },
  });
  const client = env.client;
  try {
    await withStackWorkers(stack, env.nativeConnection, queue, stackDataConverter(), await workflowBundle(), async () => {
      const east = await client.workflow.start(accountingBatch, { taskQueue: queue, workflowId: 'replay-company-batch', args: [{ company: 'east', batchId: 'REPLAYC1', chunkSize: 10 }] });
      // The access tokens expire while it posts: the east realm's tokens rotate through the vault.
      while (stack.companies[0]!.qbo.admin.list('Invoice').length === 0) await new Promise((r) => setTimeout(r, 100));
      stack.companies[0]!.qbo.admin.expireAccessTokens(true);
      await east.result();
      await save('companies-batch', east);
      await save('companies-batch-chunk', client.workflow.getHandle('replay-company-batch/chunk-0'));
      await save('companies-token-vault', client.workflow.getHandle(`accounting-tokens-${stack.companies[0]!.realmId}-${queue}`));

      const west = await client.workflow.start(accountingBatch, { taskQueue: queue, workflowId: 'replay-company-batch-west', args: [{ company: 'west', batchId: 'REPLAYC2' }] });
      await west.result();
      const [invoice] = stack.companies[1]!.qbo.admin.list('Invoice').filter((i) => Number(i.Balance) > 1);
      stack.companies[1]!.qbo.admin.recordPayment({ customerId: String((invoice!.CustomerRef as { value: string }).value), amount: Number(invoice!.Balance), invoiceIds: [String(invoice!.Id)], paymentRefNum: 'CHK-C1' });
      const sync = await client.workflow.start(paymentSync, { taskQueue: queue, workflowId: 'replay-company-payment-sync', args: [{ company: 'west' }] });
      await sync.result();
      await save('companies-payment-sync', sync);

      const checklist = await client.workflow.start(goLiveChecklist, {
        taskQueue: queue,
        workflowId: 'replay-company-checklist',
        args: [{ company: 'east', manualItems: ['chart-signoff'], reminderAfter: '1h', confirmTimeout: '2h' }],
      });
      while ((await checklist.query(checklistResultQuery)).manualItems.length === 0) await new Promise((r) => setTimeout(r, 200));
      await checklist.executeUpdate(confirmManualItemUpdate, { args: [{ item: 'chart-signoff', by: 'recorder' }] });
      await checklist.result();
      await save('companies-checklist', checklist);
    });
  } finally {
    await stack.close();
  }
  // The default company (QBO_* variables) on today's code: the company is asked for, not named.
  await onRecordingStack(env, 'record-default', async () => {
    const dry = await client.workflow.start(accountingBatch, { taskQueue: 'record-default', workflowId: 'replay-default-dry-run', args: [{ dryRun: true }] });
    await dry.result();
    await save('default-company-dry-run', dry);
  });
}

/** A dry run of more records than one chunk holds, with the default chunk size: its chunking is in the history. */
async function recordChunks(env: TestWorkflowEnvironment): Promise<void> {
  await onRecordingStack(env, 'record-chunks', async () => {
    const dry = await env.client.workflow.start(accountingBatch, { taskQueue: 'record-chunks', workflowId: 'replay-default-chunks', args: [{ dryRun: true }] });
    await dry.result();
    await save('accounting-batch-default-chunks', dry);
  }, { invoices: 180 });
}

/** A batch of the demo records in one chunk of the default size: it marks each record kind exported. */
async function recordKinds(env: TestWorkflowEnvironment): Promise<void> {
  await onRecordingStack(env, 'record-kinds', async () => {
    const run = await env.client.workflow.start(accountingBatch, { taskQueue: 'record-kinds', workflowId: 'replay-kinds', args: [{ batchId: 'KINDS', override: true }] });
    await run.result();
    await save('accounting-batch-chunk-kinds', env.client.workflow.getHandle('replay-kinds/chunk-0'));
  });
}

const SETS: Record<string, (env: TestWorkflowEnvironment) => Promise<void>> = { single: recordSingle, companies: recordCompanies, chunks: recordChunks, kinds: recordKinds };

async function main(): Promise<void> {
  const chosen = process.argv.slice(2);
  const unknown = chosen.filter((name) => !(name in SETS));
  if (unknown.length > 0) throw new Error(`Unknown history sets ${unknown.join(', ')}: choose from ${Object.keys(SETS).join(', ')}`);
  mkdirSync(OUT, { recursive: true });
  const env = await startDevServerEnv();
  try {
    for (const name of chosen.length > 0 ? chosen : Object.keys(SETS)) {
      console.log(`recording ${name}`);
      await SETS[name]!(env);
    }
    writeFileSync(join(OUT, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  } finally {
    await env.teardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
