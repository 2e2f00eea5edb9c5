/**
 * Who reports may go to. A report holds customer names and amounts, and anyone who can start a
 * workflow names its recipient, so recipients are limited to what MAIL_ALLOWED_RECIPIENTS lists:
 * addresses (jane@example.com), domains (example.com or @example.com, every address there), or
 * "*" (any, for a local mail sink). Unset, the domain of MAIL_DEFAULT_TO is allowed.
 */
export const ALLOWED_RECIPIENTS_SETTING = 'MAIL_ALLOWED_RECIPIENTS';

/** The bare address of "Name <a@b>" or "a@b". */
function bareAddress(value: string): string {
  return (/<([^<>]+)>\s*$/.exec(value)?.[1] ?? value).trim().toLowerCase();
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/** The configured entries, or by default the default recipient's domain. */
export function allowedRecipients(configured: readonly string[] | undefined, defaultTo: string): string[] {
  return configured?.length ? [...configured] : [domainOf(bareAddress(defaultTo))];
}

export function recipientAllowed(address: string, allowed: readonly string[]): boolean {
  const bare = bareAddress(address);
  return allowed.some((entry) => {
    const e = entry.trim().toLowerCase();
    if (e === '*') return true;
    if (e.includes('@') && !e.startsWith('@')) return e === bare;
    return domainOf(bare) === e.replace(/^@/, '');
  });
}

/** Why a report must not go to `address` (`field` names where it came from), or undefined. */
export function recipientProblem(field: string, address: string, allowed: readonly string[]): { message: string; fix: string } | undefined {
  if (recipientAllowed(address, allowed)) return undefined;
  return {
    message: `${field}: ${address} is not an allowed report recipient (${ALLOWED_RECIPIENTS_SETTING}: ${allowed.join(', ')})`,
    fix: `Name a recipient ${ALLOWED_RECIPIENTS_SETTING} allows, or add the address or its domain to ${ALLOWED_RECIPIENTS_SETTING} on the workers and restart them.`,
  };
}
