/**
 * Company settings a transaction must respect, checked before anything is sent: the DocNumber
 * (at most 21 characters; none on sales forms QuickBooks numbers itself), the currency, and the
 * customer or vendor's currency, and the inactive entity a 610 refusal points at.
 */
import { thrown } from '../../helpers/thrown';
import { createChartMatcher } from '../../../domain/gl';
import { LedgerError } from '../../../domain/errors';
import { checkCurrency, matchDraftRefs, nameInactiveReference, planPosting, referenceAt, toQuickBooksPayload, type PsaGlRecord } from '../../../domain/posting';
import { newPartyBody } from '../../../domain/parties';
import { CHART, creditMemo, expenseReport, standardInvoice } from './fixtures';

const matcher = createChartMatcher(CHART);
const bodyOf = (record: PsaGlRecord, customTxnNumbers?: boolean) => {
  const draft = planPosting(record, { customTxnNumbers });
  return toQuickBooksPayload(draft, matchDraftRefs(draft, matcher).refs, { customTxnNumbers }).body;
};
const numbered = (record: PsaGlRecord, number: string): PsaGlRecord => ({ ...record, number });

describe('DocNumber', () => {
  it('is the PSA number while custom transaction numbers are on (the default)', () => {
    expect(bodyOf(standardInvoice()).DocNumber).toBe('10042');
    expect(bodyOf(creditMemo(), true).DocNumber).toBe('CM-10043');
  });

  it('is left to QuickBooks on invoices and credit memos when custom transaction numbers are off', () => {
    expect('DocNumber' in bodyOf(standardInvoice(), false)).toBe(false);
    expect('DocNumber' in bodyOf(creditMemo(), false)).toBe(false);
    // A bill's number is the vendor's reference: QuickBooks never numbers bills.
    expect(bodyOf(expenseReport(true), false).DocNumber).toBe('EXP-501');
  });

  it('fails a record whose number is longer than 21 characters before anything is written, naming it and the fix; 21 pass', () => {
    expect(bodyOf(numbered(standardInvoice(), 'A'.repeat(21))).DocNumber).toBe('A'.repeat(21));
    const long = 'INV-2026-0000000100429';
    const err = thrown(() => bodyOf(numbered(standardInvoice(), long)));
    expect(err.type).toBe('InvalidInput');
    expect(err.message).toContain(`document number "${long}" is 22 characters; the accounting package takes 1 to 21`);
    expect(err.fix).toMatch(/Shorten the number in ConnectWise/);
  });

  it('does not hold a long number against a sales form QuickBooks numbers itself, but still against a bill', () => {
    const long = 'INV-2026-0000000100429';
    expect('DocNumber' in bodyOf(numbered(standardInvoice(), long), false)).toBe(false);
    expect(thrown(() => bodyOf(numbered(expenseReport(true), long), false)).message).toContain('is 22 characters');
  });
});

