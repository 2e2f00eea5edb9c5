import { RequestPacer, type PacerClock } from '../../../integrations/quickbooks/pacer';
import { batchCallQueueFor, mainQueueOf, accountingQueueFor } from '../../../domain/task-queues';

/** A clock that moves only when a pacer sleeps (or the test says), so waits are exact. */
function fakeClock(): PacerClock & { at: number; slept: number[] } {
  const clock = {
    at: 0,
    slept: [] as number[],
    now: () => clock.at,
    sleep: async (ms: number) => {
      clock.slept.push(ms);
      clock.at += ms;
    },
  };
  return clock;
}

describe('QuickBooks request pacer', () => {
  it('sends a company no more batch calls in any minute than QuickBooks allows, and the next as soon as one fits', async () => {
    const clock = fakeClock();
    const pacer = new RequestPacer({ requestsPerMinute: 500, batchCallsPerMinute: 3, concurrentRequests: 10 }, clock);
    const sent: number[] = [];
    for (let i = 0; i < 7; i++) {
      const release = await pacer.admit(true, 'POST /batch');
      sent.push(clock.at);
      release();
      clock.at += 100;
    }
    // Three at once, then each when the call three before it is a minute (and the slack) old.
    expect(sent.slice(0, 3)).toEqual([0, 100, 200]);
    for (let i = 3; i < sent.length; i++) expect(sent[i]! - sent[i - 3]!).toBeGreaterThanOrEqual(60_000);
    for (let i = 3; i < sent.length; i++) expect(sent[i]! - sent[i - 3]!).toBeLessThan(60_500);
  });

  it('keeps counting right over many minutes of requests', async () => {
    const clock = fakeClock();
    const pacer = new RequestPacer({ requestsPerMinute: 1500, batchCallsPerMinute: 40, concurrentRequests: 10 }, clock);
    const sent: number[] = [];
    for (let i = 0; i < 6000; i++) {
      (await pacer.admit(false, 'GET /query'))();
      sent.push(clock.at);
      clock.at += 10;
    }
    // 1,500 go in the first 15 s; then each waits for the one 1,500 before it to be a minute old.
    for (let i = 1500; i < sent.length; i++) expect(sent[i]! - sent[i - 1500]!).toBeGreaterThanOrEqual(60_000);
    expect(sent[sent.length - 1]! - sent[0]!).toBeLessThan(4 * 60_500);
  });

  it('counts batch calls as requests', async () => {
    const clock = fakeClock();
    const pacer = new RequestPacer({ requestsPerMinute: 4, batchCallsPerMinute: 2, concurrentRequests: 10 }, clock);
    (await pacer.admit(true, 'POST /batch'))();
    for (let i = 0; i < 3; i++) (await pacer.admit(false, 'GET /query'))();
    expect(clock.slept).toEqual([]);
    // The fifth request of the minute, a batch call with room among batch calls, waits for the first to be a minute old.
    (await pacer.admit(true, 'POST /batch'))();
    expect(clock.at).toBeGreaterThanOrEqual(60_000);
  });

  it('lets other requests through while a batch call waits for its minute', async () => {
    let wake: (() => void) | undefined;
    const clock = { at: 0, now: () => clock.at, sleep: (ms: number) => new Promise<void>((r) => (wake = () => ((clock.at += ms), r()))) };
    const pacer = new RequestPacer({ requestsPerMinute: 500, batchCallsPerMinute: 1, concurrentRequests: 10 }, clock);
    (await pacer.admit(true, 'POST /batch'))();
    let batchSent = false;
    const batch = pacer.admit(true, 'POST /batch').then((release) => ((batchSent = true), release()));
    (await pacer.admit(false, 'GET /query'))();
    (await pacer.admit(false, 'GET /query'))();
    expect(batchSent).toBe(false);
    wake!();
    await batch;
    expect(batchSent).toBe(true);
    expect(clock.at).toBeGreaterThanOrEqual(60_000);
  });

  it('holds a request while the company has its limit of requests in flight, and sends it when one ends', async () => {
    const pacer = new RequestPacer({ requestsPerMinute: 500, batchCallsPerMinute: 40, concurrentRequests: 2 });
    const first = await pacer.admit(false, 'GET /query');
    await pacer.admit(false, 'GET /query');
    let third = false;
    const waiting = pacer.admit(false, 'GET /query').then((release) => {
      third = true;
      return release;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(third).toBe(false);
    first();
    (await waiting)();
    expect(third).toBe(true);
  });

  it('does not start a wait that would outlast the attempt: the call fails as retryable, the next attempt sends it', async () => {
    const clock = fakeClock();
    const pacer = new RequestPacer({ requestsPerMinute: 500, batchCallsPerMinute: 1, concurrentRequests: 10 }, clock);
    (await pacer.admit(true, 'POST /batch'))();
    await expect(pacer.admit(true, 'POST /batch', { deadline: 30_000 })).rejects.toMatchObject({
      type: 'Timeout',
      retryable: true,
      message: expect.stringContaining("waiting for QuickBooks' per-minute limits"),
    });
    expect(clock.slept).toEqual([]);
    // The refused caller took no slot: the next one waits only its minute.
    (await pacer.admit(true, 'POST /batch'))();
    expect(clock.at).toBeGreaterThanOrEqual(60_000);
  });

  it('stops waiting when the attempt is cancelled', async () => {
    const pacer = new RequestPacer({ requestsPerMinute: 500, batchCallsPerMinute: 1, concurrentRequests: 10 });
    (await pacer.admit(true, 'POST /batch'))();
    const cancel = new AbortController();
    const waiting = pacer.admit(true, 'POST /batch', { signal: cancel.signal });
    cancel.abort(new Error('activity cancelled'));
    await expect(waiting).rejects.toThrow('activity cancelled');
  });
});

describe('batch-call task queues', () => {
  it('sit beside each company accounting queue, and lead back to the main queue', () => {
    expect(batchCallQueueFor(accountingQueueFor('ledgerline'))).toBe('ledgerline-accounting-batch-calls');
    expect(batchCallQueueFor(accountingQueueFor('ledgerline', 'east'))).toBe('ledgerline-accounting-east-batch-calls');
    expect(mainQueueOf('ledgerline-accounting-batch-calls')).toBe('ledgerline');
    expect(mainQueueOf('ledgerline-accounting-east-batch-calls', 'east')).toBe('ledgerline');
    expect(mainQueueOf('ledgerline-accounting-east', 'east')).toBe('ledgerline');
  });
});
