/**
 * QuickBooks posts a sales line to its item's income account, so each invoice or credit memo line is
 * sent with an item whose income account is the line's GL account, or the record fails before any
 * write naming the line, both accounts and the fix.
 */
import { thrown } from '../../helpers/thrown';
import { createChartMatcher, type ChartItem, type ChartSnapshot } from '../../../domain/gl';
import { matchDraftRefs, planPosting, toQuickBooksPayload, type PsaGlRecord } from '../../../domain/posting';
import { CHART, creditMemo, simpleInvoice, standardInvoice } from './fixtures';

const accountId = (name: string) => CHART.accounts.find((a) => (a.FullyQualifiedName ?? a.Name) === name)!.Id;
const withItems = (...items: ChartItem[]): ChartSnapshot => ({ ...CHART, items: [...CHART.items!, ...items] });
const income = (name: string) => ({ value: accountId(name), name });

function salesItems(r: PsaGlRecord, chart: ChartSnapshot): unknown[] {
  const draft = planPosting(r);
  const { refs } = matchDraftRefs(draft, createChartMatcher(chart));
  const body = toQuickBooksPayload(draft, { ...refs, taxRates: { 'WA State': { value: 'r1' } } }).body;
  return (body.Line as Array<{ SalesItemLineDetail: { ItemRef: unknown } }>).map((l) => l.SalesItemLineDetail.ItemRef);
}

describe('sales lines post to their GL account', () => {
  it('keeps the Product ID item when it posts to the GL account', () => {
    expect(salesItems(standardInvoice(), CHART)).toEqual([
      { value: 'i1', name: 'Services' },
      { value: 'i2', name: 'SSD-1TB' },
      { value: 'i3', name: 'Discount' },
    ]);
  });

  it('sends a line whose item posts elsewhere with the posting item of its GL account, chosen deterministically', () => {
    const r = simpleInvoice('Agreement', 'Revenue-Agreements', 'Agreement Revenue', 'Services');
    const candidates: ChartItem[] = [
      { Id: 'p9', Name: 'Agreement Billing', Type: 'NonInventory', IncomeAccountRef: income('Agreement Revenue') },
      { Id: 'p8', Name: 'Agreements', Type: 'Service', IncomeAccountRef: income('Agreement Revenue') },
      { Id: 'p7', Name: 'Agreement', Type: 'Service', IncomeAccountRef: income('Agreement Revenue'), Active: false },
      { Id: 'p6', Name: 'Agreement Kit', Type: 'Inventory', IncomeAccountRef: income('Agreement Revenue') },
      { Id: 'p5', Name: 'Agreements 2', Type: 'Service', IncomeAccountRef: income('Agreement Revenue') },
    ];
    expect(salesItems(r, withItems(...candidates))).toEqual([{ value: 'p8', name: 'Agreements' }]);
    expect(salesItems(r, withItems(...[...candidates].reverse()))).toEqual([{ value: 'p8', name: 'Agreements' }]);
  });

  it('fails before any write when no item posts to the GL account, naming the line, both accounts and the fix', () => {
    const r = simpleInvoice('Agreement', 'Revenue-Agreements', 'Agreement Revenue', 'Services');
    const err = thrown(() => matchDraftRefs(planPosting(r), createChartMatcher(CHART)));
    expect(err.type).toBe('MappingInvalid');
    expect(err.message).toContain(`line 1 (GL entry ${r.lines[1].glEntryId}, Revenue-Agreements, 500.00) must post to GL account "Agreement Revenue"`);
    expect(err.message).toContain('its item "Services" has income account "Service Revenue"');
    expect(err.fix).toBe(
      'In QuickBooks create a Service item whose income account is "Agreement Revenue" (Ledgerline sends the line with it), or map Revenue-Agreements in ConnectWise\'s GL Accounts setup table to "Service Revenue", then reopen and close the record.',
    );
  });

  it('a credit memo line follows the same rule', () => {
    const r = creditMemo();
    r.lines[1].account = 'Agreement Revenue';
    expect(thrown(() => matchDraftRefs(planPosting(r), createChartMatcher(CHART))).type).toBe('MappingInvalid');
    const chart = withItems({ Id: 'p1', Name: 'Agreement', Type: 'Service', IncomeAccountRef: income('Agreement Revenue') });
    expect(salesItems(r, chart)).toEqual([{ value: 'p1', name: 'Agreement' }]);
  });

  it('a downpayment posts to the deferred revenue liability through an item whose income account it is', () => {
    const r = simpleInvoice('DownPayment', 'Deferred Revenue', 'Deferred Revenue', 'Services');
    const err = thrown(() => matchDraftRefs(planPosting(r), createChartMatcher(CHART)));
    expect(err.message).toContain('must post to GL account "Deferred Revenue"');
    expect(err.fix).toMatch(/^In QuickBooks create a Service item whose income account is "Deferred Revenue"/);
    const chart = withItems({ Id: 'd1', Name: 'Downpayment', Type: 'Service', IncomeAccountRef: income('Deferred Revenue') });
    expect(salesItems(r, chart)).toEqual([{ value: 'd1', name: 'Downpayment' }]);
  });
});
