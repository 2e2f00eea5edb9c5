/**
 * Routing PSA records to accounting companies by location, business unit and owner level: each
 * record to exactly one company, or a failure naming where it sits and the fix.
 */
import { routeRecord, routingError, type RoutedCompany } from '../../../domain/routing';
import { recordRouter } from '../../../integrations/record-routing';
import type { ConnectWiseClient } from '../../../integrations/connectwise';
import type { RecordRef } from '../../../domain/contract';

const companies: RoutedCompany[] = [
  { name: 'east', routing: { locations: [1, 2] } },
  { name: 'west', routing: { locations: [3], businessUnits: [1] } },
  { name: 'consulting', routing: { locations: [3], businessUnits: [2] } },
  { name: 'south', routing: { ownerLevels: [7] } },
];

describe('routing records to accounting companies', () => {
  it('every key a rule names must match; a list matches any of its ids', () => {
    expect(routeRecord(companies, { locationId: 2, departmentId: 9 })).toEqual({ to: 'east' });
    expect(routeRecord(companies, { locationId: 3, departmentId: 1 })).toEqual({ to: 'west' });
    expect(routeRecord(companies, { locationId: 3, departmentId: 2 })).toEqual({ to: 'consulting' });
    expect(routeRecord(companies, { locationId: 3, departmentId: 3 })).toEqual({ nowhere: true });
    expect(routeRecord(companies, { locationId: 9 }, { ownerLevelId: 7 })).toEqual({ to: 'south' });
    expect(routeRecord(companies, {})).toEqual({ nowhere: true });
  });

  it('a record two rules cover goes to neither; a single company without rules books everything', () => {
    expect(routeRecord(companies, { locationId: 1 }, { ownerLevelId: 7 })).toEqual({ ambiguous: ['east', 'south'] });
    expect(routeRecord([{ name: 'default', routing: {} }], {})).toEqual({ to: 'default' });
  });

  it('the failure names the record, where it sits and the fix', () => {
    expect(routingError('Invoice INV-9', { nowhere: true }, 'east', { locationId: 4, departmentId: 2 }, { name: 'Tampa', ownerLevelId: 3 })).toEqual({
      type: 'Unrouted',
      message: "Invoice INV-9 is in ConnectWise location 4 (Tampa, owner level 3), business unit 2, which no accounting company's routing covers, so it cannot be posted anywhere.",
      fix: "Add location 4 to one accounting company's routing.locations in the companies configuration (or route its business unit or owner level), then restart the workers and run retryFailed (or let the next batch pick it up).",
    });
    expect(routingError('Invoice INV-9', { ambiguous: ['east', 'south'] }, 'east', { locationId: 1 })?.fix).toMatch(/^Make the routing rules of east and south exclusive/);
    expect(routingError('Invoice INV-9', { to: 'west' }, 'east', { locationId: 3 })?.message).toMatch(/routes to accounting company west, not east/);
    expect(routingError('Invoice INV-9', { to: 'east' }, 'east', { locationId: 1 })).toBeUndefined();
  });

  it('reads the location list for owner levels and names, once per time-to-live', async () => {
    let reads = 0;
    const psa = { locations: { all: async () => (reads++, [{ id: 9, name: 'Tampa', ownerLevelId: 7 }, { id: 4, name: 'Miami' }]) } } as unknown as ConnectWiseClient;
    const router = recordRouter(psa, companies, 60_000);
    const ref = (locationId: number): RecordRef => ({ kind: 'invoice', id: String(locationId), number: `INV-${locationId}`, total: '1.00', locationId });
    expect(await router.routes([ref(9), ref(1)])).toEqual([{ to: 'south' }, { to: 'east' }]);
    const failures = await router.failures([ref(1), ref(4), ref(9)], 'east');
    expect([...failures.keys()]).toEqual([1, 2]);
    expect(failures.get(1)?.message).toMatch(/^Invoice INV-4 is in ConnectWise location 4 \(Miami\), no business unit, which no accounting company/);
    expect(failures.get(2)?.message).toMatch(/routes to accounting company south, not east/);
    expect(reads).toBe(1);
  });

  it('without owner-level rules it routes by id and reads locations only to name a failure', async () => {
    let reads = 0;
    const psa = { locations: { all: async () => (reads++, []) } } as unknown as ConnectWiseClient;
    const router = recordRouter(psa, companies.slice(0, 3));
    expect(await router.failures([{ kind: 'expense', id: '1', number: 'EXP-1', total: '1.00', locationId: 1 }], 'east')).toEqual(new Map());
    expect(reads).toBe(0);
  });
});
