/**
 * GL line contexts rebuilt from documented ConnectWise data, per account type: which facts each
 * mapped type reads, where each fact comes from (the record, the time entry, the catalog item, and
 * what they name), that a fact which could not be read withholds the context only where today's
 * setup consults it, and that the lookups are made only where needed, in id lists, once per batch run.
 */
import { createGlResolver, GL_SEQUENCES, lineContext, ownerRecordOf, type AccountType, type GlLineContext, type GlMapping, type MappedType } from '../../../domain/gl';
import { LedgerError } from '../../../domain/errors';
import type { PsaGlLine, PsaGlRecord } from '../../../domain/posting';
import type { ConnectWiseClient } from '../../../integrations/connectwise';
import { batchLookups } from '../../../integrations/batch-lookups';
import { lineOrigins, type OriginRecord } from '../../../integrations/line-origins';

describe('lineContext', () => {
  const origin = { facts: { owner: 'ME', group: 'Managed Services', workType: 'Remote' }, unread: { product: 'catalog item 9 was not found in ConnectWise' } };

  it('builds the context from the facts read when every consulted fact was read', () => {
    expect(lineContext('Revenue', origin, ['Work Type', 'My Company: Groups', 'My Company: Owner'])).toEqual({
      ok: true,
      context: { accountType: 'Revenue', owner: 'ME', group: 'Managed Services', workType: 'Remote' },
    });
  });

  it('withholds it, saying why, when a consulted fact could not be read; an unread fact nobody consults does not matter', () => {
    expect(lineContext('Revenue-Product', origin, ['Product', 'My Company: Owner'])).toEqual({ ok: false, unread: ['catalog item 9 was not found in ConnectWise'] });
    expect(lineContext('Revenue-Product', origin, ['Products: Category', 'My Company: Owner']).ok).toBe(true);
  });

  it('needs the owner: without it no line resolves', () => {
    expect(lineContext('Revenue', { facts: {}, unread: { owner: 'location 4 was not found in ConnectWise' } }, ['My Company: Owner'])).toEqual({ ok: false, unread: ['location 4 was not found in ConnectWise'] });
  });

  it('Service Type also reads whether the line is project time', () => {
    const projectUnread = { facts: { owner: 'ME', serviceType: 'Help Desk' }, unread: { projectType: 'project 5 was not found in ConnectWise' } };
    expect(lineContext('Revenue', projectUnread, ['Service: Type', 'My Company: Owner']).ok).toBe(false);
  });
});

describe('ownerRecordOf', () => {
  const owner = (mappedRecord: string, recordId: number): GlMapping => ({ accountType: 'Revenue', mappedType: 'My Company: Owner', mappedRecord, recordId });
  it('is the one owner record the rows name, else the row naming the location owner level', () => {
    expect(ownerRecordOf([owner('ME', 1), { ...owner('ME', 1), accountType: 'Accounts Receivable' }], undefined)).toBe('ME');
    expect(ownerRecordOf([owner('EAST', 1), owner('WEST', 2)], 2)).toBe('WEST');
    expect(ownerRecordOf([owner('EAST', 1), owner('WEST', 2)], undefined)).toBeUndefined();
    expect(ownerRecordOf([owner('EAST', 1), owner('WEST', 2)], 3)).toBeUndefined();
  });
});

describe('GlResolver.consults', () => {
  it('lists the mapped types of the sequence that have rows, and always the owner', () => {
    const resolver = createGlResolver([
      { accountType: 'Revenue', mappedType: 'My Company: Owner', mappedRecord: 'ME', account: 'Sales' },
      { accountType: 'Revenue', mappedType: 'Work Type', mappedRecord: 'After Hours', account: 'AH' },
      { accountType: 'Revenue', mappedType: 'My Company: Groups', mappedRecord: 'MS', class: 'MS' },
    ]);
    expect(resolver.consults('Revenue')).toEqual(['My Company: Owner', 'Work Type', 'My Company: Groups']);
    expect(resolver.consults('Accounts Receivable')).toEqual(['My Company: Owner']);
  });
});

