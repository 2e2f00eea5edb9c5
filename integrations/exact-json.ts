/**
 * JSON from the wire without float rounding: a number a double holds exactly becomes a number; one
 * it cannot (more significant digits than a double keeps, such as a large total with its cents)
 * becomes an ExactDecimal holding its digits as sent. A string on the wire stays a string, so a
 * schema that wants a number still refuses one.
 */
import { isSafeNumber, parse } from 'lossless-json';

export class ExactDecimal {
  constructor(readonly digits: string) {}
  toJSON(): string {
    return this.digits;
  }
  toString(): string {
    return this.digits;
  }
}

export function parseJsonExact(text: string): unknown {
  return parse(text, null, (digits) => (isSafeNumber(digits) ? Number(digits) : new ExactDecimal(digits)));
}
