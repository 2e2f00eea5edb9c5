/**
 * QuickBooks' throttles, per company: requests per minute (500), concurrent requests (10) and
 * batch calls per minute (40). Over any of them the request gets 429 with fault 3001.
 */
export interface QuickBooksLimits {
  requestsPerMinute: number;
  concurrentRequests: number;
  batchRequestsPerMinute: number;
}

export const DEFAULT_LIMITS: QuickBooksLimits = { requestsPerMinute: 500, concurrentRequests: 10, batchRequestsPerMinute: 40 };

const WINDOW_MS = 60_000;

export class Throttle {
  private requests: number[] = [];
  private batches: number[] = [];
  private inFlight = 0;

  constructor(public limits: QuickBooksLimits) {}

  /**
   * Admits a request (counting it: undefined) or names the limit it is over; an admitted request
   * must call `leave()`.
   */
  enter(isBatch: boolean, now = Date.now()): keyof QuickBooksLimits | undefined {
    this.requests = this.requests.filter((t) => now - t < WINDOW_MS);
    this.batches = this.batches.filter((t) => now - t < WINDOW_MS);
    if (this.requests.length >= this.limits.requestsPerMinute) return 'requestsPerMinute';
    if (isBatch && this.batches.length >= this.limits.batchRequestsPerMinute) return 'batchRequestsPerMinute';
    if (this.inFlight >= this.limits.concurrentRequests) return 'concurrentRequests';
    this.requests.push(now);
    if (isBatch) this.batches.push(now);
    this.inFlight++;
    return undefined;
  }

  leave(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  reset(): void {
    this.requests = [];
    this.batches = [];
  }
}
