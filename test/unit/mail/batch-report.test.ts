import { renderBatchReport, type BatchReportSummary } from '../../../integrations/mail';
import { dryRunBatch, partiallyFailedBatch } from './fixtures';

const RUN_URL =
  'http://localhost:8233/namespaces/default/workflows/accounting-batch-nightly-2026-11-23/5e1c0a7e-0000-4000-8000-000000000001/history';

describe('renderBatchReport', () => {
  const report = renderBatchReport(partiallyFailedBatch);

  it('says status and counts in the subject', () => {
    expect(report.subject).toBe('[Ledgerline] Batch nightly-2026-11-23: PartiallyFailed, 137 posted, 3 failed');
  });

  it('escapes every value in the HTML part', () => {
    expect(report.html).not.toContain('<script>');
    expect(report.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(report.html).toContain('Acme &lt;Books&gt; &amp; Co');
    expect(report.html).toContain('Managed &amp; Co');
  });

  it('keeps the text part free of markup and within a terminal width', () => {
    expect(report.text).not.toMatch(/<(p|table|div|br)\b/);
    expect(report.text).toContain('Acme <Books> & Co');
    for (const line of report.text.split('\n')) {
      if (!line.includes('http')) expect(line.length).toBeLessThanOrEqual(80);
    }
  });

  it('has counts and totals per record type, as grouped decimals', () => {
    for (const part of [report.text, report.html]) {
      expect(part).toContain('Invoices');
      expect(part).toContain('Expenses');
      expect(part).toContain('Procurement');
      expect(part).toContain('120 / 1,234,567.50');
      expect(part).toContain('2 / 300.00');
      expect(part).toContain('2 / 950.25');
      expect(part).toContain('14 / 812.40');
      expect(part).toContain('1 / 99.99');
    }
  });

  it('lists each failure with record number, reason and fix', () => {
    expect(report.text).toContain('Invoice 10042 (MappingMissing)');
    expect(report.text).toMatch(/Reason: No Revenue mapping for Service: Type "<script>/);
    expect(report.text).toMatch(/Fix: +Add a Revenue mapping for Service: Type Managed & Co in\n +ConnectWise: System > Setup Tables > GL Accounts\./);
    expect(report.text).toContain('Procurement PO-77 (ValidationRejected)');
    expect(report.text).toMatch(/Fix: +Reactivate vendor Parts Ltd in QuickBooks\./);
    expect(report.html).toContain('<strong>Fix:</strong> Create account 4000 Sales in QuickBooks or fix the mapping.');
  });

  it('shows discrepancies, changed mappings, exported batches and the override note', () => {
    expect(report.text).toContain('Reconciliation discrepancies (1)');
    expect(report.text).toMatch(/Invoice 10050 +tax +12\.50 +12\.49/);
    // Each changed line: the record, the line, the account ConnectWise used, today's, and the row that moves it.
    expect(report.text).toContain('GL mapping changed since the record closed (2)');
    expect(report.text).toMatch(/\* Invoice 10051\n +Account type: +Revenue\n +ConnectWise used: +4000\n +Today: +4010/);
    expect(report.text).toMatch(
      /\* Invoice 10052, GL entry 100231 "After-hours restore"\n +Account type: +Revenue\n +ConnectWise used: +Service Revenue \/ MS\n +Today: +Managed Services Revenue \/ MS\n +Why: +account from Work Type: After Hours/,
    );
    expect(report.html).toContain('account from Work Type: After Hours');
    expect(report.text).toContain('LL-nightly-2026-11-23-1');
    expect(report.text).toContain('Go-live checklist overridden');
    expect(report.html).toContain('Go-live checklist overridden');
  });

  it('lists the customers and vendors missing in QuickBooks with their records', () => {
    const dry = renderBatchReport({
      ...dryRunBatch,
      missingParties: [
        { role: 'customer', name: 'Orca Labs', psaId: 250, willCreate: true, records: ['Invoice 10060'] },
        { role: 'vendor', name: 'Kelp Supply', willCreate: false, records: ['Procurement PO-7', 'Procurement PO-8'] },
      ],
    });
    expect(dry.text).toContain('Customers and vendors missing in QuickBooks');
    expect(dry.text).toMatch(/Customer Orca Labs\s+250\s+would be created\s+Invoice 10060/);
    expect(dry.text).toMatch(/Vendor Kelp Supply\s+missing: its records fail until it exists\s+Procurement PO-7, Procurement PO-8/);
    expect(report.text).not.toContain('missing in QuickBooks');
  });

  it('links to the run in the Temporal UI', () => {
    expect(report.text).toContain(`  ${RUN_URL}\n`);
    expect(report.html).toContain(`<a href="${RUN_URL}">`);
  });

  it('encodes ids in the link and escapes the href', () => {
    const odd = renderBatchReport({ ...partiallyFailedBatch, workflowId: 'batch/1 "x"&y' });
    expect(odd.text).toContain('/workflows/batch%2F1%20%22x%22%26y/');
    expect(odd.html).not.toContain('"x"');
  });

  it('leaves out the override note and says "None" when there is nothing to report', () => {
    const clean: BatchReportSummary = {
      ...partiallyFailedBatch,
      status: 'Completed',
      byKind: { invoice: { posted: 1, alreadyPosted: 0, failed: 0, totals: { posted: '10', alreadyPosted: '0', failed: '0' } } },
      failures: [],
      discrepancies: [],
      drift: [],
      overrideChecklist: false,
    };
    const r = renderBatchReport(clean);
    expect(r.subject).toBe('[Ledgerline] Batch nightly-2026-11-23: Completed, 1 posted');
    expect(r.text).not.toContain('overridden');
    expect(r.text).not.toContain('Expenses');
    expect(r.text).toMatch(/Failures\n-+\nNone\./);
    expect(r.text).toContain('No discrepancies');
    expect(r.text).not.toContain('GL mapping changed');
  });

  it('counts the changed lines the lists leave out', () => {
    const r = renderBatchReport({ ...partiallyFailedBatch, omitted: { drift: 7 } });
    expect(r.text).toContain('GL mapping changed since the record closed (9)');
    expect(r.text).toContain('...and 7 more changed lines (counted, not listed).');
  });

  it('lists each invoice\'s Automated Sales Tax delta', () => {
    const r = renderBatchReport({
      ...partiallyFailedBatch,
      taxDeltas: [
        { kind: 'invoice', number: 'INV10001', sent: '347.35', computed: '339.12', delta: '8.23', aboveTolerance: true },
        { kind: 'invoice', number: 'INV10002', sent: '92.20', computed: '92.20', delta: '0.00', aboveTolerance: false },
      ],
    });
    expect(r.text).toContain("Automated Sales Tax: ConnectWise's tax against QuickBooks'");
    expect(r.text).toMatch(/INV10001.*347\.35.*339\.12.*8\.23.*yes/);
    expect(r.text).toMatch(/INV10002.*0\.00.*no/);
    expect(renderBatchReport(partiallyFailedBatch).text).not.toContain('Automated Sales Tax');
  });

  it('lists what matching let pass, per record, and says nothing when there is none', () => {
    const r = renderBatchReport({ ...partiallyFailedBatch, warnings: [{ kind: 'invoice', number: 'INV10003', warning: 'GL classes MS are not sent; class tracking is off in QuickBooks' }] });
    expect(r.text).toContain('Warnings');
    expect(r.text).toMatch(/INV10003.*class tracking is off/);
    expect(renderBatchReport(partiallyFailedBatch).text).not.toContain('class tracking is off');
  });

  it('counts failures the capped list left out', () => {
    const r = renderBatchReport({ ...partiallyFailedBatch, failures: partiallyFailedBatch.failures.slice(0, 1) });
    expect(r.text).toContain('Failures (3)');
    expect(r.text).toContain('...and 2 more failures not listed here');
  });

  it('puts the would-create list in a dry run, and no reconciliation', () => {
    const r = renderBatchReport(dryRunBatch);
    expect(r.subject).toBe('[Ledgerline] Batch preview-1: Dry run, 42 would be created');
    expect(r.text).toContain('nothing was written');
    expect(r.text).toContain('Transactions that would be created');
    expect(r.text).toMatch(/Invoice 10060 +LL-10060 +Big Client +3 +2,500\.00/);
    expect(r.text).toMatch(/Invoice 10061 +LL-10061 +Small Client +1 +75\.50/);
    expect(r.text).toContain('...and 40 more transactions');
    expect(r.text).not.toContain('Reconciliation');
    expect(r.html).toContain('Big Client');
  });

  it('shows where each line of the listed dry-run transactions posts, and says which are not listed', () => {
    const r = renderBatchReport({
      ...dryRunBatch,
      wouldCreate: [
        {
          ...dryRunBatch.wouldCreate![0],
          lines: [
            { line: 1, glAccount: '4000 Service Revenue', quickBooksAccount: 'Service Revenue', amount: '2000.00', side: 'Credit' },
            { line: 2, glAccount: '2400 Deferred Revenue', quickBooksAccount: 'Deferred Revenue', amount: '500.00', side: 'Credit' },
          ],
          linesOmitted: 1,
        },
        dryRunBatch.wouldCreate![1],
      ],
    });
    expect(r.text).toContain('Where each line posts');
    expect(r.text).toMatch(/Invoice 10060 +1 +4000 Service Revenue +Service Revenue +2,000\.00 +Credit/);
    expect(r.text).toMatch(/Invoice 10060 +2 +2400 Deferred Revenue +Deferred Revenue +500\.00 +Credit/);
    expect(r.text).not.toMatch(/Invoice 10061 +1 /);
    expect(r.text).toContain('1 more line of long records not listed here.');
    expect(r.text).toContain('Lines are listed for the first 1 transaction; 41 more transactions not listed.');
    expect(r.html).toContain('2400 Deferred Revenue');
    expect(renderBatchReport(dryRunBatch).text).not.toContain('Where each line posts');
  });

  it('shows where each line of the first posted records went, and not for a batch that lists none', () => {
    const r = renderBatchReport({
      ...partiallyFailedBatch,
      postedLines: [{ kind: 'invoice', number: '10042', lines: [{ line: 1, glAccount: 'Agreement Revenue', quickBooksAccount: 'Agreement Revenue', amount: '99.00', side: 'Credit' }], linesOmitted: 0 }],
    });
    expect(r.text).toContain('Where each line posted');
    expect(r.text).toMatch(/Invoice 10042 +1 +Agreement Revenue +Agreement Revenue +99\.00 +Credit/);
    expect(r.text.replace(/\s+/g, ' ')).toContain('Lines are listed for the first 1 transaction; 138 more transactions not listed.');
    expect(report.text).not.toContain('Where each line posted');
  });

  it('states why a failed batch stopped', () => {
    const r = renderBatchReport({ ...partiallyFailedBatch, status: 'Failed', fatalError: 'QuickBooks refused the token (AuthenticationFailed)' });
    expect(r.text).toContain('The batch stopped: QuickBooks refused the token (AuthenticationFailed)');
  });

  it('refuses a summary that breaks the contract', () => {
    const bad = { ...partiallyFailedBatch, byKind: { invoice: { ...partiallyFailedBatch.byKind.invoice!, totals: { posted: '12.3e4', alreadyPosted: '0', failed: '0' } } } };
    expect(() => renderBatchReport(bad)).toThrow(/byKind\.invoice\.totals\.posted: expected a decimal string/);
    expect(() => renderBatchReport({ ...partiallyFailedBatch, temporalUi: { baseUrl: 'javascript:alert(1)', namespace: 'x' } })).toThrow(/temporalUi\.baseUrl/);
  });

  it('lists the GL setup rows left out, with the fix, and says nothing of them when there are none', () => {
    const row = 'GL Accounts row 901 (Revenue / Ticket Budget / Q4): unknown mapped type "Ticket Budget"';
    const withRows = renderBatchReport({ ...partiallyFailedBatch, glSetupProblems: [row] });
    expect(withRows.text).toContain('GL setup rows left out');
    expect(withRows.text).toContain(row);
    expect(withRows.text.replace(/\s+/g, ' ')).toMatch(/Correct or remove the rows left out in System > Setup Tables > GL Accounts/);
    expect(renderBatchReport(partiallyFailedBatch).text).not.toContain('GL setup rows left out');
  });
});

describe('renderBatchReport: corrections', () => {
  const text = renderBatchReport(partiallyFailedBatch).text.replace(/\s+/g, ' ');

  it('lists each re-closed record: updated in place line by line, or unchanged with nothing written', () => {
    expect(text).toContain('Reopened and closed again in ConnectWise (2)');
    expect(text).toContain('Invoice 10050: QuickBooks Invoice 10050 (Id 125) updated from revision 100001 to 100209.');
    expect(text).toContain('header total 4108.35 4243.35');
    expect(text).toContain('line 1 amount 405.00 540.00');
    expect(text).toContain('Invoice 10051: QuickBooks Invoice (Id 126) unchanged by revision 100210: nothing written.');
  });

  it('lists transactions changed in QuickBooks after posting, under the batch that posted them', () => {
    expect(text).toContain('Changed in QuickBooks after posting (1)');
    expect(text).toContain('Posted by batch nightly-2026-11-20:');
    expect(text).toContain('Standard 10031 (PSA id 31): QuickBooks Invoice 10031 (Id 98) edited');
    expect(text).toContain('total 675.00 -> 665.00');
  });
});
