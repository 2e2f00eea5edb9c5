/** The payment activities that need no server: the enabled check and reading QuickBooks payments. */
import { paymentActivities } from '../../../activities/payments';
import { toLedgerPayment } from '../../../integrations/payments';
import type { ActivityDependencies } from '../../../activities/dependencies';

function activities(setup: Record<string, unknown>) {
  const psa = { accountingPackageSetup: async () => setup } as unknown as ActivityDependencies['psa'];
  const ledger = { realmId: '9130' } as unknown as ActivityDependencies['ledger'];
  return paymentActivities({ psa, ledger, mailer: {} as never, mailDefaultTo: 'x@y.test', mailAllowedRecipients: ['y.test'], temporalUi: { baseUrl: 'http://localhost:8233', namespace: 'default' } });
}

describe('checkPaymentSync', () => {
  const qbo = { id: 1, identifier: 'Other', name: 'QuickBooks Online' };
  it('is enabled for QuickBooks with the sync flag on', async () => {
    expect(await activities({ id: 1, accountingPackage: qbo, syncPaymentInfoFlag: true }).checkPaymentSync()).toMatchObject({ enabled: true });
  });
  it('says how to turn it on when the flag is off', async () => {
    const r = await activities({ id: 1, accountingPackage: qbo, syncPaymentInfoFlag: false }).checkPaymentSync();
    expect(r).toMatchObject({ enabled: false, message: expect.stringContaining('Sync Payment Info From Accounting Package') });
  });
  it('refuses other packages, Dynamics GP included, by name', async () => {
    const r = await activities({ id: 1, accountingPackage: { id: 2, identifier: 'GP', name: 'Microsoft Dynamics GP' }, syncPaymentInfoFlag: true }).checkPaymentSync();
    expect(r).toMatchObject({ enabled: false, packageName: 'Microsoft Dynamics GP', message: expect.stringContaining('only from QuickBooks Online') });
  });
});

describe('toLedgerPayment', () => {
  it('reads lines, unapplied amounts and voids', () => {
    const p = toLedgerPayment({ Id: '5', TotalAmt: 120, UnappliedAmt: 20, TxnDate: '2026-11-20', CustomerRef: { value: '1' }, Line: [{ Amount: 100, LinkedTxn: [{ TxnId: '9', TxnType: 'Invoice' }] }] } as never);
    expect(p).toEqual({ id: '5', txnDate: '2026-11-20', total: '120.00', unapplied: '20.00', voided: false, lines: [{ amount: '100.00', txnType: 'Invoice', txnId: '9' }] });
    const v = toLedgerPayment({ Id: '6', TotalAmt: 0, PrivateNote: 'Voided', CustomerRef: { value: '1' }, Line: [{ Amount: 0, LinkedTxn: [{ TxnId: '9', TxnType: 'Invoice' }] }] } as never);
    expect(v.voided).toBe(true);
    expect(toLedgerPayment({ Id: '7', TotalAmt: 0, CustomerRef: { value: '1' } } as never).voided).toBe(false);
  });
});
