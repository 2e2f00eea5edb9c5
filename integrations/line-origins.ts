/**
 * Where each exported GL line came from, read from ConnectWise's documented data so today's GL setup
 * can re-resolve it (drift, glSource "current"). ConnectWise's GL export names no mapped records;
 * its documented references lead to them:
 *   - the record: the invoice (`/finance/invoices`: locationId, departmentId, agreement, project,
 *     ticket), the unposted expense row (`expenseType`, `paymentMethod`, `chargeCode`, project, ticket,
 *     locationId, departmentId), the unposted procurement row (locationId, departmentId);
 *   - a detail line's `timeEntry` (`/time/entries`: workType, workRole, chargeToType/chargeToId,
 *     ticket, project) and `item` (`/procurement/catalog`: identifier, category, subcategory);
 *   - behind those: locations (name, ownerLevelId), departments, projects (type), service tickets
 *     (type), agreements (type), charge codes (name).
 * Only the facts the mapped types of a line's account type consult are read. Lookups go out as
 * `id in (...)` lists once per call, each resource after the one naming it, and are kept per batch
 * run (integrations/batch-lookups; agreements shared with the stale-agreement check), so the chunks
 * of a batch read each time entry or location once. An id ConnectWise does not return, or a list it
 * refuses, leaves the facts behind it unread, with why; a transient failure is thrown (retried).
 */
import { isLedgerError } from '../domain/errors';
import { factsNeeded, ownerRecordOf, type LineOrigin, type OriginFact } from '../domain/gl/line-origin';
import type { AccountType, GlLineContext, GlMapping, MappedType } from '../domain/gl/types';
import type { PsaGlLine, PsaGlRecord } from '../domain/posting/types';
import { agreementsByIds } from './agreement-changes';
import { batchLookups, type BatchLookups } from './batch-lookups';
import type { ConnectWiseClient } from './connectwise';

/** Today's setup as far as origins need it: what each account type consults, and its rows (the owner level). */
export interface OriginSetup {
  consults(accountType: AccountType): readonly MappedType[];
  readonly mappings: readonly GlMapping[];
}

export interface OriginRecord {
  record: PsaGlRecord;
  /** Procurement: the unposted row's id (the row holds the location and department). */
  rowId?: number;
}

export interface LineOrigins {
  /** Each record's lines' origins, in line order. */
  read(records: readonly OriginRecord[], setup: OriginSetup, batchId?: string): Promise<Map<PsaGlRecord, LineOrigin[]>>;
}

/** What a record-level document says about every line of it. */
interface Header {
  locationId?: number;
  departmentId?: number;
  agreementId?: number;
  projectId?: number;
  project?: string;
  ticketId?: number;
  expenseType?: string;
  paymentType?: string;
  chargeCode?: string;
}

interface Entry {
  chargeToType?: string;
  chargeToId?: number;
  workType?: string;
  workRole?: string;
  ticketId?: number;
  projectId?: number;
  project?: string;
}

type Found<T> = { ok: true; value: T } | { ok: false; why: string };

interface Resource<T> {
  one: string;
  many: string;
  list(psa: ConnectWiseClient, inList: string): Promise<Array<{ id: number } & T>>;
}

const nonEmpty = (s: string | null | undefined) => (s === null || s === undefined || s === '' ? undefined : s);
const positive = (n: number | null | undefined) => (typeof n === 'number' && n > 0 ? n : undefined);
const byIds = (inList: string) => ({ conditions: `id in ${inList}` });
/** The project and ticket a record or time entry names. */
const workOf = (x: { project?: { id: number; name?: string | null } | null; ticket?: { id?: number | null } | null }) => ({
  projectId: positive(x.project?.id),
  project: nonEmpty(x.project?.name),
  ticketId: positive(x.ticket?.id),
});

const INVOICES: Resource<Header> = {
  one: 'invoice',
  many: 'invoices',
  list: async (psa, l) =>
    (await psa.invoices.all(byIds(l))).map((i) => ({
      id: i.id,
      locationId: positive(i.locationId),
      departmentId: positive(i.departmentId),
      // An agreement invoice names its agreement in `agreement`, or else in applyToType/applyToId.
      agreementId: positive(i.agreement?.id) ?? (i.applyToType === 'Agreement' ? positive(i.applyToId) : undefined),
      ...workOf(i),
    })),
};

