/** The QuickBooks sandbox posts a sales line to its item's income account, as QuickBooks does. */
import { seededRealm } from '../../../dev/sandbox/quickbooks/seed';
import { executeWrite } from '../../../dev/sandbox/quickbooks/operations';
import { DEMO_ITEMS } from '../../../dev/sandbox/shared/demo-chart';
import type { RealmState } from '../../../dev/sandbox/quickbooks/state';

const byName = (realm: RealmState, entity: string, name: string) => Object.values(realm.entities[entity] ?? {}).find((r) => r.Name === name || r.DisplayName === name)!;

describe('sandbox sales lines', () => {
  it('records the item’s income account on the line, whatever account the request names', () => {
    const realm = seededRealm('9130000000000001', 'demo');
    const item = byName(realm, 'Item', 'Services');
    const other = byName(realm, 'Account', 'Agreement Revenue');
    const customer = Object.values(realm.entities.Customer)[0];
    const body = {
      CustomerRef: { value: customer.Id },
      Line: [{ Amount: 150, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item.Id }, ItemAccountRef: { value: other.Id } } }],
    };
    const invoice = executeWrite(realm, 'Invoice', 'create', body, { allowDuplicateDocNum: false });
    const line = (invoice.Line as Array<{ SalesItemLineDetail?: { ItemAccountRef?: unknown } }>)[0];
    expect(line.SalesItemLineDetail?.ItemAccountRef).toEqual({ value: (item.IncomeAccountRef as { value: string }).value, name: 'Service Revenue' });
  });

  it('the demo seed has a Service or Non-inventory item for every income account a demo item posts to', () => {
    const realm = seededRealm('9130000000000002', 'demo');
    const items = Object.values(realm.entities.Item);
    for (const name of new Set(DEMO_ITEMS.map((i) => i.incomeAccount))) {
      const account = byName(realm, 'Account', name);
      const posting = items.filter((i) => ['Service', 'NonInventory'].includes(String(i.Type)) && (i.IncomeAccountRef as { value: string }).value === account.Id);
      expect([name, posting.length > 0]).toEqual([name, true]);
    }
  });
});
