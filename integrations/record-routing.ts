/**
 * Routes PSA records to the deployment's accounting companies (rules in domain/routing) with what
 * ConnectWise knows about each location: its name for messages and its owner level for rules that
 * route by it. The location list (`/system/locations`) is read only when needed and kept for a short
 * while, like the ledger context.
 */
import { RECORD_KIND_INFO, type RecordRef } from '../domain/contract';
import type { RecordError } from '../domain/errors';
import { isLedgerError } from '../domain/errors';
import { needsLocationFacts, routeRecord, routingError, type LocationFacts, type RecordPlace, type RoutedCompany, type Route } from '../domain/routing';
import type { ConnectWiseClient } from './connectwise';

export interface RecordRouter {
  readonly companies: readonly RoutedCompany[];
  /** The route of each record (by where it sits), in order. */
  routes(places: readonly RecordPlace[]): Promise<Route[]>;
  /** Why each record that does not route to `company` cannot post there, by index. */
  failures(refs: readonly RecordRef[], company: string): Promise<Map<number, RecordError>>;
}

/** A deployment with one company and no rules: every record is that company's. */
export function singleCompanyRouter(name: string): RecordRouter {
  return recordRouter(undefined, [{ name, routing: {} }]);
}

export function recordRouter(psa: ConnectWiseClient | undefined, companies: readonly RoutedCompany[], ttlMs = 30_000): RecordRouter {
  let cached: { at: number; locations: Promise<Map<number, LocationFacts>> } | undefined;
  const locations = (): Promise<Map<number, LocationFacts>> => {
    if (!psa) return Promise.resolve(new Map());
    if (cached && Date.now() - cached.at < ttlMs) return cached.locations;
    const read = psa.locations.all().then((rows) => new Map(rows.map((l) => [l.id, { name: l.name, ...(typeof l.ownerLevelId === 'number' && { ownerLevelId: l.ownerLevelId }) }])));
    cached = { at: Date.now(), locations: read };
    read.catch(() => (cached = undefined));
    return read;
  };
  /** Names for messages only: a site that does not let the API member read locations still routes by id. */
  const namesIfReadable = () => locations().catch((err: unknown) => {
    if (isLedgerError(err) && err.retryable) throw err;
    return new Map<number, LocationFacts>();
  });
  const factsOf = (directory: Map<number, LocationFacts>, place: RecordPlace) => (place.locationId === undefined ? undefined : directory.get(place.locationId));

  async function routes(places: readonly RecordPlace[]): Promise<Route[]> {
    const directory = needsLocationFacts(companies) ? await locations() : new Map<number, LocationFacts>();
    return places.map((place) => routeRecord(companies, place, factsOf(directory, place)));
  }

  return {
    companies,
    routes,
    async failures(refs, company) {
      const routed = await routes(refs);
      const out = new Map<number, RecordError>();
      if (routed.every((r) => 'to' in r && r.to === company)) return out;
      const directory = await namesIfReadable();
      routed.forEach((route, i) => {
        const ref = refs[i]!;
        const error = routingError(`${RECORD_KIND_INFO[ref.kind].label.one} ${ref.number}`, route, company, ref, factsOf(directory, ref));
        if (error) out.set(i, error);
      });
      return out;
    },
  };
}
