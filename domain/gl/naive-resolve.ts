/**
 * The rules of the resolver written as plainly as possible: for every line, scan the whole setup
 * table once per sequence step. No index, no precompiled flags. It is the oracle the compiled
 * resolver is tested against and the baseline the benchmark compares with; don't use it in
 * production paths (cost grows with table size x sequence length).
 */
import { LedgerError } from '../errors';
import { LINE_RECORD, canonicalMappedType } from './mapped-types';
import { DEFAULT_SEGMENTS, OWNER_MAPPING_MISSING_MESSAGE, mappingLabel, type GlSegment } from './resolver';
import { GL_SEQUENCES } from './sequences';
import { GL_FIELDS, type GlLineContext, type GlMapping, type GlResolved } from './types';

export function naiveResolveGl(
  mappings: readonly GlMapping[],
  line: GlLineContext,
  segments: readonly GlSegment[] = DEFAULT_SEGMENTS,
): GlResolved {
  const applies = (m: GlMapping, mappedType: string, record: string | undefined) =>
    m.accountType === line.accountType && canonicalMappedType(m.mappedType) === mappedType && m.mappedRecord === record;

  const hasOwner = mappings.some((m) => applies(m, 'My Company: Owner', line.owner));
  if (!hasOwner) {
    throw new LedgerError('MappingMissing', `${OWNER_MAPPING_MISSING_MESSAGE} (Account Type: ${line.accountType})`);
  }

  const out: GlResolved = { account: null, class: null, productId: null, inventory: null, cogs: null, salesCode: null, source: {} };
  let whole: GlMapping | undefined;
  for (const mappedType of GL_SEQUENCES[line.accountType]) {
    const record = LINE_RECORD[mappedType](line);
    for (const m of mappings) {
      if (!applies(m, mappedType, record)) continue;
      const label = mappingLabel(mappedType, m.mappedRecord);
      if (!whole && segments.length > 0 && segments.every((s) => m[s])) whole = m;
      for (const field of GL_FIELDS) {
        const value = m[field];
        if (out[field] === null && value) {
          out[field] = value;
          out.source[field] = label;
        }
      }
    }
  }
  if (whole) {
    for (const s of segments) {
      out[s] = whole[s] || null;
      out.source[s] = mappingLabel(canonicalMappedType(whole.mappedType)!, whole.mappedRecord);
    }
  }
  return out;
}
