/**
 * ConnectWise amounts to exact money. An amount arrives as a JSON number a double holds exactly,
 * or as its exact digits when a double cannot (integrations/exact-json); either way it becomes
 * integer cents in a BigInt, so a large total keeps every cent.
 */
import { formatMoney, MONEY_SCALE, parseDecimal, rescale, type Cents } from '../../domain/money';
import type { Amount } from './schemas/common';

/** A number's exact decimal text (a double that passed the exact parse prints back as sent). */
function decimalText(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  const text = String(n);
  return /e/i.test(text) ? (Number.isInteger(n) ? BigInt(n).toString() : n.toFixed(20).replace(/0+$/, '')) : text;
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
  const cents = rescale(units, scale, MONEY_SCALE);
  if (scale <= MONEY_SCALE) return cents;
  const off = units - rescale(cents, MONEY_SCALE, scale);
  const tolerance = 10n ** BigInt(Math.max(0, scale - 8));
  return (off < 0n ? -off : off) <= tolerance && typeof value === 'number' ? cents : undefined;
}

/** An amount to the cent as a decimal string (a unit price with more places rounds half away from zero). */
export function money(value: Amount): string {
  const text = typeof value === 'number' ? (decimalText(value) ?? '0') : value.digits;
  const { units, scale } = parseDecimal(text);
  const cents = rescale(units, scale, MONEY_SCALE);
  return formatMoney(cents === 0n ? 0n : cents);
}
