/** The record of what the payment sync wrote to the PSA: intent, first claim wins, release. */
import { applicationKey, claimedPsaPayments, removedApplications, withClaim, withIntent, withRelease, type RecordedApplication } from '../../../domain/payments';

const part = { paymentId: '9', invoiceTxnId: '101' };
const app: RecordedApplication = { ...part, key: applicationKey(part), psaInvoiceId: 11, invoiceNumber: 'INV-1', amount: '10.00', seenBefore: [70] };

describe('payment applications', () => {
  it('keys cash and each credit memo apart', () => {
    expect(applicationKey(part)).toBe('9>cash>Invoice:101');
    expect(applicationKey({ ...part, creditMemoTxnId: '301' })).toBe('9>CreditMemo:301>Invoice:101');
  });

  it('keeps the first intent and the first claim; later ones change nothing', () => {
    let apps = withIntent({}, app);
    apps = withIntent(apps, { ...app, seenBefore: [70, 71] });
    expect(apps[app.key].seenBefore).toEqual([70]);
    apps = withClaim(apps, app.key, 72);
    apps = withClaim(apps, app.key, 73);
    expect(apps[app.key].psaPaymentId).toBe(72);
    expect(claimedPsaPayments(apps)).toEqual(new Set([72]));
  });

  it('releases only the PSA payment still claimed', () => {
    const apps = withClaim(withIntent({}, app), app.key, 72);
    expect(withRelease(apps, app.key, 99)).toBe(apps);
    expect(withRelease(apps, app.key, 72)).toEqual({});
  });

  it('finds what deleted, voided and unlinked payments recorded', () => {
    const apps = withClaim(withIntent({}, app), app.key, 72);
    const payment = { id: '9', txnDate: '2026-11-20', total: '10.00', unapplied: '0.00', voided: false, lines: [{ txnType: 'Invoice', txnId: '101', amount: '10.00' }] };
    expect(removedApplications(apps, [{ id: '9', deleted: false, payment }])).toEqual([]);
    expect(removedApplications(apps, [{ id: '9', deleted: true }])).toEqual([{ app: apps[app.key], why: 'deleted' }]);
    expect(removedApplications(apps, [{ id: '9', deleted: false, payment: { ...payment, voided: true } }])[0].why).toBe('voided');
    expect(removedApplications(apps, [{ id: '9', deleted: false, payment: { ...payment, lines: [{ txnType: 'Invoice', txnId: '102', amount: '10.00' }] } }])[0].why).toBe('unlinked');
    expect(removedApplications(apps, [{ id: '8', deleted: true }])).toEqual([]);
  });
});
