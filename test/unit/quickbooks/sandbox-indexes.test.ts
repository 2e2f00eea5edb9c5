/**
 * The QuickBooks sandbox answers indexed lookups (=/IN on Id, DocNumber, TxnDate, DisplayName,
 * Name; change data capture) exactly as a scan of its rows does: an index kept current through
 * creates, updates, voids and deletes gives the same answers as one built afresh from a copy of
 * the realm, and text compared by QuickBooks' rules (case, numbers, timestamps, other characters)
 * is found as the scan finds it.
 */
import { seededRealm } from '../../../dev/sandbox/quickbooks/seed';
import { executeWrite } from '../../../dev/sandbox/quickbooks/operations';
import { runQuery } from '../../../dev/sandbox/quickbooks/query-engine';
import { parseQuery } from '../../../dev/sandbox/quickbooks/query-parser';
import { handleApi } from '../../../dev/sandbox/quickbooks/api';
import type { QboEntity, RealmState } from '../../../dev/sandbox/quickbooks/state';
import { QboFault } from '../../../dev/sandbox/quickbooks/faults';

const CTX = { allowDuplicateDocNum: false };
const first = (realm: RealmState, entity: string) => Object.values(realm.entities[entity]!)[0]!;

function invoiceBody(realm: RealmState, doc: string | undefined, txnDate: string) {
  const item = Object.values(realm.entities.Item!).find((i) => i.Type === 'Service')!;
  return {
    ...(doc !== undefined && { DocNumber: doc }),
    TxnDate: txnDate,
    CustomerRef: { value: first(realm, 'Customer').Id },
    Line: [{ Amount: 25, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item.Id } } }],
  };
}

const ids = (answer: Record<string, unknown>, entity: string) => ((answer[entity] as QboEntity[] | undefined) ?? []).map((r) => r.Id);
const query = (realm: RealmState, sql: string) => runQuery(realm, parseQuery(sql));

const QUERIES = [
  "SELECT * FROM Invoice WHERE DocNumber IN ('INV-1', 'inv-2', 'INV-7', 'nothing')",
  "SELECT * FROM Invoice WHERE DocNumber = 'renamed-3'",
  "SELECT * FROM Invoice WHERE DocNumber = 'ab'",
  'SELECT * FROM Invoice WHERE DocNumber = 1001',
  "SELECT * FROM Invoice WHERE TxnDate IN ('2026-03-01', '2026-03-04')",
  "SELECT * FROM Invoice WHERE TxnDate = '2026-03-02T00:00:00Z'",
  "SELECT * FROM Invoice WHERE Id IN ('1', '2', '3') ORDERBY DocNumber DESC",
  "SELECT * FROM Invoice WHERE TxnDate = '2026-03-02' AND DocNumber IN ('INV-2', 'INV-5')",
  "SELECT COUNT(*) FROM Invoice WHERE DocNumber IN ('INV-1', 'INV-5')",
  "SELECT * FROM Customer WHERE DisplayName IN ('Renamed Customer', 'Another Name')",
  "SELECT * FROM Item WHERE Name = 'services'",
];

function answers(realm: RealmState): unknown[] {
  return QUERIES.map((sql) => query(realm, sql));
}

