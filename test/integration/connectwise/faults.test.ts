/**
 * Each fault knob against the client: which failures are retried, that Retry-After is honoured,
 * that a lost response is detectable, and that no fault changes the sandbox state.
 */
import { LedgerError } from '../../../domain/errors';
import { glExportToRecords } from '../../../integrations/connectwise';
import { raw, recordingHooks, startFixture, type Fixture } from './sandbox-fixture';

let fx: Fixture;

beforeAll(async () => {
  fx = await startFixture({ seed: 'demo' });
});
afterAll(async () => {
  await fx.dispose();
});
afterEach(() => {
  fx.sandbox.admin.setKnobs({ errorRate: 0, throttleRate: 0, dropRate: 0, loseResponseRate: 0, latencyMs: 0, seed: 1 });
});

async function rejection(p: Promise<unknown>): Promise<LedgerError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof LedgerError) return err;
    throw err;
  }
  throw new Error('expected a LedgerError');
}

const retry = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 60_000 };

async function invoiceIds(): Promise<number[]> {
  return glExportToRecords(await fx.client().exportGl({ exportInvoicesFlag: true, includedInvoiceIds: [7] }))[0]!.lines.map((l) => l.glEntryId);
}

describe('5xx', () => {
  it('is retryable: reads retry with backoff and give up as Unavailable', async () => {
    fx.sandbox.admin.setKnobs({ errorRate: 1 });
    const hooks = recordingHooks();
    const err = await rejection(fx.client({ retry }, hooks).billingTerms.list());
    expect(err.type).toBe('Unavailable');
    expect(err.retryable).toBe(true);
    expect(hooks.errors).toEqual(['Unavailable', 'Unavailable']);
    // Full jitter (random 0.5) under an exponential ceiling: 100 * 2^(n-1) * 0.5.
    expect(hooks.delays).toEqual([50, 100]);
  });

  it('a read recovers when the fault is intermittent (seeded, so repeatable)', async () => {
    fx.sandbox.admin.setKnobs({ errorRate: 0.5, seed: 3 });
    const hooks = recordingHooks();
    const terms = await fx.client({ retry: { ...retry, maxAttempts: 12 } }, hooks).billingTerms.all();
    expect(terms.length).toBe(4);
    expect(hooks.errors.length).toBeGreaterThan(0);
  });

  it('a write is retried (the server said it did nothing) and never applied twice', async () => {
    const before = (await fx.client().invoicePayments(8).all()).length;
    fx.sandbox.admin.setKnobs({ errorRate: 1 });
    const hooks = recordingHooks();
    const err = await rejection(fx.client({ retry }, hooks).createInvoicePayment(8, { type: 'P', amount: 10 }));
    expect(err.type).toBe('Unavailable');
    expect(hooks.errors).toHaveLength(2);
    fx.sandbox.admin.setKnobs({ errorRate: 0 });
    expect(await fx.client().invoicePayments(8).all()).toHaveLength(before);
  });

  it('sends the ConnectWise error body', async () => {
    fx.sandbox.admin.setKnobs({ errorRate: 1 });
    const res = await raw(fx, '/system/info');
    expect(res.status).toBe(500);
    expect(Object.keys((await res.json()) as object).sort()).toEqual(['code', 'errors', 'message']);
  });
});

describe('429 throttling', () => {
  it('honours Retry-After and surfaces RateLimited with the wait', async () => {
    fx.sandbox.admin.setKnobs({ throttleRate: 1, retryAfterSeconds: 7 });
    const hooks = recordingHooks();
    const err = await rejection(fx.client({ retry }, hooks).systemInfo());
    expect(err.type).toBe('RateLimited');
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBe(7000);
    expect(hooks.delays).toEqual([7000, 7000]);
  });

  it('does not sleep past maxRetryAfterMs: the error goes to the caller (Temporal) at once', async () => {
    fx.sandbox.admin.setKnobs({ throttleRate: 1, retryAfterSeconds: 120 });
    const hooks = recordingHooks();
    const err = await rejection(fx.client({ retry }, hooks).systemInfo());
    expect(err.retryAfterMs).toBe(120_000);
    expect(hooks.delays).toEqual([]);
  });

  it('uses the throttle body with `error`, not `code`', async () => {
    fx.sandbox.admin.setKnobs({ throttleRate: 1, retryAfterSeconds: 30 });
    const res = await raw(fx, '/system/info');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(await res.json()).toEqual({ error: 'ConnectWiseAPI', message: 'Too many requests. Please try again in 30 seconds.' });
  });

  it('retries a throttled write, which then succeeds once', async () => {
    const ids = await invoiceIds();
    fx.sandbox.admin.setKnobs({ throttleRate: 0.5, seed: 11, retryAfterSeconds: 1 });
    const hooks = recordingHooks();
    await fx.client({ retry: { ...retry, maxAttempts: 12 } }, hooks).createBatch({ batchIdentifier: 'throttled', exportInvoicesFlag: true, processedRecordIds: ids });
    fx.sandbox.admin.setKnobs({ throttleRate: 0 });
    expect((await fx.client().batches.all({ conditions: 'batchIdentifier="throttled"' })).length).toBe(1);
  });
});

