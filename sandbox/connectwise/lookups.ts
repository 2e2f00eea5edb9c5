/** Small readers over the sandbox state shared by GL computation, rendering and routes. */
import { ACCOUNT_TYPE_CODES, type AccountType, type GlMapping, type MappedType } from '../../domain/gl/types';
import { notFound } from './cw-errors';
import type { SandboxState, Wire } from './state';

export function byId<T extends { id: number }>(items: readonly T[], id: number, what: string): T {
  const found = items.find((i) => i.id === id);
  if (!found) throw notFound(`${what} recId ${id}`);
  return found;
}

export const ref = (w: Wire | undefined, key: 'name' | 'identifier' = 'name') =>
  w ? { id: w.id, [key]: w[key] as string, _info: {} } : null;

export const companyRef = (w: Wire) => ({ id: w.id, identifier: w.identifier as string, name: w.name as string, _info: {} });

export const centsToNumber = (cents: number): number => Math.round(cents) / 100;

export function addDays(isoDate: string, days: number): string {
  const d = new Date(isoDate);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const ACCOUNT_TYPE_BY_CODE = Object.fromEntries(Object.entries(ACCOUNT_TYPE_CODES).map(([name, code]) => [code, name])) as Record<string, AccountType>;

/** The GL Accounts setup table (wire rows) as the GL engine's mapping rows. */
export function glMappingsOf(state: SandboxState): GlMapping[] {
  const blankToUndefined = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return state.glAccounts.map((row) => ({
    accountType: ACCOUNT_TYPE_BY_CODE[row.glType as string] as AccountType,
    mappedType: (row.mappedType as { name: string }).name as MappedType,
    mappedRecord: (row.mappedRecord as { name: string }).name,
    account: blankToUndefined(row.segment1),
    class: blankToUndefined(row.segment2),
    productId: blankToUndefined(row.productId),
    inventory: blankToUndefined(row.inventory),
    cogs: blankToUndefined(row.cogs1),
    salesCode: blankToUndefined(row.salesCode),
  }));
}

export function taxLevelsOf(state: SandboxState, taxCodeId: number): Wire[] {
  return state.taxCodeLevels.filter((l) => l.taxCodeId === taxCodeId).sort((a, b) => (a.taxLevel as number) - (b.taxLevel as number));
}

export function termsOf(state: SandboxState, termsId: number): Wire {
  return byId(state.billingTerms, termsId, 'Billing terms');
}

export const locationName = (state: SandboxState, id: number) => (state.locations.find((l) => l.id === id)?.name as string | undefined);
export const departmentName = (state: SandboxState, id: number) => (state.departments.find((d) => d.id === id)?.name as string | undefined);
