/**
 * goLiveChecklist end to end: the Temporal dev server, both sandboxes over HTTP, the real clients and
 * activities, mail into the SMTP sink. The clean demo passes; then one fact at a time is broken
 * (ConnectWise facts by restarting its sandbox on the same port from an edited demo state, QuickBooks
 * facts through its API) and exactly that item fails (or warns) with its own fix.
 */
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ChecklistSummary, CheckId } from '../../domain/checklist';
import type { LatestChecklistStatus } from '../../domain/contract';
import { OWNER_MAPPING_MISSING_MESSAGE } from '../../domain/gl';
import { startConnectWiseSandbox, type ConnectWiseSandbox } from '../../dev/sandbox/connectwise';
import { seedState } from '../../dev/sandbox/connectwise/admin';
import type { SandboxState } from '../../dev/sandbox/connectwise/state';
import { JsonStateStore } from '../../dev/sandbox/shared/json-state-store';
import { CompanyStateStore } from '../../integrations/state';
import { goLiveChecklist } from '../../workflows';
import { checklistResultQuery, confirmManualItemUpdate } from '../../workflows/definitions';
import { startLedgerStack, withStackWorkers, type LedgerStack } from '../../dev/stack/ledger-stack';
import { startDevServerEnv, stackDataConverter, workflowBundle } from '../../dev/stack/temporal';

let env: TestWorkflowEnvironment;
let stack: LedgerStack;
let psa: ConnectWiseSandbox;
let runs = 0;

beforeAll(async () => {
  env = await startDevServerEnv();
  // No passed checklist recorded up front: each run's own result is what the state must hold.
  stack = await startLedgerStack({ checklistPassed: false });
  psa = stack.psa;
});
afterAll(async () => {
  if (psa !== stack?.psa) await psa?.close();
  await stack?.close();
  await env?.teardown();
});

/** Restart the ConnectWise sandbox on the same port (the clients keep their URL) from an edited demo state. */
async function psaWith(edit: (s: SandboxState) => void, credentials?: ConnectWiseSandbox['credentials']): Promise<void> {
  const port = psa.port;
  await psa.close();
  const dataDir = join(stack.dir, `connectwise-${++runs}`);
  const state = seedState('demo');
  edit(state);
  new JsonStateStore<SandboxState>(dataDir).save(state);
  psa = await startConnectWiseSandbox({ host: '127.0.0.1', port, dataDir, credentials });
}

async function runChecklist(workflowId: string, input: Record<string, unknown> = { manualItems: [] }): Promise<ChecklistSummary> {
  const taskQueue = `it-checklist-${workflowId}`;
  return withStackWorkers(stack, env.nativeConnection, taskQueue, stackDataConverter(), await workflowBundle(), () =>
    env.client.workflow.execute(goLiveChecklist, { taskQueue, workflowId, args: [input] }),
  );
}

const byId = (s: ChecklistSummary, id: CheckId) => s.items.find((i) => i.id === id)!;
const notPassing = (s: ChecklistSummary) => s.items.filter((i) => i.result !== 'pass').map((i) => `${i.id}:${i.result}`);
/** The result the company's state holds for the deployment on `taskQueue` (its workers answer the read). */
const latest = async (taskQueue: string): Promise<LatestChecklistStatus | undefined> =>
  withStackWorkers(stack, env.nativeConnection, taskQueue, stackDataConverter(), await workflowBundle(), async () =>
    (await new CompanyStateStore(env.client, taskQueue, stack.deps.ledger.realmId).read()).checklist,
  );

