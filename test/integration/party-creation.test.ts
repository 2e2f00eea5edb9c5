/**
 * Missing customers against the sandboxes (both over HTTP, the real clients and activities):
 *   - without CREATE_MISSING_PARTIES the dry run lists the missing customer and its records;
 *   - with it, the batch (real Temporal dev server) creates the customer once, keeps the
 *     ConnectWise company id in its Notes, and a later run finds it even after a rename;
 *   - a display name held by an employee fails only the records needing that customer, with the fix;
 *   - two concurrent posts needing the same new customer, and an attempt whose create answer was
 *     lost followed by its retry, leave exactly one customer.
 * A customer is made missing by renaming it in QuickBooks, as finance might.
 */
import { MockActivityEnvironment, type TestWorkflowEnvironment } from '@temporalio/testing';
import { postActivities } from '../../activities/post';
import { resolveActivities } from '../../activities/resolve';
import type { PostOutcome, RecordRef, ResolveOutcome } from '../../domain/contract';
import type { BatchSummary } from '../../domain/batch-summary';
import { ledgerContextCache } from '../../integrations/ledger-context';
import { kindMapper } from '../../integrations/connectwise';
import type { QuickBooksClient } from '../../integrations/quickbooks';
import { stackLedgerClient, startLedgerStack, withStackWorkers, type LedgerStack } from '../../dev/stack/ledger-stack';
import { startDevServerEnv, stackDataConverter, workflowBundle } from '../../dev/stack/temporal';
import { accountingBatch } from '../../workflows';

type Fetch = typeof globalThis.fetch;
type Ready = Extract<ResolveOutcome, { status: 'ready' }>;

const attempt = (n: number) => new MockActivityEnvironment({ attempt: n, startToCloseTimeoutMs: 300_000 });

/** A company with at least two unposted invoices, its refs, and its QuickBooks customer renamed away. */
async function companyMadeMissing(stack: LedgerStack): Promise<{ companyId: number; name: string; refs: RecordRef[] }> {
  await stack.psa.admin.generate({ invoices: 40, expenses: 0, procurement: 0, seed: 11 });
  const rows = await stack.deps.psa.unpostedInvoices.all();
  const byCompany = new Map<number, typeof rows>();
  for (const row of rows) byCompany.set(row.company.id, [...(byCompany.get(row.company.id) ?? []), row]);
  const [companyId, mine] = [...byCompany.entries()].find(([, list]) => list.length >= 2)!;
  const name = mine[0].company.name!;
  const ledger = stack.deps.ledger;
  const [customer] = await ledger.queryAll('Customer', { where: [{ field: 'DisplayName', op: '=', value: name }] });
  await ledger.update('Customer', { Id: customer.Id, SyncToken: customer.SyncToken, DisplayName: `${name} (old books)` });
  return { companyId, name, refs: mine.map((row) => kindMapper('invoice').toRef(row)) };
}

async function customersNamed(ledger: QuickBooksClient, name: string) {
  return ledger.queryAll('Customer', { where: [{ field: 'DisplayName', op: '=', value: name }, { field: 'Active', op: 'IN', value: [true, false] }] });
}

function activities(stack: LedgerStack, ledger: QuickBooksClient = stack.deps.ledger) {
  const shared = { psa: stack.deps.psa, ledger, realmId: ledger.realmId, ledgerContext: ledgerContextCache({ psa: stack.deps.psa, ledger }, { ttlMs: 0, createMissingParties: true }) };
  return { ...resolveActivities(shared), ...postActivities(shared) };
}

async function resolve(acts: ReturnType<typeof activities>, refs: RecordRef[]): Promise<ResolveOutcome[]> {
  return attempt(1).run(acts.resolveRecords, { refs, glSource: 'psa' as const });
}

const postInput = (ready: Ready[], batchId: string) => ({ batchId, glSource: 'psa' as const, records: ready.map((r) => ({ ref: r.ref, draftDigest: r.draftDigest })) });
const isPosted = (o: PostOutcome) => o.status === 'posted' || o.status === 'alreadyPosted';

