/** Summaries the mail tests render and send: every section filled, with text that needs escaping. */
import type { BatchReportSummary, ChecklistReportSummary, PaymentSyncReportSummary } from '../../../integrations/mail';

const run = {
  workflowId: 'accounting-batch-nightly-2026-11-23',
  runId: '5e1c0a7e-0000-4000-8000-000000000001',
  temporalUi: { baseUrl: 'http://localhost:8233/', namespace: 'default' },
  company: 'Acme <Books> & Co',
};

export const partiallyFailedBatch: BatchReportSummary = {
  ...run,
  batchId: 'nightly-2026-11-23',
  status: 'PartiallyFailed',
  thruDate: '2026-11-22',
  byKind: {
    invoice: { posted: 120, alreadyPosted: 2, failed: 2, totals: { posted: '1234567.5', alreadyPosted: '300.00', failed: '950.25' } },
    expense: { posted: 14, alreadyPosted: 0, failed: 0, totals: { posted: '812.40', alreadyPosted: '0', failed: '0' } },
    procurement: { posted: 3, alreadyPosted: 0, failed: 1, totals: { posted: '4500.00', alreadyPosted: '0', failed: '99.99' } },
  },
  failures: [
    {
      kind: 'invoice',
      number: '10042',
      id: '9001',
      type: 'MappingMissing',
      message: 'No Revenue mapping for Service: Type "<script>alert(1)</script>"',
      fix: 'Add a Revenue mapping for Service: Type Managed & Co in ConnectWise: System > Setup Tables > GL Accounts.',
    },
    { kind: 'invoice', number: '10043', type: 'AccountNotFound', message: 'Account "4000 Sales" not found in QuickBooks', fix: 'Create account 4000 Sales in QuickBooks or fix the mapping.' },
    { kind: 'procurement', number: 'PO-77', type: 'ValidationRejected', message: 'QuickBooks rejected the bill: vendor inactive', fix: 'Reactivate vendor Parts Ltd in QuickBooks.' },
  ],
  discrepancies: [{ kind: 'invoice', number: '10050', field: 'tax', expected: '12.50', actual: '12.49' }],
  drift: [
    { kind: 'invoice', number: '10051', accountType: 'Revenue', exported: '4000', current: '4010' },
    { kind: 'invoice', number: '10052', line: 'GL entry 100231 "After-hours restore"', accountType: 'Revenue', exported: 'Service Revenue / MS', current: 'Managed Services Revenue / MS', why: 'account from Work Type: After Hours' },
  ],
  exportedBatches: ['LL-nightly-2026-11-23-1'],
  edits: [
    {
      kind: 'invoice',
      number: '10050',
      outcome: 'updated',
      entity: 'Invoice',
      txnId: '125',
      docNumber: '10050',
      fromRevision: '100001',
      toRevision: '100209',
      changes: [
        { field: 'total', before: '4108.35', after: '4243.35' },
        { line: 1, field: 'amount', before: '405.00', after: '540.00' },
      ],
    },
    { kind: 'invoice', number: '10051', outcome: 'unchanged', entity: 'Invoice', txnId: '126', fromRevision: '100002', toRevision: '100210', changes: [] },
  ],
  ledgerChanges: [
    {
      batch: 'nightly-2026-11-20',
      record: 'Standard 10031 (PSA id 31)',
      entity: 'Invoice',
      txnId: '98',
      docNumber: '10031',
      change: 'edited',
      at: '2026-11-22T14:03:00+00:00',
      detail: 'total 675.00 -> 665.00, lines changed (account, item, amount, side or class)',
      fix: 'Ledgerline does not overwrite it.',
    },
  ],
  overrideChecklist: true,
};

export const dryRunBatch: BatchReportSummary = {
  ...run,
  batchId: 'preview-1',
  status: 'DryRun',
  byKind: { invoice: { posted: 0, alreadyPosted: 0, failed: 0, totals: { posted: '0', alreadyPosted: '0', failed: '0' } } },
  failures: [],
  wouldCreate: [
    { kind: 'invoice', number: '10060', entity: 'Big Client', docNumber: 'LL-10060', total: '2500.00', lineCount: 3 },
    { kind: 'invoice', number: '10061', entity: 'Small Client', docNumber: 'LL-10061', total: '75.5', lineCount: 1 },
  ],
  omitted: { wouldCreate: 40 },
};

export const checklist: ChecklistReportSummary = {
  ...run,
  status: 'Failed',
  items: [
    { id: 'psa-reachable', title: 'PSA answers and the API keys are valid', result: 'pass', evidence: ['system/info: version v2026.1'] },
    {
      id: 'terms-xref',
      title: 'Billing terms have a terms xref',
      result: 'fail',
      evidence: ['2 terms without xref: Net 45, Due <on> receipt'],
      fix: 'Set the Accounting Xref on billing terms Net 45 and Due on receipt (Setup Tables > Billing Terms).',
    },
    { id: 'unbatched', title: 'Unbatched records', result: 'warn', evidence: ['1,204 unbatched records, none set to GL Reload'], fix: 'Set old records to GL Reload so the first run does not send all of history.' },
  ],
  manualItems: [
    { id: 'test-invoices', title: 'Test invoices reviewed', confirmed: true, by: 'dana@acme.test', at: '2026-11-23T09:00:00Z', note: 'looks good' },
    { id: 'chart-signoff', title: 'Accountant signed off the chart', confirmed: false },
  ],
};

export const paymentSync: PaymentSyncReportSummary = {
  ...run,
  status: 'Completed',
  window: { since: '2026-11-22T00:00:00Z', until: '2026-11-23T00:00:00Z' },
  applied: [
    { paymentRef: 'QB-PMT-301', invoiceNumber: '10001', amount: '1000.00', date: '2026-11-22' },
    { paymentRef: 'QB-PMT-302', invoiceNumber: '10002', amount: '400', date: '2026-11-22', note: 'partial: 400.00 of 1000.00' },
  ],
  appliedTotal: '1400.00',
  skipped: [
    { paymentRef: 'QB-PMT-303', invoiceNumber: '99999', amount: '50.00', reason: 'unknownInvoice', detail: 'no PSA invoice numbered 99999', fix: 'Record it by hand in ConnectWise or correct the invoice number in QuickBooks.' },
    { paymentRef: 'QB-PMT-290', invoiceNumber: '10000', amount: '20.00', reason: 'alreadyRecorded', detail: 'same reference and amount already on the invoice' },
  ],
};
