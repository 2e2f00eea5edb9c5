/**
 * Check 6: AR and AP, and every account type the table uses, have a
 * My Company: Owner row; without one ConnectWise raises its "Corporate Level" error on every
 * record of that type. A setup row Ledgerline cannot use (unknown table, odd account, duplicate)
 * is listed as a warning and left out; the rest of the table still resolves.
 */
import { OWNER_MAPPING_MISSING_MESSAGE } from '../gl/resolver';
import type { GlSequences } from '../gl/site-sequences';
import { partitionGlMappings } from '../gl/validate-mappings';
import type { AccountType, GlMapping } from '../gl/types';
import { item, nameList, plural } from './evidence';
import type { ChecklistItem } from './types';

export const OWNER_TITLE = 'AR, AP and every account type in use are mapped at My Company: Owner';
const OWNER = 'My Company: Owner';
const ALWAYS: readonly AccountType[] = ['Accounts Receivable', 'Accounts Payable'];

/** The owner record people use (the most common one on Owner rows), for fix texts. */
export function ownerRecord(rows: readonly GlMapping[]): string | undefined {
  const counts = new Map<string, number>();
  for (const r of rows) if (r.mappedType === OWNER) counts.set(r.mappedRecord, (counts.get(r.mappedRecord) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** The usable rows and one problem line per row left out, under the site's sequences. */
export function validatedMappings(raw: readonly GlMapping[], sequences?: GlSequences): { rows: GlMapping[]; problems: string[] } {
  return partitionGlMappings(raw, sequences);
}

export const SKIPPED_ROWS_FIX = 'Correct or remove the rows left out in System > Setup Tables > GL Accounts (or the GL captions); until then Ledgerline resolves without them.';

/** `setupProblems`: rows the setup reader already left out (mapped types, partial segments). */
export function checkOwnerMappings(raw: readonly GlMapping[], setupProblems: readonly string[] = [], sequences?: GlSequences): ChecklistItem {
  const validated = validatedMappings(raw, sequences);
  const skipped = [...setupProblems, ...validated.problems];
  const rows = validated.rows;
  const owner = ownerRecord(rows) ?? 'your company ID';
  const inUse = [...new Set<AccountType>([...ALWAYS, ...rows.map((r) => r.accountType)])];
  const ownerRows = new Map(rows.filter((r) => r.mappedType === OWNER).map((r) => [r.accountType, r]));
  const missing = inUse.filter((t) => !ownerRows.has(t));
  const blank = inUse.filter((t) => ownerRows.has(t) && !ownerRows.get(t)!.account);

  const evidence = [`${plural(rows.length, 'GL mapping row')}; ${plural(inUse.length, 'account type')} in use; Owner-level rows for ${plural(inUse.length - missing.length, 'of them', 'of them')} (owner "${owner}").`];
  if (missing.length) evidence.push(`${OWNER_MAPPING_MISSING_MESSAGE} Account types: ${nameList(missing, 19)}.`);
  if (blank.length) evidence.push(`Owner-level rows with a blank Account: ${nameList(blank, 19)}.`);
  const fixes: string[] = [];
  if (missing.length) {
    fixes.push(`${OWNER_MAPPING_MISSING_MESSAGE} In System > Setup Tables > GL Accounts add, for each of ${nameList(missing, 19)}: Account Type <type>, Table My Company: Owner, Record ${owner}, Account <the QuickBooks account>.`);
  }
  if (blank.length) fixes.push(`Fill in the Account of the My Company: Owner rows of ${nameList(blank, 19)}.`);
  if (skipped.length) evidence.push(`${plural(skipped.length, 'GL setup row')} left out:`, ...skipped);
  const result = fixes.length ? 'fail' : skipped.length ? 'warn' : 'pass';
  return item('owner-mappings', OWNER_TITLE, result, evidence, [...fixes, ...(skipped.length ? [SKIPPED_ROWS_FIX] : [])].join(' '));
}
