import { thrown } from '../../helpers/thrown';
import { astTaxCheck, matchTaxRefs, planPosting, taxRegimeOf } from '../../../domain/posting';
import { TAX_CHART, expenseReport, standardInvoice } from './fixtures';

const ast = { kind: 'usAutomated' as const, tolerance: '0.05', aboveTolerance: 'refuse' as const };

describe('taxRegimeOf', () => {
  it('reads the country and Automated Sales Tax', () => {
    expect(taxRegimeOf({ country: 'US' })).toEqual({ kind: 'usManual' });
    expect(taxRegimeOf({ country: 'US', partnerTaxEnabled: true }, { astTolerance: '0.1', astAboveTolerance: 'refuse' })).toEqual({ kind: 'usAutomated', tolerance: '0.10', aboveTolerance: 'refuse' });
    expect(taxRegimeOf({ country: 'ca', partnerTaxEnabled: true })).toEqual({ kind: 'nonUs', country: 'CA', nonTaxableTaxCode: 'Exempt' });
  });
});

describe('matchTaxRefs', () => {
  it('US manual: the record\'s tax code and a rate per level', () => {
    const refs = matchTaxRefs(planPosting(standardInvoice()), { kind: 'usManual' }, TAX_CHART);
    expect(refs.taxCode).toEqual({ value: 't1', name: 'Seattle' });
    expect(Object.keys(refs.taxRates ?? {}).sort()).toEqual(['King County', 'Seattle City', 'WA State']);
  });

  it('US manual: a level without a rate fails the record, naming it and the fix', () => {
    const err = thrown(() => matchTaxRefs(planPosting(standardInvoice()), { kind: 'usManual' }, { ...TAX_CHART, taxRates: TAX_CHART.taxRates.slice(0, 2) }));
    expect(err.type).toBe('MappingMissing');
    expect(err.message).toContain('no active tax rate "Seattle City" for tax level 3');
    expect(err.fix).toContain('Create the tax rate "Seattle City"');
  });

  it('non-US: a ConnectWise tax code QuickBooks lacks fails the record, naming it and the fix', () => {
    const err = thrown(() => matchTaxRefs(planPosting(standardInvoice()), { kind: 'nonUs', country: 'CA', nonTaxableTaxCode: 'Exempt' }, { ...TAX_CHART, taxCodes: [{ Id: 't9', Name: 'Exempt' }] }));
    expect(err.type).toBe('MappingMissing');
    expect(err.message).toContain('no active tax code "Seattle"');
    expect(err.fix).toContain('Create the tax code "Seattle"');
  });

  it('non-US: every bill line gets the non-taxable code; missing, it fails naming it', () => {
    const draft = planPosting(expenseReport(true));
    const refs = matchTaxRefs(draft, { kind: 'nonUs', country: 'CA', nonTaxableTaxCode: 'Exempt' }, TAX_CHART);
    expect(Object.keys(refs.lineTaxCodes ?? {}).length).toBe(draft.lines.length);
    const err = thrown(() => matchTaxRefs(draft, { kind: 'nonUs', country: 'CA', nonTaxableTaxCode: 'Zero-rated' }, TAX_CHART));
    expect(err.message).toContain('no active tax code "Zero-rated"');
  });

  it('Automated Sales Tax needs no tax code or rate', () => {
    expect(matchTaxRefs(planPosting(standardInvoice()), ast, { taxCodes: [], taxRates: [] })).toEqual({});
  });
});

describe('astTaxCheck', () => {
  const posted = (percents: number[], base: number) => ({
    TxnTaxDetail: { TotalTax: 22.56, TaxLine: percents.map((p) => ({ Amount: 1, TaxLineDetail: { PercentBased: true, TaxPercent: p, NetAmountTaxable: base } })) },
  });

  it('the delta is what was sent minus what QuickBooks computed per rate', () => {
    // 218.00 x 6.5% = 14.17, x 1.5% = 3.27, x 2.35% = 5.12: 22.56
    expect(astTaxCheck(posted([6.5, 1.5, 2.35], 218), '22.56', ast)).toEqual({ delta: '0.00', computed: '22.56', sent: '22.56', aboveTolerance: false });
    // Pierce County 1.3%, Tacoma 2.5%: 14.17 + 2.83 + 5.45 = 22.45
    expect(astTaxCheck(posted([6.5, 1.3, 2.5], 218), '22.56', ast)).toEqual({ delta: '0.11', computed: '22.45', sent: '22.56', aboveTolerance: true });
    expect(astTaxCheck(posted([6.5, 1.5, 2.33], 218), '22.56', ast).aboveTolerance).toBe(false);
  });
});
