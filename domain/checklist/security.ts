/**
 * Check 2: the API member's role allows what the sync does. ConnectWise's
 * identifiers for these functions are not documented, so rows match by identifier or by name,
 * ignoring case and punctuation.
 */
import { item, plural } from './evidence';
import type { ChecklistItem, SecurityLevel, SecurityRowFact } from './types';

export const SECURITY_TITLE = 'The API member has the security the sync needs';

type Action = 'add' | 'edit' | 'inquire';

interface Need {
  /** Normalised identifier or name of the security function. */
  fn: string;
  label: string;
  actions: Action[];
  why: string;
}

export const SECURITY_NEEDS: readonly Need[] = [
  { fn: 'accountinginterface', label: 'Finance > Accounting Interface', actions: ['add', 'edit', 'inquire'], why: 'read unposted records and create accounting batches' },
  { fn: 'invoicing', label: 'Finance > Invoicing', actions: ['edit'], why: 'record payments against invoices' },
  { fn: 'tablesetup', label: 'System > Table Setup', actions: ['inquire'], why: 'read the GL Accounts, Billing Terms and Tax Code tables' },
];

const norm = (s: string | undefined) => (s ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
const levelOf = (row: SecurityRowFact, action: Action): SecurityLevel => row[action];

export function checkSecurity(rows: readonly SecurityRowFact[], member?: string): ChecklistItem {
  const evidence: string[] = [`${plural(rows.length, 'security row')} for the API member${member ? ` "${member}"` : ''}.`];
  const missing: string[] = [];
  for (const need of SECURITY_NEEDS) {
    const row = rows.find((r) => norm(r.functionIdentifier) === need.fn || norm(r.functionName) === need.fn);
    const short = need.actions.filter((a) => !row || levelOf(row, a) !== 'All');
    const levels = row ? need.actions.map((a) => `${a} ${levelOf(row, a)}`).join(', ') : 'no row';
    evidence.push(`${need.label}: ${levels}.`);
    if (short.length) missing.push(`${need.label}: ${short.map((a) => a[0]!.toUpperCase() + a.slice(1)).join(', ')} = All (to ${need.why})`);
  }
  const fix = missing.length
    ? `In System > Security Roles, open the API member's role and set ${missing.join('; ')}. Then run the checklist again.`
    : undefined;
  return item('api-member-security', SECURITY_TITLE, missing.length ? 'fail' : 'pass', evidence, fix);
}
