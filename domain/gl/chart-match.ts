/**
 * Matching GL strings and list names onto the accounting package's chart. Exact only: by name
 * (case-sensitive; sub-accounts by their full "Parent:Child" name) or by number when the company has
 * account numbers on. Never creates anything. A miss is an error naming what was looked for, how,
 * and the nearest candidates; a type misfit is a warning or an error, as configured.
 */
import { LedgerError } from '../errors';
import { accountMisfit, type AccountRole, type Country } from './account-fit';
import type { ChartAccount, ChartItem, ChartNamed, ChartParty, ChartSnapshot, LedgerRef } from './chart';
import { describeCandidates, nearestCandidates, type Candidate, type ListEntry, type MatchMode } from './near-matches';
import { identityKeyOf, partyIdentitiesOf, sameDisplayName, type NameHolder, type PartyList, type PartySource } from '../parties';
import { inactiveReferenceError } from './inactive-reference';

export interface ChartMatchOptions {
  /** How GL account strings are matched. "number" requires account numbers enabled. Default name. */
  mode?: MatchMode;
  /** The accounting company's country (ISO code), for expense tax. Default US. */
  country?: Country;
  /** Whether an account of the wrong type fails the line or only warns. Default error. */
  typeMisfit?: 'warning' | 'error';
}

export interface AccountMatch {
  ref: LedgerRef;
  account: ChartAccount;
  /** Misfits when typeMisfit is "warning"; empty when the account fits. */
  warnings: string[];
}

export interface ItemMatch {
  ref: LedgerRef;
  item: ChartItem;
}

export interface PartyLookup {
  name: string;
  /** A vendor's account number (Vendor.AcctNum); customers have none in QuickBooks Online. */
  accountNumber?: string;
  /** The ConnectWise company or member id, found in a party's Notes identity line. */
  source?: PartySource;
  psaId?: number;
}

export interface ChartMatcher {
  readonly mode: MatchMode;
  readonly country: Country;
  /** An account for a GL string in a given role (GL account type, or the COGS / Inventory field). */
  account(gl: string, role: AccountRole): AccountMatch;
  class(name: string): LedgerRef;
  item(productId: string): ItemMatch;
  /** An item by its QuickBooks Id (what a posted line's ItemRef holds), inactive ones included. */
  itemById(id: string): ChartItem | undefined;
  /**
   * The item that posts sales lines to this income (or deferred revenue) account: an active Service
   * or Non-inventory item whose IncomeAccountRef is the account. Several: Service before
   * Non-inventory, then by name, then by Id, so every run picks the same. Inventory, bundle and
   * category items are never chosen (their lines move stock or split). None: undefined.
   */
  postingItem(accountId: string): ItemMatch | undefined;
  taxCode(name: string): LedgerRef;
  term(name: string): LedgerRef;
  customer(party: PartyLookup): LedgerRef;
  vendor(party: PartyLookup): LedgerRef;
  /** The currency code of a customer or vendor by its QuickBooks Id, when the chart says. */
  partyCurrency(list: 'Customer' | 'Vendor', id: string): string | undefined;
  /** Every customer, vendor and employee holding this display name, inactive ones included. */
  nameHolders(name: string): NameHolder[];
}

const fullNameOf = (e: { Name: string; FullyQualifiedName?: string }) => e.FullyQualifiedName ?? e.Name;
const isActive = (e: { Active?: boolean }) => e.Active !== false;

/** Index active entries by key; duplicates keep every entry so an ambiguous key is reported, not guessed. */
function indexBy<T>(entries: readonly T[], keys: (e: T) => Array<string | undefined>): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const e of entries) {
    for (const k of new Set(keys(e))) {
      if (k === undefined || k === '') continue;
      const list = map.get(k);
      if (list) list.push(e);
      else map.set(k, [e]);
    }
  }
  return map;
}

function toListEntries(entries: readonly ChartNamed[]): ListEntry[] {
  return entries.map((e) => ({ fullName: fullNameOf(e), name: e.Name, active: isActive(e) }));
}

const NEVER_CREATED = 'Ledgerline never creates accounts or list entries.';

