/** Check 10 ("Removed records prior to your conversion (or lock) date"). */
import { item, plural } from './evidence';
import type { ChecklistItem, LockDateFacts } from './types';
import { describeCounts, totalOf } from './unposted-counts';

export const LOCK_TITLE = 'No unposted records dated before the lock or conversion date';


export function checkLockDate(facts: LockDateFacts): ChecklistItem {
  if (!facts.lockDate) {
    return item('lock-date', LOCK_TITLE, 'warn', ['No lock date: the input names none and QuickBooks has no closing date.'],
      'Start the checklist with lockDate (YYYY-MM-DD, your conversion date), or set a closing date in QuickBooks (Settings > Advanced > Accounting > Close the books).');
  }
  const total = totalOf(facts.before);
  const source = `Lock date ${facts.lockDate} (${facts.source}).`;
  if (total === 0) return item('lock-date', LOCK_TITLE, 'pass', [source, 'No unposted record is dated before it.']);
  return item('lock-date', LOCK_TITLE, 'fail',
    [source, `Unposted before it: ${describeCounts(facts.before)}.`, ...facts.examples.map((e) => `${e.kind} ${e.number} dated ${e.date.slice(0, 10)}`)],
    `In Finance > Accounting Interface, remove the ${plural(total, 'record')} dated before ${facts.lockDate} (they belong to periods already in QuickBooks), or move the lock date if they really must post.`);
}