describe('goLiveChecklist against the sandboxes', () => {
  it('the clean demo passes every check once the manual items are confirmed; the result is mailed and recorded', async () => {
    const taskQueue = 'it-checklist-clean';
    const summary = await withStackWorkers(stack, env.nativeConnection, taskQueue, stackDataConverter(), await workflowBundle(), async () => {
      const handle = await env.client.workflow.start(goLiveChecklist, { taskQueue, workflowId: 'it-cl-clean', args: [{ lockDate: '2026-11-01' }] });
      let during = await handle.query(checklistResultQuery);
      for (let i = 0; i < 600 && during.stage !== 'awaitingConfirmation'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        during = await handle.query(checklistResultQuery);
      }
      expect(during.stage).toBe('awaitingConfirmation');
      expect(during.items).toHaveLength(13);
      await handle.executeUpdate(confirmManualItemUpdate, { args: [{ item: 'test-invoices', by: 'ana', note: 'invoices 1001-1003 checked' }] });
      await handle.executeUpdate(confirmManualItemUpdate, { args: [{ item: 'chart-signoff', by: 'cpa@firm.test' }] });
      return handle.result();
    });
    expect(notPassing(summary)).toEqual([]);
    expect(summary).toMatchObject({ status: 'Passed', company: 'Ledgerline IT (sandbox)', realmId: stack.deps.ledger.realmId });
    expect(byId(summary, 'mapped-accounts').evidence.at(-1)).toMatch(/of \d+ mapped accounts found with a fitting type/);
    expect(await latest(taskQueue)).toMatchObject({ passed: true, status: 'Passed', workflowId: 'it-cl-clean', failed: [], unconfirmed: [] });
    const mails = await stack.mail.list();
    expect(mails.some((m) => /Go-live checklist: Passed/.test(m.subject))).toBe(true);
  });

  it('without a lock date the demo only warns about the lock date (QuickBooks has no closing date)', async () => {
    const summary = await runChecklist('it-cl-nolock');
    expect(notPassing(summary)).toEqual(['lock-date:warn']);
    expect(summary.status).toBe('Passed');
    expect(byId(summary, 'lock-date').fix).toMatch(/^Start the checklist with lockDate/);
  });

  const lock = { manualItems: [], lockDate: '2026-11-01' };

  it('refused ConnectWise keys: connectivity fails with the key settings to check; ConnectWise checks are not passed', async () => {
    await psaWith(() => undefined, { companyId: 'ledgerline', publicKey: 'rotated-public', privateKey: 'rotated-private' });
    const summary = await runChecklist('it-cl-keys', lock);
    const item = byId(summary, 'connectivity');
    expect(item.result).toBe('fail');
    expect(item.evidence[0]).toMatch(/^ConnectWise system\/info failed: AuthenticationFailed/);
    expect(item.fix).toMatch(/CW_PUBLIC_KEY and CW_PRIVATE_KEY against System > Members > API Members > API Keys/);
    expect(byId(summary, 'gl-reload-status').evidence).toEqual(['Not checked: ConnectWise did not answer (see the connectivity check).']);
    expect(summary.status).toBe('Failed');
    expect(await latest('it-checklist-it-cl-keys')).toMatchObject({ passed: false, workflowId: 'it-cl-keys' });
  });

  const psaCases: Array<{ name: string; check: CheckId; edit: (s: SandboxState) => void; fix: RegExp; result?: 'fail' | 'warn'; input?: Record<string, unknown> }> = [
    {
      name: 'the API member lost Accounting Interface add',
      check: 'api-member-security',
      edit: (s) => Object.assign(s.security.find((r) => r.moduleFunctionIdentifier === 'AccountingInterface')!, { addLevel: 'None' }),
      fix: /set Finance > Accounting Interface: Add = All \(to read unposted records and create accounting batches\)/,
    },
    {
      name: 'a billing term in use lost its termsXref',
      check: 'terms-xref',
      edit: (s) => Object.assign(s.billingTerms.find((t) => t.name === 'Net 30')!, { termsXref: '' }),
      fix: /set the Terms XRef of billing term "Net 30" to the QuickBooks term's exact name/,
    },
    {
      name: 'a customer with unposted invoices lost its billing contact',
      check: 'customer-contacts',
      edit: (s) => delete s.companies.find((c) => c.identifier === 'AcmeDental')!.billingContact,
      fix: /select a Billing contact for "AcmeDental"/,
    },
    {
      name: 'the GL Reload billing status was deleted',
      check: 'gl-reload-status',
      edit: (s) => (s.billingStatuses = s.billingStatuses.filter((b) => b.name !== 'GL Reload')),
      fix: /^Create the billing status "GL Reload" in System > Setup Tables > Billing Status/,
    },
    {
      name: 'the GL Reload billing status was marked Closed',
      check: 'gl-reload-status',
      edit: (s) => Object.assign(s.billingStatuses.find((b) => b.name === 'GL Reload')!, { closedFlag: true }),
      fix: /^Clear the Closed flag of billing status "GL Reload" in System > Setup Tables > Billing Status: it must be an open status, neither closed nor sent/,
    },
    {
      name: 'the AR owner mapping was deleted',
      check: 'owner-mappings',
      edit: (s) => (s.glAccounts = s.glAccounts.filter((g) => !(g.glType === 'AR' && (g.mappedType as { name: string }).name === 'My Company: Owner'))),
      fix: new RegExp(`^${OWNER_MAPPING_MISSING_MESSAGE.replace(/[().:]/g, '\\$&')} In System > Setup Tables > GL Accounts add, for each of "Accounts Receivable": .*Record Ledgerline`),
    },
    {
      name: 'the Revenue owner mapping lost its Product ID',
      check: 'revenue-cogs-mappings',
      edit: (s) => Object.assign(s.glAccounts.find((g) => g.glType === 'R' && (g.mappedType as { name: string }).name === 'My Company: Owner')!, { productId: '' }),
      fix: /Add a Product ID .* to the My Company: Owner row of "Revenue" in System > Setup Tables > GL Accounts/,
    },
    {
      name: "a tax code level's xref no longer names a QuickBooks tax rate",
      check: 'tax-names',
      edit: (s) => Object.assign(s.taxCodeLevels.find((l) => l.taxCodeXref === 'King County')!, { taxCodeXref: 'King Cnty' }),
      fix: /Set the Tax Code XRef of Seattle level 2 \("King Cnty"\) in System > Setup Tables > Tax Code to the QuickBooks tax rate's exact name/,
    },
    {
      name: 'an unposted invoice from long ago was never set to GL Reload',
      check: 'unbatched-records',
      result: 'warn',
      input: { manualItems: [] },
      edit: (s) => Object.assign(s.invoices.find((i) => i.closed)!, { date: '2025-01-15T00:00:00Z' }),
      fix: /^The first run would send \d+ records reaching back to 2025-01-15\. .*GL Reload billing status/,
    },
    {
      name: 'payment sync was turned off in the accounting package setup',
      check: 'package-setup',
      edit: (s) => Object.assign(s.accountingPackageSetup[0]!, { syncPaymentInfoFlag: false }),
      fix: /select Direct Transfer and Sync Payment Info From Accounting Package/,
    },
  ];

  it.each(psaCases)('$name: only $check is flagged, with its fix', async ({ check, edit, fix, result = 'fail', input = lock }) => {
    await psaWith(edit);
    const summary = await runChecklist(`it-cl-${check}`, input);
    const item = byId(summary, check);
    expect(notPassing(summary).filter((s) => s !== 'lock-date:warn')).toEqual([`${check}:${result}`]);
    expect(item.fix).toMatch(fix);
  });

  it('unposted records before the lock date: lock-date fails naming how many to remove', async () => {
    await psaWith(() => undefined);
    const summary = await runChecklist('it-cl-lock', { manualItems: [], lockDate: '2026-11-05' });
    expect(notPassing(summary)).toEqual(['lock-date:fail']);
    expect(byId(summary, 'lock-date').evidence.join(' ')).toMatch(/invoice \S+ dated 2026-11-0[1-4]/);
    expect(byId(summary, 'lock-date').fix).toMatch(/^In Finance > Accounting Interface, remove the \d+ records dated before 2026-11-05/);
  });

  it('a QuickBooks account renamed (case and spelling count): mapped-accounts fails naming it and the nearest name', async () => {
    const account = (await stack.deps.ledger.listAccounts()).find((a) => a.Name === 'Service Revenue')!;
    const renamed = await stack.deps.ledger.update('Account', { Id: account.Id, SyncToken: account.SyncToken, Name: 'Service Revenues' });
    try {
      const summary = await runChecklist('it-cl-rename', lock);
      expect(notPassing(summary)).toEqual(['mapped-accounts:fail']);
      const item = byId(summary, 'mapped-accounts');
      expect(item.evidence[0]).toMatch(/GL account "Service Revenue" \(Revenue\) was not found in the chart of accounts, matching by name\. Nearest: "Service Revenues"/);
      expect(item.fix).toMatch(/^Make the Account \(or COGS\/Inventory\) field of the GL Accounts rows naming "Service Revenue" equal the QuickBooks account's exact name/);
    } finally {
      await stack.deps.ledger.update('Account', { Id: renamed.Id, SyncToken: renamed.SyncToken, Name: 'Service Revenue' });
    }
  });
});

describe('goLiveChecklist with GL_ACCOUNT_MATCH=number', () => {
  let numbered: LedgerStack;
  beforeAll(async () => {
    numbered = await startLedgerStack({ env: { GL_ACCOUNT_MATCH: 'number' } });
  });
  afterAll(async () => {
    await numbered?.close();
  });

  it('matches the way the batch is configured: the demo table holds names, so check 8 fails with the number-matching fix', async () => {
    const taskQueue = 'it-checklist-numbered';
    const summary = await withStackWorkers(numbered, env.nativeConnection, taskQueue, stackDataConverter(), await workflowBundle(), () =>
      env.client.workflow.execute(goLiveChecklist, { taskQueue, workflowId: 'it-cl-numbered', args: [{ manualItems: [], lockDate: '2026-11-01' }] }),
    );
    expect(notPassing(summary)).toEqual(['mapped-accounts:fail']);
    const item = byId(summary, 'mapped-accounts');
    expect(item.evidence.join(' ')).toMatch(/GL account "Accounts Receivable" \(Accounts Receivable\) was not found in the chart of accounts, matching by number/);
    expect(item.fix).toMatch(/GL accounts match by number \(GL_ACCOUNT_MATCH=number\): put the QuickBooks account numbers in the GL Accounts table, or set GL_ACCOUNT_MATCH=name/);
  });

  it('number matching with account numbers turned off in QuickBooks is a check-8 failure that says to enable them', async () => {
    numbered.qbo.admin.setPreferences({ AccountingInfoPrefs: { UseAccountNumbers: false } });
    const taskQueue = 'it-checklist-numbers-off';
    const summary = await withStackWorkers(numbered, env.nativeConnection, taskQueue, stackDataConverter(), await workflowBundle(), () =>
      env.client.workflow.execute(goLiveChecklist, { taskQueue, workflowId: 'it-cl-numbers-off', args: [{ manualItems: [], lockDate: '2026-11-01' }] }),
    );
    expect(notPassing(summary)).toEqual(['mapped-accounts:fail']);
    expect(byId(summary, 'mapped-accounts').evidence).toEqual(['GL accounts are set to match by number, but the accounting company does not have account numbers enabled']);
    expect(byId(summary, 'mapped-accounts').fix).toMatch(/^Enable account numbers in QuickBooks Online/);
  });
});
