/**
 * paymentSync end to end: dev server, both sandboxes, real clients and activities. A batch posts the
 * demo invoices to QuickBooks first; payments recorded there must reach the PSA exactly once across
 * overlapping runs, and everything not applied must be reported with its reason.
 */
import { MockActivityEnvironment, type TestWorkflowEnvironment } from '@temporalio/testing';
import { accountingBatch, paymentSync } from '../../workflows';
import { paymentActivities } from '../../activities/payments';
import type { PaymentPageResult } from '../../domain/contract';
import { psaInvoiceIdFromNote } from '../../domain/payments';
import type { ConnectWiseClient } from '../../integrations/connectwise';
import type { QuickBooksTransaction } from '../../integrations/quickbooks';
import { startLedgerStack, withStackWorkers, type LedgerStack } from '../../dev/stack/ledger-stack';
import { CompanyStateStore } from '../../integrations/state';
import { startDevServerEnv, stackDataConverter, workflowBundle } from '../../dev/stack/temporal';

let env: TestWorkflowEnvironment;
let stack: LedgerStack;
/** One deployment: its company state (the watermark) belongs to the main task queue. */
const TASK_QUEUE = 'it-pay';

beforeAll(async () => {
  env = await startDevServerEnv();
  stack = await startLedgerStack({ env: { LEDGER_CONTEXT_TTL: '0ms' } });
});
afterAll(async () => {
  await stack?.close();
  await env?.teardown();
});

async function withWorkers<T>(fn: (taskQueue: string) => Promise<T>): Promise<T> {
  return withStackWorkers(stack, env.nativeConnection, TASK_QUEUE, stackDataConverter(), await workflowBundle(), () => fn(TASK_QUEUE));
}

const sync = (workflowId: string, input: Record<string, unknown> = {}) =>
  withWorkers((taskQueue) => env.client.workflow.execute(paymentSync, { taskQueue, workflowId, args: [input] }));

/** PSA payments per QuickBooks payment reference, over the given PSA invoices. */
async function psaPayments(invoiceIds: number[]) {
  const all = (await Promise.all(invoiceIds.map((id) => stack.deps.psa.invoicePayments(id).all()))).flat();
  return all.map((p) => ({ invoiceId: p.invoice?.id, amount: p.amount, source: p.source }));
}

/**
 * Holds every PSA payment create until two have arrived (two attempts both passed their checks and
 * are about to write) or an attempt has ended; from then on creates pass at once.
 */
function overlapAtCreate() {
  let waiting: Array<() => void> = [];
  const gate = {
    arrivals: 0,
    opened: false,
    open: () => {
      gate.opened = true;
      for (const go of waiting) go();
      waiting = [];
    },
    arrive: async () => {
      if (gate.opened) return;
      gate.arrivals += 1;
      const held = new Promise<void>((resolve) => waiting.push(resolve));
      if (gate.arrivals >= 2) gate.open();
      await held;
    },
  };
  return gate;
}

