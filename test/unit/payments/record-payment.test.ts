/** recordPayment against a PSA double: one payment per reference, the oldest kept. */
import { LedgerError } from '../../../domain/errors';
import type { ApplyDecision } from '../../../domain/payments';
import { recordPayment } from '../../../integrations/payments';

const decision: ApplyDecision = { action: 'apply', paymentId: '5', reference: 'QBO Payment 5', psaInvoiceId: 11, invoiceNumber: 'INV-1', amount: '100.00', date: '2026-11-20' };

/** One invoice's payments; `deleteError` makes a delete fail. */
function psaDouble(opts: { deleteError?: (id: number) => Error | undefined } = {}) {
  let nextId = 70;
  const payments: Array<{ id: number; amount: number; source: string }> = [];
  const psa = {
    payments,
    add: (source: string) => payments.push({ id: nextId++, amount: 100, source }),
    invoicePayments: () => ({ all: async () => payments.map((p) => ({ ...p, type: 'P' })) }),
    createInvoicePayment: async (_id: number, body: { source: string }) => {
      psa.add(body.source);
    },
    deleteInvoicePayment: async (_invoiceId: number, id: number) => {
      const err = opts.deleteError?.(id);
      if (err) throw err;
      const at = payments.findIndex((p) => p.id === id);
      if (at < 0) throw new LedgerError('NotFound', `payment ${id} not found`);
      payments.splice(at, 1);
    },
  };
  return psa;
}

describe('recordPayment', () => {
  it('keeps the oldest when an overlapping attempt wrote the same payment too', async () => {
    const psa = psaDouble();
    psa.createInvoicePayment = async (_id, body) => {
      psa.add(body.source); // the other attempt's, written first
      psa.add(body.source); // ours
    };
    expect(await recordPayment(psa as never, decision)).toEqual(decision);
    expect(psa.payments.map((p) => p.id)).toEqual([70]);
  });

  it('writes nothing when the payment appeared since planning, and reports it as applied by this run', async () => {
    const psa = psaDouble();
    psa.add('QBO Payment 5');
    psa.add('QBO Payment 5');
    psa.add('QBO Payment 6');
    expect(await recordPayment(psa as never, decision)).toEqual(decision);
    expect(psa.payments.map((p) => [p.id, p.source])).toEqual([
      [70, 'QBO Payment 5'],
      [72, 'QBO Payment 6'],
    ]);
  });

  it('counts a duplicate another attempt already removed as removed', async () => {
    const psa = psaDouble({ deleteError: (id) => (id === 71 ? new LedgerError('NotFound', 'gone') : undefined) });
    psa.add('QBO Payment 5');
    psa.add('QBO Payment 5');
    expect(await recordPayment(psa as never, decision)).toEqual(decision);
  });

  it('reports a duplicate the PSA refuses to remove, naming it and the fix', async () => {
    const psa = psaDouble({ deleteError: () => new LedgerError('ValidationRejected', 'The payment is in a closed period') });
    psa.createInvoicePayment = async (_id, body) => {
      psa.add(body.source); // the other attempt's, written first
      psa.add(body.source); // ours
    };
    const outcome = await recordPayment(psa as never, decision);
    expect(outcome).toMatchObject({ action: 'skip', reason: 'other', detail: expect.stringContaining('PSA payment id 71 duplicates it'), fix: expect.stringContaining('delete PSA payment 71 by hand') });
  });
});
