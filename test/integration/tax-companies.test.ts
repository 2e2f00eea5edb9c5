/**
 * The demo batch into each QuickBooks tax model: a US company with manual sales tax, a US company
 * on Automated Sales Tax and a Canadian company. Every record type posts, reconciles and is
 * marked exported; each sales line lands in its ConnectWise GL account and the tax QuickBooks
 * holds is ConnectWise's.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { accountingBatch } from '../../workflows';
import type { BatchSummary } from '../../domain/batch-summary';
import { startLedgerStack, withStackWorkers, type LedgerStack } from '../../dev/stack/ledger-stack';
import { startDevServerEnv, stackDataConverter, workflowBundle } from '../../dev/stack/temporal';
import type { SeedName } from '../../dev/sandbox/quickbooks';
import type { PsaGlRecord } from '../../domain/posting';
import { postedLineAccounts, postedSalesTransaction, unpostedInvoiceRecords } from '../helpers/posted-lines';

let env: TestWorkflowEnvironment;
let queue = 0;

beforeAll(async () => {
  env = await startDevServerEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const taxOf = (r: { lines: Array<{ accountType: string; amount: string }> }) =>
  r.lines.filter((l) => l.accountType === 'Sales Tax Payable').reduce((s, l) => s + Math.round(Math.abs(Number(l.amount)) * 100), 0);

async function runDemoBatch(seed: SeedName, env_: Record<string, string> = {}, prepare?: (stack: LedgerStack, invoices: PsaGlRecord[]) => Promise<void>) {
  const stack = await startLedgerStack({ qboSeed: seed, env: { LEDGER_CONTEXT_TTL: '0ms', ...env_ } });
  try {
    const invoices = await unpostedInvoiceRecords(stack);
    await prepare?.(stack, invoices);
    const taskQueue = `it-tax-${++queue}`;
    const summary: BatchSummary = await withStackWorkers(stack, env.nativeConnection, taskQueue, stackDataConverter(), await workflowBundle(), () =>
      env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: `it-tax-${seed}-${queue}`, args: [{ batchId: `TAX-${seed}`, retryWindow: '1s' }] }),
    );
    const lines = await postedLineAccounts(stack, invoices);
    const taxes: Array<[string, number, number]> = [];
    const levels: Array<[string, string[], string[]]> = [];
    const lineCodes: string[] = [];
    for (const r of invoices) {
      const txn = await postedSalesTransaction(stack, r);
      const detail = txn?.TxnTaxDetail as { TotalTax?: number; TaxLine?: Array<{ Amount: number; TaxLineDetail: { TaxRateRef: { name?: string } } }> } | undefined;
      taxes.push([r.number, taxOf(r), Math.round(Number(detail?.TotalTax ?? 0) * 100)]);
      const cwLevels = r.lines.filter((l) => l.accountType === 'Sales Tax Payable' && Number(l.amount) !== 0).map((l) => `${l.taxCodeXref} ${Math.abs(Number(l.amount)).toFixed(2)}`);
      levels.push([r.number, cwLevels.sort(), (detail?.TaxLine ?? []).map((t) => `${t.TaxLineDetail.TaxRateRef.name} ${t.Amount.toFixed(2)}`).sort()]);
      for (const line of (txn?.Line as Array<{ SalesItemLineDetail?: { TaxCodeRef?: { name?: string; value?: string } } }> | undefined) ?? []) {
        if (line.SalesItemLineDetail) lineCodes.push(line.SalesItemLineDetail.TaxCodeRef?.name ?? line.SalesItemLineDetail.TaxCodeRef?.value ?? 'none');
      }
    }
    return { summary, lines, taxes, levels, lineCodes, invoices, stack };
  } finally {
    await stack.close();
  }
}

describe.each<[SeedName, string]>([
  ['demo', 'US, manual sales tax'],
  ['demo-ast', 'US, Automated Sales Tax'],
  ['demo-ca', 'Canada'],
])('the demo batch into the %s company (%s)', (seed) => {
  it('posts every record type; each sales line in its GL account; the tax is ConnectWise\'s', async () => {
    const { summary, lines, taxes } = await runDemoBatch(seed);
    expect(summary.failures).toEqual([]);
    expect(summary.discrepancies).toEqual([]);
    expect(summary.status).toBe('Completed');
    for (const kind of ['invoice', 'expense', 'procurement'] as const) expect(summary.byKind[kind].posted).toBeGreaterThan(0);
    expect(lines.posted).toEqual(lines.expected);
    expect(taxes.some(([, cw]) => cw > 0)).toBe(true);
    for (const [number, cw, qbo] of taxes) expect([number, qbo]).toEqual([number, cw]);
  });
});

it('US manual sales tax: each ConnectWise tax level posts as its own tax rate line with its amount', async () => {
  const { levels } = await runDemoBatch('demo');
  expect(levels.some(([, cw]) => cw.length === 3)).toBe(true);
  for (const [number, cw, qbo] of levels) expect([number, qbo]).toEqual([number, cw]);
});

it('Canada: every sales line carries a tax code: the ConnectWise one where it taxed, Exempt elsewhere', async () => {
  const { lineCodes } = await runDemoBatch('demo-ca');
  expect(lineCodes).not.toContain('none');
  expect(new Set(lineCodes)).toEqual(new Set(['Seattle', 'Tacoma', 'Exempt']));
});

it('Canada with multicurrency: invoices for a customer kept in CAD fail before posting, naming both currencies; the rest post', async () => {
  let customer = '';
  const { summary, invoices } = await runDemoBatch('demo-ca', {}, async (stack, records) => {
    customer = records.find((r) => r.recordType !== 'CreditMemo')!.party.name;
    // The demo customer trades in USD; a CAD customer takes its name (the USD one is renamed).
    const [usd] = (await stack.deps.ledger.listCustomers()).filter((c) => c.DisplayName === customer);
    await stack.deps.ledger.update('Customer', { Id: usd.Id, SyncToken: usd.SyncToken, DisplayName: `${customer} (USD)` });
    await stack.deps.ledger.create('Customer', { DisplayName: customer, CurrencyRef: { value: 'CAD' } });
  });
  const theirs = invoices.filter((r) => r.party.name === customer).map((r) => r.number);
  expect(summary.failures.map((f) => f.number).sort()).toEqual([...theirs].sort());
  for (const f of summary.failures) {
    expect(f.message).toContain(`is in USD, but customer "${customer}" trades in CAD in QuickBooks`);
    expect(f.fix).toMatch(/^Bill the record in CAD in ConnectWise, or post it to a customer kept in USD/);
  }
  expect(summary.byKind.invoice.posted).toBe(invoices.length - theirs.length);
});

/**
 * QuickBooks' automated tax for one taxed customer made to differ from ConnectWise's: its default
 * tax code (what the sandbox's AST assigns) becomes another city's.
 */
