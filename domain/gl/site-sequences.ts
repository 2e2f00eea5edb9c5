/**
 * A site's GL sequences as ConnectWise itself lists them: each mapped type row (GL Accounts >
 * Table choices) names its GL type and its place in that type's sequence (`sortOrder`, ascending:
 * the most granular table first, My Company: Owner last). A row Ledgerline cannot read (a table it
 * does not know, no GL type, a table listed twice for one type) is reported and left out; the rest
 * of the sequence stands.
 */
import { canonicalMappedType } from './mapped-types';
import { ACCOUNT_TYPE_CODES, ACCOUNT_TYPES, type AccountType, type MappedType } from './types';

export type GlSequences = Readonly<Record<AccountType, readonly MappedType[]>>;

/** One mapped type row as the API gives it (`/finance/glAccounts/mappedTypes`). */
export interface MappedTypeFact {
  id: number;
  name: string;
  glType?: string | null;
  sortOrder?: number | null;
}

const ACCOUNT_TYPE_BY_CODE: Readonly<Record<string, AccountType>> = Object.fromEntries(
  Object.entries(ACCOUNT_TYPE_CODES).map(([name, code]) => [code, name as AccountType]),
);

export function accountTypeOfCode(code: string | null | undefined): AccountType | undefined {
  return code ? ACCOUNT_TYPE_BY_CODE[code] : undefined;
}

export interface SiteSequences {
  sequences: GlSequences;
  /** One line per row left out, naming the row and why. */
  problems: string[];
}

export function sequencesFromMappedTypes(rows: readonly MappedTypeFact[]): SiteSequences {
  const problems: string[] = [];
  const byType = new Map<AccountType, Array<{ mappedType: MappedType; order: number; id: number }>>();
  for (const row of rows) {
    const name = `mapped type row ${row.id} ("${row.name}", GL type ${row.glType ?? 'none'})`;
    const accountType = accountTypeOfCode(row.glType);
    const mappedType = canonicalMappedType(row.name);
    if (!accountType) {
      problems.push(`${name}: no known GL account type; left out of every sequence`);
      continue;
    }
    if (!mappedType) {
      problems.push(`${name}: unknown table; left out of the ${accountType} sequence`);
      continue;
    }
    const list = byType.get(accountType) ?? [];
    if (list.some((e) => e.mappedType === mappedType)) {
      problems.push(`${name}: listed twice for ${accountType}; the first listing kept`);
      continue;
    }
    list.push({ mappedType, order: row.sortOrder ?? Number.MAX_SAFE_INTEGER, id: row.id });
    byType.set(accountType, list);
  }
  const sequences = Object.fromEntries(
    ACCOUNT_TYPES.map((t) => [t, (byType.get(t) ?? []).sort((a, b) => a.order - b.order || a.id - b.id).map((e) => e.mappedType)]),
  ) as Record<AccountType, MappedType[]>;
  return { sequences, problems };
}
