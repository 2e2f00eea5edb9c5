/** Classes follow the company's class tracking: per line, per transaction (one class), or off. */
import { thrown } from '../../helpers/thrown';
import { createChartMatcher } from '../../../domain/gl';
import { matchDraftRefs, matchTaxRefs, planPosting, toQuickBooksPayload, type PsaGlRecord, type QuickBooksPayloadOptions } from '../../../domain/posting';
import { CHART, TAX_CHART, expenseReport, standardInvoice, transfer } from './fixtures';

const matcher = createChartMatcher(CHART);
type Body = Record<string, unknown>;
type Lines = Array<Record<string, { ClassRef?: unknown }>>;

function payload(r: PsaGlRecord, classTracking: QuickBooksPayloadOptions['classTracking']) {
  const draft = planPosting(r, {});
  const { refs, warnings } = matchDraftRefs(draft, matcher, { classTracking });
  const tax = matchTaxRefs(draft, { kind: 'usManual' }, TAX_CHART);
  return { body: toQuickBooksPayload(draft, { ...refs, ...tax }, { classTracking }).body, warnings };
}

const lineClasses = (body: Body, detail: string) => (body.Line as Lines).map((l) => l[detail]?.ClassRef);

/** The standard invoice with every revenue line in one class, or with a second class on one line. */
function invoiceWith(classes: [string, string]): PsaGlRecord {
  const r = standardInvoice();
  r.lines[1].class = classes[0];
  r.lines[2].class = classes[1];
  r.lines[3].class = classes[1];
  return r;
}

const bill = (secondClass?: string): PsaGlRecord => {
  const r = expenseReport(true);
  if (secondClass !== undefined) r.lines[1].class = secondClass;
  return r;
};

describe('class tracking per transaction', () => {
  it('an invoice carries its one class in the header ClassRef, and none on its lines', () => {
    const { body } = payload(invoiceWith(['Managed Services', 'Managed Services']), 'transaction');
    expect(body.ClassRef).toEqual({ value: 'c1', name: 'Managed Services' });
    expect(lineClasses(body, 'SalesItemLineDetail')).toEqual([undefined, undefined, undefined]);
  });

  it('a bill has no header ClassRef in QuickBooks: its one class goes on every line', () => {
    const { body } = payload(bill(), 'transaction');
    expect(body.ClassRef).toBeUndefined();
    const professional = { value: 'c2', name: 'Professional Services' };
    expect(lineClasses(body, 'AccountBasedExpenseLineDetail')).toEqual([professional, professional]);
  });

  it('a journal entry keeps a class per line', () => {
    const { body } = payload(transfer(), 'transaction');
    expect(body.ClassRef).toBeUndefined();
    expect(lineClasses(body, 'JournalEntryLineDetail').map((ref) => (ref as { name: string }).name)).toEqual(['Web Services', 'Managed Services']);
  });

  it.each([
    ['an invoice', () => invoiceWith(['Managed Services', 'Web Services'])],
    ['a bill', () => bill('Web Services')],
  ])('%s whose lines carry different classes fails, naming them and the fix', (_what, make) => {
    const err = thrown(() => payload(make(), 'transaction'));
    expect(err.type).toBe('MappingInvalid');
    expect(err.message).toMatch(/2 classes \((Managed|Professional) Services, Web Services\).*one class per transaction/);
    expect(err.fix).toMatch(/per-line class tracking/);
    expect(err.fix).toMatch(/GL classes agree/);
  });
});

describe('class tracking off', () => {
  it('a class QuickBooks does not have fails nothing; the class is noted, not sent', () => {
    const r = bill();
    r.lines[0].class = 'Not In QuickBooks';
    const { body, warnings } = payload(r, 'none');
    expect(JSON.stringify(body)).not.toContain('ClassRef');
    expect(warnings).toEqual([expect.stringMatching(/GL classes Not In QuickBooks are not sent; class tracking is off/)]);
  });
});
