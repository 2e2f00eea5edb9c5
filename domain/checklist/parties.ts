/**
 * Every customer and vendor the unposted records need exists in QuickBooks: the companies of
 * unposted invoices, the vendors of unposted purchases and, with transfer as a bill, the expensing
 * members. Each missing one is listed; with party creation on it is created by the batch (warn),
 * unless its name is taken by another customer, vendor or employee (QuickBooks would refuse it).
 */
import type { ChartMatcher } from '../gl/chart-match';
import { isLedgerError } from '../errors';
import { clashingHolder, type PartyNeed } from '../parties';
import { item, plural } from './evidence';
import type { ChecklistItem, PartyFact } from './types';

export const PARTIES_TITLE = 'Every customer and vendor of the unposted records is in QuickBooks';

function missing(matcher: ChartMatcher, p: PartyFact): boolean {
  try {
    const lookup = { name: p.name, accountNumber: p.accountNumber, source: p.source, psaId: p.psaId };
    if (p.role === 'customer') matcher.customer(lookup);
    else matcher.vendor(lookup);
    return false;
  } catch (err) {
    if (!isLedgerError(err)) throw err;
    return true;
  }
}

export function checkParties(parties: readonly PartyFact[], matcher: ChartMatcher, createMissingParties: boolean): ChecklistItem {
  const seen = new Set<string>();
  const unique = parties.filter((p) => {
    const key = `${p.role}:${p.psaId ?? p.name}`;
    return !seen.has(key) && seen.add(key);
  });
  const absent = unique.filter((p) => missing(matcher, p));
  if (absent.length === 0) return item('parties', PARTIES_TITLE, 'pass', [`All ${plural(unique.length, 'customer and vendor', 'customers and vendors')} of the unposted records are in QuickBooks.`]);
  const evidence: string[] = [];
  let clashes = 0;
  for (const p of absent) {
    const need: PartyNeed = { role: p.role, name: p.name, source: p.source, psaId: p.psaId };
    const holder = clashingHolder(need, matcher.nameHolders(p.name));
    if (holder) clashes++;
    const what = `${p.role === 'customer' ? 'Customer' : 'Vendor'} "${p.name}"${p.psaId !== undefined ? ` (ConnectWise ${p.source ?? 'company'} #${p.psaId})` : ''}, for ${p.records.join(', ')}`;
    evidence.push(holder ? `${what}: missing, and ${holder.list.toLowerCase()} Id ${holder.Id} holds the name.` : `${what}: missing${createMissingParties ? ', created by the batch' : ''}.`);
  }
  const creatable = !createMissingParties || clashes > 0 ? 'fail' : 'warn';
  const fix = createMissingParties
    ? 'Rename the customer, vendor or employee holding each clashing name in QuickBooks (display names are unique across the three), or create the party by hand with the ConnectWise line in its Notes; the others are created by the next batch.'
    : 'Create each listed customer or vendor in QuickBooks under the exact name, or correct the name in ConnectWise, or let the batch create them (CREATE_MISSING_PARTIES=true).';
  return item('parties', PARTIES_TITLE, creatable, evidence, fix);
}
