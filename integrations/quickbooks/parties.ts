/**
 * Creating a missing customer or vendor exactly once, whatever runs alongside (chunks of one batch,
 * overlapping attempts) and whatever answer is lost:
 *   - right before creating, the name is looked up fresh in customers, vendors and employees: a
 *     party of the wanted list carrying the ConnectWise identity line (or, without one, the exact
 *     name) is the one an earlier attempt or a concurrent chunk created, and is used;
 *   - any other holder of the name is a clash, reported with its fix (QuickBooks would refuse 6240);
 *   - the create's requestid depends only on the company and the party, so overlapping creates get
 *     QuickBooks' replay, and a 6240 answer (someone was faster) is resolved by looking up again.
 */
import { createHash } from 'node:crypto';
import { LedgerError, isLedgerError } from '../../domain/errors';
import {
  LIST_OF_ROLE,
  clashingHolder,
  identityKeyOf,
  newPartyBody,
  partyCollision,
  partyIdentitiesOf,
  partyKey,
  type NameHolder,
  type PartyList,
  type PartyNeed,
} from '../../domain/parties';
import type { QuickBooksClient } from './client';
import { MAX_REQUEST_ID } from './request-id';

export interface EnsuredParty {
  ref: { value: string; name: string };
  created: boolean;
}

interface HolderRow extends NameHolder {
  Notes?: string;
}

const LISTS: readonly PartyList[] = ['Customer', 'Vendor', 'Employee'];

/** The create's requestid: the same for every attempt that creates this party in this company. */
export function partyRequestId(realmId: string, need: PartyNeed): string {
  return `LP${createHash('sha256').update(`${realmId}|${partyKey(need)}|${need.name}`).digest('hex')}`.slice(0, Math.min(34, MAX_REQUEST_ID));
}

/** Every customer, vendor and employee with this display name, inactive ones included. */
async function holdersOf(ledger: QuickBooksClient, name: string): Promise<HolderRow[]> {
  const where = [
    { field: 'DisplayName', op: '=' as const, value: name },
    { field: 'Active', op: 'IN' as const, value: [true, false] },
  ];
  const found = await Promise.all(LISTS.map((list) => ledger.queryAll(list, { where })));
  return LISTS.flatMap((list, i) =>
    found[i].map((row) => {
      const r = row as Record<string, unknown>;
      return { list, Id: String(r.Id), DisplayName: String(r.DisplayName ?? ''), Active: r.Active !== false, Notes: typeof r.Notes === 'string' ? r.Notes : undefined };
    }),
  );
}

/** The party already there for this need, or undefined; throws when it is there but inactive. */
function ownParty(need: PartyNeed, holders: readonly HolderRow[], record?: string): HolderRow | undefined {
  const list = LIST_OF_ROLE[need.role];
  const identity = identityKeyOf(need);
  const mine = holders.filter((h) => h.list === list && (identity ? partyIdentitiesOf(h.Notes).includes(identity) : h.DisplayName === need.name));
  // A same-list party under the exact name is what the name lookup would have matched.
  const candidate = mine.find((h) => h.Active !== false) ?? holders.find((h) => h.list === list && h.Active !== false && h.DisplayName === need.name) ?? mine[0];
  if (candidate && candidate.Active === false) throw partyCollision(need, candidate, record);
  return candidate;
}

function judge(need: PartyNeed, holders: readonly HolderRow[], record?: string): EnsuredParty | undefined {
  const own = ownParty(need, holders, record);
  if (own) return { ref: { value: own.Id, name: own.DisplayName }, created: false };
  const clash = clashingHolder(need, holders);
  if (clash) throw partyCollision(need, clash, record);
  return undefined;
}

/** Finds or creates the party; business problems (a clash) are thrown as LedgerErrors with the fix. */
export async function ensureParty(ledger: QuickBooksClient, need: PartyNeed, record?: string): Promise<EnsuredParty> {
  const before = judge(need, await holdersOf(ledger, need.name), record);
  if (before) return before;
  const entity = LIST_OF_ROLE[need.role] as 'Customer' | 'Vendor';
  try {
    const created = (await ledger.create(entity, newPartyBody(need), { requestId: partyRequestId(ledger.realmId, need) })) as Record<string, unknown>;
    return { ref: { value: String(created.Id), name: String(created.DisplayName ?? need.name) }, created: true };
  } catch (err) {
    if (!isLedgerError(err) || err.details?.code !== '6240') throw err;
    // Someone created the name between the look-up and the create: ours, or a clash.
    const after = judge(need, await holdersOf(ledger, need.name), record);
    if (after) return after;
    throw new LedgerError('Conflict', `${record ? `${record}: ` : ''}QuickBooks refused ${entity} "${need.name}" as a duplicate name, but no customer, vendor or employee with that name is visible`, {
      record,
      fix: 'Look for the name among inactive or merged names in QuickBooks, rename it, then retry.',
      details: { code: '6240' },
    });
  }
}
