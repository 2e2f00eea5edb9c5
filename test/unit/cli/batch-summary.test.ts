/** The CLI's batch summary lists missing customers and vendors with their records, and where a dry run's lines post. */
import { batchListQuery, formatBatchSummary } from '../../../clients/cli/batch';
import { addWouldCreate, emptySummary } from '../../../domain/batch-summary';
import { LINE_ACCOUNT_RECORDS } from '../../../domain/posting';

it('lists each missing party, what happens to it and its records', () => {
  const s = emptySummary({ batchId: 'b1', workflowId: 'w1', runId: 'r1', dryRun: true, overrideChecklist: false });
  s.missingParties = [
    { role: 'customer', name: 'Orca Labs', psaId: 250, willCreate: true, records: ['Invoice 10060', 'Invoice 10061'] },
    { role: 'vendor', name: 'Kelp Supply', willCreate: false, records: ['Procurement PO-7'] },
  ];
  const text = formatBatchSummary(s);
  expect(text).toContain('CUSTOMER would be created: "Orca Labs" (ConnectWise #250) for Invoice 10060, Invoice 10061');
  expect(text).toContain('VENDOR missing: "Kelp Supply" for Procurement PO-7');
});

it('prints where each line of a dry run posts, for the records that list their lines', () => {
  const s = emptySummary({ batchId: 'b1', workflowId: 'w1', runId: 'r1', dryRun: true, overrideChecklist: false });
  s.wouldCreate = [
    {
      kind: 'invoice',
      number: '10060',
      entity: 'Invoice',
      docNumber: 'LL-10060',
      total: '500.00',
      lineCount: 2,
      lines: [{ line: 1, glAccount: 'Deferred Revenue', quickBooksAccount: 'Deferred Revenue', amount: '500.00', side: 'Credit' }],
      linesOmitted: 1,
    },
    { kind: 'invoice', number: '10061', entity: 'Invoice', docNumber: 'LL-10061', total: '5.00', lineCount: 1 },
  ];
  const text = formatBatchSummary(s);
  expect(text).toContain('  Invoice LL-10060 (invoice 10060):\n    line 1: Deferred Revenue -> Deferred Revenue, 500.00 Credit\n    ...and 1 more line');
  expect(text).not.toContain('LL-10061');
});

it('keeps the lines of the first records only, however many chunks report them', () => {
  const s = emptySummary({ batchId: 'b1', workflowId: 'w1', runId: 'r1', dryRun: true, overrideChecklist: false });
  const line = { line: 1, glAccount: 'Service Revenue', quickBooksAccount: 'Service Revenue', amount: '1.00', side: 'Credit' as const };
  const chunkOf = (from: number) =>
    Array.from({ length: 30 }, (_, i) => ({ kind: 'invoice' as const, number: String(from + i), entity: 'Invoice', docNumber: `LL-${from + i}`, total: '1.00', lineCount: 1, lines: [line], linesOmitted: 0 }));
  addWouldCreate(s.wouldCreate, chunkOf(0));
  addWouldCreate(s.wouldCreate, chunkOf(30));
  expect(s.wouldCreate).toHaveLength(60);
  expect(s.wouldCreate.filter((w) => w.lines !== undefined)).toHaveLength(LINE_ACCOUNT_RECORDS);
  expect(s.wouldCreate[LINE_ACCOUNT_RECORDS]).toEqual({ kind: 'invoice', number: String(LINE_ACCOUNT_RECORDS), entity: 'Invoice', docNumber: `LL-${LINE_ACCOUNT_RECORDS}`, total: '1.00', lineCount: 1 });
});

it('prints where each line of the first posted records went', () => {
  const s = emptySummary({ batchId: 'b1', workflowId: 'w1', runId: 'r1', dryRun: false, overrideChecklist: false });
  s.postedLines = [{ kind: 'invoice', number: '10042', lines: [{ line: 1, glAccount: 'Agreement Revenue', quickBooksAccount: 'Agreement Revenue', amount: '99.00', side: 'Credit' }], linesOmitted: 0 }];
  expect(formatBatchSummary(s)).toContain('  posted invoice 10042:\n    line 1: Agreement Revenue -> Agreement Revenue, 99.00 Credit');
});

it("filters `batch list` by company through the AccountingCompany search attribute, and names the company in a summary", () => {
  expect(batchListQuery(false)).toBe(`WorkflowType = 'accountingBatch'`);
  expect(batchListQuery(true, 'east')).toBe(`WorkflowType = 'accountingBatch' AND AccountingCompany = 'east' AND BatchStatus IN ('Failed', 'PartiallyFailed')`);
  const s = { ...emptySummary({ batchId: 'b1', workflowId: 'w1', runId: 'r1', dryRun: false, overrideChecklist: false }), company: 'east', status: 'Completed' as const };
  expect(formatBatchSummary(s).split('\n')[0]).toBe('Batch b1 (w1): Completed for east');
});
