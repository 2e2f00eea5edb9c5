/** Small readers over the sandbox state shared by GL computation, rendering and routes. */
import { createGlResolver, type GlResolver } from '../../../domain/gl';
import type { GlMapping } from '../../../domain/gl/types';
import { readGlSetup } from '../../../integrations/connectwise/gl-mappings';
import type { MappedTypeRow } from '../../../integrations/connectwise/schemas/finance';
import { notFound } from './cw-errors';
import type { GlEntry, SandboxState, Wire } from './state';

/**
 * Positions by id of a state array, kept per array object. State arrays only grow at the end, are
 * replaced whole, or lose an element through `splice` (whose callers call `forgetIds`): the new tail
 * is indexed on the next lookup, and a position is checked against the array before it is trusted.
 */
const idPositions = new WeakMap<readonly { id: number }[], { length: number; at: Map<number, number> }>();

function positionsOf(items: readonly { id: number }[], rebuild = false): Map<number, number> {
  let cached = idPositions.get(items);
  if (!cached || rebuild || cached.length > items.length) {
    cached = { length: 0, at: new Map() };
    idPositions.set(items, cached);
  }
  for (let i = cached.length; i < items.length; i++) if (!cached.at.has(items[i]!.id)) cached.at.set(items[i]!.id, i);
  cached.length = items.length;
  return cached.at;
}

/** After removing elements from a state array (splice): its id positions are rebuilt on next use. */
export function forgetIds(items: readonly { id: number }[]): void {
  idPositions.delete(items);
}

/** The element with this id (the first, as `find` gives), without scanning the array. */
export function findById<T extends { id: number }>(items: readonly T[], id: number): T | undefined {
  let at = positionsOf(items).get(id);
  if (at !== undefined && items[at]?.id !== id) at = positionsOf(items, true).get(id);
  return at === undefined ? undefined : items[at];
}

/** The elements with these ids, in array order (as `filter` by id gives), each once. */
export function findByIds<T extends { id: number }>(items: readonly T[], ids: Iterable<number>): T[] {
  const found = new Map<number, T>();
  for (const id of ids) {
    const item = findById(items, id);
    if (item) found.set(positionsOf(items).get(id)!, item);
  }
  return [...found.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
}

export function byId<T extends { id: number }>(items: readonly T[], id: number, what: string): T {
  const found = findById(items, id);
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

/** The GL Accounts setup table (wire rows) as the GL engine's mapping rows: the client's own reading. */
export function glMappingsOf(state: SandboxState): GlMapping[] {
  return readGlSetup(state.glAccounts, mappedTypesOf(state), state.glCaptions ?? []).mappings;
}

const mappedTypesOf = (state: SandboxState) => state.mappedTypes as unknown as MappedTypeRow[];

/**
 * What ConnectWise resolves a closing record with: its own table in the order of its own mapped
 * types and captions. Rows it cannot use are left out, as the product does.
 */
export function siteResolver(state: SandboxState): GlResolver {
  const setup = readGlSetup(state.glAccounts, mappedTypesOf(state), state.glCaptions ?? []);
  return createGlResolver(setup.mappings, { sequences: setup.sequences, segments: setup.segments, invalidRows: 'skip' });
}

export function taxLevelsOf(state: SandboxState, taxCodeId: number): Wire[] {
  return state.taxCodeLevels.filter((l) => l.taxCodeId === taxCodeId).sort((a, b) => (a.taxLevel as number) - (b.taxLevel as number));
}

export function termsOf(state: SandboxState, termsId: number): Wire {
  return byId(state.billingTerms, termsId, 'Billing terms');
}

export const locationName = (state: SandboxState, id: number) => (state.locations.find((l) => l.id === id)?.name as string | undefined);
export const departmentName = (state: SandboxState, id: number) => (state.departments.find((d) => d.id === id)?.name as string | undefined);

/**
 * GL entries by id. Entries are only ever appended to a state (a reset builds a new state), so the
 * index is rebuilt only when the count changes; it holds the same objects, so batch marks show.
 */
const entryIndexes = new WeakMap<SandboxState, { size: number; byId: Map<number, GlEntry> }>();

export function entryIndex(state: SandboxState): Map<number, GlEntry> {
  let cached = entryIndexes.get(state);
  if (!cached || cached.size !== state.glEntries.length) {
    cached = { size: state.glEntries.length, byId: new Map(state.glEntries.map((e) => [e.id, e])) };
    entryIndexes.set(state, cached);
  }
  return cached.byId;
}

export function entriesOf(state: SandboxState, entryIds: readonly number[]): GlEntry[] {
  const index = entryIndex(state);
  return entryIds.map((id) => index.get(id)).filter((e): e is GlEntry => e !== undefined);
}

/** A stable reference id for a thing the sandbox keeps by name only (charge codes, warehouses, bins). */
export function nameId(name: string): number {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) % 100_000;
  return h + 1;
}
