/**
 * The ConnectWise sandbox against ConnectWise's published Manage schema (the OpenAPI-generated
 * `connectwise-rest` definitions): every response of every endpoint the sandbox serves under
 * `/apis/3.0` (lists, counts, details, the export, batches and their entries, setup tables,
 * payments, errors) is walked against the documented response model. A field the model does not
 * define, or a value of the wrong type, fails the test. The sandbox must send only what ConnectWise
 * sends, or the product is tested against data no real site gives it.
 */
import { checkValue, loadManageSchema, operationFor, type ManageSchema } from '../../helpers/cw-schema';
import { DOCUMENTED_FIELDS } from '../../../dev/sandbox/connectwise/documented-fields';
import { itemModel } from '../../helpers/cw-schema';
import { raw, startFixture, type Fixture } from './sandbox-fixture';

/**
 * Fields the sandbox may send although the published schema (API 2022.1 in `connectwise-rest`)
 * lacks them or types them otherwise: each only with its source. `Model.field` -> source.
 */
const ALLOWED: Record<string, string> = {
  'ErrorResponseMessage.errors': 'null on ConnectWise error answers without field errors (401, 404, 500 bodies as ConnectWise sends them)',
};

/**
 * Undocumented fields the product still reads, so the sandbox still sends them. Each is work left:
 * the product must read the documented fields instead, then the sandbox stops sending it and its
 * line goes. The last test fails when one of these is no longer sent, so the list only shrinks.
 * `Model.field` -> what the product reads it for.
 */
const PENDING: Record<string, string> = {};

/** `Model.field` of a problem line from checkValue. */
function keyOf(problem: string): string | undefined {
  const undefinedField = /\.(\w+): field not defined by (\w+)$/.exec(problem);
  if (undefinedField) return `${undefinedField[2]}.${undefinedField[1]}`;
  const mistyped = /\((\w+\.\w+)\)$/.exec(problem);
  if (mistyped) return mistyped[1];
  // A reference-typed field: "... is not IvItemReference (IvItemReference)" at path ...detail[0].item
  const ref = /\.(\w+)(?:\[\d+\])?: .* is not \w+ \((\w+)\)$/.exec(problem);
  return ref ? `?.${ref[1]}` : undefined;
}

const pendingSeen = new Set<string>();

/** Problems not explained by ALLOWED or PENDING (PENDING ones are recorded for the last test). */
function unexplained(problems: string[]): string[] {
  return problems.filter((p) => {
    const key = keyOf(p);
    if (!key) return true;
    if (key in ALLOWED) return false;
    const pending = key.startsWith('?.') ? Object.keys(PENDING).find((k) => k.endsWith(key.slice(1)) && p.includes(`.${key.slice(2)}`)) : key in PENDING ? key : undefined;
    if (!pending) return true;
    pendingSeen.add(pending);
    return false;
  });
}

let fx: Fixture;
let schema: ManageSchema;

beforeAll(async () => {
  schema = loadManageSchema();
  fx = await startFixture({ seed: 'demo' });
});
afterAll(async () => {
  await fx.dispose();
});

const seen = new Set<string>();

