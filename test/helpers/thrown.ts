import { LedgerError } from '../../domain/errors';

/** The LedgerError `fn` throws; fails the test when it throws nothing or something else. */
export function thrown(fn: () => unknown): LedgerError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LedgerError) return e;
    throw e;
  }
  throw new Error('expected a LedgerError');
}
