/**
 * The GL Accounts setup table's wire rows as the GL engine's mapping rows, and the site's GL setup
 * as a whole: its mapped types (the sequence of each account type) and its GL captions (which of the
 * ten segments are configured, and whether each is part of the account or of the class).
 *
 * Segments: the configured Account segments, in order, joined with "-", are the account; the Class
 * segments likewise are the class. Without a captions row, segment 1 is the account and segment 2
 * the class. A row whose account (or class) has some of its segments filled and others blank is
 * reported and left out: Ledgerline resolves one whole account per row.
 */
import { accountTypeOfCode, sequencesFromMappedTypes, type GlSequences } from '../../domain/gl/site-sequences';
import { describeMappingRow } from '../../domain/gl/validate-mappings';
import type { GlSegment } from '../../domain/gl/resolver';
import type { AccountType, GlMapping, MappedType } from '../../domain/gl/types';
import type { GlAccount, GlCaption, MappedTypeRow } from './schemas/finance';

/** Joins the values of several segments of one kind into the account (or class) string. */
export const SEGMENT_SEPARATOR = '-';

const present = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** Which segment numbers make the account and which the class. */
export interface SegmentLayout {
  account: number[];
  class: number[];
}

const DEFAULT_LAYOUT: SegmentLayout = { account: [1], class: [2] };

/** The layout the captions row describes: a segment with a caption counts, typed Account unless it says Class. */
export function segmentLayout(captions: ReadonlyArray<GlCaption | Record<string, unknown>> | undefined): SegmentLayout {
  const row = captions?.[0] as Record<string, unknown> | undefined;
  if (!row) return DEFAULT_LAYOUT;
  const layout: SegmentLayout = { account: [], class: [] };
  for (let n = 1; n <= 10; n++) {
    if (!present(row[`segment${n}`])) continue;
    (row[`segment${n}type`] === 'Class' ? layout.class : layout.account).push(n);
  }
  return layout.account.length ? layout : DEFAULT_LAYOUT;
}

/** The segments the resolver's precedence rule counts (a mapping setting all of them wins whole). */
export function resolverSegments(layout: SegmentLayout): GlSegment[] {
  return layout.class.length ? ['account', 'class'] : ['account'];
}

/** The joined value of some segments of a row; `partial` when some are filled and others blank. */
function joined(row: Record<string, unknown>, prefix: 'segment' | 'cogs', numbers: number[]): { value?: string; partial: boolean } {
  const values = numbers.map((n) => present(row[`${prefix}${n}`]));
  const filled = values.filter((v): v is string => v !== undefined);
  if (filled.length === 0) return { partial: false };
  return { value: filled.join(SEGMENT_SEPARATOR), partial: filled.length !== values.length };
}

type Row = Record<string, unknown> & { glType?: string | null; mappedType?: { name?: string | null }; mappedRecord?: { id?: number | null; name?: string | null } };

function toMapping(r: Row, layout: SegmentLayout): { mapping: GlMapping; partial: string[] } {
  const account = joined(r, 'segment', layout.account);
  const cls = joined(r, 'segment', layout.class);
  const cogs = joined(r, 'cogs', layout.account);
  const partial = [account.partial && 'account', cls.partial && 'class', cogs.partial && 'COGS'].filter((x): x is string => typeof x === 'string');
  return {
    mapping: {
      accountType: accountTypeOfCode(r.glType) ?? (String(r.glType ?? 'none') as AccountType),
      mappedType: (r.mappedType?.name ?? '') as MappedType,
      mappedRecord: r.mappedRecord?.name ?? '',
      account: account.value,
      class: cls.value,
      productId: present(r.productId),
      inventory: present(r.inventory),
      cogs: cogs.value,
      salesCode: present(r.salesCode),
      ...(typeof r.id === 'number' ? { rowId: r.id } : {}),
      ...(typeof r.mappedRecord?.id === 'number' ? { recordId: r.mappedRecord.id } : {}),
    },
    partial,
  };
}

export function glAccountsToMappings(rows: ReadonlyArray<GlAccount | Record<string, unknown>>, layout: SegmentLayout = DEFAULT_LAYOUT): GlMapping[] {
  return rows.map((row) => toMapping(row as Row, layout).mapping);
}

export interface GlSetup {
  /** Every row the setup reader could read as one account per row (rows with partial segments left out). */
  mappings: GlMapping[];
  sequences: GlSequences;
  segments: GlSegment[];
  /** One line per mapped type row or GL Accounts row left out, naming it and why. */
  problems: string[];
}

/** The site's GL setup from its three setup tables as the API returns them. */
export function readGlSetup(
  glRows: ReadonlyArray<GlAccount | Record<string, unknown>>,
  mappedTypes: ReadonlyArray<MappedTypeRow>,
  captions: ReadonlyArray<GlCaption | Record<string, unknown>>,
): GlSetup {
  const layout = segmentLayout(captions);
  const { sequences, problems } = sequencesFromMappedTypes(mappedTypes.map((m) => ({ id: m.id, name: m.name, glType: m.glType, sortOrder: m.sortOrder })));
  const mappings: GlMapping[] = [];
  glRows.forEach((row, i) => {
    const { mapping, partial } = toMapping(row as Row, layout);
    if (partial.length) {
      problems.push(`${describeMappingRow(i, mapping)}: the ${partial.join(' and ')} has some segments blank (the GL captions configure ${layout.account.length} account and ${layout.class.length} class segments); left out`);
      return;
    }
    mappings.push(mapping);
  });
  return { mappings, sequences, segments: resolverSegments(layout), problems };
}
