/**
 * Reconcile compares what QuickBooks holds with what the record should have produced: a sales
 * line's account is its posted item's income account and must be the line's GL account; customer,
 * date and document number are compared too.
 */
import { compareTransaction, type IncomeAccountOf } from '../../../activities/reconcile';
import type { PreparedRecord } from '../../../activities/prepare-records';
import { createChartMatcher } from '../../../domain/gl';
import { matchDraftRefs, planPosting, toQuickBooksPayload } from '../../../domain/posting';
import { CHART, creditMemo } from '../posting/fixtures';

const matcher = createChartMatcher(CHART);
const incomeAccountOf: IncomeAccountOf = (id) => matcher.itemById(id)?.IncomeAccountRef;

function prepared(): PreparedRecord {
  const record = creditMemo();
  const draft = planPosting(record);
  const { refs } = matchDraftRefs(draft, matcher);
  const payload = toQuickBooksPayload(draft, refs);
  return { ref: { kind: 'invoice', id: record.recordId, number: record.number, total: '150.00' }, record, draft, refs, payload, idempotencyKey: 'LLx', digest: 'd', drift: [], warnings: [] };
}

/** What QuickBooks returns for the payload: it adds the subtotal line itself. */
function posted(expected: PreparedRecord): Record<string, unknown> {
  const body = structuredClone(expected.payload.body) as Record<string, unknown>;
  body.Line = [...(body.Line as unknown[]), { Amount: 150, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} }];
  body.TotalAmt = 150;
  return body;
}

describe('compareTransaction', () => {
  it('confirms a transaction whose lines post to their GL accounts', () => {
    const e = prepared();
    expect(compareTransaction(e, posted(e), incomeAccountOf)).toEqual([]);
  });

  it('names the line, the expected and the actual account of a line whose posted item posts to another income account than its GL account', () => {
    const e = prepared();
    const got = posted(e);
    const line = (got.Line as Array<{ SalesItemLineDetail?: { ItemRef: unknown } }>)[0];
    line.SalesItemLineDetail!.ItemRef = { value: 'i3', name: 'Discount' }; // posts to Product Discounts
    expect(compareTransaction(e, got, incomeAccountOf)).toEqual([
      { field: 'account', expected: 'line 1 (150.00) in "Service Revenue"', actual: 'line 1 (150.00) in "Product Discounts"' },
    ]);
  });

  it('reports another customer, date or document number', () => {
    const e = prepared();
    const got = { ...posted(e), CustomerRef: { value: 'cu9', name: 'Someone Else' }, TxnDate: '2026-01-02', DocNumber: 'CM-99' };
    expect(compareTransaction(e, got, incomeAccountOf)).toEqual([
      { field: 'party', expected: 'Acme Dental Group', actual: 'Someone Else' },
      { field: 'date', expected: e.draft.txnDate, actual: '2026-01-02' },
      { field: 'docNumber', expected: 'CM-10043', actual: 'CM-99' },
    ]);
  });
});
