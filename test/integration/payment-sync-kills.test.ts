/**
 * paymentSync with its worker process SIGKILLed mid-page: a new worker finishes the run (the page's
 * activity is retried after its heartbeat timeout) and every QuickBooks payment is on its PSA invoice
 * exactly once; a rerun over the same window adds nothing.
 */
import { accountingBatch, paymentSync } from '../../workflows';
import { psaInvoiceIdFromNote } from '../../domain/payments';
import type { QuickBooksTransaction } from '../../integrations/quickbooks';
import { withStackWorkers } from '../../dev/stack/ledger-stack';
import { spawnStackWorkers } from '../../dev/stack/worker-process';
import { stackDataConverter, workflowBundle } from '../../dev/stack/temporal';
import { stackPerFile } from '../helpers/stack-per-file';

const held = stackPerFile();
const TASK_QUEUE = 'it-pay-kill';

const customerOf = (t: QuickBooksTransaction) => String((t as unknown as { CustomerRef: { value: string } }).CustomerRef.value);
const psaId = (t: QuickBooksTransaction) => psaInvoiceIdFromNote(t.PrivateNote)!;

it('a worker SIGKILLed mid-sync: the run finishes on a new worker and records every payment once', async () => {
  const { env, stack } = held;
  const bundle = await workflowBundle();
  const inProcess = <T>(fn: () => Promise<T>) => withStackWorkers(stack, env.nativeConnection, TASK_QUEUE, stackDataConverter(), bundle, fn);
  stack.psa.admin.generate({ invoices: 24, seed: 5 });
  const batch = await inProcess(() => env.client.workflow.execute(accountingBatch, { taskQueue: TASK_QUEUE, workflowId: 'it-pay-kill-batch', args: [{ batchId: 'KILL1', override: true }] }));
  expect(batch.status).toBe('Completed');
  const posted = (await stack.deps.ledger.queryAll('Invoice')).filter((i) => psaInvoiceIdFromNote(i.PrivateNote) !== undefined && (i.Balance ?? 0) > 5);
  expect(posted.length).toBeGreaterThanOrEqual(12);
  const before = new Map(await Promise.all(posted.map(async (i) => [i.Id, (await stack.deps.psa.invoices.get(psaId(i))).balance!] as const)));
  for (const inv of posted) stack.qbo.admin.recordPayment({ customerId: customerOf(inv), amount: 3.33, invoiceIds: [inv.Id], txnDate: '2026-11-27' });

  // Latency on the PSA keeps the page in flight long enough to kill the worker among its writes.
  stack.psa.admin.setKnobs({ latencyMs: 60 });
  const crashing = await spawnStackWorkers(stack, { temporalAddress: env.address, taskQueue: TASK_QUEUE, bundleCode: bundle.code });
  const handle = await env.client.workflow.start(paymentSync, { taskQueue: TASK_QUEUE, workflowId: 'it-pay-kill-1', args: [{ since: '2000-01-01' }] });
  let recordedAtKill: number;
  try {
    for (;;) {
      recordedAtKill = stack.psa.admin.snapshot().payments.filter((p) => p.amountCents === 333).length;
      if (recordedAtKill >= 2) break;
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    await crashing.kill();
  }
  expect(recordedAtKill).toBeLessThan(posted.length);
  stack.psa.admin.setKnobs({ latencyMs: 0 });

  const summary = await inProcess(() => handle.result());
  expect(summary.status).toBe('Completed');
  for (const inv of posted) {
    const mine = (await stack.deps.psa.invoicePayments(psaId(inv)).all()).filter((p) => p.amount === 3.33);
    expect({ invoice: inv.Id, n: mine.length }).toEqual({ invoice: inv.Id, n: 1 });
    expect((await stack.deps.psa.invoices.get(psaId(inv))).balance).toBeCloseTo(before.get(inv.Id)! - 3.33, 2);
  }

  const again = await inProcess(() => env.client.workflow.execute(paymentSync, { taskQueue: TASK_QUEUE, workflowId: 'it-pay-kill-2', args: [{ since: '2000-01-01' }] }));
  expect(again.applied).toEqual([]);
  expect(stack.psa.admin.snapshot().payments.filter((p) => p.amountCents === 333)).toHaveLength(posted.length);
}, 240_000);