const EXPENSE_ROWS: Resource<Header> = {
  one: 'unposted expense',
  many: 'unposted expenses',
  list: async (psa, l) =>
    (await psa.unpostedExpenses.all(byIds(l))).map((e) => ({
      id: e.id,
      locationId: positive(e.locationId),
      departmentId: positive(e.departmentId),
      ...workOf(e),
      expenseType: nonEmpty(e.expenseType?.name),
      paymentType: nonEmpty(e.paymentMethod?.name),
      chargeCode: nonEmpty(e.chargeCode?.name),
    })),
};

const PROCUREMENT_ROWS: Resource<Header> = {
  one: 'unposted procurement row',
  many: 'unposted procurement',
  list: async (psa, l) => (await psa.unpostedProcurement.all(byIds(l))).map((p) => ({ id: p.id, locationId: positive(p.locationId), departmentId: positive(p.departmentId) })),
};

const TIME_ENTRIES: Resource<Entry> = {
  one: 'time entry',
  many: 'time entries',
  list: async (psa, l) =>
    (await psa.timeEntries.all({ ...byIds(l), fields: 'id,chargeToType,chargeToId,workType,workRole,ticket,project' })).map((t) => ({
      id: t.id,
      chargeToType: nonEmpty(t.chargeToType),
      chargeToId: positive(t.chargeToId),
      workType: nonEmpty(t.workType?.name),
      workRole: nonEmpty(t.workRole?.name),
      ...workOf(t),
    })),
};

const named = (many: string, one: string, read: (psa: ConnectWiseClient, l: string) => Promise<Array<{ id: number; name?: string | null; type?: { name?: string | null } | null }>>): Resource<{ name?: string; type?: string }> => ({
  one,
  many,
  list: async (psa, l) => (await read(psa, l)).map((x) => ({ id: x.id, name: nonEmpty(x.name), type: nonEmpty(x.type?.name) })),
});

const PROJECTS = named('projects', 'project', (psa, l) => psa.projects.all({ ...byIds(l), fields: 'id,name,type' }));
const TICKETS = named('service tickets', 'service ticket', async (psa, l) => (await psa.serviceTickets.all({ ...byIds(l), fields: 'id,summary,type' })).map((t) => ({ id: t.id, name: t.summary, type: t.type })));
const CHARGE_CODES = named('charge codes', 'charge code', (psa, l) => psa.chargeCodes.all({ ...byIds(l), fields: 'id,name' }));
const DEPARTMENTS = named('departments', 'department', (psa, l) => psa.departments.all({ ...byIds(l), fields: 'id,identifier,name' }));

/** Agreements are read with the stale-agreement check's reader, so a batch run reads each once. */
const AGREEMENT = { one: 'agreement', many: 'agreements' };

const LOCATIONS: Resource<{ name: string; ownerLevelId?: number }> = {
  one: 'location',
  many: 'locations',
  list: async (psa, l) => (await psa.locations.all({ ...byIds(l), fields: 'id,name,ownerLevelId' })).map((x) => ({ id: x.id, name: x.name, ownerLevelId: positive(x.ownerLevelId) })),
};

const CATALOG: Resource<{ category?: string; subcategory?: string }> = {
  one: 'catalog item',
  many: 'catalog items',
  list: async (psa, l) =>
    (await psa.catalogItems.all({ ...byIds(l), fields: 'id,identifier,category,subcategory' })).map((c) => ({ id: c.id, category: nonEmpty(c.category?.name), subcategory: nonEmpty(c.subcategory?.name) })),
};

/** A lookup that cannot be retried away: the list refused (permission, a field this site lacks), or a body of another shape. */
function refusal(err: unknown): string | undefined {
  if (!isLedgerError(err) || err.retryable || err.type === 'AuthenticationFailed') return undefined;
  return `${err.type}: ${err.message}`;
}

/** Each id's record, or why it could not be read: not returned, or its list refused. Transient failures are thrown. */
async function found<T extends { id: number }>(r: { one: string; many: string }, ids: Iterable<number>, read: () => Promise<Map<number, T>>): Promise<Map<number, Found<T>>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  let rows: Map<number, T>;
  try {
    rows = await read();
  } catch (err) {
    const refused = refusal(err);
    if (refused === undefined) throw err;
    return new Map(wanted.map((id) => [id, { ok: false, why: `ConnectWise refused to list ${r.many} (${refused})` }]));
  }
  return new Map(wanted.map((id): [number, Found<T>] => {
    const row = rows.get(id);
    return [id, row ? { ok: true, value: row } : { ok: false, why: `${r.one} ${id} was not found in ConnectWise` }];
  }));
}

