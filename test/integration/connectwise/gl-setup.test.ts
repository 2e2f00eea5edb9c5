/**
 * Today's GL setup read from the sandbox the way the batch and the checklist read it: sequences from
 * the mapped types, segments from the GL captions; one unexpected row is named and skipped while the
 * rest of the table still resolves.
 */
import { loadGlSetup } from '../../../integrations/gl-setup';
import { startFixture, type Fixture } from './sandbox-fixture';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture({ seed: 'demo' });
});
afterAll(async () => {
  await fx.dispose();
});

describe('GL setup from ConnectWise', () => {
  it("reads the demo site's sequences and resolves with them, nothing left out", async () => {
    const setup = await loadGlSetup(fx.client());
    expect(setup.problems).toEqual([]);
    expect(setup.resolver!.segments).toEqual(['account', 'class']);
    const line = { accountType: 'Revenue' as const, owner: 'Ledgerline', workType: 'Regular', workRole: 'Engineer', serviceType: 'Help Desk' };
    expect(setup.resolver!.resolve(line).account).toBeTruthy();
  });

  it('an unknown mapped type and a GL row of an unknown GL type are reported and skipped, the table still resolves', async () => {
    const before = await loadGlSetup(fx.client());
    const line = { accountType: 'Accounts Receivable' as const, owner: 'Ledgerline' };
    const expected = before.resolver!.resolve(line).account;
    fx.sandbox.admin.addGlSetupRows({
      mappedTypes: [{ id: 900, name: 'Ticket Budget', table: 'TicketBudget', recIdField: 'RecID', glType: 'R', sortOrder: 1 }],
      glAccounts: [
        { id: 901, glType: 'R', mappedType: { id: 900, name: 'Ticket Budget' }, mappedRecord: { id: 1, name: 'Q4' }, segment1: 'Service Revenue', segment2: '' },
        { id: 902, glType: 'ZZ', mappedType: { id: 1, name: 'My Company: Owner' }, mappedRecord: { id: 1, name: 'Ledgerline' }, segment1: 'Odd', segment2: '' },
      ],
    });
    const setup = await loadGlSetup(fx.client());
    expect(setup.resolverProblem).toBeUndefined();
    expect(setup.problems).toEqual([
      'mapped type row 900 ("Ticket Budget", GL type R): unknown table; left out of the Revenue sequence',
      'GL Accounts row 901 (Revenue / Ticket Budget / Q4): unknown mapped type "Ticket Budget"',
      'GL Accounts row 902 (ZZ / My Company: Owner / Ledgerline): unknown account type "ZZ"',
    ]);
    expect(setup.resolver!.resolve(line).account).toBe(expected);
  });
});
