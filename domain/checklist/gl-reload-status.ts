/** Check 5: the "GL Reload" billing status exists, to re-send or hold back invoices. */
import { item, nameList } from './evidence';
import type { BillingStatusFact, ChecklistItem } from './types';

export const GL_RELOAD = 'GL Reload';
export const GL_RELOAD_TITLE = `A "${GL_RELOAD}" billing status exists`;

export function findGlReload(statuses: readonly BillingStatusFact[]): BillingStatusFact | undefined {
  return statuses.find((s) => s.name.trim().toLowerCase() === GL_RELOAD.toLowerCase());
}

export function checkGlReloadStatus(statuses: readonly BillingStatusFact[]): ChecklistItem {
  const found = findGlReload(statuses);
  if (!found) {
    return item('gl-reload-status', GL_RELOAD_TITLE, 'fail', [statuses.length ? `Billing statuses: ${nameList(statuses.map((s) => s.name))}; none is "${GL_RELOAD}".` : 'There are no billing statuses.'],
      `Create the billing status "${GL_RELOAD}" in System > Setup Tables > Billing Status (mark it Closed), so invoices can be reloaded into the Accounting Interface.`);
  }
  if (found.inactive) {
    return item('gl-reload-status', GL_RELOAD_TITLE, 'fail', [`Billing status "${found.name}" (id ${found.id}) exists but is inactive.`],
      `Clear the Inactive flag of billing status "${found.name}" in System > Setup Tables > Billing Status.`);
  }
  return item('gl-reload-status', GL_RELOAD_TITLE, 'pass', [`Billing status "${found.name}" (id ${found.id}) exists and is active.`]);
}