// --- Facts read from a site ------------------------------------------------------------------

type Row = Record<string, unknown> & { id: number };

/** A ConnectWise site whose collections answer `id in (...)` lists and record what was asked. */
function fakeSite(overrides: Partial<Record<string, (conditions: string) => Promise<Row[]>>> = {}) {
  const asked: Array<{ collection: string; ids: number[]; fields?: string }> = [];
  const rows: Record<string, Row[]> = {
    invoices: [
      { id: 10, invoiceNumber: 'INV10', type: 'Standard', company: { id: 2 }, total: 1, locationId: 1, departmentId: 2, applyToType: 'Ticket', applyToId: 1000, ticket: { id: 1000 } },
      { id: 11, invoiceNumber: 'INV11', type: 'Agreement', company: { id: 2 }, total: 1, locationId: 1, departmentId: 2, agreement: { id: 7, name: 'MSA for Acme' }, project: { id: 5, name: 'Acme Network' } },
    ],
    unpostedExpenses: [{ id: 801, classification: 'Reimbursable', dateExpense: '2026-11-02', total: 5, locationId: 1, departmentId: 2, expenseType: { id: 1, name: 'Meals' }, paymentMethod: { id: 2, name: 'Personal Card' }, chargeCode: { id: 4, name: 'Internal Admin' } }],
    unpostedProcurement: [{ id: 900, unpostedProductId: '3-PO1-purchase', procurementType: 'Purchase', total: 1, locationId: 1 }],
    timeEntries: [
      { id: 100, chargeToType: 'ServiceTicket', chargeToId: 1000, ticket: { id: 1000, summary: 'VPN' }, workType: { id: 1, name: 'After Hours' }, workRole: { id: 1, name: 'Engineer' } },
      { id: 101, chargeToType: 'ChargeCode', chargeToId: 3, workType: { id: 2, name: 'Remote' }, workRole: { id: 1, name: 'Engineer' } },
      { id: 102, chargeToType: 'ProjectTicket', chargeToId: 55, project: { id: 5, name: 'Acme Network' }, workType: { id: 3, name: 'Regular' }, workRole: { id: 2, name: 'Senior Engineer' } },
    ],
    catalogItems: [{ id: 9, identifier: 'LAPTOP-14', category: { id: 1, name: 'Hardware' }, subcategory: { id: 2, name: 'Laptops' } }],
    projects: [{ id: 5, name: 'Acme Network', type: { id: 2, name: 'Network' } }],
    serviceTickets: [{ id: 1000, summary: 'VPN', type: { id: 1, name: 'Help Desk' } }],
    agreements: [{ id: 7, name: 'MSA for Acme', type: { id: 1, name: 'Managed Services Agreement' } }],
    chargeCodes: [{ id: 3, name: 'Training' }],
    locations: [{ id: 1, name: 'Seattle', ownerLevelId: 1 }, { id: 2, name: 'Tacoma', ownerLevelId: 2 }],
    departments: [{ id: 2, identifier: 'MS', name: 'Managed Services' }],
  };
  const idsOf = (conditions: string) => [...conditions.matchAll(/\d+/g)].map((m) => Number(m[0]));
  const psa = Object.fromEntries(
    Object.entries(rows).map(([collection, list]) => [
      collection,
      {
        all: async ({ conditions, fields }: { conditions: string; fields?: string }) => {
          expect(conditions).toMatch(/^id in \([\d,]+\)$/);
          asked.push({ collection, ids: idsOf(conditions), ...(fields && { fields }) });
          const override = overrides[collection];
          if (override) return override(conditions);
          return list.filter((r) => idsOf(conditions).includes(r.id));
        },
      },
    ]),
  ) as unknown as ConnectWiseClient;
  return { psa, asked, rows };
}

