/**
 * paymentSync end to end: dev server, both sandboxes, real clients and activities. A batch posts the
 * demo invoices (and more generated ones) to QuickBooks first; payments and credit memo applications
 * made there must reach the PSA exactly once across overlapping runs and concurrent syncs, voids and
 * deletes must be reversed, and everything not applied must be reported with its reason.
 */
import { MockActivityEnvironment, type TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowFailedError } from '@temporalio/client';
import { accountingBatch, paymentSync } from '../../workflows';
import { paymentActivities } from '../../activities/payments';
import type { PaymentPageResult } from '../../domain/contract';
import { psaInvoiceIdFromNote, type Applications } from '../../domain/payments';
import type { PaymentSyncSummary } from '../../domain/payments';
import { LedgerError } from '../../domain/errors';
import type { ConnectWiseClient } from '../../integrations/connectwise';
import type { QuickBooksTransaction } from '../../integrations/quickbooks';
import { startLedgerStack, withStackWorkers, type LedgerStack } from '../../dev/stack/ledger-stack';
import { CompanyStateStore } from '../../integrations/state';
import { startDevServerEnv, stackDataConverter, workflowBundle } from '../../dev/stack/temporal';

let env: TestWorkflowEnvironment;
let stack: LedgerStack;
/** One deployment: its company state (watermark, applications) belongs to the main task queue. */
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
const ALL_TIME = { since: '2000-01-01' };

const applications = (): Promise<Applications> => withWorkers(async () => (await new CompanyStateStore(env.client, TASK_QUEUE, stack.deps.ledger.realmId).read()).paymentApplications ?? {});

/** PSA payments on the given PSA invoices, as ConnectWise lists them. */
async function psaPayments(invoiceIds: number[]) {
  const all = (await Promise.all(invoiceIds.map((id) => stack.deps.psa.invoicePayments(id).all()))).flat();
  return all.map((p) => ({ id: p.id, invoiceId: p.invoice?.id, amount: p.amount, paymentDate: p.paymentDate, credit: p.credit?.id }));
}
const psaBalance = async (id: number) => (await stack.deps.psa.invoices.get(id)).balance!;
const qboBalance = async (inv: QuickBooksTransaction) => (await stack.deps.ledger.read('Invoice', inv.Id)).Balance!;
const customerOf = (t: QuickBooksTransaction) => String((t as unknown as { CustomerRef: { value: string } }).CustomerRef.value);
const psaId = (t: QuickBooksTransaction) => psaInvoiceIdFromNote(t.PrivateNote)!;
const ref = (id: string) => `QBO Payment ${id}`;
const half = (n: number) => Math.round((n / 2) * 100) / 100;

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