describe('missing parties in a batch (real Temporal)', () => {
  let env: TestWorkflowEnvironment;
  let queue = 0;
  beforeAll(async () => {
    env = await startDevServerEnv();
  }, 120_000);
  afterAll(async () => {
    await env?.teardown();
  });

  async function run(stack: LedgerStack, args: Record<string, unknown>, id: string): Promise<BatchSummary> {
    const taskQueue = `it-parties-${++queue}`;
    return withStackWorkers(stack, env.nativeConnection, taskQueue, stackDataConverter(), await workflowBundle(), () =>
      env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: `${id}-${queue}`, args: [args] }),
    );
  }

  it('without the setting, the dry run lists the missing customer and its records', async () => {
    const stack = await startLedgerStack({ env: { LEDGER_CONTEXT_TTL: '0ms' } });
    try {
      const missing = await companyMadeMissing(stack);
      const summary = await run(stack, { dryRun: true }, 'it-parties-off');
      const line = summary.missingParties?.find((p) => p.psaId === missing.companyId);
      expect(line).toMatchObject({ role: 'customer', name: missing.name, willCreate: false });
      expect(line!.records.sort()).toEqual(missing.refs.map((r) => `Invoice ${r.number}`).sort());
      expect(await customersNamed(stack.deps.ledger, missing.name)).toEqual([]);
    } finally {
      await stack.close();
    }
  }, 180_000);

  it('with the setting, the batch creates the customer once and a later run finds it after a rename', async () => {
    const stack = await startLedgerStack({ env: { LEDGER_CONTEXT_TTL: '0ms', CREATE_MISSING_PARTIES: 'true' } });
    try {
      const missing = await companyMadeMissing(stack);
      const dry = await run(stack, { dryRun: true }, 'it-parties-dry');
      expect(dry.missingParties?.find((p) => p.psaId === missing.companyId)).toMatchObject({ name: missing.name, willCreate: true });

      // Small chunks run concurrently, so records needing the one new customer may meet; failures do not wait.
      const summary = await run(stack, { chunkSize: 5, maxConcurrentChunks: 8, retryWindow: '1s' }, 'it-parties-on');
      expect(summary.failures.filter((f) => missing.refs.some((r) => r.number === f.number))).toEqual([]);
      const created = await customersNamed(stack.deps.ledger, missing.name);
      expect(created).toHaveLength(1);
      expect(String((created[0] as { Notes?: string }).Notes)).toContain(`ConnectWise company #${missing.companyId}`);
      const invoices = await stack.deps.ledger.queryAll('Invoice', { where: [{ field: 'CustomerRef', op: '=', value: created[0].Id }] });
      expect(invoices).toHaveLength(missing.refs.length);

      // Finance renames it; the next run still finds it by the ConnectWise line in its Notes.
      await stack.deps.ledger.update('Customer', { Id: created[0].Id, SyncToken: created[0].SyncToken, DisplayName: `${missing.name} - Seattle` });
      const context = await ledgerContextCache({ psa: stack.deps.psa, ledger: stack.deps.ledger }, { ttlMs: 0, createMissingParties: true }).get();
      expect(context.matcher.customer({ name: missing.name, source: 'company', psaId: missing.companyId }).value).toBe(created[0].Id);
      const rerun = await run(stack, { dryRun: true }, 'it-parties-rerun');
      expect(rerun.missingParties?.find((p) => p.psaId === missing.companyId)).toBeUndefined();
    } finally {
      await stack.close();
    }
  }, 240_000);
});

