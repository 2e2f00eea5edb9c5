/** Check 3 ("Updated your Terms XRef"): every term in use names a QuickBooks term. */
import type { ChartMatcher } from '../gl/chart-match';
import { isLedgerError } from '../errors';
import { item, nameList, plural } from './evidence';
import type { BillingTermFact, ChecklistItem, UnpostedInvoiceFact } from './types';

export const TERMS_TITLE = 'Billing terms used by unposted invoices have a Terms XRef naming a QuickBooks term';

export function checkTermsXref(terms: readonly BillingTermFact[], invoices: readonly UnpostedInvoiceFact[], matcher: ChartMatcher): ChecklistItem {
  const used = new Map<string, { term?: BillingTermFact; name: string; invoices: string[] }>();
  for (const inv of invoices) {
    const term = terms.find((t) => (inv.billingTermsId !== undefined ? t.id === inv.billingTermsId : t.name === inv.billingTermsName));
    const name = term?.name ?? inv.billingTermsName ?? '(none)';
    const entry = used.get(name) ?? { term, name, invoices: [] };
    entry.invoices.push(inv.invoiceNumber);
    used.set(name, entry);
  }
  const evidence = [`${plural(used.size, 'billing term')} used by ${plural(invoices.length, 'unposted invoice')}: ${nameList([...used.keys()])}.`];
  const problems: string[] = [];
  const fixes: string[] = [];
  for (const { term, name, invoices: numbers } of used.values()) {
    const on = `used by ${plural(numbers.length, 'invoice')} (${nameList(numbers, 3)})`;
    if (!term) {
      problems.push(`Billing term "${name}" ${on} is not in the Billing Terms table.`);
      fixes.push(`give invoices ${nameList(numbers, 3)} a billing term from System > Setup Tables > Billing Terms`);
      continue;
    }
    const xref = term.termsXref?.trim();
    if (!xref) {
      problems.push(`Billing term "${name}" ${on} has no Terms XRef.`);
      fixes.push(`set the Terms XRef of billing term "${name}" to the QuickBooks term's exact name`);
      continue;
    }
    try {
      matcher.term(xref);
      evidence.push(`"${name}" -> QuickBooks term "${xref}".`);
    } catch (err) {
      if (!isLedgerError(err)) throw err;
      problems.push(`Billing term "${name}" ${on}: ${err.message}`);
      fixes.push(`change the Terms XRef of billing term "${name}" (now "${xref}") to an existing QuickBooks term's exact name, or create that term in QuickBooks`);
    }
  }
  const fix = fixes.length ? `In System > Setup Tables > Billing Terms: ${fixes.join('; ')}.` : undefined;
  return item('terms-xref', TERMS_TITLE, problems.length ? 'fail' : 'pass', [...problems, ...evidence], fix);
}
