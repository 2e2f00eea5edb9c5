/**
 * The time window a payment sync reads (payments whose MetaData.LastUpdatedTime falls in it):
 * from `since` when given, else from the last successful run's watermark less a small overlap
 * (clocks differ; recording is idempotent so overlap costs nothing), else `lookback` before `until`.
 */

/** Re-read this much before the watermark: QuickBooks' clock is not ours. */
export const WATERMARK_OVERLAP_MS = 15 * 60_000;

const DURATION = /^(\d+)(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function lookbackMs(lookback: string): number {
  const m = DURATION.exec(lookback);
  if (!m) throw new Error(`not a lookback duration: ${lookback}`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

/** "2026-11-01" -> midnight UTC; date-times as given. */
export function toInstant(value: string): number {
  return Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
}

export interface PaymentWindow {
  since: string;
  until: string;
  from: 'input' | 'watermark' | 'lookback';
}

export function paymentWindow(
  input: { since?: string; until?: string; lookback: string },
  watermark: string | undefined,
  nowMs: number,
): PaymentWindow {
  const until = input.until !== undefined ? toInstant(input.until) : nowMs;
  let since: number;
  let from: PaymentWindow['from'];
  if (input.since !== undefined) {
    since = toInstant(input.since);
    from = 'input';
  } else if (watermark !== undefined) {
    since = Date.parse(watermark) - WATERMARK_OVERLAP_MS;
    from = 'watermark';
  } else {
    since = until - lookbackMs(input.lookback);
    from = 'lookback';
  }
  return { since: new Date(since).toISOString(), until: new Date(until).toISOString(), from };
}