const line = (glEntryId: number, accountType: AccountType, extra: Partial<PsaGlLine> = {}): PsaGlLine => ({ glEntryId, accountType, account: 'X', side: 'credit', amount: '1.00', ...extra });
const record = (kind: PsaGlRecord['kind'], recordId: string, lines: PsaGlLine[], extra: Partial<PsaGlRecord> = {}): PsaGlRecord => ({
  kind, recordType: kind === 'invoice' ? 'Standard' : kind === 'expense' ? 'Expense' : 'Purchase', recordId, number: `N${recordId}`, revision: '1', date: '2026-11-02', party: { name: 'P' }, lines, total: '1.00', ...extra,
});

/** A GL setup with a row in every mapped type each account type offers, so every fact is consulted. */
function everyRowSetup(owners: Array<[string, number]> = [['ME', 1]]) {
  const rows: GlMapping[] = [];
  for (const [accountType, sequence] of Object.entries(GL_SEQUENCES) as Array<[AccountType, readonly MappedType[]]>) {
    for (const mappedType of sequence) {
      if (mappedType === 'My Company: Owner') for (const [name, id] of owners) rows.push({ accountType, mappedType, mappedRecord: name, recordId: id, account: 'A' });
      else rows.push({ accountType, mappedType, mappedRecord: 'some record', account: 'B' });
    }
  }
  return createGlResolver(rows);
}

async function contextsOf(records: OriginRecord[], psa: ConnectWiseClient, setup = everyRowSetup(), batchId?: string) {
  const origins = await lineOrigins(psa).read(records, setup, batchId);
  return records.map(({ record }) => record.lines.map((l, i) => lineContext(l.accountType, origins.get(record)![i]!, setup.consults(l.accountType))));
}

const company: Pick<GlLineContext, 'owner' | 'structure' | 'group'> = { owner: 'ME', structure: 'Seattle', group: 'Managed Services' };

