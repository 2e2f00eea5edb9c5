/**
 * Which accounting company a PSA record posts to. Each company names the ConnectWise locations,
 * business units (departments) and owner levels (a location's level in the corporate structure)
 * whose records it books; a record goes to the one company whose rule it matches. A record that
 * matches none, or more than one, fails on its own with the fix: it is never posted by guesswork.
 * Pure and bundle-safe.
 */
import type { RecordError } from './errors';

/** Accounting company names: what inputs, search attributes, schedules and task queues carry. */
export const COMPANY_NAME = /^[a-z0-9][a-z0-9-]{0,29}$/;
export const COMPANY_NAME_RULE = 'use 1-30 lower-case letters, digits or dashes, starting with a letter or digit';

/** The one company of a deployment that lists none (its QuickBooks connection comes from QBO_* settings). */
export const DEFAULT_COMPANY = 'default';

/**
 * A company's share of the PSA: a record matches when every key given here matches (a list matches
 * any of its ids). No key at all matches every record: only a deployment's single company may.
 */
export interface RoutingRule {
  locations?: readonly number[];
  businessUnits?: readonly number[];
  ownerLevels?: readonly number[];
}

export interface RoutedCompany {
  name: string;
  routing: RoutingRule;
}

/** Where a record sits in ConnectWise: the unposted row's `locationId` and `departmentId`. */
export interface RecordPlace {
  locationId?: number;
  departmentId?: number;
}

/** What ConnectWise says about a location (`/system/locations`): its name and owner level. */
export interface LocationFacts {
  name?: string;
  ownerLevelId?: number;
}

export type Route = { to: string } | { nowhere: true } | { ambiguous: string[] };

export function hasRoutingKeys(rule: RoutingRule): boolean {
  return rule.locations !== undefined || rule.businessUnits !== undefined || rule.ownerLevels !== undefined;
}

/** Whether a routing rule needs the location directory (owner levels are a location's). */
export function needsLocationFacts(companies: readonly RoutedCompany[]): boolean {
  return companies.some((c) => c.routing.ownerLevels !== undefined);
}

const within = (ids: readonly number[] | undefined, id: number | undefined) => ids === undefined || (id !== undefined && ids.includes(id));

export function matches(rule: RoutingRule, place: RecordPlace, location?: LocationFacts): boolean {
  return within(rule.locations, place.locationId) && within(rule.businessUnits, place.departmentId) && within(rule.ownerLevels, location?.ownerLevelId);
}

export function routeRecord(companies: readonly RoutedCompany[], place: RecordPlace, location?: LocationFacts): Route {
  const hits = companies.filter((c) => matches(c.routing, place, location)).map((c) => c.name);
  if (hits.length === 1) return { to: hits[0]! };
  return hits.length === 0 ? { nowhere: true } : { ambiguous: hits };
}

/** "location 4 (Tampa, owner level 2), business unit 3": what the record carries, for messages. */
export function describePlace(place: RecordPlace, location?: LocationFacts): string {
  const facts = [location?.name, location?.ownerLevelId === undefined ? undefined : `owner level ${location.ownerLevelId}`].filter(Boolean).join(', ');
  const where = place.locationId === undefined ? 'no location' : `location ${place.locationId}${facts ? ` (${facts})` : ''}`;
  return place.departmentId === undefined ? `${where}, no business unit` : `${where}, business unit ${place.departmentId}`;
}

/**
 * The record's failure when it does not route to `company`: to no company (add its place to one
 * company's routing), to several (make the rules exclusive), or to another company (it posts there).
 */
export function routingError(record: string, route: Route, company: string, place: RecordPlace, location?: LocationFacts): RecordError | undefined {
  if ('to' in route && route.to === company) return undefined;
  const where = describePlace(place, location);
  const restart = 'restart the workers and run retryFailed (or let the next batch pick it up)';
  if ('nowhere' in route) {
    return {
      type: 'Unrouted',
      message: `${record} is in ConnectWise ${where}, which no accounting company's routing covers, so it cannot be posted anywhere.`,
      fix:
        place.locationId === undefined
          ? `Give the record a location in ConnectWise, or route its business unit to a company (routing.businessUnits in the companies configuration); then ${restart}.`
          : `Add location ${place.locationId} to one accounting company's routing.locations in the companies configuration (or route its business unit or owner level), then ${restart}.`,
    };
  }
  if ('ambiguous' in route) {
    return {
      type: 'Unrouted',
      message: `${record} is in ConnectWise ${where}, which the routing of several accounting companies covers (${route.ambiguous.join(', ')}), so it is not posted to any of them.`,
      fix: `Make the routing rules of ${route.ambiguous.join(' and ')} exclusive in the companies configuration, then ${restart}.`,
    };
  }
  return {
    type: 'Unrouted',
    message: `${record} is in ConnectWise ${where}, which routes to accounting company ${route.to}, not ${company}.`,
    fix: `It posts in ${route.to}'s batch; nothing to do here unless the routing is wrong (then correct it and ${restart}).`,
  };
}
