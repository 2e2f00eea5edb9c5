/** paymentSync with activity doubles on the time-skipping server: control flow, paging, watermark, mail. */
import { WorkflowClient, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { companyLockActivities, type CompanyLockActivities } from '../../activities/company-lock';
import type { Activities } from '../../activities';
import type { PaymentActivities } from '../../activities/payments';
import type { PaymentPageInput, SendPaymentReportInput } from '../../domain/contract';
import type { PaymentDecision } from '../../domain/payments';
import { WATERMARK_OVERLAP_MS } from '../../domain/payments';
import { paymentSync } from '../../workflows';
import { stackDataConverter, workflowBundle } from '../../dev/stack/temporal';
import { startTimeSkippingEnv } from '../helpers/time-skipping-env';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

interface World {
  enabled: boolean;
  watermark?: string;
  /** Outcomes per payment; pages are cut from this list. */
  payments: PaymentDecision[];
  removed: PaymentDecision[];
  failPageAt?: number;
  /** When set, each page waits for it first (holds a sync mid-read while a test races it). */
  pageGate?: Promise<void>;
  transientFailures: number;
  pages: PaymentPageInput[];
  mails: SendPaymentReportInput[];
  calls: string[];
}

const world = (over: Partial<World> = {}): World => ({ enabled: true, payments: [], removed: [], transientFailures: 0, pages: [], mails: [], calls: [], ...over });

const applied = (n: number): PaymentDecision => ({ action: 'apply', paymentId: String(n), reference: `QBO Payment ${n}`, part: { paymentId: String(n), invoiceTxnId: String(n) }, psaInvoiceId: n, invoiceNumber: `INV-${n}`, amount: '10.00', date: '2026-11-20' });
const repeat = (n: number): PaymentDecision => ({ action: 'skip', paymentId: String(n), reference: `QBO Payment ${n}`, invoiceNumber: `INV-${n}`, amount: '10.00', reason: 'alreadyRecorded', detail: 'already' });

let companies = 0;

function doubles(w: World): PaymentActivities & CompanyLockActivities & Pick<Activities, 'checkReportRecipient'> {
  return {
    ...companyLockActivities({ realmId: `pay-company-${++companies}` }),
    async checkPaymentSync() {
      w.calls.push('check');
      return w.enabled ? { enabled: true, message: 'ok', packageName: 'QuickBooks Online' } : { enabled: false, message: 'Payment sync is turned off in the PSA.' };
    },
    async readPaymentWatermark() {
      w.calls.push('readWatermark');
      return w.watermark ? { watermark: w.watermark } : {};
    },
    async syncPaymentsPage(input) {
      w.calls.push('page');
      await w.pageGate;
      if (w.transientFailures > 0) {
        w.transientFailures -= 1;
        throw ApplicationFailure.retryable('QuickBooks is throttling', 'RateLimited');
      }
      if (w.failPageAt === input.startPosition) throw ApplicationFailure.nonRetryable('QuickBooks refused the credentials', 'AuthenticationFailed');
      w.pages.push(input);
      const rows = w.payments.slice(input.startPosition - 1, input.startPosition - 1 + input.pageSize);
      return { outcomes: rows, read: rows.length, hasMore: rows.length === input.pageSize };
    },
    async reverseRemovedPayments() {
      w.calls.push('removed');
      return { outcomes: w.removed as never, read: 0 };
    },
    async findRemovedPayments(input) {
      w.calls.push('removed');
      return { outcomes: input.startPosition === 1 ? (w.removed as never) : [], read: 0, hasMore: false };
    },
    async writePaymentWatermark(input) {
      w.calls.push('writeWatermark');
      w.watermark = input.until;
      return { watermark: input.until };
    },
    async checkReportRecipient(input) {
      w.calls.push('checkRecipient');
      return { to: 'email' in input.notify ? input.notify.email : 'member@example.test' };
    },
    async sendPaymentSyncReport(input) {
      w.calls.push('mail');
      w.mails.push(input);
      return { messageId: 'm1', to: 'finance@localhost' };
    },
  };
}

let queue = 0;
async function run<T>(w: World, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `pay-test-${++queue}`;
  const common = { connection: env.nativeConnection, activities: doubles(w), dataConverter: stackDataConverter() };
  const main = await Worker.create({ ...common, taskQueue, workflowBundle: await workflowBundle() });
  const accounting = await Worker.create({ ...common, taskQueue: `${taskQueue}-accounting` });
  const p = fn(taskQueue);
  await Promise.all([main.runUntil(p), accounting.runUntil(p)]);
  return p;
}

describe('paymentSync workflow', () => {
  it('rejects invalid input before doing anything', async () => {
    const w = world();
    const err = await run(w, (taskQueue) =>
      env.client.workflow.execute(paymentSync, { taskQueue, workflowId: 'pay-invalid', args: [{ since: 'yesterday' } as never] }).catch((e: unknown) => e),
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect(cause.message).toMatch(/since/);
    expect(w.calls).toEqual([]);
  });

  it('stops with a clear message when payment sync is not enabled', async () => {
    const w = world({ enabled: false, payments: [applied(1)] });
    const summary = await run(w, (taskQueue) => env.client.workflow.execute(paymentSync, { taskQueue, workflowId: 'pay-off', args: [{}] }));
    expect(summary).toMatchObject({ status: 'NotEnabled', message: 'Payment sync is turned off in the PSA.', appliedCount: 0 });
    expect(w.calls).toEqual(['check']);
  });

  it('pages from the watermark, folds every outcome, advances the watermark and mails the report', async () => {
    const payments = [...Array.from({ length: 230 }, (_, i) => applied(i + 1)), repeat(999)];
    const removed: PaymentDecision = { action: 'skip', paymentId: '7', reference: 'QBO Payment 7', invoiceNumber: 'INV-7', amount: '5.00', reason: 'deleted', detail: 'deleted' };
    const w = world({ watermark: '2026-11-20T00:00:00.000Z', payments, removed: [removed] });
    const summary = await run(w, (taskQueue) => env.client.workflow.execute(paymentSync, { taskQueue, workflowId: 'pay-pages', args: [{ notify: { email: 'ar@msp.test' } }] }));
    expect(w.pages.map((p) => p.startPosition)).toEqual([1, 101, 201]);
    expect(w.pages[0].since).toBe(new Date(Date.parse('2026-11-20T00:00:00Z') - WATERMARK_OVERLAP_MS).toISOString());
    expect(summary).toMatchObject({ status: 'Completed', paymentsRead: 231, appliedCount: 230, appliedTotal: '2300.00', skippedCount: 2, skippedByReason: { alreadyRecorded: 1, deleted: 1 } });
    expect(summary.window?.from).toBe('watermark');
    expect(w.watermark).toBe(summary.window?.until);
    expect(w.mails).toHaveLength(1);
    expect(w.mails[0].notify).toEqual({ email: 'ar@msp.test' });
    expect(w.calls.indexOf('writeWatermark')).toBeLessThan(w.calls.indexOf('mail'));
  });

  it('uses an explicit since without reading the watermark, and mails nothing when only repeats were seen', async () => {
    const w = world({ watermark: '2026-11-20T00:00:00.000Z', payments: [repeat(1), repeat(2)] });
    const summary = await run(w, (taskQueue) =>
      env.client.workflow.execute(paymentSync, { taskQueue, workflowId: 'pay-since', args: [{ since: '2026-11-01', until: '2026-11-02' }] }),
    );
    expect(summary.window).toEqual({ since: '2026-11-01T00:00:00.000Z', until: '2026-11-02T00:00:00.000Z', from: 'input' });
    expect(summary.skippedByReason).toEqual({ alreadyRecorded: 2 });
    expect(w.calls).not.toContain('readWatermark');
    expect(w.mails).toEqual([]);
  });

  it('retries transient faults and still applies each payment once', async () => {
    const w = world({ payments: [applied(1)], transientFailures: 2 });
    const summary = await run(w, (taskQueue) => env.client.workflow.execute(paymentSync, { taskQueue, workflowId: 'pay-retry', args: [{}] }));
    expect(summary.appliedCount).toBe(1);
    expect(w.calls.filter((c) => c === 'page')).toHaveLength(3);
    expect(summary.window?.from).toBe('lookback');
  });

  it('fails on a non-retryable fault, mails the failure and keeps the old watermark', async () => {
    const w = world({ watermark: '2026-11-20T00:00:00.000Z', payments: Array.from({ length: 150 }, (_, i) => applied(i + 1)), failPageAt: 101 });
    const err = await run(w, (taskQueue) => env.client.workflow.execute(paymentSync, { taskQueue, workflowId: 'pay-fatal', args: [{}] }).catch((e: unknown) => e));
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(w.watermark).toBe('2026-11-20T00:00:00.000Z');
    expect(w.mails).toHaveLength(1);
    expect(w.mails[0].summary).toMatchObject({ status: 'Failed', appliedCount: 100, fatalError: expect.stringContaining('credentials') });
  });

  it('refuses a second sync for the same company while one runs, naming it', async () => {
    let open!: () => void;
    const w = world({ payments: [applied(1)], pageGate: new Promise<void>((resolve) => (open = resolve)) });
    // A plain client: time must not jump while the first sync is held mid-read.
    const client = new WorkflowClient({ connection: env.connection, namespace: env.namespace, dataConverter: stackDataConverter() });
    const [first, second] = await run(w, async (taskQueue) => {
      const a = await client.start(paymentSync, { taskQueue, workflowId: 'pay-race-a', args: [{}] });
      while (!w.calls.includes('page')) await new Promise((resolve) => setTimeout(resolve, 50));
      const refused = await client.execute(paymentSync, { taskQueue, workflowId: 'pay-race-b', args: [{}] }).catch((e: unknown) => e);
      open();
      return [await a.result(), refused] as const;
    });
    expect(first.appliedCount).toBe(1);
    expect(second).toBeInstanceOf(WorkflowFailedError);
    const cause = (second as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('PaymentSyncAlreadyRunning');
    expect(cause.message).toContain('pay-race-a');
    expect(w.calls.filter((c) => c === 'page')).toHaveLength(1);
  });
});
