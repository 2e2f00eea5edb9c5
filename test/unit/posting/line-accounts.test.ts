/**
 * Where each line posts: a sales line in its sent item's income account, a journal line on its
 * posting side, a negative document line on the other side; long records list their first lines.
 */
import { createChartMatcher } from '../../../domain/gl';
import { LINE_ACCOUNTS_PER_RECORD, formatLineAccount, lineAccountsOf, matchDraftRefs, planPosting } from '../../../domain/posting';
import { CHART, gl, record, standardInvoice, transfer } from './fixtures';

const matcher = createChartMatcher(CHART);
const itemById = (id: string) => matcher.itemById(id);
const linesOf = (r: ReturnType<typeof standardInvoice>) => {
  const draft = planPosting(r);
  return lineAccountsOf(draft, matchDraftRefs(draft, matcher).refs, itemById);
};

describe('lineAccountsOf', () => {
  it('lists each invoice line with its GL account, the income account it posts to, amount and side', () => {
    expect(linesOf(standardInvoice())).toEqual({
      lines: [
        { line: 1, glAccount: 'Service Revenue', quickBooksAccount: 'Service Revenue', amount: '900.00', side: 'Credit' },
        { line: 2, glAccount: 'Product Revenue:Hardware Revenue', quickBooksAccount: 'Product Revenue:Hardware Revenue', amount: '238.00', side: 'Credit' },
        { line: 3, glAccount: 'Product Discounts', quickBooksAccount: 'Product Discounts', amount: '20.00', side: 'Debit' },
      ],
      omitted: 0,
    });
  });

  it('names the income account of the item the line is sent with, not the GL account', () => {
    const draft = planPosting(standardInvoice());
    const { refs } = matchDraftRefs(draft, matcher);
    refs.salesItems = { ...refs.salesItems, 0: { value: 'i3', name: 'Discount' } };
    expect(lineAccountsOf(draft, refs, itemById).lines[0]).toEqual({ line: 1, glAccount: 'Service Revenue', quickBooksAccount: 'Product Discounts', amount: '900.00', side: 'Credit' });
  });

  it('keeps a journal line on its posting side', () => {
    expect(linesOf(transfer()).lines.map((l) => [l.glAccount, l.quickBooksAccount, l.side])).toEqual([
      ['Inventory Asset', 'Inventory Asset', 'Debit'],
      ['Inventory Asset', 'Inventory Asset', 'Credit'],
    ]);
  });

  it('lists the first lines of a long record and counts the rest', () => {
    const n = LINE_ACCOUNTS_PER_RECORD + 3;
    const r = record('Standard', [
      gl({ accountType: 'Accounts Receivable', account: 'Accounts Receivable', side: 'debit', amount: `${n}.00` }),
      ...Array.from({ length: n }, () => gl({ accountType: 'Revenue', account: 'Service Revenue', productId: 'Services', side: 'credit', amount: '1.00' })),
    ], { total: `${n}.00` });
    const { lines, omitted } = linesOf(r);
    expect([lines.length, omitted]).toEqual([LINE_ACCOUNTS_PER_RECORD, 3]);
  });

  it('formats a line for the CLI', () => {
    expect(formatLineAccount({ line: 2, glAccount: 'Service Revenue', quickBooksAccount: 'Services Income', amount: '120.00', side: 'Credit' })).toBe(
      'line 2: Service Revenue -> Services Income, 120.00 Credit',
    );
  });
});
