/** The CLI's batch summary lists missing customers and vendors with their records. */
import { formatBatchSummary } from '../../../clients/cli/batch';
import { emptySummary } from '../../../domain/batch-summary';

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
