/** The CLI's batch summary lists missing customers and vendors with their records, and where a dry run's lines post. */
import { batchListQuery, formatBatchSummary, formatReversalSummary } from '../../../clients/cli/batch';
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

it('prints each re-closed record with what changed line by line, and each change made in QuickBooks with its fix', () => {
  const s = emptySummary({ batchId: 'b1', workflowId: 'w1', runId: 'r1', dryRun: false, overrideChecklist: false });
  s.edits = [
    { kind: 'invoice', number: '10050', outcome: 'updated', entity: 'Invoice', txnId: '125', fromRevision: '1', toRevision: '9', changes: [{ line: 2, field: 'amount', before: '405.00', after: '540.00' }] },
    { kind: 'invoice', number: '10051', outcome: 'unchanged', entity: 'Invoice', txnId: '126', fromRevision: '2', toRevision: '8', changes: [] },
  ];
  s.ledgerChanges = [{ batch: 'b0', record: 'Standard 10031 (PSA id 31)', entity: 'Invoice', txnId: '98', change: 'voided', detail: 'voided in QuickBooks', fix: 'Credit it in ConnectWise too.' }];
  const text = formatBatchSummary(s);
  expect(text).toContain('EDITED invoice 10050: Invoice Id 125 updated in place (revision 1 -> 9)\n    line 2 amount: 405.00 -> 540.00');
  expect(text).toContain('EDITED invoice 10051: Invoice Id 126 re-closed unchanged (revision 8): nothing written');
  expect(text).toContain('CHANGED IN QUICKBOOKS (posted by b0) Standard 10031 (PSA id 31): Invoice Id 98 voided: voided in QuickBooks\n    fix: Credit it in ConnectWise too.');
});

it('prints a reversal: each record with its transaction and what happens to it, refusals with why and the fix', () => {
  const text = formatReversalSummary({
    workflowId: 'batch-reversal-1',
    runId: 'r',
    batch: { workflowId: 'accounting-batch-1', batchId: 'B1' },
    dryRun: true,
    status: 'DryRun',
    counts: { records: 2, reversed: 1, alreadyGone: 0, refused: 1, failed: 0 },
    records: [
      { kind: 'invoice', recordId: '1', number: '10001', total: '100.00', txn: { entity: 'Invoice', id: '125', docNumber: '10001', total: '100.00' }, glEntryIds: [1], action: 'void' },
      { kind: 'invoice', recordId: '2', number: '10002', total: '50.00', txn: { entity: 'Invoice', id: '126', docNumber: '10002', total: '50.00' }, glEntryIds: [2], action: 'refuse', reason: 'payment Id 200 applied', fix: 'Remove payment Id 200.' },
    ],
    psaBatches: [{ source: 'B1.abc1234-0-I', identifier: 'B1.abc1234-0-I', psaBatchId: 4, kind: 'invoice' }],
  });
  expect(text.split('\n')).toEqual([
    'Reversal of batch B1 (batch-reversal-1): DryRun',
    '  2 records: 1 to void or delete, 0 already gone from QuickBooks, 1 refused',
    '  invoice 10001: Invoice 10001 (Id 125) 100.00: would void',
    '  invoice 10002: Invoice 10002 (Id 126) 50.00: REFUSED',
    '    why: payment Id 200 applied',
    '    fix: Remove payment Id 200.',
    '  PSA batch B1.abc1234-0-I: its records would return to unposted',
    '  dry run: nothing changed. Reverse with: batch reverse accounting-batch-1 --execute',
  ]);
});

it("filters `batch list` by company through the AccountingCompany search attribute, and names the company in a summary", () => {
  expect(batchListQuery(false)).toBe(`WorkflowType = 'accountingBatch'`);
  expect(batchListQuery(true, 'east')).toBe(`WorkflowType = 'accountingBatch' AND AccountingCompany = 'east' AND BatchStatus IN ('Failed', 'PartiallyFailed')`);
  const s = { ...emptySummary({ batchId: 'b1', workflowId: 'w1', runId: 'r1', dryRun: false, overrideChecklist: false }), company: 'east', status: 'Completed' as const };
  expect(formatBatchSummary(s).split('\n')[0]).toBe('Batch b1 (w1): Completed for east');
});
