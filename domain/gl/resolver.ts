/**
 * The compiled GL resolver: the setup table is validated and indexed once, then each line costs one
 * hash lookup per step of its account type's sequence (at most ~10), whatever the table's size.
 *
 * Rules (ConnectWise's GL sequence logic):
 * - every field rolls up independently from the most granular applicable mapping that sets it;
 * - precedence: if an applicable mapping sets every configured segment, the most granular such
 *   mapping supplies all segments whole (non-segment fields still roll up on their own);
 * - an account type with no My Company: Owner row for the line's owner is ConnectWise's
 *   "Corporate Level" error.
 */
import { LedgerError } from '../errors';
import { LINE_RECORD } from './mapped-types';
import { GL_SEQUENCES } from './sequences';
import type { GlSequences } from './site-sequences';
import { partitionGlMappings, validateGlMappings } from './validate-mappings';
import {
  ACCOUNT_TYPES,
  GL_FIELDS,
  type AccountType,
  type GlField,
  type GlLineContext,
  type GlMapping,
  type GlResolved,
  type MappedType,
} from './types';

/** ConnectWise's own wording, kept verbatim so people can search for it. */
export const OWNER_MAPPING_MISSING_MESSAGE =
  'The Corporate Level (My Company: Owner) mapping does not exist for this Account Type.';

/** Segments of the account string; the rest (productId, inventory, cogs, salesCode) are not segments. */
export type GlSegment = 'account' | 'class';

export interface GlResolverOptions {
  /** The segments the accounting package uses (GL captions). Default: account and class. */
  segments?: readonly GlSegment[];
  /** The site's sequences (read from its mapped types). Default: ConnectWise's documented ones. */
  sequences?: GlSequences;
  /**
   * "fail" (default): one invalid row makes the whole table an error. "skip": invalid rows are
   * left out and listed in `skipped`, the rest resolves.
   */
  invalidRows?: 'fail' | 'skip';
}

export type GlResolveOutcome = ({ ok: true } & GlResolved) | { ok: false; error: LedgerError };

export interface GlResolver {
  /** Resolve one line; throws LedgerError (MappingMissing, InvalidInput) for a per-line problem. */
  resolve(line: GlLineContext): GlResolved;
  /** Same, with a per-line problem returned as a value (for batches and reports). */
  tryResolve(line: GlLineContext): GlResolveOutcome;
  /** The validated rows (canonical mapped types), for explain and checklist tools. */
  readonly mappings: readonly GlMapping[];
  readonly segments: readonly GlSegment[];
  /** Rows left out with invalidRows "skip", one problem line each. */
  readonly skipped: readonly string[];
  /** The mapped types a line of this account type is matched against: those of its sequence with rows, and the owner. */
  consults(accountType: AccountType): readonly MappedType[];
}

/** One mapping row, ready to apply: field values with blanks as null and its trace label. */
interface CompiledMapping {
  readonly label: string;
  readonly values: Readonly<Record<GlField, string | null>>;
  readonly setsAllSegments: boolean;
}

interface CompiledStep {
  readonly mappedType: MappedType;
  readonly recordOf: (line: GlLineContext) => string | undefined;
  readonly byRecord: ReadonlyMap<string, CompiledMapping>;
}

interface CompiledAccountType {
  readonly owners: ReadonlySet<string>;
  /** Only steps that have at least one row: empty levels cost nothing at resolve time. */
  readonly steps: readonly CompiledStep[];
}

export const DEFAULT_SEGMENTS: readonly GlSegment[] = ['account', 'class'];

/** "<mapped type>: <record>", the format of each step in a resolution trace. */
export function mappingLabel(mappedType: MappedType, record: string): string {
  return `${mappedType}: ${record}`;
}

function compileMapping(row: GlMapping, segments: readonly GlSegment[]): CompiledMapping {
  const values = {} as Record<GlField, string | null>;
  for (const field of GL_FIELDS) {
    const v = row[field];
    values[field] = v === undefined || v === '' ? null : v;
  }
  return {
    label: mappingLabel(row.mappedType, row.mappedRecord),
    values,
    setsAllSegments: segments.length > 0 && segments.every((s) => values[s] !== null),
  };
}

