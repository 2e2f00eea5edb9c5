import { renderReversalReport, type ReversalReportSummary } from '../../../integrations/mail';

const base: ReversalReportSummary = {
  workflowId: 'batch-reversal-1',
  runId: 'r1',
  temporalUi: { baseUrl: 'http://localhost:8233/', namespace: 'default' },
  batch: { workflowId: 'accounting-batch-1', batchId: 'B1' },
  dryRun: false,
  status: 'PartiallyReversed',
  counts: { records: 3, reversed: 2, alreadyGone: 0, refused: 1, failed: 0 },
  records: [
    { kind: 'invoice', recordId: '1', number: '10001', total: '100.00', txn: { entity: 'Invoice', id: '125', docNumber: '10001', total: '100.00' }, glEntryIds: [11], action: 'void', result: 'voided' },
    { kind: 'expense', recordId: '9', number: '9', total: '20.00', txn: { entity: 'JournalEntry', id: '130', total: '20.00' }, glEntryIds: [9], action: 'delete', result: 'deleted' },
    {
      kind: 'invoice',
      recordId: '2',
      number: '10002',
      total: '50.00',
      txn: { entity: 'Invoice', id: '126', docNumber: '10002', total: '50.00' },
      glEntryIds: [21],
      action: 'refuse',
      result: 'refused',
      reason: 'QuickBooks Invoice 10002 (Id 126) has payment Id 200 (ref CHK-1, 2026-11-20, 10.00) applied',
      fix: 'Remove payment Id 200 from it in QuickBooks, then reverse the batch again.',
    },
  ],
  psaBatches: [{ source: 'B1.abc1234-0-I', identifier: 'B1.abc1234-0-I', psaBatchId: 4, kind: 'invoice', returned: { deleted: true, keptIdentifier: 'B1.abc1234-0-I-K', kept: 1, returned: 1 } }],
};

describe('renderReversalReport', () => {
  it('says what was reversed and refused in the subject, and each refusal with why and the fix', () => {
    const mail = renderReversalReport(base);
    expect(mail.subject).toBe('[Ledgerline] Reversal of batch B1: PartiallyReversed, 2 reversed, 1 refused');
    const text = mail.text.replace(/\s+/g, ' ');
    expect(text).toContain('Invoice 10001 Invoice 10001 (Id 125) 100.00 voided');
    expect(text).toContain('Expense 9 JournalEntry (Id 130) 20.00 deleted');
    expect(text).toContain('Refused (1)');
    expect(text).toContain('Why: QuickBooks Invoice 10002 (Id 126) has payment Id 200 (ref CHK-1, 2026-11-20, 10.00) applied');
    expect(text).toContain('B1.abc1234-0-I: deleted: 1 record unposted again, 1 kept exported in B1.abc1234-0-I-K');
    for (const line of mail.text.split('\n')) if (!line.includes('http')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('a dry run says nothing changed and how to reverse', () => {
    const mail = renderReversalReport({ ...base, dryRun: true, status: 'DryRun', records: base.records.map(({ result: _r, ...r }) => r) });
    const text = mail.text.replace(/\s+/g, ' ');
    expect(mail.subject).toBe('[Ledgerline] Reversal of batch B1: Dry run, 2 would be reversed, 1 refused');
    expect(text).toContain('Dry run: nothing was changed.');
    expect(text).toContain('batch reverse accounting-batch-1 --execute');
    expect(text).toContain('Invoice 10001 Invoice 10001 (Id 125) 100.00 void it');
  });
});
