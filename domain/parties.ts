/**
 * Customers and vendors Ledgerline may create in QuickBooks for ConnectWise companies, vendors and
 * expensing members (never accounts or items), and how the next run finds them again.
 *
 * Identity: the created party's `Notes` (a documented Customer and Vendor field, kept by QuickBooks
 * and free for people to add to) carries one line naming the ConnectWise company or member by its
 * id. A renamed party is still found by that line; a hand-made party is found by its exact display
 * name. `Customer.AcctNum` is a QuickBooks Desktop field, so it is never relied on.
 *
 * QuickBooks refuses a display name already used by any customer, vendor or employee (6240), so
 * the name is checked across the three lists before anything is created.
 */
import { LedgerError } from './errors';
import { fnv1a32 } from './short-hash';

export type PartyRole = 'customer' | 'vendor';
export type PartySource = 'company' | 'member';
export type PartyList = 'Customer' | 'Vendor' | 'Employee';

/** A party a record needs, as ConnectWise names it. */
export interface PartyNeed {
  role: PartyRole;
  /** Display name in QuickBooks: the ConnectWise company or member name. */
  name: string;
  /** What the ConnectWise id names: a company (customers, vendors) or a member (expenses). */
  source?: PartySource;
  psaId?: number;
  /** With multicurrency on: the currency to create the party in, when not the home currency. */
  currency?: string;
}

/** A name-list row that holds a display name (customer, vendor or employee). */
export interface NameHolder {
  list: PartyList;
  Id: string;
  DisplayName: string;
  Active?: boolean;
}

export const LIST_OF_ROLE: Record<PartyRole, PartyList> = { customer: 'Customer', vendor: 'Vendor' };

/** QuickBooks' DisplayName limit. */
export const DISPLAY_NAME_MAX_LENGTH = 500;

/** The Notes line that keeps a ConnectWise identity on a QuickBooks party. */
export function partyIdentityLine(source: PartySource, psaId: number): string {
  return `ConnectWise ${source} #${psaId}`;
}

const IDENTITY = /ConnectWise (company|member) #(\d+)(?!\d)/g;

/** Every ConnectWise identity a party's Notes carries, as "company:250". */
export function partyIdentitiesOf(notes: string | undefined): string[] {
  return [...(notes ?? '').matchAll(IDENTITY)].map((m) => `${m[1]}:${m[2]}`);
}

export function identityKeyOf(need: Pick<PartyNeed, 'source' | 'psaId'>): string | undefined {
  return need.source !== undefined && need.psaId !== undefined ? `${need.source}:${need.psaId}` : undefined;
}

/** One key per party a batch may create: the same party needed by many records is created once. */
export function partyKey(need: PartyNeed): string {
  return `${need.role}:${identityKeyOf(need) ?? `name:${need.name}`}`;
}

/**
 * The reference a payload carries for a party still to be created: the same in every attempt, so
 * the draft digest is stable, and replaced by the created party's Id before anything is sent.
 */
export function pendingPartyRef(need: PartyNeed): { value: string; name: string } {
  const key = partyKey(need);
  return { value: `pending:${hex8(fnv1a32(key, 0x811c9dc5))}${hex8(fnv1a32(key, 0x01000193))}`, name: need.name };
}

const hex8 = (hash: number): string => hash.toString(16).padStart(8, '0');

export function isPendingPartyRef(ref: { value: string } | undefined): boolean {
  return ref !== undefined && ref.value.startsWith('pending:');
}

/** Why QuickBooks would refuse this display name, or undefined. */
export function displayNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'it is empty';
  if (/[:\t\n]/.test(name)) return 'it contains a colon, tab or line break, which QuickBooks does not allow in display names';
  if (name.length > DISPLAY_NAME_MAX_LENGTH) return `it is longer than ${DISPLAY_NAME_MAX_LENGTH} characters`;
  return undefined;
}

/** The create body: only documented Customer/Vendor fields. */
export function newPartyBody(need: PartyNeed): Record<string, unknown> {
  const body: Record<string, unknown> = { DisplayName: need.name };
  if (need.source !== 'member') body.CompanyName = need.name;
  if (need.source !== undefined && need.psaId !== undefined) body.Notes = `${partyIdentityLine(need.source, need.psaId)} (created by Ledgerline)`;
  if (need.currency !== undefined) body.CurrencyRef = { value: need.currency };
  return body;
}

/** QuickBooks compares display names without regard to case or surrounding spaces. */
export function sameDisplayName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function describeNeed(need: PartyNeed): string {
  const id = need.psaId !== undefined ? ` #${need.psaId}` : '';
  return need.source === 'member' ? `ConnectWise member "${need.name}"${id}` : `ConnectWise company "${need.name}"${id}`;
}

/**
 * A name clash found before creating: which list holds the name, and how to fix it. The fix
 * keeps the identity line, so a party made by hand under another name is found on the next run.
 */
export function partyCollision(need: PartyNeed, holder: NameHolder, record?: string): LedgerError {
  const list = LIST_OF_ROLE[need.role];
  const what = holder.list !== list ? `${holder.list === 'Employee' ? 'an' : 'a'} ${holder.list.toLowerCase()}` : holder.Active === false ? `an inactive ${list.toLowerCase()}` : `${list.toLowerCase()} "${holder.DisplayName}"`;
  const identity = need.source !== undefined && need.psaId !== undefined ? `"${partyIdentityLine(need.source, need.psaId)}"` : undefined;
  const byHand = identity
    ? `or create the ${need.role} by hand under another display name with the line ${identity} in its Notes (the next run finds it by that line)`
    : `or create the ${need.role} by hand under the exact name`;
  const fix =
    holder.list === list
      ? `If ${holder.list.toLowerCase()} "${holder.DisplayName}" (Id ${holder.Id}) is this party, make it active and give it the exact name${identity ? ` or the line ${identity} in its Notes` : ''}; otherwise rename it, ${byHand}; then retry.`
      : `QuickBooks display names are unique across customers, vendors and employees: rename ${holder.list.toLowerCase()} "${holder.DisplayName}" (Id ${holder.Id}) in QuickBooks, ${byHand}, then retry.`;
  return new LedgerError('Conflict', `${record ? `${record}: ` : ''}cannot create ${list} "${need.name}" for ${describeNeed(need)}: ${what} already uses that display name (Id ${holder.Id})`, {
    record,
    fix,
    details: { party: need.role, holderList: holder.list, holderId: holder.Id },
  });
}

/** A name QuickBooks would refuse: the record fails with the fix, nothing is created. */
export function partyNameRefused(need: PartyNeed, problem: string, record?: string): LedgerError {
  return new LedgerError('ValidationRejected', `${record ? `${record}: ` : ''}cannot create ${LIST_OF_ROLE[need.role]} "${need.name}" for ${describeNeed(need)}: ${problem}`, {
    record,
    fix: `Correct the name in ConnectWise, or create the ${need.role} in QuickBooks by hand${need.source !== undefined && need.psaId !== undefined ? ` with the line "${partyIdentityLine(need.source, need.psaId)}" in its Notes` : ''}, then retry.`,
  });
}

/**
 * The first holder of the name: any customer, vendor or employee (inactive ones included, and a
 * same-list party whose name differs only in case) makes QuickBooks refuse the new one.
 */
export function clashingHolder(need: PartyNeed, holders: readonly NameHolder[]): NameHolder | undefined {
  return holders.find((h) => sameDisplayName(h.DisplayName, need.name));
}