describe('missing parties, activity by activity', () => {
  let stack: LedgerStack;
  beforeEach(async () => {
    stack = await startLedgerStack({ checklistPassed: false });
  }, 60_000);
  afterEach(async () => {
    await stack?.close();
  });

  it('a name an employee holds fails only the records needing that customer, with the clash and the fix', async () => {
    const missing = await companyMadeMissing(stack);
    await stack.deps.ledger.create('Employee', { GivenName: 'Pat', FamilyName: 'Lopez', DisplayName: missing.name });
    // QuickBooks itself would refuse the customer: the sandbox does too.
    await expect(stack.deps.ledger.create('Customer', { DisplayName: missing.name })).rejects.toMatchObject({ details: { code: '6240' } });

    const others = (await stack.deps.psa.unpostedInvoices.all()).filter((row) => row.company.id !== missing.companyId).slice(0, 3).map((row) => kindMapper('invoice').toRef(row));
    const outcomes = await resolve(activities(stack), [...missing.refs, ...others]);
    const mine = outcomes.filter((o) => missing.refs.some((r) => r.id === o.ref.id));
    for (const o of mine) {
      expect(o.status).toBe('failed');
      if (o.status !== 'failed') continue;
      expect(o.error.type).toBe('Conflict');
      expect(o.error.message).toMatch(new RegExp(`^\\w+ ${o.ref.number}: `));
      expect(o.error.message).toContain('an employee already uses that display name');
      expect(o.error.fix).toContain('rename employee');
      expect(o.error.fix).toContain(`ConnectWise company #${missing.companyId}`);
    }
    expect(outcomes.filter((o) => !missing.refs.some((r) => r.id === o.ref.id)).map((o) => o.status)).toEqual(others.map(() => 'ready'));
    expect(await customersNamed(stack.deps.ledger, missing.name)).toEqual([]);
  });

  it('two concurrent posts needing the same new customer create it once', async () => {
    const missing = await companyMadeMissing(stack);
    const acts = activities(stack);
    const ready = (await resolve(acts, missing.refs)).filter((o): o is Ready => o.status === 'ready');
    expect(ready.length).toBe(missing.refs.length);
    expect(ready.every((r) => r.missingParty?.willCreate)).toBe(true);

    const post = (a: ReturnType<typeof activities>, records: Ready[], batchId: string): Promise<PostOutcome[]> => attempt(1).run(a.postRecords, postInput(records, batchId));
    const [a, b] = await Promise.all([post(acts, ready.slice(0, 1), 'b-a'), post(activities(stack), ready.slice(1), 'b-b')]);
    expect([...a, ...b].filter((o) => !isPosted(o))).toEqual([]);
    const created = await customersNamed(stack.deps.ledger, missing.name);
    expect(created).toHaveLength(1);
    const invoices = await stack.deps.ledger.queryAll('Invoice', { where: [{ field: 'CustomerRef', op: '=', value: created[0].Id }] });
    expect(invoices).toHaveLength(ready.length);
  });

  it('a lost answer to the customer create is followed by a retry that finds the customer', async () => {
    const missing = await companyMadeMissing(stack);
    let lost = 0;
    // The create reaches QuickBooks and is committed; its answer never comes back.
    const losing: Fetch = async (input, init) => {
      const res = await globalThis.fetch(input, init);
      if (new URL(String(input)).pathname.endsWith('/customer') && init?.method === 'POST' && lost++ === 0) throw new TypeError('fetch failed: socket hang up');
      return res;
    };
    const ready = (await resolve(activities(stack), missing.refs)).filter((o): o is Ready => o.status === 'ready');
    const flaky = activities(stack, stackLedgerClient(stack, { fetch: losing, retry: { maxAttempts: 1 } }));
    await expect(attempt(1).run(flaky.postRecords, postInput(ready, 'b-lost'))).rejects.toMatchObject({ retryable: true });
    expect(await customersNamed(stack.deps.ledger, missing.name)).toHaveLength(1);

    const retried: PostOutcome[] = await attempt(2).run(activities(stack).postRecords, postInput(ready, 'b-lost'));
    expect(retried.filter((o) => !isPosted(o))).toEqual([]);
    expect(await customersNamed(stack.deps.ledger, missing.name)).toHaveLength(1);
    expect(lost).toBe(1);
  });
});