export function createChartMatcher(chart: ChartSnapshot, options: ChartMatchOptions = {}): ChartMatcher {
  const mode = options.mode ?? 'name';
  const country = options.country ?? 'US';
  const misfitIsError = (options.typeMisfit ?? 'error') === 'error';
  if (mode === 'number' && !chart.useAccountNumbers) {
    throw new LedgerError(
      'InvalidInput',
      'GL accounts are set to match by number, but the accounting company does not have account numbers enabled',
      { fix: 'Enable account numbers in QuickBooks Online (Settings > Advanced > Chart of accounts), or match GL accounts by name.' },
    );
  }

  const activeAccounts = chart.accounts.filter(isActive);
  const accountsByKey = indexBy(activeAccounts, (a) => (mode === 'number' ? [a.AcctNum?.trim()] : [fullNameOf(a)]));
  const accountEntries: ListEntry[] = chart.accounts.map((a) => ({
    fullName: fullNameOf(a),
    name: a.Name,
    number: a.AcctNum,
    active: isActive(a),
  }));

  function account(gl: string, role: AccountRole): AccountMatch {
    const hits = accountsByKey.get(mode === 'number' ? gl.trim() : gl) ?? [];
    if (hits.length > 1) {
      throw new LedgerError('Conflict', `GL account "${gl}" (${role}) matches ${hits.length} accounts by ${mode}: ${hits.map(fullNameOf).join(', ')}`, {
        fix: `Give the accounts distinct ${mode === 'number' ? 'numbers' : 'names'} in the accounting package.`,
        details: { gl, role, mode },
      });
    }
    const found = hits[0];
    if (found === undefined) {
      const candidates = nearestCandidates(gl, accountEntries, mode);
      const inactive = inactiveReferenceError((v) => `account "${v}" (GL account for ${role})`, candidates, { gl, role, mode }, 'AccountNotFound');
      if (inactive) throw inactive;
      throw new LedgerError(
        'AccountNotFound',
        `GL account "${gl}" (${role}) was not found in the chart of accounts, matching by ${mode}. Nearest: ${describeCandidates(candidates)}.`,
        { fix: missFix('the Account field of the GL Accounts setup row', candidates, true), details: { gl, role, mode, candidates } },
      );
    }
    const ref = { value: found.Id, name: fullNameOf(found) };
    const misfit = accountMisfit(role, found, country);
    if (misfit === undefined) return { ref, account: found, warnings: [] };
    const message = `GL account "${gl}" (${role}) matched "${fullNameOf(found)}", which ${misfit}`;
    if (misfitIsError) {
      throw new LedgerError('AccountTypeMismatch', message, {
        fix: `Point the ${role} mapping at an account of the expected type, or change the account's type in the accounting package.`,
        details: { gl, role, accountType: found.AccountType, accountSubType: found.AccountSubType },
      });
    }
    return { ref, account: found, warnings: [message] };
  }

  /** Exact lookup in a named list with a clear ReferenceNotFound on a miss. */
  function namedMatcher<T extends ChartNamed>(what: string, where: string, entries: readonly T[], keys: (e: T) => string[]) {
    const index = indexBy(entries.filter(isActive), keys);
    const listEntries = toListEntries(entries);
    return (wanted: string): T => {
      const hits = index.get(wanted) ?? [];
      if (hits.length === 1) return hits[0];
      if (hits.length > 1) {
        throw new LedgerError('Conflict', `${what} "${wanted}" matches ${hits.length} entries in the accounting package`, {
          fix: `Give the ${what.toLowerCase()} entries distinct names.`,
          details: { what, wanted },
        });
      }
      const candidates = nearestCandidates(wanted, listEntries, 'name');
      const inactive = inactiveReferenceError((v) => `${what.toLowerCase()} "${v}"`, candidates, { what, wanted });
      if (inactive) throw inactive;
      throw new LedgerError('ReferenceNotFound', `${what} "${wanted}" was not found in the accounting package. Nearest: ${describeCandidates(candidates)}.`, {
        fix: missFix(where, candidates, false),
        details: { what, wanted, candidates },
      });
    };
  }

  const classOf = namedMatcher('Class', 'the Class field of the GL Accounts setup row', chart.classes ?? [], (c) => [fullNameOf(c)]);
  // GL Product IDs are item names; an item in a category is also reachable by "Category:Item".
  const itemOf = namedMatcher('Item (GL Product ID)', 'the Product ID of the GL Accounts row or product', chart.items ?? [], (i) => [i.Name, fullNameOf(i)]);
  const taxCodeOf = namedMatcher('Tax code', 'the tax code cross-reference in ConnectWise', chart.taxCodes ?? [], (t) => [t.Name]);
  const termOf = namedMatcher('Term', "the billing terms' cross-reference in ConnectWise", chart.terms ?? [], (t) => [t.Name]);

  /**
   * A party by the ConnectWise identity line in its Notes first (it survives a rename), then, for
   * vendors, by account number, then by exact display name. An inactive party carrying the identity
   * is reported, never replaced by a second one.
   */
  function partyMatcher(what: 'Customer' | 'Vendor', parties: readonly ChartParty[]) {
    const active = parties.filter(isActive);
    const byIdentity = indexBy(parties, (p) => partyIdentitiesOf(p.Notes));
    const byNumber = indexBy(active, (p) => [what === 'Vendor' ? p.AcctNum : undefined]);
    const byName = indexBy(active, (p) => [p.DisplayName]);
    const entries: ListEntry[] = parties.map((p) => ({ fullName: p.DisplayName, name: p.DisplayName, number: p.AcctNum, active: isActive(p) }));
    return (party: PartyLookup): LedgerRef => {
      const identity = identityKeyOf(party);
      const identified = identity ? (byIdentity.get(identity) ?? []) : [];
      if (identified.length > 0 && !identified.some(isActive)) {
        const p = identified[0];
        throw new LedgerError('ReferenceNotFound', `${what} "${p.DisplayName}" (Id ${p.Id}), which carries ConnectWise ${party.source} #${party.psaId}, is inactive in the accounting package`, {
          fix: `Make ${what.toLowerCase()} "${p.DisplayName}" active in QuickBooks, or remove the ConnectWise line from its Notes, then retry.`,
          details: { what, name: party.name, psaId: party.psaId },
        });
      }
      const activeIdentified = identified.filter(isActive);
      const numbered = what === 'Vendor' && party.accountNumber ? byNumber.get(party.accountNumber) : undefined;
      const hits = activeIdentified.length > 0 ? activeIdentified : numbered && numbered.length > 0 ? numbered : (byName.get(party.name) ?? []);
      if (hits.length === 1) return { value: hits[0].Id, name: hits[0].DisplayName };
      if (hits.length > 1) {
        throw new LedgerError('Conflict', `${what} "${party.name}" matches ${hits.length} entries in the accounting package`, {
          fix: `Keep the ConnectWise line in the Notes of one ${what.toLowerCase()} only, or give the ${what.toLowerCase()}s distinct display names.`,
        });
      }
      const candidates = nearestCandidates(party.name, entries, 'name');
      const inactive = inactiveReferenceError((v) => `${what.toLowerCase()} "${v}"`, candidates, { what, name: party.name, accountNumber: party.accountNumber });
      if (inactive) throw inactive;
      const by = what === 'Vendor' && party.accountNumber ? `account number "${party.accountNumber}" or display name` : 'display name';
      throw new LedgerError('ReferenceNotFound', `${what} "${party.name}" was not found in the accounting package by ${by}. Nearest: ${describeCandidates(candidates)}.`, {
        fix: `Create the ${what.toLowerCase()} in QuickBooks under the exact name, or correct the name in ConnectWise, or let Ledgerline create missing customers and vendors (CREATE_MISSING_PARTIES=true).`,
        details: { what, name: party.name, accountNumber: party.accountNumber, candidates, missingParty: true },
      });
    };
  }
  const customerOf = partyMatcher('Customer', chart.customers ?? []);
  const vendorOf = partyMatcher('Vendor', chart.vendors ?? []);
  const currencies = (parties: readonly ChartParty[] = []) => new Map(parties.flatMap((p) => (p.CurrencyRef?.value ? [[p.Id, p.CurrencyRef.value] as const] : [])));
  const customerCurrencies = currencies(chart.customers);
  const vendorCurrencies = currencies(chart.vendors);

  const itemsById = new Map((chart.items ?? []).map((i) => [i.Id, i]));
  const postingItems = choosePostingItems(chart.items ?? []);

  const ref = (e: ChartNamed): LedgerRef => ({ value: e.Id, name: fullNameOf(e) });
  return {
    mode,
    country,
    account,
    class: (name) => ref(classOf(name)),
    item: (productId) => {
      const item = itemOf(productId);
      return { ref: ref(item), item };
    },
    itemById: (id) => itemsById.get(id),
    postingItem: (accountId) => {
      const item = postingItems.get(accountId);
      return item ? { ref: ref(item), item } : undefined;
    },
    taxCode: (name) => ref(taxCodeOf(name)),
    term: (name) => ref(termOf(name)),
    customer: customerOf,
    vendor: vendorOf,
    partyCurrency: (list, id) => (list === 'Customer' ? customerCurrencies : vendorCurrencies).get(id),
    nameHolders: (name) =>
      (
        [
          ['Customer', chart.customers ?? []],
          ['Vendor', chart.vendors ?? []],
          ['Employee', chart.employees ?? []],
        ] as Array<[PartyList, readonly ChartParty[]]>
      ).flatMap(([list, rows]) => rows.filter((r) => sameDisplayName(r.DisplayName, name)).map((r) => ({ list, Id: r.Id, DisplayName: r.DisplayName, Active: r.Active }))),
  };
}

