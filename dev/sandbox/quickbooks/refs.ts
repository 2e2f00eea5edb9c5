/**
 * Reference checks, as QuickBooks makes them on every write: a `*Ref` must name an existing
 * object (else 2500) that is still active (else 610). The sandbox never creates a missing account.
 */
import { inactiveReference, invalidReference, requiredMissing } from './faults';
import type { QboEntity, RealmState } from './state';

/** How QuickBooks names each list in its "element id ... not found" detail. */
const LABELS: Record<string, string> = {
  Account: 'Accounts',
  Item: 'Items',
  Customer: 'Names',
  Vendor: 'Names',
  Class: 'Classes',
  Term: 'Terms',
  TaxCode: 'TaxCodes',
  TaxRate: 'TaxRates',
};

export function refId(ref: unknown): string | undefined {
  if (ref && typeof ref === 'object' && 'value' in ref) {
    const v = (ref as { value: unknown }).value;
    if (typeof v === 'string' && v.length) return v;
    if (typeof v === 'number') return String(v);
  }
  return undefined;
}

/** Resolves a reference that must be there; `element` names the field in the fault. */
export function resolveRef(realm: RealmState, entity: string, ref: unknown, element: string): QboEntity {
  const id = refId(ref);
  if (id === undefined) throw requiredMissing(element);
  const row = realm.entities[entity]?.[id];
  if (!row) throw invalidReference(LABELS[entity] ?? entity, id, element);
  if (row.Active === false) throw inactiveReference(element);
  return row;
}

/** Resolves a reference only when one was sent. */
export function optionalRef(realm: RealmState, entity: string, ref: unknown, element: string): QboEntity | undefined {
  return ref === undefined || ref === null ? undefined : resolveRef(realm, entity, ref, element);
}

/** Writes back a canonical `{value, name}` so reads show the display name as QuickBooks does. */
export function canonicalRef(row: QboEntity): { value: string; name: string } {
  const name = (row.FullyQualifiedName ?? row.DisplayName ?? row.Name ?? '') as string;
  return { value: row.Id, name };
}

export function firstAccountOfType(realm: RealmState, accountType: string): QboEntity | undefined {
  return Object.values(realm.entities.Account ?? {}).find((a) => a.AccountType === accountType && a.Active !== false);
}