describe('QuickBooks sandbox indexes', () => {
  it('keeps answers equal to a fresh scan through creates, updates, voids and deletes', () => {
    const realm = seededRealm('9130000000000011', 'demo');
    // Warm every index before writing, so later answers come from maintained indexes.
    answers(realm);
    const created: QboEntity[] = [];
    for (let i = 1; i <= 12; i++) created.push(executeWrite(realm, 'Invoice', 'create', invoiceBody(realm, `INV-${i}`, `2026-03-0${(i % 5) + 1}`), CTX));
    // Odd values: a control character (equal to "ab" by QuickBooks' text comparison), a number.
    created.push(executeWrite(realm, 'Invoice', 'create', invoiceBody(realm, 'ab\u0000', '2026-03-02'), CTX));
    created.push(executeWrite(realm, 'Invoice', 'create', invoiceBody(realm, '1001', '2026-03-02'), CTX));
    const three = created[2]!;
    executeWrite(realm, 'Invoice', 'update', { Id: three.Id, SyncToken: three.SyncToken, sparse: true, DocNumber: 'RENAMED-3', TxnDate: '2026-03-04' }, CTX);
    executeWrite(realm, 'Invoice', 'void', { Id: created[4]!.Id, SyncToken: created[4]!.SyncToken }, CTX);
    executeWrite(realm, 'Invoice', 'delete', { Id: created[6]!.Id, SyncToken: created[6]!.SyncToken }, CTX);
    const customer = first(realm, 'Customer');
    executeWrite(realm, 'Customer', 'update', { Id: customer.Id, SyncToken: customer.SyncToken, sparse: true, DisplayName: 'Renamed Customer' }, CTX);

    const maintained = answers(realm);
    const fresh = answers(structuredClone(realm));
    expect(maintained).toEqual(fresh);
    // And what a scan finds, spelled out for the cases that matter.
    expect(ids(maintained[0] as Record<string, unknown>, 'Invoice')).toEqual([created[0]!.Id, created[1]!.Id]);
    expect(ids(maintained[1] as Record<string, unknown>, 'Invoice')).toEqual([three.Id]);
    expect(ids(maintained[2] as Record<string, unknown>, 'Invoice')).toEqual([created[12]!.Id]);
    expect(ids(maintained[3] as Record<string, unknown>, 'Invoice')).toEqual([created[13]!.Id]);
    expect(ids(maintained[9] as Record<string, unknown>, 'Customer')).toEqual([customer.Id]);
    expect(ids(maintained[10] as Record<string, unknown>, 'Item')).toHaveLength(1);
  });

  it('refuses a duplicate DocNumber naming the first transaction that has it, index or not', () => {
    const realm = seededRealm('9130000000000012', 'demo');
    const a = executeWrite(realm, 'Invoice', 'create', invoiceBody(realm, 'DUP-1', '2026-03-01'), CTX);
    query(realm, "SELECT * FROM Invoice WHERE DocNumber = 'x'");
    executeWrite(realm, 'Invoice', 'create', invoiceBody(realm, 'DUP-1', '2026-03-01'), { allowDuplicateDocNum: true });
    const refusal = (r: RealmState) => {
      try {
        executeWrite(r, 'Invoice', 'create', invoiceBody(r, 'DUP-1', '2026-03-01'), CTX);
      } catch (err) {
        return (err as QboFault).answer;
      }
      throw new Error('the duplicate was accepted');
    };
    const indexed = refusal(realm);
    expect(JSON.stringify(indexed.body)).toContain(`TxnId=${a.Id}`);
    expect(refusal(structuredClone(realm))).toEqual(indexed);
    // A different case is another number to QuickBooks' duplicate check.
    expect(executeWrite(realm, 'Invoice', 'create', invoiceBody(realm, 'dup-1', '2026-03-01'), CTX).DocNumber).toBe('dup-1');
  });

  it('change data capture lists the rows changed since a time, as a scan does', async () => {
    const realm = seededRealm('9130000000000013', 'demo');
    const cdc = (r: RealmState, since: string) => handleApi(r, { method: 'GET', path: 'cdc', params: new URLSearchParams({ entities: 'Invoice,Customer', changedSince: since }), contentType: '', body: '' }).answer.body as Record<string, unknown>;
    const early = executeWrite(realm, 'Invoice', 'create', invoiceBody(realm, 'C-1', '2026-03-01'), CTX);
    const other = executeWrite(realm, 'Invoice', 'create', invoiceBody(realm, 'C-2', '2026-03-01'), CTX);
    cdc(realm, '2000-01-01T00:00:00Z'); // builds the change log
    await new Promise((r) => setTimeout(r, 1100));
    // QuickBooks' times have whole seconds.
    const since = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    executeWrite(realm, 'Invoice', 'update', { Id: early.Id, SyncToken: early.SyncToken, sparse: true, PrivateNote: 'changed' }, CTX);
    const late = executeWrite(realm, 'Invoice', 'create', invoiceBody(realm, 'C-3', '2026-03-01'), CTX);
    executeWrite(realm, 'Invoice', 'delete', { Id: other.Id, SyncToken: other.SyncToken }, CTX);
    const maintained: Record<string, unknown> = { ...cdc(realm, since), time: undefined };
    expect(maintained).toEqual({ ...cdc(structuredClone(realm), since), time: undefined });
    const invoices = ((maintained.CDCResponse as Array<{ QueryResponse: Array<Record<string, unknown>> }>)[0]!.QueryResponse[0]!.Invoice as QboEntity[]).map((r) => r.Id);
    expect(invoices).toEqual([early.Id, late.Id, other.Id]);
  });
});
