/**
 * Check 11 (set the "Unbatched" records to GL Reload "so that they don't all try to sync
 * in your first run"). Reports how much the first run would send; warns when it reaches far back and
 * nothing was set to GL Reload, the sign that history was never cleaned up.
 */
import { item, plural } from './evidence';
import { describeCounts, totalOf } from './unposted-counts';
import type { ChecklistItem, UnbatchedFacts } from './types';

export const UNBATCHED_TITLE = 'Unbatched records were reviewed (GL Reload) before the first run';
/** More than about a quarter of history waiting is more than a first run should send unreviewed. */
export const HISTORY_SPAN_DAYS = 92;

const days = (from: string, to: string) => Math.round((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / 86_400_000);

export function checkUnbatched(facts: UnbatchedFacts): ChecklistItem {
  const total = totalOf(facts.counts);
  const evidence = [
    `Unbatched: ${describeCounts(facts.counts)}.`,
    `Invoices on GL Reload: ${facts.glReloadInvoices}.`,
  ];
  if (total === 0) return item('unbatched-records', UNBATCHED_TITLE, 'pass', [...evidence, 'The first run has nothing to send.']);
  const span = facts.oldest && facts.newest ? days(facts.oldest, facts.newest) : 0;
  evidence.push(`They are dated ${facts.oldest?.slice(0, 10)} to ${facts.newest?.slice(0, 10)} (${plural(span, 'day')}).`);
  if (span > HISTORY_SPAN_DAYS && facts.glReloadInvoices === 0) {
    return item('unbatched-records', UNBATCHED_TITLE, 'warn', evidence,
      `The first run would send ${plural(total, 'record')} reaching back to ${facts.oldest?.slice(0, 10)}. In Finance > Accounting Interface, set the unbatched records that are already in QuickBooks to the GL Reload billing status (or batch them without exporting) so the first run sends only what is new.`);
  }
  return item('unbatched-records', UNBATCHED_TITLE, 'pass', evidence);
}