describe('lineOrigins: each account type from its documented sources', () => {
  const invoice10 = record('invoice', '10', [
    line(1, 'Accounts Receivable'),
    line(2, 'Revenue', { source: { timeEntryId: 100 } }),
    line(3, 'Revenue', { source: { timeEntryId: 101 } }),
    line(4, 'Revenue', { source: { timeEntryId: 102 } }),
    line(5, 'Revenue-Product', { source: { itemId: 9, item: 'LAPTOP-14' } }),
    line(6, 'Product Discount', { source: { itemId: 9, item: 'LAPTOP-14' } }),
    line(7, 'Sales Tax Payable', { taxLevel: 2 }),
    line(8, 'Revenue-Expenses'),
  ], { taxCode: 'Seattle' });
  const invoice11 = record('invoice', '11', [
    line(11, 'Accounts Receivable'),
    line(12, 'Revenue'),
    line(13, 'Revenue-Agreements'),
    line(14, 'Revenue-Agreement Product', { source: { itemId: 9, item: 'LAPTOP-14' } }),
    line(15, 'Deferred Revenue'),
  ]);
  const expense = record('expense', '801', [line(21, 'Expense Internal', { source: { expenseRowId: 801 } }), line(22, 'Expense Offset', { source: { expenseRowId: 801 } })]);
  const purchase = record('procurement', '3-PO1-purchase', [
    line(31, 'Accounts Payable'),
    line(32, 'Inventory Transfer', { source: { itemId: 9, item: 'LAPTOP-14' } }),
    line(33, 'Purchase Order Freight'),
    line(34, 'Purchase Order Product Tax', { source: { taxLevel: 1 } }),
  ], { taxCode: 'Tacoma' });

  it('rebuilds every line of every kind', async () => {
    const { psa } = fakeSite();
    const [i10, i11, exp, po] = await contextsOf([{ record: invoice10 }, { record: invoice11 }, { record: expense }, { record: purchase, rowId: 900 }], psa);
    const ctx = (c: ReturnType<typeof lineContext> | undefined) => (c?.ok ? c.context : c);
    const product = { product: 'LAPTOP-14', productCategory: 'Hardware', productSubcategory: 'Laptops' };
    expect(i10!.map(ctx)).toEqual([
      { accountType: 'Accounts Receivable', ...company },
      // A time line: its time entry's work type and role, and the service ticket's type.
      { accountType: 'Revenue', ...company, workType: 'After Hours', workRole: 'Engineer', serviceType: 'Help Desk' },
      // Charged to a charge code.
      { accountType: 'Revenue', ...company, workType: 'Remote', workRole: 'Engineer', chargeCode: 'Training' },
      // Project time: the project and its type, never a service type.
      { accountType: 'Revenue', ...company, workType: 'Regular', workRole: 'Senior Engineer', project: 'Acme Network', projectType: 'Network' },
      { accountType: 'Revenue-Product', ...company, ...product },
      { accountType: 'Product Discount', ...company, ...product },
      { accountType: 'Sales Tax Payable', ...company, taxCodeLevel: { level: 2, record: 'Seattle' } },
      // Billed expenses: the invoice's ticket.
      { accountType: 'Revenue-Expenses', ...company, serviceType: 'Help Desk' },
    ]);
    expect(i11!.map(ctx)).toEqual([
      { accountType: 'Accounts Receivable', ...company },
      // No time entry: the invoice's project.
      { accountType: 'Revenue', ...company, project: 'Acme Network', projectType: 'Network' },
      { accountType: 'Revenue-Agreements', ...company, agreementType: 'Managed Services Agreement' },
      { accountType: 'Revenue-Agreement Product', ...company, ...product, agreementType: 'Managed Services Agreement' },
      { accountType: 'Deferred Revenue', ...company, agreementType: 'Managed Services Agreement' },
    ]);
    expect(exp!.map(ctx)).toEqual([
      { accountType: 'Expense Internal', ...company, expenseType: 'Meals' },
      { accountType: 'Expense Offset', ...company, paymentType: 'Personal Card' },
    ]);
    // The unposted row names a location and no department.
    expect(po!.map(ctx)).toEqual([
      { accountType: 'Accounts Payable', owner: 'ME', structure: 'Seattle' },
      { accountType: 'Inventory Transfer', owner: 'ME', structure: 'Seattle', ...product },
      { accountType: 'Purchase Order Freight', owner: 'ME', structure: 'Seattle' },
      { accountType: 'Purchase Order Product Tax', owner: 'ME', structure: 'Seattle', taxCodeLevel: { level: 1, record: 'Tacoma' } },
    ]);
  });

  it('a deleted time entry withholds the context of its line only, saying which; a tax line of unknown level likewise', async () => {
    const { psa } = fakeSite();
    const rec = record('invoice', '10', [line(1, 'Accounts Receivable'), line(2, 'Revenue', { source: { timeEntryId: 104 } }), line(3, 'Sales Tax Payable'), line(4, 'Revenue-Product', { source: { item: 'OLD' } })], { taxCode: 'Seattle' });
    const [lines] = await contextsOf([{ record: rec }], psa);
    expect(lines!.map((c) => (c.ok ? 'ok' : c.unread))).toEqual([
      'ok',
      ['time entry 104 was not found in ConnectWise (billed by GL entry 2)'],
      [expect.stringMatching(/tax level of GL entry 3 is not known/)],
      ['catalog item OLD has no id in the export'],
    ]);
  });

  it('a list ConnectWise refuses leaves what it holds unread for those lines; a transient failure is thrown and not cached', async () => {
    const refused = fakeSite({ catalogItems: () => Promise.reject(new LedgerError('PermissionDenied', 'Procurement > Product Catalog: no inquire level')) });
    const [lines] = await contextsOf([{ record: record('invoice', '10', [line(1, 'Revenue-Product', { source: { itemId: 9, item: 'LAPTOP-14' } }), line(2, 'Accounts Receivable')]) }], refused.psa);
    expect(lines!.map((c) => (c.ok ? 'ok' : c.unread))).toEqual([['ConnectWise refused to list catalog items (PermissionDenied: Procurement > Product Catalog: no inquire level)'], 'ok']);

    let fail = true;
    const flaky = fakeSite({ timeEntries: async (c) => (fail ? Promise.reject(new LedgerError('Unavailable', 'ConnectWise answered 503')) : flaky.rows.timeEntries!.filter((t) => c.includes(String(t.id)))) });
    const reader = lineOrigins(flaky.psa);
    const recs = [{ record: record('invoice', '10', [line(2, 'Revenue', { source: { timeEntryId: 100 } })]) }];
    await expect(reader.read(recs, everyRowSetup(), 'run-1')).rejects.toThrow('503');
    fail = false;
    const origins = await reader.read(recs, everyRowSetup(), 'run-1');
    expect(origins.get(recs[0]!.record)![0]!.facts.workType).toBe('After Hours');
  });

  it('several owner levels: each line takes the owner level of its record location', async () => {
    const { psa, rows } = fakeSite();
    rows.invoices!.push({ id: 12, invoiceNumber: 'INV12', type: 'Standard', company: { id: 2 }, total: 1, locationId: 2 }, { id: 13, invoiceNumber: 'INV13', type: 'Standard', company: { id: 2 }, total: 1 });
    const setup = everyRowSetup([['EAST', 1], ['WEST', 2]]);
    const [a, b, c] = await contextsOf([10, 12, 13].map((id) => ({ record: record('invoice', String(id), [line(id, 'Accounts Receivable')]) })), psa, setup);
    expect([a![0], b![0], c![0]].map((x) => (x!.ok ? x!.context.owner : x!.unread))).toEqual(['EAST', 'WEST', [expect.stringMatching(/N13 names no location/)]]);
  });

  it('reads only what today\'s setup consults, each id once per batch run, in id lists', async () => {
    const ownerOnly = createGlResolver([{ accountType: 'Revenue', mappedType: 'My Company: Owner', mappedRecord: 'ME', account: 'Sales' }]);
    const quiet = fakeSite();
    await contextsOf([{ record: invoice10 }, { record: expense }], quiet.psa, ownerOnly);
    expect(quiet.asked).toEqual([]);

    const withWorkType = createGlResolver([
      { accountType: 'Revenue', mappedType: 'My Company: Owner', mappedRecord: 'ME', account: 'Sales' },
      { accountType: 'Revenue', mappedType: 'Work Type', mappedRecord: 'After Hours', account: 'AH' },
    ]);
    const site = fakeSite();
    const reader = lineOrigins(site.psa);
    await reader.read([{ record: invoice10 }], withWorkType, 'run-1');
    await reader.read([{ record: invoice10 }, { record: invoice11 }], withWorkType, 'run-1');
    expect(site.asked).toEqual([{ collection: 'timeEntries', ids: [100, 101, 102], fields: 'id,chargeToType,chargeToId,workType,workRole,ticket,project' }]);
    await reader.read([{ record: invoice10 }], withWorkType, 'run-2');
    expect(site.asked.map((a) => a.collection)).toEqual(['timeEntries', 'timeEntries']);

    // A batch run's records are kept a short while only: later, an edit is read.
    let now = 0;
    const later = fakeSite();
    const timed = lineOrigins(later.psa, batchLookups({ ttlMs: 60_000, now: () => now }));
    await timed.read([{ record: invoice10 }], withWorkType, 'run-1');
    now = 30_000;
    await timed.read([{ record: invoice10 }], withWorkType, 'run-1');
    now = 61_000;
    await timed.read([{ record: invoice10 }], withWorkType, 'run-1');
    expect(later.asked.map((a) => a.collection)).toEqual(['timeEntries', 'timeEntries']);
  });
});
