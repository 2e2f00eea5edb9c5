/** Who a report goes to: the address asked for, a PSA member's e-mail, or the configured default. */
import { LedgerError } from '../domain/errors';
import type { Notify } from '../domain/contract';
import { cwString, type ConnectWiseClient } from '../integrations/connectwise';

export async function reportRecipient(psa: ConnectWiseClient, notify: Notify | undefined, defaultTo: string): Promise<string> {
  if (!notify) return defaultTo;
  if ('email' in notify) return notify.email;
  const [member] = (await psa.members.list({ conditions: `identifier=${cwString(notify.member)}`, pageSize: 1 })).items;
  const address = member?.primaryEmail ?? member?.officeEmail;
  if (!address) {
    throw new LedgerError('NotFound', `PSA member "${notify.member}" has no e-mail address`, {
      fix: 'Give the member a primary or office e-mail in System > Members, or pass notify.email.',
    });
  }
  return address;
}
