/**
 * Each fault knob as the client meets it: retryable or not, Retry-After honoured, throttles in
 * JSON and XML, QuickBooks' own limits, dropped connections, and the lost response that is
 * detectable and recoverable through requestid replay. No test waits for real: the client's
 * sleep records the wait and, where a test needs it, turns the fault off.
 */
import type { QuickBooksSandbox } from '../../../dev/sandbox/quickbooks';
import { DEFAULT_FAULT_KNOBS } from '../../../dev/sandbox/shared';
import { DEFAULT_LIMITS } from '../../../dev/sandbox/quickbooks/limits';
import { clientFor, JSON_TYPE, ledgerError, startSandbox } from './helpers';

let sb: QuickBooksSandbox;
let customerId: string;
let itemId: string;

const invoice = () => ({
  CustomerRef: { value: customerId },
  Line: [{ Amount: 10, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: itemId } } }],
});

beforeAll(async () => {
  sb = await startSandbox();
  const { client } = clientFor(sb);
  customerId = (await client.listCustomers())[0].Id;
  itemId = (await client.listItems())[0].Id;
});

afterEach(() => {
  sb.admin.setKnobs({ ...DEFAULT_FAULT_KNOBS, ...DEFAULT_LIMITS, xmlThrottleRate: 0.5 });
});

afterAll(() => sb.close());

const count = () => clientFor(sb).client.count('Invoice');

describe('5xx', () => {
  it('is Unavailable and retryable, and leaves state untouched', async () => {
    const before = await count();
    sb.admin.setKnobs({ errorRate: 1 });
    const err = await ledgerError(clientFor(sb).client.createInvoice(invoice()));
    expect(err.type).toBe('Unavailable');
    expect(err.retryable).toBe(true);
    expect(err.details).toMatchObject({ httpStatus: 500, code: '10000' });
    sb.admin.setKnobs({ errorRate: 0 });
    expect(await count()).toBe(before);
  });

  it('is retried with backoff until it clears', async () => {
    sb.admin.setKnobs({ errorRate: 1 });
    const { client, waits } = clientFor(sb, {
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
      onWait: () => {
        if (waits.length === 2) sb.admin.setKnobs({ errorRate: 0 });
      },
    });
    const inv = await client.createInvoice(invoice());
    expect(inv.Id).toBeDefined();
    expect(waits).toEqual([100, 200]);
  });

  it('gives up after maxAttempts', async () => {
    sb.admin.setKnobs({ errorRate: 1 });
    const { client, waits } = clientFor(sb, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 } });
    expect((await ledgerError(client.listTerms())).type).toBe('Unavailable');
    expect(waits).toHaveLength(2);
  });
});