/** A fact as read: its value (undefined when the line has none), or why it could not be read. */
type Read = { value: unknown } | { unread: string };
const value = (v: unknown): Read => ({ value: v });
const unread = (why: string): Read => ({ unread: why });

const TIME_FACTS: ReadonlySet<OriginFact> = new Set(['workType', 'workRole', 'chargeCode', 'project', 'projectType', 'serviceType']);
const TAX_TYPES: ReadonlySet<AccountType> = new Set(['Sales Tax Payable', 'Purchase Order Freight Tax', 'Purchase Order Product Tax']);
const HEADER_FACTS: ReadonlySet<OriginFact> = new Set(['structure', 'group', 'agreementType', 'expenseType', 'paymentType']);

/** One line to read: its record, what today's setup needs of it, and the record-level document it is read with. */
interface LineJob {
  at: OriginRecord;
  line: PsaGlLine;
  needs: Set<OriginFact>;
  header?: { resource: Resource<Header>; id: number };
}

function headerOf(at: OriginRecord, line: PsaGlLine): LineJob['header'] {
  const { record } = at;
  if (record.kind === 'invoice') return { resource: INVOICES, id: Number(record.recordId) };
  if (record.kind === 'expense') return { resource: EXPENSE_ROWS, id: line.source?.expenseRowId ?? Number(record.recordId) };
  return at.rowId === undefined ? undefined : { resource: PROCUREMENT_ROWS, id: at.rowId };
}

/** Whether a line reads its project and ticket facts from its time entry (else from its record). */
const viaTimeEntry = (line: PsaGlLine) => line.source?.timeEntryId !== undefined;

/** Whether a line needs its record-level document read. */
function needsHeader(job: LineJob, ownerKnown: boolean): boolean {
  for (const f of job.needs) {
    if (HEADER_FACTS.has(f)) return true;
    if (f === 'owner' && !ownerKnown) return true;
    if (f === 'chargeCode' && job.at.record.kind === 'expense') return true;
    if ((f === 'project' || f === 'projectType' || f === 'serviceType') && !viaTimeEntry(job.line)) return true;
  }
  return false;
}

