/**
 * Exact decimal money. Amounts travel as decimal strings ("1234.50") and are computed as integer
 * minor units in a BigInt, so sums of thousands of lines balance to the cent with no float drift.
 * Pure: safe inside Temporal workflows (BigInt never reaches history; format back to a string).
 */

/** Money as an integer count of cents (scale 2): what every currency we post in uses. */
export type Cents = bigint;

export const MONEY_SCALE = 2;

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

export class MoneyFormatError extends Error {
  constructor(readonly input: string, reason: string) {
    super(`"${input}" is not an exact money amount: ${reason}`);
    this.name = 'MoneyFormatError';
  }
}

/**
 * Parse a decimal string into units of 10^-scale. Digits beyond `scale` must be zeros: rounding
 * money silently is how ledgers drift, so "1.005" is refused rather than guessed at.
 */
export function parseScaled(input: string, scale: number): bigint {
  const m = DECIMAL.exec(input.trim());
  if (!m) throw new MoneyFormatError(input, 'expected digits with an optional sign and decimal point');
  const [, sign, whole, frac = ''] = m;
  const kept = frac.slice(0, scale);
  if (/[^0]/.test(frac.slice(scale))) {
    throw new MoneyFormatError(input, `more than ${scale} decimal places`);
  }
  const units = BigInt(whole + kept.padEnd(scale, '0'));
  return sign === '-' ? -units : units;
}

export function formatScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? '.' + frac : ''}`;
}

/** "12.5" -> 1250n. */
export function parseMoney(input: string): Cents {
  return parseScaled(input, MONEY_SCALE);
}

/** 1250n -> "12.50". */
export function formatMoney(cents: Cents): string {
  return formatScaled(cents, MONEY_SCALE);
}

export function isMoney(input: string): boolean {
  try {
    parseMoney(input);
    return true;
  } catch {
    return false;
  }
}

export function sumMoney(values: Iterable<Cents>): Cents {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}

export function absMoney(cents: Cents): Cents {
  return cents < 0n ? -cents : cents;
}

/** Units at scale `from` as units at scale `to`, rounded half away from zero when `to` is coarser. */
export function rescale(units: bigint, from: number, to: number): bigint {
  if (from <= to) return units * 10n ** BigInt(to - from);
  const divisor = 10n ** BigInt(from - to);
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const q = abs / divisor + (2n * (abs % divisor) >= divisor ? 1n : 0n);
  return negative ? -q : q;
}

/** A decimal amount as the JSON number an API that takes numbers (QuickBooks) expects: "12.5" -> 12.5. */
export function moneyNumber(decimal: string): number {
  return Number(formatMoney(parseMoney(decimal)));
}

/** Normalise a decimal string to two places ("7" -> "7.00"), refusing anything inexact. */
export function normaliseMoney(input: string): string {
  return formatMoney(parseMoney(input));
}

/** A decimal of any scale as integer units: "2.125" -> { units: 2125n, scale: 3 }. */
export interface ScaledDecimal {
  units: bigint;
  scale: number;
}

export function parseDecimal(input: string): ScaledDecimal {
  const m = DECIMAL.exec(input.trim());
  if (!m) throw new MoneyFormatError(input, 'expected digits with an optional sign and decimal point');
  const scale = (m[3] ?? '').length;
  return { units: parseScaled(input, scale), scale };
}

/**
 * Whether quantity x unit price is exactly `amount`. QuickBooks rejects a line whose Amount is not
 * Qty x UnitPrice, so the price is only sent when the product is exact.
 */
export function isExactProduct(quantity: string, unitPrice: string, amount: Cents): boolean {
  const q = parseDecimal(quantity);
  const p = parseDecimal(unitPrice);
  const scale = q.scale + p.scale;
  const product = q.units * p.units;
  if (scale >= MONEY_SCALE) return product === amount * 10n ** BigInt(scale - MONEY_SCALE);
  return product * 10n ** BigInt(MONEY_SCALE - scale) === amount;
}
