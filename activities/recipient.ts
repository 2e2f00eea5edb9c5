/**
 * Who a report goes to: the address asked for, a PSA member's e-mail, or the configured default;
 * an address or member's e-mail outside MAIL_ALLOWED_RECIPIENTS is refused (InvalidInput).
 */
import { LedgerError } from '../domain/errors';
import type { Notify } from '../domain/contract';
import { recipientProblem } from '../domain/report-recipients';
import { cwString, type ConnectWiseClient } from '../integrations/connectwise';

export interface Recipients {
  /** MAIL_DEFAULT_TO: set by the operator, always allowed. */
  defaultTo: string;
  /** MAIL_ALLOWED_RECIPIENTS, resolved (domain/report-recipients). */
  allowed: readonly string[];
}

export async function reportRecipient(psa: ConnectWiseClient, notify: Notify | undefined, recipients: Recipients): Promise<string> {
  if (!notify) return recipients.defaultTo;
  const [field, address] = 'email' in notify ? ['notify.email', notify.email] : [`notify.member (${notify.member}'s e-mail)`, await memberAddress(psa, notify.member)];
  const problem = recipientProblem(field, address, recipients.allowed);
  if (problem) throw new LedgerError('InvalidInput', problem.message, { fix: problem.fix });
  return address;
}

async function memberAddress(psa: ConnectWiseClient, identifier: string): Promise<string> {
  const [member] = (await psa.members.list({ conditions: `identifier=${cwString(identifier)}`, pageSize: 1 })).items;
  const address = member?.primaryEmail ?? member?.officeEmail;
  if (!address) {
    throw new LedgerError('NotFound', `PSA member "${identifier}" has no e-mail address`, {
      fix: 'Give the member a primary or office e-mail in System > Members, or pass notify.email.',
    });
  }
  return address;
}
