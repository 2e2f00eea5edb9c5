import { renderChecklistReport } from '../../../integrations/mail';
import { checklist } from './fixtures';

describe('renderChecklistReport', () => {
  const report = renderChecklistReport(checklist);

  it('marks each check pass, fail or warn with its evidence', () => {
    expect(report.text).toContain('Automated checks (1 pass, 1 warn, 1 fail)');
    expect(report.text).toContain('* [PASS] PSA answers and the API keys are valid');
    expect(report.text).toContain('* [FAIL] Billing terms have a terms xref');
    expect(report.text).toContain('* [WARN] Unbatched records');
    expect(report.text).toMatch(/Evidence: 2 terms without xref: Net 45, Due <on> receipt/);
    expect(report.html).toContain('Due &lt;on&gt; receipt');
    expect(report.html).not.toContain('<on>');
  });

  it('gives the fix for failed and warned checks only', () => {
    expect(report.text).toMatch(/Fix: +Set the Accounting Xref on billing terms Net 45 and Due on\s+receipt/);
    expect(report.text).toMatch(/Fix: +Set old records to GL Reload/);
    const passing = renderChecklistReport({ ...checklist, items: [{ ...checklist.items[0]!, fix: 'should not show' }] });
    expect(passing.text).not.toContain('should not show');
  });

  it('shows manual items, confirmed or not, and by whom', () => {
    expect(report.text).toMatch(/Test invoices reviewed +yes +dana@acme\.test +2026-11-23T09:00:00Z +looks good/);
    expect(report.text).toMatch(/Accountant signed off the chart +NO/);
  });

  it('says the verdict in subject and banner, with the run link', () => {
    expect(report.subject).toBe('[Ledgerline] Go-live checklist: Failed (1 failed) for Acme <Books> & Co');
    expect(report.text.replace(/\s+/g, ' ')).toContain('Accounting batches will not post until it passes');
    expect(report.html).toContain('href="http://localhost:8233/namespaces/default/workflows/accounting-batch-nightly-2026-11-23/5e1c0a7e-0000-4000-8000-000000000001/history"');
  });

  it('words a reminder as a request to confirm', () => {
    const reminder = renderChecklistReport({ ...checklist, status: 'Incomplete', stage: 'reminder' });
    expect(reminder.subject).toBe('[Ledgerline] Go-live checklist: confirmation needed, 1 manual item pending');
    expect(reminder.text).toContain('Reminder: 1 manual item still waits for confirmation');
  });
});
