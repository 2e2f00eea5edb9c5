/**
 * Paces one process's calls to a QuickBooks company within what QuickBooks allows a company:
 * requests a minute, batch calls a minute (each also a request) and requests at once. QuickBooks
 * counts over a sliding minute and answers 429 beyond it; a request is sent only when the minute
 * before it holds room for it, so a worker alone never meets a 429. Every client of the same company
 * in a process shares one pacer. Across hosts, the company's task-queue rate limits bound the sum.
 */
import { budgetExhausted, remainingMs, sleepWithin, throwIfCancelled, type CallBudget } from '../call-budget';

export interface QuickBooksLimits {
  requestsPerMinute: number;
  batchCallsPerMinute: number;
  concurrentRequests: number;
}

/** QuickBooks Online's published throttles per company (realm). */
export const QUICKBOOKS_LIMITS: QuickBooksLimits = { requestsPerMinute: 500, batchCallsPerMinute: 40, concurrentRequests: 10 };

const MINUTE_MS = 60_000;
/** Kept after a minute has passed before the next request: our clock and QuickBooks' arrival times differ. */
const SLACK_MS = 250;

/** Send times within the last minute, oldest first (from `head`; older ones are dropped in bulk). */
class MinuteWindow {
  private times: number[] = [];
  private head = 0;
  constructor(private readonly limit: number) {}

  /** How long until one more fits (0: now). */
  waitMs(now: number): number {
    while (this.head < this.times.length && now - this.times[this.head]! >= MINUTE_MS + SLACK_MS) this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    if (this.times.length - this.head < this.limit) return 0;
    return this.times[this.times.length - this.limit]! + MINUTE_MS + SLACK_MS - now;
  }

  add(now: number): void {
    this.times.push(now);
  }
}

export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const REAL_CLOCK: PacerClock = { now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

export class RequestPacer {
  private readonly requests: MinuteWindow;
  private readonly batches: MinuteWindow;
  private inFlight = 0;
  private readonly slotWaiters: (() => void)[] = [];
  /** Admissions in arrival order, each after the one before it: requests, and batch calls apart. */
  private readonly turns = { requests: Promise.resolve() as Promise<unknown>, batches: Promise.resolve() as Promise<unknown> };

  constructor(
    readonly limits: QuickBooksLimits,
    private readonly clock: PacerClock = REAL_CLOCK,
  ) {
    this.requests = new MinuteWindow(limits.requestsPerMinute);
    this.batches = new MinuteWindow(limits.batchCallsPerMinute);
  }

  /**
   * Waits, first come first served, until a request (a batch call when `isBatch`) fits the limits,
   * and counts it; call the returned function when its answer is in. A batch call waiting for its
   * minute holds up only the batch calls behind it. A wait that would outlast the budget is not
   * taken: the call fails as retryable, like one cut short by its deadline.
   */
  admit(isBatch: boolean, endpoint: string, budget?: CallBudget): Promise<() => void> {
    if (!isBatch) return this.inTurn('requests', () => this.take(false, endpoint, budget));
    return this.inTurn('batches', async () => {
      await this.roomIn(this.batches, endpoint, budget);
      return this.inTurn('requests', () => this.take(true, endpoint, budget));
    });
  }

  private inTurn<T>(line: keyof RequestPacer['turns'], fn: () => Promise<T>): Promise<T> {
    const turn = this.turns[line].then(fn);
    this.turns[line] = turn.catch(() => undefined);
    return turn;
  }

  private async roomIn(window: MinuteWindow, endpoint: string, budget: CallBudget | undefined): Promise<void> {
    for (;;) {
      throwIfCancelled(budget);
      const now = this.clock.now();
      const wait = window.waitMs(now);
      if (wait <= 0) return;
      if (wait >= remainingMs(budget, now)) throw budgetExhausted(`QuickBooks ${endpoint} (waiting for QuickBooks' per-minute limits)`);
      await sleepWithin(wait, budget?.signal, (ms) => this.clock.sleep(ms));
    }
  }

  private async take(isBatch: boolean, endpoint: string, budget: CallBudget | undefined): Promise<() => void> {
    await this.roomIn(this.requests, endpoint, budget);
    if (this.inFlight >= this.limits.concurrentRequests) await this.slot(budget);
    const at = this.clock.now();
    this.requests.add(at);
    if (isBatch) this.batches.add(at);
    this.inFlight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      this.slotWaiters.shift()?.();
    };
  }

  /** Until a request in flight ends (they end within their own timeouts). */
  private slot(budget: CallBudget | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const signal = budget?.signal;
      const onAbort = () => {
        const i = this.slotWaiters.indexOf(wake);
        if (i >= 0) this.slotWaiters.splice(i, 1);
        reject(signal!.reason);
      };
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        // The freed slot is this caller's: counted before anyone else can take it.
        resolve();
      };
      this.slotWaiters.push(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

const pacers = new Map<string, RequestPacer>();

/** The process's pacer for one company at one API address, under one set of limits. */
export function pacerFor(baseUrl: string, realmId: string, limits: QuickBooksLimits): RequestPacer {
  const key = `${baseUrl.replace(/\/+$/, '')} ${realmId} ${limits.requestsPerMinute}/${limits.batchCallsPerMinute}/${limits.concurrentRequests}`;
  let pacer = pacers.get(key);
  if (!pacer) {
    pacer = new RequestPacer(limits);
    pacers.set(key, pacer);
  }
  return pacer;
}