describe('currency', () => {
  const draftIn = (currency: string | undefined) => ({ ...planPosting(standardInvoice()), currency });

  it('accepts no currency or the home currency whatever multicurrency says', () => {
    for (const c of [undefined, 'USD', 'usd']) expect(() => checkCurrency(draftIn(c), { home: 'USD', multicurrency: false, active: [] })).not.toThrow();
  });

  it('refuses a foreign currency while multicurrency is off', () => {
    const err = thrown(() => checkCurrency(draftIn('EUR'), { home: 'USD', multicurrency: false, active: [] }));
    expect(err.type).toBe('ValidationRejected');
    expect(err.message).toContain('is in EUR, but this QuickBooks company posts only in its home currency USD (multicurrency is off)');
    expect(err.fix).toMatch(/turn on multicurrency in QuickBooks .* add EUR/);
  });

  it('with multicurrency on, accepts the company currencies and refuses the others', () => {
    const company = { home: 'USD', multicurrency: true, active: ['CAD', 'EUR'] };
    expect(() => checkCurrency(draftIn('EUR'), company)).not.toThrow();
    const err = thrown(() => checkCurrency(draftIn('GBP'), company));
    expect(err.message).toContain("is in GBP, which is not one of this QuickBooks company's active currencies (USD, CAD, EUR)");
    expect(err.fix).toMatch(/^Add GBP to the company's currencies in QuickBooks/);
  });
});

describe("a party's currency (multicurrency on)", () => {
  const company = { home: 'CAD', multicurrency: true, active: ['USD'] };
  const withCustomerIn = (currency: string | undefined) =>
    createChartMatcher({ ...CHART, customers: [{ Id: 'cu1', DisplayName: 'Acme Dental Group', ...(currency && { CurrencyRef: { value: currency } }) }] });
  const invoiceIn = (currency: string | undefined) => ({ ...planPosting(standardInvoice()), currency });

  it('posts when the customer trades in the record currency (no CurrencyRef: the home currency)', () => {
    expect(matchDraftRefs(invoiceIn('USD'), withCustomerIn('USD'), { currencies: company }).refs.party).toEqual({ value: 'cu1', name: 'Acme Dental Group' });
    expect(matchDraftRefs(invoiceIn(undefined), withCustomerIn(undefined), { currencies: company }).refs.party?.value).toBe('cu1');
  });

  it('fails the record before anything is sent when the customer trades in another currency', () => {
    const err = thrown(() => matchDraftRefs(invoiceIn('USD'), withCustomerIn('CAD'), { currencies: company }));
    expect(err.type).toBe('ValidationRejected');
    expect(err.message).toContain('is in USD, but customer "Acme Dental Group" trades in CAD in QuickBooks');
    expect(err.fix).toMatch(/^Bill the record in CAD in ConnectWise, or post it to a customer kept in USD/);
  });

  it('is not checked while multicurrency is off (QuickBooks has one currency then)', () => {
    expect(() => matchDraftRefs(invoiceIn('USD'), withCustomerIn('CAD'), { currencies: { ...company, multicurrency: false } })).not.toThrow();
  });

  it('creates a missing customer in the record currency when it is not the home currency', () => {
    const draft = { ...planPosting({ ...standardInvoice(), party: { name: 'Orca Labs', psaId: 250, source: 'company' as const } }), currency: 'USD' };
    const { refs } = matchDraftRefs(draft, createChartMatcher(CHART), { currencies: company, createMissingParties: true });
    expect(refs.newParty).toEqual({ role: 'customer', name: 'Orca Labs', source: 'company', psaId: 250, currency: 'USD' });
    expect(newPartyBody(refs.newParty!).CurrencyRef).toEqual({ value: 'USD' });
  });
});

describe('fault 610', () => {
  const body = {
    CustomerRef: { value: '7', name: 'Acme Dental Group' },
    Line: [{ SalesItemLineDetail: { ItemRef: { value: '3', name: 'Services' } } }, { SalesItemLineDetail: { ItemRef: { value: '9', name: 'SSD-1TB' } } }],
  };
  const refusal = (element?: string, code = '610') =>
    new LedgerError('ReferenceNotFound', 'QuickBooks POST /batch item b0 failed: Object Not Found (code 610)', { fix: 'generic', details: { code, element } });

  it('finds the reference at the element path', () => {
    expect(referenceAt(body, 'Line[1].SalesItemLineDetail.ItemRef')).toEqual({ field: 'ItemRef', value: '9', name: 'SSD-1TB' });
    expect(referenceAt(body, 'Line[4].SalesItemLineDetail.ItemRef')).toBeUndefined();
    expect(referenceAt(body, 'CustomerRef')).toEqual({ field: 'CustomerRef', value: '7', name: 'Acme Dental Group' });
  });

  it('names the inactive entity in the message and the fix', () => {
    const err = nameInactiveReference(refusal('Line[1].SalesItemLineDetail.ItemRef'), body, 'Standard invoice 10042');
    expect(err.message).toBe('Standard invoice 10042: QuickBooks refused it because item "SSD-1TB" (Id 9) is inactive (fault 610 on Line[1].SalesItemLineDetail.ItemRef)');
    expect(err.fix).toBe('Make item "SSD-1TB" (Id 9) active again in QuickBooks, or point ConnectWise at an active entry; then retry the record.');
  });

  it('leaves other faults, and a 610 without a usable element, as they are', () => {
    for (const err of [refusal('CustomerRef', '2500'), refusal(undefined), refusal('Nowhere.Ref')]) expect(nameInactiveReference(err, body, 'x')).toBe(err);
  });
});
