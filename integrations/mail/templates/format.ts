/** Small formatting rules shared by the report templates. */
import { z } from 'zod';
import { LedgerError } from '../../../domain/errors';
import { RECORD_KIND_INFO, type RecordKind } from '../../../domain/contract/record-kinds';

/** "1234567.5" -> "1,234,567.50": string arithmetic only, money never becomes a float. */
export function formatAmount(decimal: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal);
  if (!m) return decimal;
  const [, sign, whole = '0', frac = ''] = m;
  const grouped = whole.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}.${frac.padEnd(2, '0')}`;
}

export function kindLabel(kind: RecordKind, plural = false): string {
  return plural ? RECORD_KIND_INFO[kind].label.many : RECORD_KIND_INFO[kind].label.one;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A subject is one header line: no CR/LF from summary text may reach it. */
export function subjectLine(...parts: string[]): string {
  return parts.join(' ').replace(/[\r\n\t]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
}

/** Checks a summary against its schema (filling defaults); a bad one is the caller's bug, not retryable. */
export function parseSummary<S extends z.ZodType>(schema: S, summary: unknown, what: string): z.output<S> {
  const result = schema.safeParse(summary);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`).join('; ');
  throw new LedgerError('InvalidInput', `${what} is not a valid report summary: ${problems}`, {
    fix: 'This is a bug in the workflow that built the summary; see the message for the fields.',
  });
}
