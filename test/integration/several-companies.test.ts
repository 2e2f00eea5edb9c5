/**
 * One deployment, three accounting companies (three QuickBooks sandbox realms) and one ConnectWise
 * site whose records sit in three routed locations plus one no company books: every record lands
 * in its own company's ledger and nowhere else, the unrouted one fails alone naming its location
 * and the fix, and each company's go-live checklist gates only its own batches.
 */
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { accountingBatch, goLiveChecklist } from '../../workflows';
import type { BatchSummary } from '../../domain/batch-summary';
import { RECORD_KINDS, type RecordRef } from '../../domain/contract';
import { TRANSACTION_ENTITIES } from '../../integrations/quickbooks';
import { kindMapper } from '../../integrations/connectwise';
import { recordKey, transactionKey } from '../../dev/chaos/books';
import { recordPassedChecklist, startLedgerStack, withStackWorkers, type LedgerStack } from '../../dev/stack/ledger-stack';
import { startDevServerEnv, stackDataConverter, workflowBundle } from '../../dev/stack/temporal';

let env: TestWorkflowEnvironment;
let stack: LedgerStack;

/** Seattle (1) and Tacoma (2) come with the demo site; Spokane (3, owner level 5) and Tampa (4) are added. */
const COMPANIES = [
  { name: 'east', routing: { locations: [1] } },
  { name: 'west', routing: { locations: [2] } },
  { name: 'north', routing: { ownerLevels: [5] } },
];
const EXPECTED_COMPANY: Record<number, string> = { 1: 'east', 2: 'west', 3: 'north' };

beforeAll(async () => {
  env = await startDevServerEnv();
  // North has not passed its go-live checklist yet; east and west have.
  stack = await startLedgerStack({ companies: COMPANIES, checklistPassed: ['east', 'west'], env: { LEDGER_CONTEXT_TTL: '0ms' } });
  expect(stack.psa.admin.addLocation({ name: 'Spokane', ownerLevelId: 5 }).id).toBe(3);
  expect(stack.psa.admin.addLocation({ name: 'Tampa', ownerLevelId: 6 }).id).toBe(4);
  stack.psa.admin.generate({ invoices: 4, locations: ['Spokane', 'Tacoma'], seed: 16 });
  stack.psa.admin.generate({ invoices: 1, locations: ['Tampa'], seed: 17 });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await env?.teardown();
});

async function unpostedRefs(): Promise<RecordRef[]> {
  const refs: RecordRef[] = [];
  for (const kind of RECORD_KINDS) {
    const mapper = kindMapper(kind);
    refs.push(...(await mapper.unposted(stack.deps.psa).all()).map((row) => mapper.toRef(row)));
  }
  return refs;
}

/** The PSA records each company's QuickBooks realm holds a transaction for (from PrivateNote). */
function ledgerRecords(company: string): string[] {
  const qbo = stack.companies.find((c) => c.name === company)!.qbo;
  return TRANSACTION_ENTITIES.filter((e) => e !== 'Payment')
    .flatMap((entity) => qbo.admin.list(entity).map((t) => transactionKey({ entity, id: String(t.Id), privateNote: t.PrivateNote as string | undefined })))
    .filter((k): k is string => k !== undefined)
    .sort();
}

const batch = (company: string) =>
  env.client.workflow.execute(accountingBatch, { taskQueue: 'several', workflowId: `several-${company}-${Date.now()}`, args: [{ company, batchId: `B-${company}`, retryWindow: '1s' }] });

