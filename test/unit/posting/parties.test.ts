/**
 * Missing customers and vendors: found by the ConnectWise identity line, listed when missing,
 * planned for creation only with the setting and only when no customer, vendor or employee holds
 * the name (QuickBooks would refuse it with 6240).
 */
import { createChartMatcher } from '../../../domain/gl/chart-match';
import { matchDraftRefs, planPosting } from '../../../domain/posting';
import { isPendingPartyRef, newPartyBody, partyIdentitiesOf, partyIdentityLine, pendingPartyRef } from '../../../domain/parties';
import { LedgerError } from '../../../domain/errors';
import { CHART, standardInvoice } from './fixtures';
import { thrown } from '../../helpers/thrown';

const invoiceFor = (name: string, psaId: number) => {
  const r = standardInvoice();
  return planPosting({ ...r, party: { name, psaId, source: 'company' } }, {});
};

describe('missing parties', () => {
  it('keeps the ConnectWise identity in Notes and reads it back', () => {
    const body = newPartyBody({ role: 'customer', name: 'Orca Labs', source: 'company', psaId: 250 });
    expect(body).toEqual({ DisplayName: 'Orca Labs', CompanyName: 'Orca Labs', Notes: 'ConnectWise company #250 (created by Ledgerline)' });
    expect(partyIdentitiesOf(`Prefers email.\n${partyIdentityLine('company', 250)}`)).toEqual(['company:250']);
    expect(partyIdentitiesOf('ConnectWise company #2500')).toEqual(['company:2500']);
    expect(partyIdentitiesOf('ConnectWise AcmeDental, account C1001')).toEqual([]);
  });

  it('without the setting a missing customer fails the record and names the party', () => {
    const err = thrown(() => matchDraftRefs(invoiceFor('Orca Labs', 250), createChartMatcher(CHART)));
    expect(err).toBeInstanceOf(LedgerError);
    expect((err as LedgerError).type).toBe('ReferenceNotFound');
    expect((err as LedgerError).details?.missingParty).toEqual({ role: 'customer', name: 'Orca Labs', source: 'company', psaId: 250 });
  });

  it('with the setting a missing customer gets a pending reference, the same every time', () => {
    const draft = invoiceFor('Orca Labs', 250);
    const { refs } = matchDraftRefs(draft, createChartMatcher(CHART), { createMissingParties: true });
    expect(refs.newParty).toEqual({ role: 'customer', name: 'Orca Labs', source: 'company', psaId: 250 });
    expect(isPendingPartyRef(refs.party)).toBe(true);
    expect(refs.party).toEqual(pendingPartyRef(refs.newParty!));
  });

  it('a name held by an employee or a vendor is a clash with the fix, never a creation', () => {
    const chart = { ...CHART, employees: [{ Id: 'e1', DisplayName: 'orca labs ' }], vendors: [...(CHART.vendors ?? []), { Id: 'v9', DisplayName: 'Kelp Supply' }] };
    const err = thrown(() => matchDraftRefs(invoiceFor('Orca Labs', 250), createChartMatcher(chart), { createMissingParties: true })) as LedgerError;
    expect(err.type).toBe('Conflict');
    expect(err.message).toContain('an employee already uses that display name (Id e1)');
    expect(err.fix).toContain('ConnectWise company #250');
    expect(err.details?.missingParty).toMatchObject({ name: 'Orca Labs' });
    const vendor = thrown(() => matchDraftRefs(invoiceFor('Kelp Supply', 251), createChartMatcher(chart), { createMissingParties: true })) as LedgerError;
    expect(vendor.message).toContain('a vendor already uses that display name (Id v9)');
  });

  it('a name QuickBooks refuses fails the record before anything is created', () => {
    const err = thrown(() => matchDraftRefs(invoiceFor('Orca: Labs', 250), createChartMatcher(CHART), { createMissingParties: true })) as LedgerError;
    expect(err.type).toBe('ValidationRejected');
    expect(err.message).toContain('colon');
  });

  it('an inactive customer carrying the identity is reported, not replaced', () => {
    const chart = { ...CHART, customers: [...(CHART.customers ?? []), { Id: 'c9', DisplayName: 'Orca Labs (closed)', Notes: 'ConnectWise company #250', Active: false }] };
    const err = thrown(() => matchDraftRefs(invoiceFor('Orca Labs', 250), createChartMatcher(chart), { createMissingParties: true })) as LedgerError;
    expect(err.message).toContain('is inactive');
    expect(err.fix).toContain('active');
  });
});