export function createGlResolver(mappings: readonly GlMapping[], options: GlResolverOptions = {}): GlResolver {
  const segments = options.segments ?? DEFAULT_SEGMENTS;
  const sequences = options.sequences ?? GL_SEQUENCES;
  let rows: GlMapping[];
  let skipped: string[] = [];
  if (options.invalidRows === 'skip') ({ rows, problems: skipped } = partitionGlMappings(mappings, sequences));
  else rows = validateGlMappings(mappings, sequences);

  const byType = new Map<AccountType, Map<MappedType, Map<string, CompiledMapping>>>();
  for (const row of rows) {
    let tables = byType.get(row.accountType);
    if (!tables) byType.set(row.accountType, (tables = new Map()));
    let records = tables.get(row.mappedType);
    if (!records) tables.set(row.mappedType, (records = new Map()));
    records.set(row.mappedRecord, compileMapping(row, segments));
  }

  const compiled = new Map<AccountType, CompiledAccountType>();
  for (const accountType of ACCOUNT_TYPES) {
    const tables = byType.get(accountType);
    const steps: CompiledStep[] = [];
    for (const mappedType of sequences[accountType]) {
      const byRecord = tables?.get(mappedType);
      if (byRecord) steps.push({ mappedType, recordOf: LINE_RECORD[mappedType], byRecord });
    }
    const owners = new Set(tables?.get('My Company: Owner')?.keys() ?? []);
    compiled.set(accountType, { owners, steps });
  }

  function resolve(line: GlLineContext): GlResolved {
    const plan = compiled.get(line.accountType);
    if (plan === undefined) {
      throw new LedgerError('InvalidInput', `Unknown account type "${String(line.accountType)}" on a GL line`, {
        fix: `Use one of: ${ACCOUNT_TYPES.join(', ')}.`,
      });
    }
    if (!plan.owners.has(line.owner)) throw ownerMissing(line);

    const out: GlResolved = {
      account: null,
      class: null,
      productId: null,
      inventory: null,
      cogs: null,
      salesCode: null,
      source: {},
    };
    let whole: CompiledMapping | undefined;
    for (const step of plan.steps) {
      const record = step.recordOf(line);
      if (record === undefined) continue;
      const m = step.byRecord.get(record);
      if (m === undefined) continue;
      if (whole === undefined && m.setsAllSegments) whole = m;
      const v = m.values;
      if (out.account === null && v.account !== null) { out.account = v.account; out.source.account = m.label; }
      if (out.class === null && v.class !== null) { out.class = v.class; out.source.class = m.label; }
      if (out.productId === null && v.productId !== null) { out.productId = v.productId; out.source.productId = m.label; }
      if (out.inventory === null && v.inventory !== null) { out.inventory = v.inventory; out.source.inventory = m.label; }
      if (out.cogs === null && v.cogs !== null) { out.cogs = v.cogs; out.source.cogs = m.label; }
      if (out.salesCode === null && v.salesCode !== null) { out.salesCode = v.salesCode; out.source.salesCode = m.label; }
    }
    if (whole !== undefined) {
      for (const s of segments) {
        out[s] = whole.values[s];
        out.source[s] = whole.label;
      }
    }
    return out;
  }

  return {
    resolve,
    tryResolve(line) {
      try {
        return { ok: true, ...resolve(line) };
      } catch (err) {
        if (err instanceof LedgerError) return { ok: false, error: err };
        throw err;
      }
    },
    mappings: rows,
    segments,
    skipped,
    consults(accountType) {
      const steps = compiled.get(accountType)?.steps ?? [];
      return [...new Set<MappedType>(['My Company: Owner', ...steps.map((s) => s.mappedType)])];
    },
  };
}

function ownerMissing(line: GlLineContext): LedgerError {
  const accountType = String(line.accountType);
  return new LedgerError('MappingMissing', `${OWNER_MAPPING_MISSING_MESSAGE} (Account Type: ${accountType})`, {
    fix: `Add a GL Accounts row: Account Type ${accountType}, Table My Company: Owner, Record ${line.owner}.`,
    details: { accountType, owner: line.owner },
  });
}