describe('429', () => {
  it('honours Retry-After from the throttle knob', async () => {
    sb.admin.setKnobs({ throttleRate: 1, retryAfterSeconds: 7, xmlThrottleRate: 0 });
    const { client, waits } = clientFor(sb, { retry: { maxAttempts: 2 }, onWait: () => void sb.admin.setKnobs({ throttleRate: 0 }) });
    const terms = await client.listTerms();
    expect(terms.length).toBeGreaterThan(0);
    expect(waits).toEqual([7000]);
  });

  it('parses the XML throttle fault', async () => {
    sb.admin.setKnobs({ throttleRate: 1, retryAfterSeconds: 2, xmlThrottleRate: 1 });
    const err = await ledgerError(clientFor(sb).client.listTerms());
    expect(err.type).toBe('RateLimited');
    expect(err.retryAfterMs).toBe(2000);
    expect(err.details).toMatchObject({ code: '3001', httpStatus: 429, faultType: 'SERVICE' });
  });

  it('waits 60 s when QuickBooks\' own per-minute limit answers without Retry-After', async () => {
    sb.admin.setKnobs({ requestsPerMinute: 1, xmlThrottleRate: 0 });
    const { client } = clientFor(sb);
    await client.listTerms();
    const err = await ledgerError(client.listTerms());
    expect(err.type).toBe('RateLimited');
    expect(err.retryAfterMs).toBe(60_000);
  });

  it('limits batch calls per minute separately', async () => {
    sb.admin.setKnobs({ batchRequestsPerMinute: 1, xmlThrottleRate: 0 });
    const { client } = clientFor(sb);
    await client.batch([{ query: 'SELECT * FROM Term' }]);
    expect((await ledgerError(client.batch([{ query: 'SELECT * FROM Term' }]))).type).toBe('RateLimited');
    expect((await client.listTerms()).length).toBeGreaterThan(0);
  });

  it('limits concurrent requests', async () => {
    sb.admin.setKnobs({ concurrentRequests: 1, latencyMs: 1000, xmlThrottleRate: 0 });
    const { client } = clientFor(sb);
    const results = await Promise.allSettled([client.listTerms(), client.listTerms(), client.listTerms()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.map((r) => r.reason.type)).toEqual(['RateLimited', 'RateLimited']);
  });

  it('are never met by a client told the company\'s limits: it holds requests back instead', async () => {
    sb.admin.setKnobs({ concurrentRequests: 1, latencyMs: 300, xmlThrottleRate: 0 });
    const before = sb.admin.traffic().throttled;
    const { client } = clientFor(sb, { limits: { concurrentRequests: 1 } });
    const results = await Promise.allSettled([client.listTerms(), client.listTerms(), client.listTerms()]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(sb.admin.traffic().throttled).toBe(before);
  });
});

describe('connections', () => {
  it('a dropped connection is a retryable Unavailable, flagged as outcome-unknown for writes', async () => {
    const before = await count();
    sb.admin.setKnobs({ dropRate: 1 });
    const err = await ledgerError(clientFor(sb).client.createInvoice(invoice(), { requestId: 'dropped-1' }));
    expect(err.type).toBe('Unavailable');
    expect(err.retryable).toBe(true);
    expect(err.details).toMatchObject({ outcomeUnknown: true, requestId: 'dropped-1' });
    sb.admin.setKnobs({ dropRate: 0 });
    expect(await count()).toBe(before);
  });

  it('added latency beyond the client timeout is a Timeout', async () => {
    sb.admin.setKnobs({ latencyMs: 1000 });
    const err = await ledgerError(clientFor(sb, { timeoutMs: 50 }).client.listTerms());
    expect(err.type).toBe('Timeout');
    expect(err.retryable).toBe(true);
  });
});

describe('commit, then lose the response', () => {
  it('is detectable, findable by idempotency key, and replayed by the same requestid', async () => {
    const before = await count();
    sb.admin.setKnobs({ loseResponseRate: 1, loseResponseHoldMs: 0 });
    const { client } = clientFor(sb);
    const body = { ...invoice(), DocNumber: 'LOST-1' };
    const err = await ledgerError(client.createInvoice(body, { requestId: 'lost-response-1' }));
    expect(err.retryable).toBe(true);
    expect(err.details).toMatchObject({ outcomeUnknown: true, requestId: 'lost-response-1' });
    sb.admin.setKnobs({ loseResponseRate: 0 });

    // The write happened.
    expect(await count()).toBe(before + 1);
    const found = await client.findByIdempotencyKey('Invoice', 'LOST-1');
    expect(found).toBeDefined();
    // Sending it again with the same requestid returns the original answer, not a second invoice.
    const replayed = await client.createInvoice(body, { requestId: 'lost-response-1' });
    expect(replayed.Id).toBe(found!.Id);
    expect(await count()).toBe(before + 1);
  });

  it('the client recovers on its own by retrying with the same requestid', async () => {
    const before = await count();
    sb.admin.setKnobs({ loseResponseRate: 1, loseResponseHoldMs: 0 });
    const { client, waits } = clientFor(sb, { retry: { maxAttempts: 2, baseDelayMs: 5 }, onWait: () => void sb.admin.setKnobs({ loseResponseRate: 0 }) });
    const inv = await client.createInvoice(invoice());
    expect(waits).toHaveLength(1);
    expect(await count()).toBe(before + 1);
    expect((await client.read('Invoice', inv.Id)).Id).toBe(inv.Id);
  });

  it('holding the socket shows up as a client Timeout', async () => {
    sb.admin.setKnobs({ loseResponseRate: 1, loseResponseHoldMs: 2000 });
    const err = await ledgerError(clientFor(sb, { timeoutMs: 100 }).client.createInvoice(invoice(), { requestId: 'held-1' }));
    expect(err.type).toBe('Timeout');
    expect(err.details).toMatchObject({ outcomeUnknown: true });
  });

  it('a batch lost after commit is replayed whole by its requestid', async () => {
    sb.admin.setKnobs({ loseResponseRate: 1, loseResponseHoldMs: 0 });
    const { client } = clientFor(sb);
    const items = [{ operation: 'create' as const, entity: 'Invoice' as const, body: invoice() }];
    await ledgerError(client.batch(items, { requestId: 'lost-batch-1' }));
    sb.admin.setKnobs({ loseResponseRate: 0 });
    const before = await count();
    const [first] = await client.batch(items, { requestId: 'lost-batch-1' });
    const [again] = await client.batch(items, { requestId: 'lost-batch-1' });
    expect(first.ok && again.ok && first.entity?.value.Id === again.entity?.value.Id).toBe(true);
    expect(await count()).toBe(before);
  });
});

describe('knobs over HTTP', () => {
  it('reads and sets knobs under /__admin/knobs', async () => {
    const res = await fetch(`${sb.baseUrl}/__admin/knobs`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ latencyMs: 5, requestsPerMinute: 100 }) });
    expect(await res.json()).toMatchObject({ latencyMs: 5, requestsPerMinute: 100 });
    const bad = await fetch(`${sb.baseUrl}/__admin/knobs`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ errorRate: 2 }) });
    expect(bad.status).toBe(400);
  });

  it('refuses admin changes a web page could send (a form, text/plain, no type), changing nothing', async () => {
    const before = await (await fetch(`${sb.baseUrl}/__admin/knobs`)).json();
    for (const contentType of ['application/x-www-form-urlencoded', 'text/plain;charset=UTF-8', 'multipart/form-data; boundary=x', undefined]) {
      const res = await fetch(`${sb.baseUrl}/__admin/knobs`, { method: 'POST', headers: contentType ? { 'Content-Type': contentType } : {}, body: contentType ? '{"errorRate":1}' : undefined });
      expect({ contentType, status: res.status }).toEqual({ contentType, status: 415 });
      expect(((await res.json()) as { error: string }).error).toMatch(/take Content-Type: application\/json only/);
    }
    expect(await (await fetch(`${sb.baseUrl}/__admin/knobs`)).json()).toEqual(before);
  });
});
