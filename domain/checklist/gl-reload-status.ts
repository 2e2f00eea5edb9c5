/**
 * Check 5: the "GL Reload" billing status exists and is an open status. In ConnectWise, setting a
 * closed invoice to it reopens the invoice (its GL entries are dropped); closing it again computes
 * fresh GL entries and puts it back in the Accounting Interface. A closed GL Reload status reopens
 * nothing; a sent one marks an invoice that is being corrected as delivered to the customer.
 */
import { item, nameList } from './evidence';
import type { BillingStatusFact, ChecklistItem } from './types';

export const GL_RELOAD = 'GL Reload';
export const GL_RELOAD_TITLE = `A "${GL_RELOAD}" billing status exists, neither closed nor sent`;

const SETUP_TABLE = 'System > Setup Tables > Billing Status';
const WHY = 'because setting a closed invoice to it must reopen the invoice (clearing its GL entries) without marking it sent, so that closing it again puts it back in the Accounting Interface with fresh GL entries';

export function findGlReload(statuses: readonly BillingStatusFact[]): BillingStatusFact | undefined {
  return statuses.find((s) => s.name.trim().toLowerCase() === GL_RELOAD.toLowerCase());
}

export function checkGlReloadStatus(statuses: readonly BillingStatusFact[]): ChecklistItem {
  const found = findGlReload(statuses);
  if (!found) {
    return item('gl-reload-status', GL_RELOAD_TITLE, 'fail', [statuses.length ? `Billing statuses: ${nameList(statuses.map((s) => s.name))}; none is "${GL_RELOAD}".` : 'There are no billing statuses.'],
      `Create the billing status "${GL_RELOAD}" in ${SETUP_TABLE} with Closed and Sent unchecked, ${WHY}.`);
  }
  const flags = [found.closed && 'Closed', found.sent && 'Sent'].filter((f): f is string => !!f);
  if (flags.length) {
    return item('gl-reload-status', GL_RELOAD_TITLE, 'fail', [`Billing status "${found.name}" (id ${found.id}) is marked ${flags.join(' and ')}.`],
      `Clear the ${flags.join(' and ')} flag${flags.length > 1 ? 's' : ''} of billing status "${found.name}" in ${SETUP_TABLE}: it must be an open status, neither closed nor sent, ${WHY}.`);
  }
  if (found.inactive) {
    return item('gl-reload-status', GL_RELOAD_TITLE, 'fail', [`Billing status "${found.name}" (id ${found.id}) exists but is inactive.`],
      `Clear the Inactive flag of billing status "${found.name}" in ${SETUP_TABLE}.`);
  }
  return item('gl-reload-status', GL_RELOAD_TITLE, 'pass', [`Billing status "${found.name}" (id ${found.id}) is active, not closed and not sent.`]);
}
