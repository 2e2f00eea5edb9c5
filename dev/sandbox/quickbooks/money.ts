/** Cents-exact arithmetic for the sandbox's totals (QuickBooks amounts have two decimals). */
export function cents(n: number): number {
  return Math.round(n * 100);
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