/** Call the sandbox and check the body against the documented response (or error) model. */
async function check(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown; problems: string[] }> {
  const res = await raw(fx, path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  const documented = operationFor(schema, method, path);
  if (!documented) return { status: res.status, json, problems: [`${method} ${path}: no such operation in the published schema`] };
  seen.add(`${method} ${documented.template}`);
  const where = `${method} ${documented.template}`;
  if (res.status >= 400) {
    const problems = checkValue(schema, json, { kind: 'ref', name: 'ErrorResponseMessage' }, where);
    return { status: res.status, json, problems };
  }
  if (documented.operation.noContent.has(res.status)) return { status: res.status, json, problems: json === undefined ? [] : [`${where}: status ${res.status} is documented without a body, but one came`] };
  const type = documented.operation.responses.get(res.status);
  if (!type) return { status: res.status, json, problems: [`${where}: status ${res.status} is not documented (${[...documented.operation.responses.keys()].join(', ')})`] };
  return { status: res.status, json, problems: checkValue(schema, json, type, where) };
}

function ids(json: unknown): number[] {
  return Array.isArray(json) ? json.map((x) => (x as { id: number }).id).filter((x) => typeof x === 'number') : [];
}

/** list, /count and /{id} of every item of a collection. */
async function collection(path: string): Promise<{ problems: string[]; items: unknown[] }> {
  const list = await check('GET', `${path}?pageSize=1000`);
  const problems = [...list.problems];
  // ConnectWise documents /count and /{id} for most collections, not all (mySecurity has neither).
  if (operationFor(schema, 'GET', `${path}/count`)) problems.push(...(await check('GET', `${path}/count`)).problems);
  if (operationFor(schema, 'GET', `${path}/1`)) {
    const details = await Promise.all(ids(list.json).slice(0, 50).map((id) => check('GET', `${path}/${id}`)));
    problems.push(...details.flatMap((d) => d.problems));
  }
  return { problems, items: Array.isArray(list.json) ? list.json : [] };
}

const COLLECTIONS = [
  '/system/mySecurity',
  '/system/members',
  '/system/locations',
  '/company/companies',
  '/company/contacts',
  '/finance/accounting/unpostedinvoices',
  '/finance/accounting/unpostedexpenses',
  '/finance/accounting/unpostedprocurement',
  '/finance/glAccounts/mappedTypes',
  '/finance/glAccounts',
  '/finance/glCaptions',
  '/finance/accountingPackageSetup',
  '/finance/invoices',
  '/finance/billingStatuses',
  '/finance/agreements',
  '/finance/billingTerms',
  '/finance/taxCodes',
  '/expense/reports',
  '/procurement/purchaseorders',
  '/time/entries',
  '/time/workTypes',
  '/time/workRoles',
  '/time/chargeCodes',
  '/service/tickets',
  '/project/projects',
  '/system/locations',
  '/system/departments',
  '/procurement/catalog',
];

describe('the sandbox sends only what the published ConnectWise schema defines', () => {
  it('every allow-listed field names its source', () => {
    for (const [field, source] of Object.entries(ALLOWED)) {
      expect(field).toMatch(/^\w+\.\w+$/);
      expect(source.length).toBeGreaterThan(10);
    }
  });

  it('system info', async () => {
    expect(unexplained((await check('GET', '/system/info')).problems)).toEqual([]);
  });

  it.each(COLLECTIONS)('%s: list, count and each item', async (path) => {
    const { problems, items } = await collection(path);
    expect(items.length).toBeGreaterThan(0);
    expect(unexplained(problems)).toEqual([]);
  });

  it('sub-collections: taxable levels, tax code levels, purchase order lines, invoice payments', async () => {
    const problems: string[] = [];
    const unposted = await check('GET', '/finance/accounting/unpostedinvoices?pageSize=1000');
    for (const id of ids(unposted.json).slice(0, 20)) problems.push(...(await check('GET', `/finance/accounting/unpostedinvoices/${id}/taxableLevels`)).problems);
    const codes = await check('GET', '/finance/taxCodes?pageSize=1000');
    for (const id of ids(codes.json)) problems.push(...(await check('GET', `/finance/taxCodes/${id}/taxCodeLevels`)).problems);
    const pos = await check('GET', '/procurement/purchaseorders?pageSize=1000');
    for (const id of ids(pos.json).slice(0, 20)) problems.push(...(await check('GET', `/procurement/purchaseorders/${id}/lineitems`)).problems);
    const invoices = await check('GET', '/finance/invoices?pageSize=1000');
    for (const id of ids(invoices.json).slice(0, 20)) problems.push(...(await check('GET', `/finance/invoices/${id}/payments`)).problems);
    expect(unexplained(problems)).toEqual([]);
  });

  it('invoice payments and credit applications, as created and listed', async () => {
    fx.sandbox.admin.generate({ invoices: 30, seed: 11 });
    const all = (await check('GET', '/finance/invoices?pageSize=1000')).json as Array<{ id: number; type: string; company: { id: number }; balance: number }>;
    const memo = all.find((m) => m.type === 'CreditMemo' && all.some((i) => i.type === 'Standard' && i.company.id === m.company.id))!;
    const invoice = all.find((i) => i.type === 'Standard' && i.company.id === memo.company.id)!;
    const problems: string[] = [];
    const paid = await check('POST', `/finance/invoices/${invoice.id}/payments`, { type: 'P', amount: 1, paymentDate: '2026-11-20T00:00:00Z', invoice: { id: invoice.id } });
    expect(paid.status).toBe(201);
    const credited = await check('POST', `/finance/invoices/${invoice.id}/payments`, { type: 'P', amount: 2, paymentDate: '2026-11-20T00:00:00Z', invoice: { id: invoice.id }, credit: { id: memo.id } });
    expect(credited.status).toBe(201);
    expect(credited.json).toMatchObject({ credit: { id: memo.id } });
    problems.push(...paid.problems, ...credited.problems, ...(await check('GET', `/finance/invoices/${invoice.id}/payments`)).problems);
    const after = (await check('GET', `/finance/invoices/${invoice.id}`)).json as { payments: number; credits: number; balance: number };
    expect(after).toMatchObject({ payments: 1, credits: 2, balance: Math.round((invoice.balance - 3) * 100) / 100 });
    expect(((await check('GET', `/finance/invoices/${memo.id}`)).json as { balance: number }).balance).toBeCloseTo(memo.balance + 2, 2);
    // A credit is spent once: more than is left is refused.
    const overspent = await check('POST', `/finance/invoices/${invoice.id}/payments`, { type: 'P', amount: -memo.balance, invoice: { id: invoice.id }, credit: { id: memo.id } });
    expect(overspent.status).toBe(400);
    problems.push(...overspent.problems);
    expect(unexplained(problems)).toEqual([]);
  });

  it('the GL export of every record kind, a created batch, its entries and its re-export', async () => {
    const flags = { exportInvoicesFlag: true, exportExpensesFlag: true, exportProductsFlag: true };
    const preview = await check('POST', '/finance/accounting/export', { batchIdentifier: 'contract-preview', thruDate: '2099-12-31T00:00:00Z', ...flags });
    const exported = preview.json as Record<string, unknown[]>;
    for (const kind of ['transactions', 'expenseBills', 'purchaseTransactions', 'adjustmentTransactions', 'inventoryTransfers']) {
      expect({ kind, n: exported[kind]?.length ?? 0 }).toEqual({ kind, n: expect.any(Number) });
    }
    const problems = [...preview.problems];

    // A batch of two invoices, named by their GL entries: the answer is their GLExport.
    const invoices = (exported.transactions ?? []).slice(0, 2) as Array<{ glEntryIds: string }>;
    const created = await check('POST', '/finance/accounting/batches', { batchIdentifier: 'contract-batch', ...flags, processedRecordIds: invoices.flatMap((t) => t.glEntryIds.split(',').map(Number)) });
    expect(created.status).toBe(201);
    expect(((created.json as Record<string, unknown[]>).transactions ?? []).length).toBe(2);
    problems.push(...created.problems);
    const batches = await collection('/finance/accounting/batches');
    problems.push(...batches.problems);
    for (const id of ids(batches.items)) {
      const e = await check('GET', `/finance/accounting/batches/${id}/entries`);
      problems.push(...e.problems, ...(await check('GET', `/finance/accounting/batches/${id}/entries/count`)).problems);
      for (const entryId of ids(e.json).slice(0, 5)) problems.push(...(await check('GET', `/finance/accounting/batches/${id}/entries/${entryId}`)).problems);
      problems.push(...(await check('POST', `/finance/accounting/batches/${id}/export`, {})).problems);
    }
    expect(unexplained(problems)).toEqual([]);
  });

  it('a deleted batch: 204 without a body, its records unposted again, then 404 as ConnectWise answers for a batch that is gone', async () => {
    const entries = (await check('GET', '/finance/accounting/unpostedinvoices?pageSize=1000')).json as Array<{ id: number }>;
    const glEntry = fx.sandbox.admin.snapshot().invoices.find((i) => i.id === entries[0]!.id)!.entryIds;
    const created = await check('POST', '/finance/accounting/batches', { batchIdentifier: 'contract-delete', exportInvoicesFlag: true, processedRecordIds: glEntry });
    expect(created.status).toBe(201);
    const listed = (await check('GET', `/finance/accounting/batches?conditions=${encodeURIComponent('batchIdentifier="contract-delete"')}`)).json as Array<{ id: number }>;
    const batchId = listed[0]!.id;
    expect((await check('GET', `/finance/accounting/unpostedinvoices/${entries[0]!.id}`)).status).toBe(404);
    const deleted = await check('DELETE', `/finance/accounting/batches/${batchId}`);
    expect(deleted.status).toBe(204);
    expect((await check('GET', `/finance/accounting/unpostedinvoices/${entries[0]!.id}`)).status).toBe(200);
    const again = await check('DELETE', `/finance/accounting/batches/${batchId}`);
    expect(again.status).toBe(404);
    expect(unexplained([...created.problems, ...deleted.problems, ...again.problems])).toEqual([]);
  });

  it('errors: not found, bad request, method not allowed, unauthorized', async () => {
    const problems: string[] = [];
    const notFound = await check('GET', '/finance/glAccounts/999999');
    expect(notFound.status).toBe(404);
    problems.push(...notFound.problems);
    const bad = await check('POST', '/finance/accounting/batches', 'not an object');
    expect(bad.status).toBe(400);
    problems.push(...bad.problems);
    const badCondition = await check('GET', '/company/companies?conditions=' + encodeURIComponent('name = Acme'));
    expect(badCondition.status).toBe(400);
    problems.push(...badCondition.problems);
    const res = await raw(fx, '/company/companies', { auth: 'ledgerline+demo-public:wrong' });
    expect(res.status).toBe(401);
    problems.push(...checkValue(schema, await res.json(), { kind: 'ref', name: 'ErrorResponseMessage' }, 'GET /company/companies (401)'));
    expect(unexplained(problems)).toEqual([]);
  });

  it('the sandbox serves no route the schema does not document (mapped type or security by id, security count)', async () => {
    for (const path of ['/finance/glAccounts/mappedTypes/1', '/system/mySecurity/1', '/system/mySecurity/count']) {
      expect({ path, documented: operationFor(schema, 'GET', path) !== undefined }).toEqual({ path, documented: false });
      const res = await raw(fx, path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
  });

  it('each collection accepts in conditions exactly the fields its documented model defines', () => {
    for (const [path, { model, fields }] of Object.entries(DOCUMENTED_FIELDS)) {
      const documented = itemModel(operationFor(schema, 'GET', path)?.operation.responses.get(200));
      expect({ path, model: documented }).toEqual({ path, model });
      expect({ path, fields: [...fields].sort() }).toEqual({ path, fields: [...(schema.models.get(model)?.fields.keys() ?? [])].sort() });
    }
  });

  it('a condition on a field the model lacks is refused as ConnectWise refuses it (400 ApiFindCondition), in a list and a count', async () => {
    for (const path of ['/finance/invoices', '/finance/invoices/count', '/finance/glAccounts/mappedTypes']) {
      const res = await check('GET', `${path}?conditions=${encodeURIComponent('invoiceDate > [2026-01-01T00:00:00Z]')}`);
      expect({ path, status: res.status, json: res.json }).toEqual({ path, status: 400, json: { code: 'ApiFindCondition', message: 'invoiceDate is not a recognized name.', errors: null } });
      expect(unexplained(res.problems)).toEqual([]);
    }
    const child = await check('GET', `/company/companies?childConditions=${encodeURIComponent('typeids = 1')}`);
    expect(child.status).toBe(400);
    // Documented fields, references and lastUpdated still filter.
    expect((await check('GET', `/finance/invoices?conditions=${encodeURIComponent('status/name = "Closed" and lastUpdated > [2000-01-01T00:00:00Z]')}`)).status).toBe(200);
  });

  it('every PENDING field is still sent (remove its line once the product stops reading it)', () => {
    expect(Object.keys(PENDING).filter((k) => !pendingSeen.has(k))).toEqual([]);
  });
});
