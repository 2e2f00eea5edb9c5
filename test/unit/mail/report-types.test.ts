import { batchReportSummarySchema, keepFirst, REPORT_LIST_CAP, workflowRunUrl } from '../../../integrations/mail';
import { formatAmount } from '../../../integrations/mail/templates/format';
import { wrap } from '../../../integrations/mail/templates/render-text';
import { partiallyFailedBatch } from './fixtures';

describe('report contract', () => {
  it('caps lists so a summary stays small in history', () => {
    const failure = partiallyFailedBatch.failures[0]!;
    const tooMany = { ...partiallyFailedBatch, failures: Array.from({ length: REPORT_LIST_CAP + 1 }, () => failure) };
    expect(batchReportSummarySchema.safeParse(tooMany).success).toBe(false);
    const { items, omitted } = keepFirst(tooMany.failures);
    expect(items).toHaveLength(REPORT_LIST_CAP);
    expect(omitted).toBe(1);
    expect(batchReportSummarySchema.safeParse({ ...partiallyFailedBatch, failures: items, omitted: { failures: omitted } }).success).toBe(true);
  });

  it('builds the Temporal UI link without a doubled slash', () => {
    expect(workflowRunUrl({ baseUrl: 'https://temporal.acme.test/', namespace: 'prod' }, 'wf', 'run')).toBe(
      'https://temporal.acme.test/namespaces/prod/workflows/wf/run/history',
    );
  });
});

describe('text helpers', () => {
  it('formats decimal strings exactly', () => {
    expect(formatAmount('1234567.5')).toBe('1,234,567.50');
    expect(formatAmount('-1000')).toBe('-1,000.00');
    expect(formatAmount('0.1')).toBe('0.10');
    expect(formatAmount('12345678901234567890.99')).toBe('12,345,678,901,234,567,890.99');
  });

  it('wraps under a hanging indent', () => {
    expect(wrap('aaa bbb ccc', 9, 'X: ', '   ')).toEqual(['X: aaa', '   bbb', '   ccc']);
  });
});