describe('several accounting companies on one deployment', () => {
  it('routes every record to its company, fails the unrouted one with its fix, and gates each company by its own checklist', async () => {
    const refs = await unpostedRefs();
    const tampa = refs.filter((r) => r.locationId === 4);
    expect(tampa).toHaveLength(1);
    const expected = (company: string) => refs.filter((r) => EXPECTED_COMPANY[r.locationId ?? 0] === company).map((r) => recordKey(r.kind, r.detailId !== undefined ? String(r.detailId) : r.id)).sort();
    for (const c of COMPANIES) expect(expected(c.name).length).toBeGreaterThan(0);

    await withStackWorkers(stack, env.nativeConnection, 'several', stackDataConverter(), await workflowBundle(), async () => {
      // North's go-live checklist sees north's records only (a lock date after all of them lists each).
      const checklist = await env.client.workflow.execute(goLiveChecklist, { taskQueue: 'several', workflowId: 'several-checklist-north', args: [{ company: 'north', lockDate: '2099-12-31', manualItems: [] }] });
      const northInvoices = refs.filter((r) => r.locationId === 3 && r.kind === 'invoice').length;
      expect(checklist.items.find((i) => i.id === 'lock-date')?.evidence).toContain(`Unposted before it: ${northInvoices} invoice${northInvoices === 1 ? '' : 's'}, 0 expenses, 0 procurement records.`);

      const [east, west, north] = await Promise.allSettled(COMPANIES.map((c) => batch(c.name)));

      // North's checklist has not passed: its batch alone is refused, and nothing reached its realm.
      expect(north.status).toBe('rejected');
      const refusal = (north as PromiseRejectedResult).reason as WorkflowFailedError;
      expect(refusal).toBeInstanceOf(WorkflowFailedError);
      expect(refusal.cause).toMatchObject({ type: 'ChecklistNotPassed' });
      expect(ledgerRecords('north')).toEqual([]);

      for (const [name, result] of [['east', east], ['west', west]] as const) {
        expect(result.status).toBe('fulfilled');
        const summary = (result as PromiseFulfilledResult<BatchSummary>).value;
        // Each posted exactly its own records; the Tampa invoice is its one failure, with the fix.
        expect(ledgerRecords(name)).toEqual(expected(name));
        expect(summary).toMatchObject({ status: 'PartiallyFailed', company: name });
        expect(summary.failures).toEqual([
          expect.objectContaining({
            number: tampa[0]!.number,
            type: 'Unrouted',
            message: expect.stringContaining('is in ConnectWise location 4 (Tampa, owner level 6)'),
            fix: expect.stringMatching(/^Add location 4 to one accounting company's routing\.locations/),
          }),
        ]);
      }

      // Each company's report says which company it is about.
      const reports = (await stack.mail.list()).filter((m) => /\[Ledgerline\] Batch B-(east|west)/.test(m.subject));
      expect(reports).toHaveLength(2);
      for (const r of reports) expect((await stack.mail.read(r.id))!.text).toMatch(new RegExp(`Company: +${r.subject.includes('B-east') ? 'east' : 'west'}`));

      // Once north's checklist passes, its batch posts north's records, and only those.
      await recordPassedChecklist(env.client, 'several', stack.companies[2]!.realmId);
      const northSummary = await batch('north');
      expect(ledgerRecords('north')).toEqual(expected('north'));
      expect(northSummary.failures.map((f) => f.type)).toEqual(['Unrouted']);

      // The UI finds each company's batches by the AccountingCompany search attribute.
      const found = async (company: string) => {
        for (let i = 0; i < 50; i++) {
          const ids: string[] = [];
          for await (const wf of env.client.workflow.list({ query: `AccountingCompany = "${company}" AND WorkflowType = "accountingBatch"` })) ids.push(wf.workflowId);
          if (ids.length >= (company === 'north' ? 2 : 1)) return ids.sort();
          await new Promise((r) => setTimeout(r, 200));
        }
        return [];
      };
      for (const c of COMPANIES) expect((await found(c.name)).every((id) => id.startsWith(`several-${c.name}-`))).toBe(true);
      expect(await found('north')).toHaveLength(2);
    });

    // Only the unrouted record is still unposted in ConnectWise.
    expect((await unpostedRefs()).map((r) => r.number)).toEqual([tampa[0]!.number]);
  }, 600_000);

  it("one posting batch per company: a second east batch is refused naming the first, while west's runs; each flags only its own posted invoices whose agreement changed", async () => {
    stack.psa.admin.generate({ invoices: 2, locations: ['Seattle', 'Tacoma'], seed: 18 });
    // An agreement of an invoice east posted (Seattle) is cancelled after the first batches.
    const agreementInvoice = stack.psa.admin.snapshot().invoices.find((i) => i.applyToType === 'Agreement' && i.applyToId === 1 && i.closed)!;
    expect(agreementInvoice.locationId).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
    stack.psa.admin.changeAgreement(1, { cancel: { reason: 'Customer left' } });
    await withStackWorkers(stack, env.nativeConnection, 'several', stackDataConverter(), await workflowBundle(), async () => {
      const start = (company: string, n: number) =>
        env.client.workflow.start(accountingBatch, { taskQueue: 'several', workflowId: `several-lock-${company}-${n}`, args: [{ company, batchId: `L-${company}-${n}`, retryWindow: '1s' }] });
      // Started together: both east batches ask for east's lock before either has posted anything.
      const [first, second, west] = await Promise.all([start('east', 1), start('east', 2), start('west', 1)]);
      const outcomes = await Promise.allSettled([first.result(), second.result()]);
      const refusals = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as WorkflowFailedError).cause] : []));
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toMatchObject({ type: 'BatchAlreadyRunning', message: expect.stringMatching(/another accounting batch is running for accounting company east: several-lock-east-[12]/) });
      const eastRan = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []))[0]!;
      expect(eastRan.stale.map((f) => f.number)).toEqual([agreementInvoice.invoiceNumber]);
      const westSummary = await west.result();
      expect(westSummary.status).toBe('PartiallyFailed');
      expect(westSummary.stale).toEqual([]);
    });
  }, 300_000);

  it("a transaction deleted in a company's QuickBooks is reported by that company's next batch, and no other company's records with it", async () => {
    const deleteOne = async (name: string) => {
      const { ledger } = stack.companies.find((c) => c.name === name)!.deps;
      const [gone] = await ledger.queryAll('Invoice');
      await ledger.delete('Invoice', { Id: gone!.Id, SyncToken: gone!.SyncToken });
      return gone!.Id;
    };
    const gone = { east: await deleteOne('east'), west: await deleteOne('west') };
    // QuickBooks stamps changes in whole seconds and a batch checks up to the start of its current
    // second: a change made in that second is the following batch's to report.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
    stack.psa.admin.generate({ invoices: 2, locations: ['Seattle', 'Tacoma'], seed: 19 });
    await withStackWorkers(stack, env.nativeConnection, 'several', stackDataConverter(), await workflowBundle(), async () => {
      for (const name of ['east', 'west'] as const) {
        const summary = await batch(name);
        expect(summary.ledgerCheckError).toBeUndefined();
        // Only its own: another company's records are never looked for in this company's books.
        expect(summary.ledgerChanges).toEqual([expect.objectContaining({ change: 'deleted', entity: 'Invoice', txnId: gone[name] })]);
      }
    });
  }, 300_000);

  it('a batch naming no company, or an unknown one, fails at once with the companies to choose from', async () => {
    await withStackWorkers(stack, env.nativeConnection, 'several-input', stackDataConverter(), await workflowBundle(), async () => {
      for (const input of [{}, { company: 'south' }]) {
        const err = await env.client.workflow.execute(accountingBatch, { taskQueue: 'several-input', workflowId: `several-input-${JSON.stringify(input).length}`, args: [input] }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WorkflowFailedError);
        expect((err as WorkflowFailedError).cause).toMatchObject({ type: 'InvalidInput', message: expect.stringContaining('Name one of "east", "west", "north"') });
      }
    });
    expect(ledgerRecords('east').length + ledgerRecords('west').length).toBeGreaterThan(0);
  }, 120_000);
});
