/**
 * ConnectWise amounts to exact money. An amount arrives as a JSON number a double holds exactly,
 * or as its exact digits when a double cannot (integrations/exact-json); either way it becomes
 * integer cents in a BigInt, so a large total keeps every cent.
 */
import { formatMoney, parseDecimal, type Cents } from '../../domain/money';
import type { Amount } from './schemas/common';

/** A number's exact decimal text (a double that passed the exact parse prints back as sent). */
function decimalText(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  const text = String(n);
  return /e/i.test(text) ? (Number.isInteger(n) ? BigInt(n).toString() : n.toFixed(20).replace(/0+$/, '')) : text;
}

/** Units at `scale` rounded half away from zero. */
function rounded(units: bigint, from: number, to: number): bigint {
  if (from <= to) return units * 10n ** BigInt(to - from);
  const divisor = 10n ** BigInt(from - to);
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const q = abs / divisor + (2n * (abs % divisor) >= divisor ? 1n : 0n);
  return negative ? -q : q;
}

/**
 * Whole cents of a GL amount, or undefined when it has fractions of a cent. A number a few
 * billionths off whole cents is a decimal that went through binary floating point on the way
 * (0.1 + 0.2): it counts as the cents it stands for.
 */
export function amountCents(value: Amount): Cents | undefined {
  const text = typeof value === 'number' ? decimalText(value) : value.digits;
  if (text === undefined) return undefined;
  const { units, scale } = parseDecimal(text);
  const cents = rounded(units, scale, 2);
  if (scale <= 2) return cents;
  const off = units - cents * 10n ** BigInt(scale - 2);
  const tolerance = 10n ** BigInt(Math.max(0, scale - 8));
  return (off < 0n ? -off : off) <= tolerance && typeof value === 'number' ? cents : undefined;
}

/** An amount to the cent as a decimal string (a unit price with more places rounds half away from zero). */
export function money(value: Amount): string {
  const text = typeof value === 'number' ? (decimalText(value) ?? '0') : value.digits;
  const { units, scale } = parseDecimal(text);
  const cents = rounded(units, scale, 2);
  return formatMoney(cents === 0n ? 0n : cents);
}
