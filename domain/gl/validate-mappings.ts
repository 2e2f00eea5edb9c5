/**
 * Validation of the GL Accounts setup table, done once before it is indexed. Every problem is
 * collected so one error lists all of them: a finance admin fixes the table in one sitting.
 */
import { LedgerError } from '../errors';
import { canonicalMappedType, isAccountType } from './mapped-types';
import { GL_SEQUENCES } from './sequences';
import type { GlSequences } from './site-sequences';
import { GL_FIELDS, type GlMapping } from './types';

/** ConnectWise's limit for every field of the setup table. */
export const GL_FIELD_MAX_LENGTH = 255;

/** How a row is named in messages: its id in ConnectWise (else its 1-based position) and its key. */
export function describeMappingRow(index: number, row: { accountType?: unknown; mappedType?: unknown; mappedRecord?: unknown; rowId?: number }): string {
  const which = row.rowId === undefined ? `row ${index + 1}` : `GL Accounts row ${row.rowId}`;
  return `${which} (${String(row.accountType)} / ${String(row.mappedType)} / ${String(row.mappedRecord)})`;
}

const LENGTH_CHECKED = ['mappedRecord', ...GL_FIELDS] as const;

/**
 * Split the rows into the usable ones (canonical mapped types, "My Company: Group" -> "Groups") and
 * one problem line per row that is not: an unknown account or mapped type, a table the account
 * type's sequence does not offer, an empty record, an over-long field, the second of two rows for
 * the same account type, table and record (the first is kept).
 */
export function partitionGlMappings(rows: readonly GlMapping[], sequences: GlSequences = GL_SEQUENCES): { rows: GlMapping[]; problems: string[] } {
  const problems: string[] = [];
  const normalised: GlMapping[] = [];
  const firstRowByKey = new Map<string, number>();

  rows.forEach((row, i) => {
    const name = describeMappingRow(i, row);
    let ok = true;
    if (!isAccountType(row.accountType)) {
      problems.push(`${name}: unknown account type "${row.accountType}"`);
      ok = false;
    }
    const mappedType = canonicalMappedType(row.mappedType);
    if (mappedType === undefined) {
      problems.push(`${name}: unknown mapped type "${row.mappedType}"`);
      ok = false;
    } else if (ok && !sequences[row.accountType].includes(mappedType)) {
      problems.push(`${name}: mapped type "${mappedType}" is not offered for account type ${row.accountType}`);
      ok = false;
    }
    if (typeof row.mappedRecord !== 'string' || row.mappedRecord.length === 0) {
      problems.push(`${name}: the mapped record is empty`);
      ok = false;
    }
    for (const field of LENGTH_CHECKED) {
      const value = row[field];
      if (typeof value === 'string' && value.length > GL_FIELD_MAX_LENGTH) {
        problems.push(`${name}: ${field} is ${value.length} characters; ConnectWise allows ${GL_FIELD_MAX_LENGTH}`);
        ok = false;
      }
    }
    if (!ok || mappedType === undefined) return;

    const key = `${row.accountType}\u0000${mappedType}\u0000${row.mappedRecord}`;
    const first = firstRowByKey.get(key);
    if (first !== undefined) {
      problems.push(
        `${describeMappingRow(first, rows[first])} and ${name} map the same account type, mapped type and record; keep one`,
      );
      return;
    }
    firstRowByKey.set(key, i);
    normalised.push({ ...row, mappedType });
  });
  return { rows: normalised, problems };
}

/**
 * Check the rows and return them with canonical mapped types.
 * Throws LedgerError('MappingInvalid') naming every offending row; details.problems lists them.
 */
export function validateGlMappings(rows: readonly GlMapping[], sequences: GlSequences = GL_SEQUENCES): GlMapping[] {
  const { rows: normalised, problems } = partitionGlMappings(rows, sequences);
  if (problems.length > 0) {
    throw new LedgerError('MappingInvalid', `GL Accounts setup table is invalid: ${problems.join('; ')}`, {
      fix: 'Correct these rows in System > Setup Tables > GL Accounts, then resolve again.',
      details: { problems },
    });
  }
  return normalised;
}
