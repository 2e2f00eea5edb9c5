/** The ledger context reads the company's country and tax model from QuickBooks itself. */
import { startLedgerStack } from '../../../dev/stack/ledger-stack';
import type { SeedName } from '../../../dev/sandbox/quickbooks';
import { ledgerContextCache } from '../../../integrations/ledger-context';
import { sandboxWorkerEnv } from '../../../dev/stack/sandbox-worker-env';
import { loadWorkerConfig } from '../../../config';

async function contextOf(seed: SeedName, env: Record<string, string> = {}) {
  const stack = await startLedgerStack({ qboSeed: seed, checklistPassed: false, env });
  try {
    return await ledgerContextCache(stack.deps, stack.deps.ledgerContext).get();
  } finally {
    await stack.close();
  }
}

describe('ledger context: tax model and country', () => {
  it('a US company with manual sales tax', async () => {
    const context = await contextOf('demo');
    expect(context.payloadOptions.taxRegime).toEqual({ kind: 'usManual' });
    expect(context.matcher.country).toBe('US');
    expect(context.taxChart?.taxRates.map((r) => r.Name)).toContain('King County');
  });

  it('a US company on Automated Sales Tax, with the configured tolerance and action', async () => {
    const context = await contextOf('demo-ast', { AST_TAX_TOLERANCE: '0.5', AST_TAX_ABOVE_TOLERANCE: 'refuse' });
    expect(context.payloadOptions.taxRegime).toEqual({ kind: 'usAutomated', tolerance: '0.50', aboveTolerance: 'refuse' });
  });

  it('a Canadian company: tax codes on lines, and the account-fit rules of its country', async () => {
    const context = await contextOf('demo-ca', { NON_TAXABLE_TAX_CODE: 'Exempt' });
    expect(context.payloadOptions.taxRegime).toEqual({ kind: 'nonUs', country: 'CA', nonTaxableTaxCode: 'Exempt' });
    expect(context.matcher.country).toBe('CA');
  });

  it('a bad tolerance stops the worker naming the variable', () => {
    const env = sandboxWorkerEnv({ psaBaseUrl: 'http://127.0.0.1:1/v4_6_release/apis/3.0', qboBaseUrl: 'http://127.0.0.1:2', smtpPort: 3 });
    expect(() => loadWorkerConfig({ ...env, AST_TAX_TOLERANCE: 'ten' })).toThrow(/AST_TAX_TOLERANCE/);
    expect(loadWorkerConfig({ ...env }).AST_TAX_ABOVE_TOLERANCE).toBe('warn');
  });
});
