/**
 * The transport under a call budget: retries and their waits stay before the deadline (the call
 * then fails with a retryable Timeout), and the budget's signal aborts the request in flight with
 * the cancellation itself. Time is a fake clock that only the fake sleep moves.
 */
import { z } from 'zod';
import { isLedgerError } from '../../../domain/errors';
import { deadlineWithin } from '../../../integrations/call-budget';
import { MemoryTokenStore } from '../../../integrations/quickbooks';
import { QuickBooksTransport } from '../../../integrations/quickbooks/transport';

let now = 1_000_000;
beforeEach(() => {
  now = 1_000_000;
  jest.spyOn(Date, 'now').mockImplementation(() => now);
});
afterEach(() => jest.restoreAllMocks());

const systemFault = () =>
  new Response(JSON.stringify({ Fault: { type: 'SystemFault', Error: [{ code: '10000', Message: 'An application error has occurred', Detail: 'System Failure Error' }] } }), {
    status: 500,
    headers: { 'content-type': 'application/json' },
  });

function transport(fetch: typeof globalThis.fetch, slept: number[]) {
  return new QuickBooksTransport({
    baseUrl: 'http://127.0.0.1:1',
    realmId: '9130',
    clientId: 'c',
    clientSecret: 's',
    tokenUrl: 'http://127.0.0.1:1/token',
    tokens: new MemoryTokenStore({ accessToken: 'at', refreshToken: 'rt' }),
    retry: { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 60_000 },
    timeoutMs: 200,
    fetch,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  });
}

const query = { method: 'GET' as const, path: 'query', params: { query: 'SELECT * FROM Term' } };

describe('the QuickBooks transport under a call budget', () => {
  it('never waits past the deadline and then fails with a retryable Timeout', async () => {
    const slept: number[] = [];
    let calls = 0;
    const t = transport(async () => {
      calls++;
      return systemFault();
    }, slept);
    const err = await t.call(query, z.unknown(), { deadline: now + 1_200 }).catch((e: unknown) => e);
    expect(slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1_200);
    expect(isLedgerError(err) && err.type).toBe('Timeout');
    expect(isLedgerError(err) && err.retryable).toBe(true);
    expect(isLedgerError(err) && err.details?.budgetExhausted).toBe(true);
    expect(calls).toBeGreaterThanOrEqual(1);
  });

  it('aborts the request in flight when the budget signal fires, with the cancellation itself', async () => {
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    let started!: () => void;
    const inFlight = new Promise<void>((r) => (started = r));
    const t = transport(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          started();
          const signal = init!.signal!;
          signal.addEventListener('abort', () => reject(signal.reason ?? new DOMException('aborted', 'AbortError')), { once: true });
        }),
      [],
    );
    const call = t.call(query, z.unknown(), { signal: controller.signal }).catch((e: unknown) => e);
    await inFlight;
    controller.abort(reason);
    expect(await call).toBe(reason);
  });

  it('keeps 10 % of the attempt, at most 15 s, for the activity itself', () => {
    expect(deadlineWithin(0, 60_000)).toBe(54_000);
    expect(deadlineWithin(0, 300_000)).toBe(285_000);
  });
});