async function disputeOneCustomer(stack: LedgerStack, invoices: PsaGlRecord[]): Promise<string> {
  const taxed = invoices.find((r) => r.recordType !== 'CreditMemo' && taxOf(r) > 0 && r.taxCode !== undefined)!;
  const codes = await stack.deps.ledger.listTaxCodes();
  const other = codes.find((c) => c.Name === (taxed.taxCode === 'Seattle' ? 'Tacoma' : 'Seattle'))!;
  const [customer] = (await stack.deps.ledger.listCustomers()).filter((c) => c.DisplayName === taxed.party.name);
  await stack.deps.ledger.update('Customer', { Id: customer.Id, SyncToken: customer.SyncToken, DefaultTaxCodeRef: { value: other.Id } });
  return taxed.party.name;
}

/** Exactly the customer's invoices QuickBooks taxes differently: every one ConnectWise taxed, and only theirs. */
function expectDisputed(numbers: string[], invoices: PsaGlRecord[], customer: string): void {
  const theirs = invoices.filter((r) => r.party.name === customer).map((r) => r.number);
  for (const n of numbers) expect(theirs).toContain(n);
  for (const r of invoices.filter((x) => x.party.name === customer && taxOf(x) > 0)) expect(numbers).toContain(r.number);
}

describe('Automated Sales Tax above the tolerance', () => {
  it('warn: posts ConnectWise\'s tax and the report lists each invoice\'s delta', async () => {
    let customer = '';
    const { summary, invoices } = await runDemoBatch('demo-ast', { AST_TAX_ABOVE_TOLERANCE: 'warn' }, async (stack, records) => {
      customer = await disputeOneCustomer(stack, records);
    });
    expect(summary.failures).toEqual([]);
    const deltas = summary.taxDeltas ?? [];
    expect(deltas.length).toBe(invoices.length);
    const above = deltas.filter((d) => d.aboveTolerance).map((d) => d.number);
    expectDisputed(above, invoices, customer);
    expect(deltas.filter((d) => !d.aboveTolerance).every((d) => d.delta === '0.00')).toBe(true);
  });

  it('refuse: those invoices fail with the fix and nothing is left posted for them; the rest post', async () => {
    let customer = '';
    let disputedPosted: unknown[] = [];
    const { summary, invoices } = await runDemoBatch('demo-ast', { AST_TAX_ABOVE_TOLERANCE: 'refuse', AST_TAX_TOLERANCE: '0.01' }, async (stack, records) => {
      customer = await disputeOneCustomer(stack, records);
      const original = stack.close.bind(stack);
      stack.close = async () => {
        const numbers = records.filter((r) => r.party.name === customer).map((r) => r.number);
        disputedPosted = await stack.deps.ledger.queryAll('Invoice', { where: [{ field: 'DocNumber', op: 'IN', value: numbers }] });
        await original();
      };
    });
    expect(summary.status).toBe('PartiallyFailed');
    expectDisputed(summary.failures.map((f) => f.number), invoices, customer);
    for (const f of summary.failures) {
      expect(f.message).toMatch(/automated sales tax .* more than the tolerance 0\.01; nothing was left posted/);
      expect(f.fix).toContain('AST_TAX_TOLERANCE');
    }
    const failedNumbers = new Set(summary.failures.map((f) => f.number));
    expect((disputedPosted as Array<{ DocNumber?: string }>).filter((t) => failedNumbers.has(t.DocNumber ?? ''))).toEqual([]);
    expect(summary.byKind.invoice.posted).toBeGreaterThan(0);
  });
});
