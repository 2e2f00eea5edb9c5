/** Check 4: customers being invoiced have a primary and a billing contact. */
import { item, nameList, plural } from './evidence';
import type { ChecklistItem, CustomerFact } from './types';

export const CONTACTS_TITLE = 'Customers with unposted invoices have a primary and a billing contact';

export function checkCustomerContacts(customers: readonly CustomerFact[]): ChecklistItem {
  const noPrimary = customers.filter((c) => !c.primaryContact).map((c) => c.identifier);
  const noBilling = customers.filter((c) => !c.billingContact).map((c) => c.identifier);
  const evidence = [`${plural(customers.length, 'customer')} with unposted invoices.`];
  if (noPrimary.length) evidence.push(`Without a primary contact: ${nameList(noPrimary)}.`);
  if (noBilling.length) evidence.push(`Without a billing contact: ${nameList(noBilling)}.`);
  const fixes: string[] = [];
  if (noPrimary.length) fixes.push(`select a Primary contact for ${nameList(noPrimary)}`);
  if (noBilling.length) fixes.push(`select a Billing contact for ${nameList(noBilling)}`);
  const fix = fixes.length ? `In Companies > Company (each company's Company tab): ${fixes.join('; ')}.` : undefined;
  return item('customer-contacts', CONTACTS_TITLE, fixes.length ? 'fail' : 'pass', evidence, fix);
}
