/**
 * Requests that carry credentials never follow redirects: a redirect could take the keys or tokens
 * to another host or over plain http. The answer becomes an error naming where it pointed.
 */
import { LedgerError } from '../domain/errors';

export function redirectRefused(what: string, res: { status: number; headers: Headers }, setting: string): LedgerError {
  const location = res.headers.get('location') ?? '';
  let to = 'an unnamed place';
  try {
    to = new URL(location).origin;
  } catch {
    if (location) to = 'a relative location';
  }
  return new LedgerError('ResponseShapeMismatch', `${what} answered a redirect (HTTP ${res.status}) to ${to}; not followed, since the request carries credentials`, {
    fix: `Set ${setting} to the URL the service answers on directly (https).`,
    details: { httpStatus: res.status, redirectTo: to },
  });
}
