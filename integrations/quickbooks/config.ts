/** How to reach one QuickBooks company. The same shape serves the real API and the sandbox. */
import type { ConnectionReport } from '../../domain/connection-health';
import type { QuickBooksLimits } from './pacer';
import type { TokenStore } from './token-store';

export interface RetryPolicy {
  /** Attempts in total, including the first (1 = no retry). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface QuickBooksConfig {
  /** e.g. https://quickbooks.api.intuit.com or http://127.0.0.1:8702; `/v3/company/{realmId}` is added. */
  baseUrl: string;
  realmId: string;
  /** 75 is the floor since 2025; lower values are served as 75 anyway. */
  minorVersion?: number;
  clientId: string;
  clientSecret: string;
  /** e.g. https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer */
  tokenUrl: string;
  tokens: TokenStore;
  retry?: Partial<RetryPolicy>;
  /** Per HTTP call; QuickBooks itself gives up after 120 s. */
  timeoutMs?: number;
  /** The company's throttles the client paces its requests within (default QuickBooks' own). */
  limits?: Partial<QuickBooksLimits>;
  /** At most 30 (the server's cap). */
  maxBatchItems?: number;
  /**
   * Told what the client sees of the connection: the token dates after each refresh, refusals
   * (a revoked refresh token, or calls refused with a fresh one), and the first success after one.
   * Must not throw or block: a report never fails a call.
   */
  onConnection?: (report: ConnectionReport) => void;
  /** Seams for tests: the wait between retries, and fetch. */
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 60_000 };
export const DEFAULT_MINOR_VERSION = 75;
