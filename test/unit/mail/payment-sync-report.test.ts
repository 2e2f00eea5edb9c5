import { renderPaymentSyncReport } from '../../../integrations/mail';
import { paymentSync } from './fixtures';

describe('renderPaymentSyncReport', () => {
  const report = renderPaymentSyncReport(paymentSync);

  it('lists applied payments with amounts and notes', () => {
    expect(report.subject).toBe('[Ledgerline] Payment sync: Completed, 2 applied, 2 skipped');
    expect(report.text).toContain('2 payments recorded in the PSA (total 1,400.00); 2 skipped.');
    expect(report.text).toMatch(/10001 +QB-PMT-301 +2026-11-22 +1,000\.00/);
    expect(report.text).toMatch(/10002 +QB-PMT-302 +2026-11-22 +400\.00 +partial: 400\.00 of 1000\.00/);
  });

  it('says why each skipped payment was skipped, and the fix', () => {
    expect(report.text).toContain('* Payment QB-PMT-303 for invoice 99999');
    expect(report.text).toMatch(/Why: +invoice not known to the PSA: no PSA invoice numbered 99999/);
    expect(report.text).toMatch(/Fix: +Record it by hand in ConnectWise/);
    expect(report.text).toMatch(/Why: +already on the PSA invoice: same reference and amount/);
    expect(report.html).toContain('Payment QB-PMT-290 for invoice 10000');
  });

  it('says None when nothing was applied or skipped, and escapes', () => {
    const empty = renderPaymentSyncReport({ ...paymentSync, applied: [], skipped: [], appliedTotal: '0' });
    expect(empty.text).toMatch(/Applied \(0\)\n-+\nNone\./);
    expect(empty.text).toMatch(/Skipped \(0\)\n-+\nNone\./);
    expect(empty.html).toContain('Acme &lt;Books&gt; &amp; Co');
  });

  it('reports a stopped sync and the omitted counts', () => {
    const failed = renderPaymentSyncReport({ ...paymentSync, status: 'Failed', fatalError: 'payment sync is disabled for this company', omitted: { skipped: 7 } });
    expect(failed.text).toContain('The payment sync stopped: payment sync is disabled for this company.');
    expect(failed.text).toContain('Skipped (9)');
    expect(failed.text).toContain('...and 7 more skipped payments');
  });
});
