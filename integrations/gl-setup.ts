/**
 * Today's GL setup read from ConnectWise itself: the GL Accounts rows, the mapped types (each account
 * type's sequence) and the GL captions (segments), compiled into a resolver. A row that cannot be
 * read is reported in `problems` and skipped; the rest of the table still resolves.
 */
import { createGlResolver, type GlResolver } from '../domain/gl';
import { LedgerError, isLedgerError } from '../domain/errors';
import { readGlSetup, type ConnectWiseClient } from './connectwise';

export interface CurrentGlSetup {
  resolver?: GlResolver;
  /** Why no resolver could be built at all (rows are skipped one by one, so this is rare). */
  resolverProblem?: LedgerError;
  /** Setup rows left out, one line each, for the checklist and the batch report. */
  problems: string[];
}

export async function loadGlSetup(psa: ConnectWiseClient): Promise<CurrentGlSetup> {
  const [glRows, mappedTypes, captions] = await Promise.all([psa.glAccounts.all(), psa.glMappedTypes.all(), psa.glCaptions.all()]);
  const setup = readGlSetup(glRows, mappedTypes, captions);
  try {
    const resolver = createGlResolver(setup.mappings, { sequences: setup.sequences, segments: setup.segments, invalidRows: 'skip' });
    return { resolver, problems: [...setup.problems, ...resolver.skipped] };
  } catch (err) {
    if (!isLedgerError(err)) throw err;
    return { resolverProblem: err, problems: setup.problems };
  }
}