/** The stack's PSA client, whose payment creates are written but answer with a timeout (a lost response). */
function losingPsa(): ConnectWiseClient {
  const real = stack.deps.psa;
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'createInvoicePayment') {
        return async (...args: Parameters<ConnectWiseClient['createInvoicePayment']>) => {
          await target.createInvoicePayment(...args);
          throw new LedgerError('Timeout', 'ConnectWise did not answer within 30000 ms');
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Nothing new in the PSA: the same payments on every invoice Ledgerline posted. */
async function expectNoChange(run: PaymentSyncSummary, before: Awaited<ReturnType<typeof psaPayments>>) {
  expect(run.status).toBe('Completed');
  expect(run.applied).toEqual([]);
  expect(run.skipped.filter((s) => s.reason === 'reversed')).toEqual([]);
  expect(await psaPayments(posted.map(psaId))).toEqual(before);
}

let posted: QuickBooksTransaction[];
let memos: QuickBooksTransaction[];
let memo: QuickBooksTransaction;
let memoInvoice: QuickBooksTransaction;
/** Invoices each case uses, so the cases do not share balances. */
const used = new Set<string>();
const take = (pred: (i: QuickBooksTransaction) => boolean = () => true) => {
  const inv = posted.find((i) => !used.has(i.Id) && pred(i));
  if (!inv) throw new Error('no posted invoice left for this case');
  used.add(inv.Id);
  return inv;
};
const ids: Record<string, string> = {};

describe('paymentSync against the sandboxes', () => {
  beforeAll(async () => {
    stack.psa.admin.generate({ invoices: 30, seed: 11 });
    const batch = await withWorkers((taskQueue) => env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: 'it-pay-batch', args: [{ batchId: 'PAY1', override: true }] }));
    expect(batch.status).toBe('Completed');
    posted = (await stack.deps.ledger.queryAll('Invoice')).filter((i) => psaInvoiceIdFromNote(i.PrivateNote) !== undefined && (i.Balance ?? 0) > 20);
    memos = (await stack.deps.ledger.queryAll('CreditMemo')).filter((m) => psaInvoiceIdFromNote(m.PrivateNote) !== undefined);
    // The credit memo case needs an open invoice of a customer with a posted credit memo, owing more
    // than the memo's whole credit plus the 13.00 the case applies on top: kept for it.
    const fits = (i: QuickBooksTransaction, m: QuickBooksTransaction) => customerOf(i) === customerOf(m) && i.Balance! > m.TotalAmt! + 13;
    memo = memos.find((m) => posted.some((i) => fits(i, m)))!;
    expect(memo).toBeDefined();
    memoInvoice = take((i) => fits(i, memo));
  });

  it('records a payment of several invoices on each, part payments with a note, and reports overpayments with customer and amount', async () => {
    const byCustomer = new Map<string, QuickBooksTransaction[]>();
    for (const i of posted.filter((x) => !used.has(x.Id))) byCustomer.set(customerOf(i), [...(byCustomer.get(customerOf(i)) ?? []), i]);
    const [a1, a2] = [...byCustomer.values()].find((list) => list.length >= 2)!;
    used.add(a1.Id);
    used.add(a2.Id);
    const c = take((i) => customerOf(i) !== customerOf(a1));
    const customerName = String((await stack.deps.ledger.read('Customer', customerOf(c))).DisplayName);

    // An invoice typed straight into QuickBooks: the PSA has never heard of it.
    const template = (await stack.deps.ledger.read('Invoice', c.Id)) as unknown as Record<string, unknown>;
    const hand = await stack.deps.ledger.createInvoice({ CustomerRef: template.CustomerRef, DocNumber: 'HAND-1', Line: [(template.Line as unknown[])[0]] });

    const before = { a1: await psaBalance(psaId(a1)), a2: await psaBalance(psaId(a2)), c: await psaBalance(psaId(c)) };
    const admin = stack.qbo.admin;
    ids.multi = admin.recordPayment({ customerId: customerOf(a1), amount: a1.Balance! + half(a2.Balance!), invoiceIds: [a1.Id, a2.Id], txnDate: '2026-11-20', paymentRefNum: 'CHK-1' }).Id;
    ids.over = admin.recordPayment({ customerId: customerOf(c), amount: c.Balance! + 25, invoiceIds: [c.Id], txnDate: '2026-11-21' }).Id;
    ids.unknown = admin.recordPayment({ customerId: customerOf(c), amount: Number(hand.Balance ?? hand.TotalAmt), invoiceIds: [hand.Id] }).Id;

    const first = await sync('it-pay-1');
    expect(first.status).toBe('Completed');
    expect(first.window?.from).toBe('lookback');
    expect(first.applied).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ paymentRef: ref(ids.multi), amount: a1.Balance!.toFixed(2), date: '2026-11-20' }),
        expect.objectContaining({ paymentRef: ref(ids.multi), amount: half(a2.Balance!).toFixed(2), note: expect.stringMatching(/^partial: /) }),
        expect.objectContaining({ paymentRef: ref(ids.over), amount: c.Balance!.toFixed(2) }),
      ]),
    );
    expect(first.appliedCount).toBe(3);
    expect(first.skipped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ paymentRef: ref(ids.over), reason: 'overpayment', amount: '25.00', detail: expect.stringContaining(`customer ${customerName}: 25.00 of`) }),
        expect.objectContaining({ paymentRef: ref(ids.unknown), reason: 'unknownInvoice', invoiceNumber: 'HAND-1' }),
      ]),
    );

    // Each PSA invoice got its own part, once, dated the day the customer paid; the balances follow.
    expect(await psaPayments([psaId(a1)])).toEqual([expect.objectContaining({ amount: a1.Balance, paymentDate: '2026-11-20T00:00:00Z', credit: undefined })]);
    expect(await psaPayments([psaId(a2)])).toEqual([expect.objectContaining({ amount: half(a2.Balance!) })]);
    expect(await psaBalance(psaId(a1))).toBeCloseTo(before.a1 - a1.Balance!, 2);
    expect(await psaBalance(psaId(a2))).toBeCloseTo(before.a2 - half(a2.Balance!), 2);
    expect(await psaBalance(psaId(c))).toBeCloseTo(before.c - c.Balance!, 2);
    // What each PSA payment records is kept in the company state, not on the PSA payment.
    const apps = Object.values(await applications()).filter((x) => x.paymentId === ids.multi);
    expect(apps.map((x) => x.invoiceTxnId).sort()).toEqual([a1.Id, a2.Id].sort());
    expect(apps.every((x) => x.psaPaymentId !== undefined)).toBe(true);
    expect((await stack.mail.list()).some((m) => /Payment sync: Completed, 3 applied/.test(m.subject))).toBe(true);

    // Over an overlapping window (everything since 2000, and again from the watermark): nothing new.
    const snapshot = await psaPayments(posted.map(psaId));
    const again = await sync('it-pay-1b', ALL_TIME);
    await expectNoChange(again, snapshot);
    expect(again.skipped.filter((s) => s.reason === 'alreadyRecorded')).toHaveLength(3);
    await expectNoChange(await sync('it-pay-1c'), snapshot);
  });

  it('applies credit memos on their own and inside a payment the way ConnectWise records credits, never spending a credit twice', async () => {
    // A posted credit memo whose customer has a posted invoice open.
    const inv = memoInvoice;
    const psaMemo = psaId(memo);
    const credit = (await stack.deps.ledger.read('CreditMemo', memo.Id)).RemainingCredit as number;
    expect(credit).toBeGreaterThan(4);
    // A finance user applied all but 3.00 of the credit in the PSA by hand already (to the same invoice).
    const byHand = Math.round((credit - 3) * 100) / 100;
    expect(inv.Balance!).toBeGreaterThan(byHand + 3 + 10);
    await stack.deps.psa.createInvoicePayment(psaId(inv), { type: 'P', amount: byHand, paymentDate: '2026-11-22T00:00:00Z', invoice: { id: psaId(inv) }, credit: { id: psaMemo } });
    const before = await stack.deps.psa.invoices.get(psaId(inv));

    const link = (TxnType: string, TxnId: string, Amount: number) => ({ Amount, LinkedTxn: [{ TxnType, TxnId }] });
    const CustomerRef = { value: customerOf(inv) };
    // On its own: QuickBooks applies a credit memo with a zero payment linking both.
    ids.creditAlone = (await stack.deps.ledger.createPayment({ CustomerRef, TotalAmt: 0, TxnDate: '2026-11-23', Line: [link('Invoice', inv.Id, 1), link('CreditMemo', memo.Id, 1)] })).Id;
    // Inside a payment: 10.00 of cash and 2.00 of credit for the same invoice.
    ids.creditAndCash = (await stack.deps.ledger.createPayment({ CustomerRef, TotalAmt: 10, TxnDate: '2026-11-24', Line: [link('Invoice', inv.Id, 12), link('CreditMemo', memo.Id, 2)] })).Id;
    // QuickBooks still has the credit the PSA user applied by hand: applying it there too would spend it twice in the PSA.
    ids.creditSpent = (await stack.deps.ledger.createPayment({ CustomerRef, TotalAmt: 0, TxnDate: '2026-11-25', Line: [link('Invoice', inv.Id, 1), link('CreditMemo', memo.Id, 1)] })).Id;

    const run = await sync('it-pay-credit', ALL_TIME);
    expect(run.status).toBe('Completed');
    const mine = (id: string) => run.applied.filter((p) => p.paymentRef === ref(id)).map((p) => p.amount).sort();
    expect(mine(ids.creditAlone)).toEqual(['1.00']);
    expect(mine(ids.creditAndCash)).toEqual(['10.00', '2.00']);
    expect(run.skipped).toEqual(
      expect.arrayContaining([expect.objectContaining({ paymentRef: ref(ids.creditSpent), reason: 'other', detail: expect.stringMatching(/has 0\.00 of credit left; a credit is never spent twice/) })]),
    );

    // ConnectWise's way: credits are payments naming the credit memo; the invoice's credits rise, its
    // payments by the cash only, and the memo's credit is used up.
    const after = await stack.deps.psa.invoices.get(psaId(inv));
    expect(after.credits).toBeCloseTo((before.credits ?? 0) + 3, 2);
    expect(after.payments).toBeCloseTo((before.payments ?? 0) + 10, 2);
    expect(after.balance).toBeCloseTo(before.balance! - 13, 2);
    expect((await stack.deps.psa.invoices.get(psaMemo)).balance).toBeCloseTo(0, 2);
    const onInvoice = await psaPayments([psaId(inv)]);
    const numeric = (x: number, y: number) => x - y;
    expect(onInvoice.filter((p) => p.credit === psaMemo).map((p) => p.amount).sort(numeric)).toEqual([1, 2, byHand].sort(numeric));

    const snapshot = await psaPayments(posted.map(psaId));
    await expectNoChange(await sync('it-pay-credit-again', ALL_TIME), snapshot);
  });

  it('reverses in the PSA what voided and deleted payments recorded (found through change data capture), once', async () => {
    const apps = Object.values(await applications());
    const multi = apps.filter((a) => a.paymentId === ids.multi);
    const over = apps.find((a) => a.paymentId === ids.over)!;
    expect(multi).toHaveLength(2);
    const balances = async () => Promise.all([...multi, over].map((a) => psaBalance(a.psaInvoiceId)));
    const before = await balances();
    stack.qbo.admin.voidPayment(ids.over);
    stack.qbo.admin.deletePayment(ids.multi);

    const run = await sync('it-pay-reverse');
    expect(run.window?.from).toBe('watermark');
    const reversed = run.skipped.filter((s) => s.reason === 'reversed');
    expect(reversed.map((s) => s.paymentRef).sort()).toEqual([ref(ids.multi), ref(ids.multi), ref(ids.over)].sort());
    expect(reversed.find((s) => s.paymentRef === ref(ids.over))?.detail).toMatch(/^voided in QuickBooks: PSA payment id \d+ removed from invoice /);
    expect(reversed.find((s) => s.paymentRef === ref(ids.multi))?.detail).toMatch(/^deleted in QuickBooks: /);
    // The PSA payments are gone and the balances are back.
    for (const a of [...multi, over]) expect((await psaPayments([a.psaInvoiceId])).map((p) => p.id)).not.toContain(a.psaPaymentId);
    const after = await balances();
    [...multi, over].forEach((a, i) => expect(after[i]).toBeCloseTo(before[i] + Number(a.amount), 2));
    const left = await applications();
    expect(Object.values(left).filter((a) => a.paymentId === ids.multi || a.paymentId === ids.over)).toEqual([]);

    // Rerun over the same changes: nothing reversed or recorded again.
    const snapshot = await psaPayments(posted.map(psaId));
    await expectNoChange(await sync('it-pay-reverse-again', ALL_TIME), snapshot);
  });

  it('two syncs started together record each payment once', async () => {
    const inv = take();
    const balance = await qboBalance(inv);
    ids.concurrent = stack.qbo.admin.recordPayment({ customerId: customerOf(inv), amount: half(balance), invoiceIds: [inv.Id] }).Id;
    const results = await withWorkers((taskQueue) =>
      Promise.allSettled(['it-pay-concurrent-1', 'it-pay-concurrent-2'].map((workflowId) => env.client.workflow.execute(paymentSync, { taskQueue, workflowId, args: [ALL_TIME] }))),
    );
    for (const r of results) {
      if (r.status === 'rejected') {
        expect(r.reason).toBeInstanceOf(WorkflowFailedError);
        expect(String((r.reason as WorkflowFailedError).cause?.message)).toMatch(/Payment sync refused/);
      } else expect(r.value.status).toBe('Completed');
    }
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    expect((await psaPayments([psaId(inv)])).filter((p) => p.amount === half(balance))).toHaveLength(1);
    const snapshot = await psaPayments(posted.map(psaId));
    await expectNoChange(await sync('it-pay-concurrent-again', ALL_TIME), snapshot);
  });

  it('two overlapping attempts of one page (a timed-out one still running, and its retry) record each payment once', async () => {
    const fresh = [take(), take()];
    const before = await Promise.all(fresh.map((inv) => psaBalance(psaId(inv))));
    const refs = fresh.map((inv) => ref(stack.qbo.admin.recordPayment({ customerId: customerOf(inv), amount: 1, invoiceIds: [inv.Id] }).Id));

    const gate = overlapAtCreate();
    const page = { since: '2000-01-01T00:00:00.000Z', until: '2100-01-01T00:00:00.000Z', startPosition: 1, pageSize: 100 };
    const attempt = (n: number) =>
      new MockActivityEnvironment({ attempt: n, taskQueue: `${TASK_QUEUE}-accounting` }, { client: env.client })
        .run(paymentActivities({ ...stack.deps, psa: gatedPsa(gate) }).syncPaymentsPage, page)
        .finally(gate.open) as Promise<PaymentPageResult>;
    const [, retry] = await withWorkers(() => Promise.all([attempt(1), attempt(2)]));
    // Both attempts found nothing recorded for the first new payment and went on to write it.
    expect(gate.arrivals).toBe(2);

    // Exactly one PSA payment per QuickBooks payment, and each invoice's balance fell by it once.
    for (const [i, inv] of fresh.entries()) {
      expect((await psaPayments([psaId(inv)])).filter((p) => p.amount === 1)).toHaveLength(1);
      expect(await psaBalance(psaId(inv))).toBeCloseTo(before[i] - 1, 2);
    }
    // The retry's result (the one the workflow keeps) reports both as applied by this run.
    expect(retry.outcomes.filter((o) => o.action === 'apply').map((o) => o.reference)).toEqual(refs);
    const snapshot = await psaPayments(posted.map(psaId));
    await expectNoChange(await sync('it-pay-overlap-again', ALL_TIME), snapshot);
  });

  it('a PSA write whose answer was lost is recognised on the retry and not repeated', async () => {
    const inv = take();
    const before = await psaBalance(psaId(inv));
    const paymentId = stack.qbo.admin.recordPayment({ customerId: customerOf(inv), amount: 1.5, invoiceIds: [inv.Id] }).Id;
    const page = { since: '2000-01-01T00:00:00.000Z', until: '2100-01-01T00:00:00.000Z', startPosition: 1, pageSize: 100 };
    const attempt = (n: number, psa: ConnectWiseClient) =>
      new MockActivityEnvironment({ attempt: n, taskQueue: `${TASK_QUEUE}-accounting` }, { client: env.client }).run(paymentActivities({ ...stack.deps, psa }).syncPaymentsPage, page) as Promise<PaymentPageResult>;
    await withWorkers(async () => {
      await expect(attempt(1, losingPsa())).rejects.toMatchObject({ type: 'Timeout' });
      const retry = await attempt(2, stack.deps.psa);
      expect(retry.outcomes.filter((o) => o.action === 'apply').map((o) => o.reference)).toEqual([ref(paymentId)]);
    });
    const onInvoice = (await psaPayments([psaId(inv)])).filter((p) => p.amount === 1.5);
    expect(onInvoice).toHaveLength(1);
    expect(await psaBalance(psaId(inv))).toBeCloseTo(before - 1.5, 2);
    expect(Object.values(await applications()).find((a) => a.paymentId === paymentId)?.psaPaymentId).toBe(onInvoice[0].id);
  });

  it('a payment entered in the PSA by hand as well is reported, not recorded twice', async () => {
    const inv = take();
    await stack.deps.psa.createInvoicePayment(psaId(inv), { type: 'P', amount: 2.25, paymentDate: '2026-11-26T00:00:00Z', invoice: { id: psaId(inv) } });
    const paymentId = stack.qbo.admin.recordPayment({ customerId: customerOf(inv), amount: 2.25, invoiceIds: [inv.Id], txnDate: '2026-11-26' }).Id;
    const run = await sync('it-pay-by-hand', ALL_TIME);
    expect(run.applied.filter((p) => p.paymentRef === ref(paymentId))).toEqual([]);
    expect(run.skipped).toEqual(expect.arrayContaining([expect.objectContaining({ paymentRef: ref(paymentId), reason: 'other', detail: expect.stringContaining('of the same amount and day is already on the invoice') })]));
    expect((await psaPayments([psaId(inv)])).filter((p) => p.amount === 2.25)).toHaveLength(1);
  });
});
