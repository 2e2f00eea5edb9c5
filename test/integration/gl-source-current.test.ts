/**
 * glSource "current" against the real sandboxes: ConnectWise's GL export carries no line context,
 * so today's setup cannot re-resolve an exported line. Each record then fails alone, naming itself
 * and the fix, instead of posting accounts guessed from data the export does not have; glSource
 * "psa" posts the same records with the accounts ConnectWise exported.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { collectActivities } from '../../activities/collect';
import { resolveActivities } from '../../activities/resolve';
import type { RecordRef, ResolveOutcome } from '../../domain/contract';
import { ledgerContextCache } from '../../integrations/ledger-context';
import { stackLedgerClient, startLedgerStack, type LedgerStack } from '../../dev/stack/ledger-stack';

let stack: LedgerStack;
beforeAll(async () => {
  stack = await startLedgerStack({ checklistPassed: false });
  await stack.psa.admin.generate({ invoices: 2, expenses: 0, procurement: 0, seed: 11 });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

function resolve(glSource: 'psa' | 'current', refs: RecordRef[]): Promise<ResolveOutcome[]> {
  const ledger = stackLedgerClient(stack);
  const acts = resolveActivities({ psa: stack.deps.psa, realmId: ledger.realmId, ledgerContext: ledgerContextCache({ psa: stack.deps.psa, ledger }) });
  return new MockActivityEnvironment({ attempt: 1, startToCloseTimeoutMs: 300_000 }).run(acts.resolveRecords, { refs, glSource });
}

it('glSource "current" fails each record naming it and the fix; "psa" resolves them', async () => {
  const refs = (await collectActivities({ psa: stack.deps.psa }).collectUnposted({ kind: 'invoice', page: 1, pageSize: 100 })).refs;
  expect(refs.length).toBeGreaterThan(0);
  const current = await resolve('current', refs);
  expect(current.map((o) => o.status)).toEqual(refs.map(() => 'failed'));
  for (const [i, o] of current.entries()) {
    if (o.status !== 'failed') continue;
    expect(o.error.type).toBe('MappingMissing');
    expect(o.error.message).toContain(`invoice ${refs[i]!.number}`);
    expect(o.error.message).toMatch(/no line context/);
    expect(o.error.fix).toMatch(/glSource "psa"/);
  }
  const psa = await resolve('psa', refs);
  expect(psa.map((o) => o.status)).toEqual(refs.map(() => 'ready'));
}, 120_000);
