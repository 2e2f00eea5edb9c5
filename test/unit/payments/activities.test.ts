/** The payment activities that need no server: the enabled check and reading QuickBooks payments. */
import { paymentActivities } from '../../../activities/payments';
import type { PaymentPageResult } from '../../../domain/contract';
import { toLedgerPayment } from '../../../integrations/payments';
import type { ActivityDependencies } from '../../../activities/dependencies';

function activities(setup: Record<string, unknown>) {
  const psa = { accountingPackageSetup: async () => setup } as unknown as ActivityDependencies['psa'];
  const ledger = { realmId: '9130' } as unknown as ActivityDependencies['ledger'];
  return paymentActivities({ psa, ledger, mailer: {} as never, mailDefaultTo: 'x@y.test', temporalUi: { baseUrl: 'http://localhost:8233', namespace: 'default' } });
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

describe('syncPaymentsPage on a retried attempt', () => {
  // A PSA invoice that already carries the payment: either an earlier attempt of this page wrote it
  // (its heartbeat says so) or an earlier run did.
  function world() {
    const created: unknown[] = [];
    const ledger = {
      realmId: '9130',
      query: async () => ({ rows: [{ Id: '5', TotalAmt: 100, TxnDate: '2026-11-20', CustomerRef: { value: '1' }, Line: [{ Amount: 100, LinkedTxn: [{ TxnId: '9', TxnType: 'Invoice' }] }] }] }),
      queryAll: async () => [{ Id: '9', DocNumber: 'INV-1', PrivateNote: 'ConnectWise Standard invoice INV-1 (PSA id 11, revision 1) [ledgerline:LLx]' }],
    };
    const psa = {
      invoices: { all: async () => [{ id: 11, invoiceNumber: 'INV-1', total: 100, balance: 0 }] },
      invoicePayments: () => ({ all: async () => [{ id: 70, amount: 100, source: 'QBO Payment 5' }] }),
      createInvoicePayment: async (...args: unknown[]) => created.push(args),
    };
    const acts = paymentActivities({ psa: psa as never, ledger: ledger as never, mailer: {} as never, mailDefaultTo: 'x@y.test', temporalUi: { baseUrl: 'http://localhost:8233', namespace: 'default' } });
    return { acts, created };
  }
  const input = { since: '2026-11-01T00:00:00Z', until: '2026-11-23T00:00:00Z', startPosition: 1, pageSize: 100 };

  it('reports what the earlier attempt applied as applied, without writing again', async () => {
    const { MockActivityEnvironment } = await import('@temporalio/testing');
    const { acts, created } = world();
    const earlier = { action: 'apply', paymentId: '5', reference: 'QBO Payment 5', psaInvoiceId: 11, invoiceNumber: 'INV-1', amount: '100.00', date: '2026-11-20' };
    const env = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: { applied: [earlier] } });
    const result = (await env.run(acts.syncPaymentsPage, input)) as PaymentPageResult;
    expect(result.outcomes).toEqual([earlier]);
    expect(created).toEqual([]);
  });

  it('reports a payment recorded by an earlier run as already recorded', async () => {
    const { MockActivityEnvironment } = await import('@temporalio/testing');
    const { acts, created } = world();
    const result = (await new MockActivityEnvironment().run(acts.syncPaymentsPage, input)) as PaymentPageResult;
    expect(result.outcomes).toEqual([expect.objectContaining({ action: 'skip', reason: 'alreadyRecorded', detail: 'PSA payment id 70 already records it' })]);
    expect(created).toEqual([]);
  });
});