/** The stack's PSA client with every payment create passing through the gate first. */
function gatedPsa(gate: ReturnType<typeof overlapAtCreate>): ConnectWiseClient {
  const real = stack.deps.psa;
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'createInvoicePayment') {
        return async (...args: Parameters<ConnectWiseClient['createInvoicePayment']>) => {
          await gate.arrive();
          return target.createInvoicePayment(...args);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('paymentSync against the sandboxes', () => {
  let posted: QuickBooksTransaction[];
  const psaId = (inv: QuickBooksTransaction) => psaInvoiceIdFromNote(inv.PrivateNote)!;
  const ids: Record<string, string> = {};

  it('records payments made in QuickBooks on the PSA invoices and reports the rest', async () => {
    const batch = await withWorkers((taskQueue) => env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'it-pay-batch', args: [{ batchId: 'PAY1', override: true }] }));
    expect(batch.status).toBe('Completed');
    posted = (await stack.deps.ledger.queryAll('Invoice')).filter((i) => psaInvoiceIdFromNote(i.PrivateNote) !== undefined && (i.Balance ?? 0) > 1);
    expect(posted.length).toBeGreaterThanOrEqual(3);
    const [a, b, c] = posted;
    const customer = (inv: QuickBooksTransaction) => String((inv as unknown as { CustomerRef: { value: string } }).CustomerRef.value);

    // An invoice typed straight into QuickBooks: the PSA has never heard of it.
    const template = (await stack.deps.ledger.read('Invoice', a.Id)) as unknown as Record<string, unknown>;
    const hand = await stack.deps.ledger.createInvoice({ CustomerRef: template.CustomerRef, DocNumber: 'HAND-1', Line: [(template.Line as unknown[])[0]] });

    const admin = stack.qbo.admin;
    const pay = (inv: { Id: string }, amount: number, customerId: string) => admin.recordPayment({ customerId, amount, invoiceIds: [inv.Id], paymentRefNum: 'CHK' });
    ids.full = pay(a, a.Balance!, customer(a)).Id;
    ids.partial = pay(b, Math.round((b.Balance! / 2) * 100) / 100, customer(b)).Id;
    ids.over = pay(c, c.Balance! + 25, customer(c)).Id;
    ids.unknown = pay(hand, Number(hand.Balance ?? hand.TotalAmt), customer(a)).Id;

    const first = await sync('it-pay-1');
    expect(first.status).toBe('Completed');
    expect(first.window?.from).toBe('lookback');
    expect(first.appliedCount).toBe(3);
    expect(first.applied.find((p) => p.paymentRef === `QBO Payment ${ids.partial}`)?.note).toMatch(/^partial: /);
    expect(first.skipped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ paymentRef: `QBO Payment ${ids.over}`, reason: 'overpayment', amount: '25.00' }),
        expect.objectContaining({ paymentRef: `QBO Payment ${ids.unknown}`, reason: 'unknownInvoice', invoiceNumber: 'HAND-1' }),
      ]),
    );

    const recorded = await psaPayments([psaId(a), psaId(b), psaId(c)]);
    expect(recorded).toEqual(
      expect.arrayContaining([
        { invoiceId: psaId(a), amount: a.Balance, source: `QBO Payment ${ids.full}` },
        { invoiceId: psaId(c), amount: c.Balance, source: `QBO Payment ${ids.over}` },
      ]),
    );
    expect((await stack.deps.psa.invoices.get(psaId(a))).balance).toBe(0);

    const state = await withWorkers(() => new CompanyStateStore(env.client, TASK_QUEUE, stack.config.QBO_REALM_ID).read());
    expect(state.paymentWatermark).toBe(first.window?.until);
    expect((await stack.mail.list()).some((m) => /Payment sync: Completed, 3 applied/.test(m.subject))).toBe(true);
  });

  it('an overlapping second run adds nothing twice and reports voids and deletes', async () => {
    const [a, b, c] = posted;
    const customer = String((b as unknown as { CustomerRef: { value: string } }).CustomerRef.value);
    const rest = (await stack.deps.ledger.read('Invoice', b.Id)).Balance!;
    ids.second = stack.qbo.admin.recordPayment({ customerId: customer, amount: rest, invoiceIds: [b.Id] }).Id;
    stack.qbo.admin.voidPayment(ids.over);
    stack.qbo.admin.deletePayment(ids.full);

    const second = await sync('it-pay-2', { since: '2000-01-01' });
    expect(second.window?.from).toBe('input');
    expect(second.applied.map((p) => p.paymentRef)).toEqual([`QBO Payment ${ids.second}`]);
    const reasons = Object.fromEntries(second.skipped.map((s) => [s.paymentRef, s.reason]));
    expect(reasons).toMatchObject({
      [`QBO Payment ${ids.partial}`]: 'alreadyRecorded',
      [`QBO Payment ${ids.over}`]: 'voided',
      [`QBO Payment ${ids.full}`]: 'deleted',
      [`QBO Payment ${ids.unknown}`]: 'unknownInvoice',
    });
    expect(second.skipped.find((s) => s.reason === 'voided')?.fix).toMatch(/Reverse PSA payment \d+/);

    // Exactly once: every QuickBooks payment appears at most once per PSA invoice; nothing was removed.
    const recorded = await psaPayments([psaId(a), psaId(b), psaId(c)]);
    const bySource = new Map<string, number>();
    for (const p of recorded) bySource.set(`${p.invoiceId}:${p.source}`, (bySource.get(`${p.invoiceId}:${p.source}`) ?? 0) + 1);
    expect([...bySource.values()].every((n) => n === 1)).toBe(true);
    expect(recorded.filter((p) => p.invoiceId === psaId(b))).toHaveLength(2);
    expect((await stack.deps.psa.invoices.get(psaId(b))).balance).toBe(0);

    const third = await sync('it-pay-3');
    expect(third.window?.from).toBe('watermark');
    expect(third.appliedCount).toBe(0);
    expect(await psaPayments([psaId(a), psaId(b), psaId(c)])).toHaveLength(recorded.length);
  });

  it('two overlapping attempts of one page (a timed-out one still running, and its retry) record each payment once', async () => {
    const fresh = posted.slice(3, 5);
    expect(fresh).toHaveLength(2);
    const customer = (inv: QuickBooksTransaction) => String((inv as unknown as { CustomerRef: { value: string } }).CustomerRef.value);
    const before = await Promise.all(fresh.map(async (inv) => (await stack.deps.psa.invoices.get(psaId(inv))).balance!));
    const refs = fresh.map((inv) => `QBO Payment ${stack.qbo.admin.recordPayment({ customerId: customer(inv), amount: 1, invoiceIds: [inv.Id] }).Id}`);

    const gate = overlapAtCreate();
    const page = { since: '2000-01-01T00:00:00.000Z', until: '2100-01-01T00:00:00.000Z', startPosition: 1, pageSize: 100 };
    const attempt = (env: MockActivityEnvironment) =>
      env.run(paymentActivities({ ...stack.deps, psa: gatedPsa(gate) }).syncPaymentsPage, page).finally(gate.open) as Promise<PaymentPageResult>;
    const [, retry] = await Promise.all([attempt(new MockActivityEnvironment({ attempt: 1 })), attempt(new MockActivityEnvironment({ attempt: 2 }))]);
    // Both attempts found no PSA payment for the first new one and went on to write it.
    expect(gate.arrivals).toBe(2);

    // Exactly one PSA payment per QuickBooks payment, and each invoice's balance fell by it once.
    for (const [i, inv] of fresh.entries()) {
      expect((await psaPayments([psaId(inv)])).filter((p) => p.source === refs[i])).toHaveLength(1);
      expect((await stack.deps.psa.invoices.get(psaId(inv))).balance).toBeCloseTo(before[i] - 1, 2);
    }
    const all = (await psaPayments(posted.map(psaId))).filter((p) => p.source?.startsWith('QBO Payment '));
    expect(new Set(all.map((p) => `${p.invoiceId}:${p.source}`)).size).toBe(all.length);
    // The retry's result (the one the workflow keeps) reports both as applied by this run.
    expect(retry.outcomes.filter((o) => o.action === 'apply').map((o) => o.reference)).toEqual(refs);
  });
});
