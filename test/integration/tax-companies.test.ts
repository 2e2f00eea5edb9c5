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

async function runDemoBatch(seed: SeedName, env_: Record<string, string> = {}) {
  const stack = await startLedgerStack({ qboSeed: seed, env: { LEDGER_CONTEXT_TTL: '0ms', ...env_ } });
  try {
    const invoices = await unpostedInvoiceRecords(stack);
    const taskQueue = `it-tax-${++queue}`;
    const summary: BatchSummary = await withStackWorkers(stack, env.nativeConnection, taskQueue, stackDataConverter(), await workflowBundle(), () =>
      env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: `it-tax-${seed}-${queue}`, args: [{ batchId: `TAX-${seed}` }] }),
    );
    const lines = await postedLineAccounts(stack, invoices);
    const taxes: Array<[string, number, number]> = [];
    for (const r of invoices) {
      const txn = await postedSalesTransaction(stack, r);
      taxes.push([r.number, taxOf(r), Math.round(Number((txn?.TxnTaxDetail as { TotalTax?: number } | undefined)?.TotalTax ?? 0) * 100)]);
    }
    return { summary, lines, taxes, invoices, stack };
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