describe('dropped connections', () => {
  it('reads retry and fail as Unavailable; writes are not retried and change nothing', async () => {
    fx.sandbox.admin.setKnobs({ dropRate: 1 });
    const hooks = recordingHooks();
    const err = await rejection(fx.client({ retry }, hooks).billingStatuses.list());
    expect(err.type).toBe('Unavailable');
    expect(hooks.errors).toEqual(['Unavailable', 'Unavailable']);

    fx.sandbox.admin.setKnobs({ dropRate: 0 });
    const ids = await invoiceIds().catch(() => [] as number[]);
    const before = fx.sandbox.admin.snapshot();
    fx.sandbox.admin.setKnobs({ dropRate: 1 });
    const writeHooks = recordingHooks();
    const writeErr = await rejection(fx.client({ retry }, writeHooks).createBatch({ batchIdentifier: 'dropped', exportInvoicesFlag: true, processedRecordIds: ids.length ? ids : [1] }));
    expect(writeErr.type).toBe('Unavailable');
    expect(writeHooks.delays).toEqual([]);
    expect(fx.sandbox.admin.snapshot()).toEqual(before);
  });
});

describe('added latency', () => {
  it('slows responses; past the client timeout a read is a retryable Timeout', async () => {
    fx.sandbox.admin.setKnobs({ latencyMs: 300 });
    expect((await fx.client().billingTerms.all()).length).toBe(4);
    const err = await rejection(fx.client({ timeoutMs: 50, retry: { ...retry, maxAttempts: 1 } }).billingTerms.list());
    expect(err.type).toBe('Timeout');
    expect(err.retryable).toBe(true);
  });
});

describe('commit-then-lose-the-response', () => {
  it('the write happens, the client sees a Timeout, does not retry, and can detect the commit', async () => {
    const ids = glExportToRecords(await fx.client().exportGl({ exportInvoicesFlag: true, includedInvoiceIds: [6] }))[0]!.lines.map((l) => l.glEntryId);
    fx.sandbox.admin.setKnobs({ loseResponseRate: 1, loseResponseHoldMs: 60_000 });
    // Reads are never affected by this knob.
    expect((await fx.client().billingTerms.all()).length).toBe(4);
    const hooks = recordingHooks();
    const cw = fx.client({ timeoutMs: 300, retry }, hooks);
    const err = await rejection(cw.createBatch({ batchIdentifier: 'lost-response', exportInvoicesFlag: true, processedRecordIds: ids }));
    expect(err.type).toBe('Timeout');
    expect(err.retryable).toBe(true);
    expect(hooks.delays).toEqual([]); // an ambiguous write is left to the caller

    fx.sandbox.admin.setKnobs({ loseResponseRate: 0 });
    const found = await cw.findBatch('lost-response');
    expect(found?.batchIdentifier).toBe('lost-response');
    expect(await cw.unpostedInvoices.count({ conditions: 'id=6' })).toBe(0);
    // Repeating it blindly is refused rather than applied twice.
    const again = await rejection(cw.createBatch({ batchIdentifier: 'lost-response', exportInvoicesFlag: true, processedRecordIds: ids }));
    expect(again.type).toBe('ValidationRejected');
  });

  it('a lost payment response is found by listing the invoice payments', async () => {
    fx.sandbox.admin.setKnobs({ loseResponseRate: 1 });
    const cw = fx.client({ timeoutMs: 300, retry });
    const err = await rejection(cw.createInvoicePayment(9, { type: 'P', amount: 12.34, paymentDate: '2026-11-21T00:00:00Z' }));
    expect(err.type).toBe('Timeout');
    fx.sandbox.admin.setKnobs({ loseResponseRate: 0 });
    expect((await cw.invoicePayments(9).all()).map((p) => p.amount)).toEqual([12.34]);
  });
});

describe('knobs over HTTP', () => {
  it('reads and sets knobs through /__admin/knobs and rejects bad values', async () => {
    const set = await raw(fx, '/__admin/knobs', { method: 'POST', body: JSON.stringify({ errorRate: 1 }) });
    expect(((await set.json()) as { errorRate: number }).errorRate).toBe(1);
    expect((await raw(fx, '/system/info')).status).toBe(500);
    // Admin calls are never faulted.
    expect(((await (await raw(fx, '/__admin/knobs')).json()) as { errorRate: number }).errorRate).toBe(1);
    const bad = await raw(fx, '/__admin/knobs', { method: 'POST', body: JSON.stringify({ throttleRate: 5 }) });
    expect(bad.status).toBe(400);
    fx.sandbox.admin.setKnobs({ errorRate: 0 });
  });

  it('refuses admin changes a web page could send (a form, text/plain, no type), changing nothing', async () => {
    const before = fx.sandbox.admin.snapshot();
    for (const contentType of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const res = await fetch(`${fx.sandbox.origin}/__admin/reset`, { method: 'POST', headers: { 'Content-Type': contentType }, body: 'seed=empty' });
      expect({ contentType, status: res.status }).toEqual({ contentType, status: 415 });
      expect(((await res.json()) as { message: string }).message).toBe(
        `Sandbox admin requests take Content-Type: application/json only (got ${contentType.split(';')[0]}), so a web page cannot call them`,
      );
    }
    expect((await fetch(`${fx.sandbox.origin}/__admin/knobs`, { method: 'POST', body: '{"errorRate":1}' })).status).toBe(415);
    expect(fx.sandbox.admin.snapshot()).toEqual(before);
    expect(fx.sandbox.admin.knobs().errorRate).toBe(0);
    expect((await raw(fx, '/__admin/knobs', { method: 'POST', body: JSON.stringify({ errorRate: 0 }) })).status).toBe(200);
  });
});