export function lineOrigins(psa: ConnectWiseClient, lookups: BatchLookups = batchLookups()): LineOrigins {
  return {
    async read(records, setup, batchId) {
      const get = <T>(r: Resource<T>, ids: Iterable<number>) => {
        const wanted = [...ids];
        return found(r, wanted, () => lookups.byIds(`origin ${r.many}`, wanted, batchId, (l) => r.list(psa, l)));
      };
      // A site has one owner level: the record its My Company: Owner rows name. Else each location says its own.
      const soleOwner = ownerRecordOf(setup.mappings, undefined);
      const jobs: LineJob[] = records.flatMap((at) =>
        at.record.lines.map((line) => {
          const needs = new Set<OriginFact>(['owner', ...factsNeeded(setup.consults(line.accountType))]);
          return { at, line, needs, header: headerOf(at, line) };
        }),
      );
      const wants = (job: LineJob, ...facts: OriginFact[]) => facts.some((f) => job.needs.has(f));

      // First the documents the lines name: records, time entries, catalog items.
      const withHeader = jobs.filter((j) => j.header && needsHeader(j, soleOwner !== undefined));
      const headerIds = (r: Resource<Header>) => withHeader.filter((j) => j.header!.resource === r).map((j) => j.header!.id);
      const timed = jobs.filter((j) => viaTimeEntry(j.line) && [...j.needs].some((f) => TIME_FACTS.has(f)));
      const itemised = jobs.filter((j) => j.line.source?.itemId !== undefined && wants(j, 'productCategory', 'productSubcategory'));
      const [invoices, expenseRows, procurementRows, entries, catalog] = await Promise.all([
        get(INVOICES, headerIds(INVOICES)),
        get(EXPENSE_ROWS, headerIds(EXPENSE_ROWS)),
        get(PROCUREMENT_ROWS, headerIds(PROCUREMENT_ROWS)),
        get(TIME_ENTRIES, timed.map((j) => j.line.source!.timeEntryId!)),
        get(CATALOG, itemised.map((j) => j.line.source!.itemId!)),
      ]);
      const headers = new Map([INVOICES, EXPENSE_ROWS, PROCUREMENT_ROWS].map((r, i) => [r, [invoices, expenseRows, procurementRows][i]!]));
      const headerFound = (j: LineJob): Found<Header> | undefined => (j.header ? headers.get(j.header.resource)!.get(j.header.id) : undefined);
      const entryFound = (j: LineJob): Found<Entry> | undefined => (viaTimeEntry(j.line) ? entries.get(j.line.source!.timeEntryId!) : undefined);
      const headerValue = (j: LineJob) => {
        const h = headerFound(j);
        return h?.ok ? h.value : undefined;
      };
      const entryValue = (j: LineJob) => {
        const e = entryFound(j);
        return e?.ok ? e.value : undefined;
      };
      /** The project and ticket a line is about: its time entry's, else its record's. */
      const work = (j: LineJob): Header | Entry | undefined => (viaTimeEntry(j.line) ? entryValue(j) : headerValue(j));

      // Then what those documents name.
      const ids = (list: LineJob[], pick: (j: LineJob) => number | undefined) => list.flatMap((j) => pick(j) ?? []);
      const agreementIds = ids(jobs.filter((j) => j.needs.has('agreementType')), (j) => headerValue(j)?.agreementId);
      const [locations, departments, projects, tickets, agreements, chargeCodes] = await Promise.all([
        get(LOCATIONS, ids(jobs.filter((j) => j.needs.has('structure') || (j.needs.has('owner') && !soleOwner)), (j) => headerValue(j)?.locationId)),
        get(DEPARTMENTS, ids(jobs.filter((j) => j.needs.has('group')), (j) => headerValue(j)?.departmentId)),
        // A project's name is on the reference that names it; its type only on the project.
        get(PROJECTS, ids(jobs.filter((j) => j.needs.has('projectType') || (j.needs.has('project') && work(j)?.project === undefined)), (j) => work(j)?.projectId)),
        get(TICKETS, ids(jobs.filter((j) => j.needs.has('serviceType')), (j) => ticketOf(j.line, work(j)))),
        found(AGREEMENT, agreementIds, () => agreementsByIds(psa, lookups, agreementIds, batchId)),
        get(CHARGE_CODES, ids(jobs.filter((j) => j.needs.has('chargeCode') && viaTimeEntry(j.line)), (j) => chargedTo(entryValue(j)))),
      ]);

      const factOf = (j: LineJob, fact: OriginFact): Read => {
        const { line, at } = j;
        const record = at.record;
        const h = headerFound(j);
        const headerRead = (pick: (h: Header) => Read): Read => {
          if (!j.header) return unread(`the unposted row of ${record.kind} ${record.number} is not known`);
          if (!h) return unread(`${j.header.resource.one} ${j.header.id} was not read`);
          return h.ok ? pick(h.value) : unread(h.why);
        };
        const via = <T>(found: Found<T> | undefined, id: number | undefined, pick: (x: T) => unknown): Read => {
          if (id === undefined) return value(undefined);
          if (!found) return unread(`record ${id} was not read`);
          return found.ok ? value(pick(found.value)) : unread(found.why);
        };
        /** A time fact: from the line's time entry; lines without one have none (their project and ticket come from the record). */
        const timeRead = (pick: (e: Entry) => Read): Read => {
          const e = entryFound(j);
          if (!e) return value(undefined);
          return e.ok ? pick(e.value) : unread(`${e.why} (billed by GL entry ${line.glEntryId})`);
        };
        const workRead = (pick: (w: Header | Entry) => Read): Read => (viaTimeEntry(line) ? timeRead(pick) : headerRead(pick));
        switch (fact) {
          case 'owner':
            if (soleOwner !== undefined) return value(soleOwner);
            return headerRead((hv) => {
              if (hv.locationId === undefined) return unread(`${record.kind} ${record.number} names no location, and the GL setup's My Company: Owner rows name several owner levels`);
              const loc = locations.get(hv.locationId);
              if (!loc?.ok) return unread(loc?.why ?? `location ${hv.locationId} was not read`);
              const owner = ownerRecordOf(setup.mappings, loc.value.ownerLevelId);
              return owner === undefined ? unread(`no My Company: Owner row names the owner level of location "${loc.value.name}"`) : value(owner);
            });
          case 'structure':
            return headerRead((hv) => via(locations.get(hv.locationId!), hv.locationId, (l) => l.name));
          case 'group':
            return headerRead((hv) => via(departments.get(hv.departmentId!), hv.departmentId, (d) => d.name));
          case 'agreementType':
            if (record.kind !== 'invoice') return value(undefined);
            return headerRead((hv) => via(agreements.get(hv.agreementId!), hv.agreementId, (a) => nonEmpty(a.type?.name)));
          case 'expenseType':
          case 'paymentType':
            if (record.kind !== 'expense') return value(undefined);
            return headerRead((hv) => value(hv[fact]));
          case 'chargeCode':
            if (record.kind === 'expense') return headerRead((hv) => value(hv.chargeCode));
            return timeRead((e) => {
              const id = chargedTo(e);
              return via(chargeCodes.get(id!), id, (c) => c.name);
            });
          case 'workType':
          case 'workRole':
            return timeRead((e) => value(e[fact]));
          case 'project':
            if (record.kind === 'procurement') return value(undefined);
            return workRead((w) => {
              if ('chargeToType' in w && w.chargeToType === 'ProjectTicket' && w.projectId === undefined) return unread(`time entry ${line.source!.timeEntryId!} is charged to a project ticket but names no project`);
              return w.project !== undefined || w.projectId === undefined ? value(w.project) : via(projects.get(w.projectId), w.projectId, (p) => p.name);
            });
          case 'projectType':
            if (record.kind === 'procurement') return value(undefined);
            return workRead((w) => via(projects.get(w.projectId!), w.projectId, (p) => p.type));
          case 'serviceType':
            if (record.kind === 'procurement') return value(undefined);
            return workRead((w) => {
              const id = ticketOf(line, w);
              return via(tickets.get(id!), id, (t) => t.type);
            });
          case 'product':
            return value(line.source?.item);
          case 'productCategory':
          case 'productSubcategory': {
            const id = line.source?.itemId;
            if (id === undefined) return line.source?.item === undefined ? value(undefined) : unread(`catalog item ${line.source.item} has no id in the export`);
            return via(catalog.get(id), id, (c) => (fact === 'productCategory' ? c.category : c.subcategory));
          }
          case 'taxCodeLevel':
            return taxLevelRead(record, line);
          case 'expenseTaxType':
            return record.kind === 'expense' ? unread("ConnectWise's documented expense data names no expense tax type") : value(undefined);
        }
      };

      const out = new Map<PsaGlRecord, LineOrigin[]>();
      for (const j of jobs) {
        const origin: LineOrigin = { facts: {}, unread: {} };
        for (const fact of j.needs) {
          const read = factOf(j, fact);
          if ('unread' in read) origin.unread[fact] = read.unread;
          else if (read.value !== undefined) (origin.facts as Record<string, unknown>)[fact] = read.value;
        }
        const list = out.get(j.at.record) ?? [];
        list.push(origin);
        out.set(j.at.record, list);
      }
      return out;
    },
  };
}

/** The charge code a time entry is charged to, if it is. */
function chargedTo(e: Entry | undefined): number | undefined {
  return e?.chargeToType === 'ChargeCode' ? e.chargeToId : undefined;
}

/** The service ticket of a line's work: a time entry's when charged to a service ticket, else the record's. */
function ticketOf(line: PsaGlLine, w: Header | Entry | undefined): number | undefined {
  if (!w) return undefined;
  if (viaTimeEntry(line)) return (w as Entry).chargeToType === 'ServiceTicket' ? w.ticketId : undefined;
  return w.ticketId;
}

/** A tax line's "Tax Code: Level N" record: the record's tax code at the line's level. */
function taxLevelRead(record: PsaGlRecord, line: PsaGlLine): Read {
  if (!TAX_TYPES.has(line.accountType)) return value(undefined);
  const level = line.taxLevel ?? line.source?.taxLevel;
  if (record.taxCode === undefined) return unread(`${record.kind} ${record.number} names no tax code`);
  if (level === undefined) return unread(`the tax level of GL entry ${line.glEntryId} is not known (no entry of the document's taxLevels fits it alone)`);
  const taxCodeLevel: GlLineContext['taxCodeLevel'] = { level, record: record.taxCode };
  return value(taxCodeLevel);
}
