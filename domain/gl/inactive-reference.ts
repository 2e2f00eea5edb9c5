/**
 * A miss whose exact match exists but is inactive: QuickBooks refuses a reference to an inactive
 * account, customer, vendor, item, class or term (fault 610), so the record fails before anything
 * is sent, naming the inactive entry and how to make it usable again.
 */
import { LedgerError } from '../errors';
import { INACTIVE_REASON, type Candidate } from './near-matches';

/** `describe` names the entry, e.g. `value => \`customer "${value}"\``. */
export function inactiveReferenceError(
  describe: (value: string) => string,
  candidates: readonly Candidate[],
  details: Record<string, unknown> = {},
  type: 'ReferenceNotFound' | 'AccountNotFound' = 'ReferenceNotFound',
): LedgerError | undefined {
  const inactive = candidates.find((c) => c.reason === INACTIVE_REASON);
  if (inactive === undefined) return undefined;
  const subject = describe(inactive.value);
  return new LedgerError(type, `${subject[0].toUpperCase()}${subject.slice(1)} is inactive in QuickBooks, which refuses references to inactive entries (fault 610)`, {
    fix: `Make ${subject} active again in QuickBooks, or point ConnectWise at an active entry instead; then retry the record.`,
    details: { ...details, inactive: inactive.value },
  });
}
