import { CHECK_IDS, checklistStatus, confirmProblem, resolveManualItems, runChecks } from '../../../domain/checklist';
import { cleanFacts } from './fixtures';

describe('runChecks', () => {
  it('runs the thirteen checks in order and a clean setup passes every one', () => {
    const items = runChecks(cleanFacts());
    expect(items.map((i) => i.id)).toEqual([...CHECK_IDS]);
    expect(items.filter((i) => i.result !== 'pass')).toEqual([]);
    for (const i of items) expect(i.evidence.length).toBeGreaterThan(0);
  });

  it('fails the ConnectWise checks as "not checked" when ConnectWise did not answer, never passing them', () => {
    const facts = cleanFacts();
    facts.connectivity.psa = { ok: false, error: { type: 'Unavailable', message: 'ECONNREFUSED' } };
    facts.psa = undefined;
    const items = runChecks(facts);
    expect(items.every((i) => i.result === 'fail')).toBe(true);
    expect(items[1]!.evidence).toEqual(['Not checked: ConnectWise did not answer (see the connectivity check).']);
  });

  it('fails only the checks that need QuickBooks when QuickBooks did not answer', () => {
    const facts = cleanFacts();
    facts.connectivity.ledger = { ok: false, error: { type: 'AuthenticationFailed', message: 'invalid_grant' } };
    facts.ledger = undefined;
    const failed = runChecks(facts).filter((i) => i.result === 'fail').map((i) => i.id);
    expect(failed).toEqual(['connectivity', 'terms-xref', 'mapped-accounts', 'tax-names', 'parties']);
  });
});

describe('manual items and the verdict', () => {
  const items = runChecks(cleanFacts());
  it('defaults to the two seed items; ids take their standard titles; objects bring their own', () => {
    expect(resolveManualItems(undefined).map((m) => m.id)).toEqual(['test-invoices', 'chart-signoff']);
    expect(resolveManualItems(['chart-signoff', { id: 'bank-feed', title: 'Bank feed connected' }])).toEqual([
      { id: 'chart-signoff', title: 'The accountant signed off the chart of accounts and the GL mappings', confirmed: false },
      { id: 'bank-feed', title: 'Bank feed connected', confirmed: false },
    ]);
  });
  it('is Incomplete until every manual item is confirmed, then Passed; any failed check means Failed', () => {
    const manual = resolveManualItems(undefined);
    expect(checklistStatus(items, manual)).toBe('Incomplete');
    expect(checklistStatus(items, manual.map((m) => ({ ...m, confirmed: true })))).toBe('Passed');
    expect(checklistStatus([{ ...items[0]!, result: 'fail' }, ...items.slice(1)], [])).toBe('Failed');
    expect(checklistStatus([{ ...items[0]!, result: 'warn' }], [])).toBe('Passed');
  });
  it('refuses unknown items, a missing "by", a second confirmation and a closed checklist', () => {
    const manual = resolveManualItems(undefined);
    expect(confirmProblem(manual, { item: 'coffee', by: 'ana' }, true)).toBe('unknown manual item "coffee"; this checklist waits for: test-invoices, chart-signoff');
    expect(confirmProblem(manual, { item: 'test-invoices', by: ' ' }, true)).toMatch(/non-empty "by"/);
    expect(confirmProblem(manual, { item: 'test-invoices', by: 'ana' }, false)).toMatch(/no longer waits/);
    expect(confirmProblem(manual, { item: 'test-invoices', by: 'ana', note: 'x'.repeat(501) }, true)).toMatch(/"note" to 500/);
    const done = manual.map((m) => ({ ...m, confirmed: true, by: 'ana', at: '2026-11-23T10:00:00.000Z' }));
    expect(confirmProblem(done, { item: 'test-invoices', by: 'bo' }, true)).toBe('"test-invoices" was already confirmed by ana at 2026-11-23T10:00:00.000Z');
    expect(confirmProblem(manual, { item: 'test-invoices', by: 'ana', note: 'looked at 3' }, true)).toBeUndefined();
  });
});