const POSTING_ITEM_TYPES = ['Service', 'NonInventory'];

/** Income account Id -> the one item chosen to post to it (see ChartMatcher.postingItem). */
function choosePostingItems(items: readonly ChartItem[]): Map<string, ChartItem> {
  const rank = (i: ChartItem) => POSTING_ITEM_TYPES.indexOf(i.Type ?? '');
  const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const candidates = items
    .filter((i) => isActive(i) && rank(i) >= 0 && i.IncomeAccountRef?.value)
    .sort((a, b) => rank(a) - rank(b) || byKey(fullNameOf(a), fullNameOf(b)) || byKey(a.Id, b.Id));
  const chosen = new Map<string, ChartItem>();
  for (const i of candidates) if (!chosen.has(i.IncomeAccountRef!.value)) chosen.set(i.IncomeAccountRef!.value, i);
  return chosen;
}

function missFix(where: string, candidates: readonly Candidate[], isAccount: boolean): string {
  const suggestion = candidates.length > 0 ? ` (perhaps "${candidates[0].value}")` : '';
  const refresh = isAccount ? ' Then reopen and close the PSA record so its GL entries pick up the change.' : '';
  return `Make ${where} in ConnectWise match the accounting package exactly${suggestion}, or add the entry there. ${NEVER_CREATED}${refresh}`;
}
