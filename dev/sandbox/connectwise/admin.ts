/**
 * Sandbox administration (not part of the ConnectWise API): reset and seed, benchmark data, fault
 * knobs, closing and reopening records, changing a GL mapping, recording a payment, changing the
 * accounting package setup (e.g. "transfer expenses as a bill"). Served under
 * `/__admin/` and also callable in-process through the handle `startConnectWiseSandbox` returns.
 */
import type { FaultCounts, FaultInjector, FaultKnobs } from '../shared/fault-injector';
import { CwHttpError } from './cw-errors';
import { buildDemoState } from './demo-seed';
import { generateRecords, type GenerateOptions } from './generator';
import {
  addPayment,
  closeRecord,
  CLOSE_KINDS,
  editExpense,
  editInvoiceLine,
  editPurchaseOrderLine,
  nowIso,
  patchGlAccount,
  reopenRecord,
  type CloseKind,
  type ExpenseChange,
  type InvoiceLineChange,
  type PurchaseOrderLineChange,
} from './lifecycle';
import { forgetIds } from './lookups';
import { intParam, Router } from './router';
import { emptyState, type SandboxState, type Wire } from './state';

export type SeedName = 'demo' | 'empty';

export interface MappingChange {
  account?: string;
  class?: string;
  productId?: string;
  inventory?: string;
  cogs?: string;
  salesCode?: string;
}

const MAPPING_FIELD: Record<keyof MappingChange, string> = {
  account: 'segment1',
  class: 'segment2',
  productId: 'productId',
  inventory: 'inventory',
  cogs: 'cogs1',
  salesCode: 'salesCode',
};

/** The accounting package setup fields a test may change. */
export interface AccountingSetupChange {
  transferExpensesAsBillFlag?: boolean;
}

/** An agreement edit as a finance user makes it: cancel it, or change what it bills. */
export interface AgreementChange {
  cancel?: { reason?: string };
  /** When the change was made (default now), as the agreement's audit trail would show it. */
  at?: string;
  billAmount?: number;
  endDate?: string;
}

function changeAgreement(s: SandboxState, id: number, change: AgreementChange): Wire {
  const a = s.agreements.find((x) => x.id === id);
  if (!a) throw new CwHttpError(404, 'NotFound', `Agreement recId ${id} not found`);
  if (change.at !== undefined && Number.isNaN(Date.parse(change.at))) throw new CwHttpError(400, 'InvalidObject', 'at must be an ISO date-time');
  const now = change.at ?? nowIso();
  for (const [k, v] of Object.entries(change)) {
    if (k === 'at') continue;
    if (k === 'cancel' && v && typeof v === 'object') Object.assign(a, { cancelledFlag: true, agreementStatus: 'Cancelled', dateCancelled: now, ...((v as { reason?: string }).reason ? { reasonCancelled: (v as { reason: string }).reason } : {}) });
    else if (k === 'billAmount' && typeof v === 'number') a.billAmount = v;
    else if (k === 'endDate' && typeof v === 'string' && !Number.isNaN(Date.parse(v))) Object.assign(a, { endDate: v, noEndingDateFlag: false });
    else throw new CwHttpError(400, 'InvalidObject', `Unknown or invalid agreement field ${k}`);
  }
  a._info = { lastUpdated: now, updatedBy: 'admin' };
  return structuredClone(a);
}

function changeSetup(s: SandboxState, change: AccountingSetupChange): Wire {
  const setup = s.accountingPackageSetup[0];
  if (!setup) throw new CwHttpError(404, 'NotFound', 'The accounting package is not set up (seed "demo" sets it up)');
  for (const [k, v] of Object.entries(change)) {
    if (k !== 'transferExpensesAsBillFlag' || typeof v !== 'boolean') throw new CwHttpError(400, 'InvalidObject', `Unknown or invalid setup field ${k}`);
    setup[k] = v;
  }
  return structuredClone(setup);
}

/** One API request the sandbox answered: method, path below the API prefix, full URL, JSON body. */
export interface RequestServed {
  method: string;
  path: string;
  url: URL;
  body: unknown;
}

/**
 * Runs after the sandbox answered a request (committed it, for a write) and before the answer is
 * sent, so whatever the hook changes (closing, reopening records) is what the next request sees,
 * for example between two page reads. In-process only.
 */
export type RequestHook = (request: RequestServed) => void;

export interface SandboxAdmin {
  reset(seed?: SeedName): void;
  generate(opts: GenerateOptions): { invoices: number; expenses: number; procurement: number };
  knobs(): FaultKnobs;
  setKnobs(knobs: Partial<FaultKnobs>): FaultKnobs;
  /** Faults applied so far (5xx, 429, dropped connections, lost responses). */
  faultCounts(): FaultCounts;
  close(kind: CloseKind, id: number, status?: string): { revision: number; entryIds: number[] };
  /** Closes several records in one change and one save: all of them, or none when one cannot close. */
  closeMany(records: Array<{ kind: CloseKind; id: number; status?: string }>): Array<{ revision: number; entryIds: number[] }>;
  /** Reopens a closed record; an invoice takes the open billing status `status` (default "New"). */
  reopen(kind: CloseKind, id: number, status?: string): void;
  /** Edit a line of an open invoice (`index` 0-based), as a person does before closing it again. */
  editInvoiceLine(invoiceId: number, index: number, change: InvoiceLineChange): void;
  /** Edit an expense on a reopened expense report, as a person does before it is approved and closed again. */
  editExpense(expenseId: number, change: ExpenseChange): void;
  /** Edit a line of a reopened purchase order (`index` 0-based). */
  editPurchaseOrderLine(poId: number, index: number, change: PurchaseOrderLineChange): void;
  changeMapping(glAccountId: number, change: MappingChange): Wire;
  recordPayment(invoiceId: number, amount: number, paymentDate?: string): { id: number };
  /** Merges fields into the accounting package setup, as an admin changing it in ConnectWise would. */
  changeAccountingSetup(change: AccountingSetupChange): Wire;
  /** Cancels an agreement or changes what it bills, stamping `_info.lastUpdated`. */
  changeAgreement(id: number, change: AgreementChange): Wire;
  /** Removes a time entry, as when one is deleted or merged away after its invoice closed. */
  deleteTimeEntry(id: number): void;
  /**
   * Appends raw rows to the mapped types and the GL Accounts table, as a site whose setup holds a
   * table ConnectWise added later or a row typed oddly. In-process only.
   */
  addGlSetupRows(rows: { mappedTypes?: Wire[]; glAccounts?: Wire[] }): void;
  /** Adds a location (an office or legal entity's site), as an admin setting up the corporate structure would. */
  addLocation(location: { name: string; ownerLevelId?: number }): { id: number };
  /** A deep copy of the current state, for tests and inspection. */
  snapshot(): SandboxState;
  /** Calls `hook` after every API request until the returned function is called. */
  onRequest(hook: RequestHook): () => void;
}

export function seedState(seed: SeedName): SandboxState {
  return seed === 'demo' ? buildDemoState() : emptyState();
}

/** `mutate` runs a change and persists it; the admin API goes through it like the REST API does. */
export function createAdmin(deps: {
  getState: () => SandboxState;
  setState: (s: SandboxState) => void;
  mutate: <T>(fn: (s: SandboxState) => T) => T;
  faults: FaultInjector;
  requestHooks: Set<RequestHook>;
}): SandboxAdmin {
  const { mutate, faults, requestHooks } = deps;
  return {
    reset: (seed = 'empty') => mutate(() => deps.setState(seedState(seed))),
    generate: (opts) => mutate((s) => generateRecords(s, opts)),
    knobs: () => ({ ...faults.knobs }),
    setKnobs: (k) => ({ ...faults.set(k) }),
    faultCounts: () => faults.counts(),
    close: (kind, id, status) => mutate((s) => closeRecord(s, kind, id, status)),
    closeMany: (records) =>
      mutate((s) => {
        const draft = structuredClone(s);
        const closed = records.map((r) => closeRecord(draft, r.kind, r.id, r.status));
        deps.setState(draft);
        return closed;
      }),
    reopen: (kind, id, status) => mutate((s) => reopenRecord(s, kind, id, status)),
    editInvoiceLine: (invoiceId, index, change) => mutate((s) => editInvoiceLine(s, invoiceId, index, change)),
    editExpense: (expenseId, change) => mutate((s) => editExpense(s, expenseId, change)),
    editPurchaseOrderLine: (poId, index, change) => mutate((s) => editPurchaseOrderLine(s, poId, index, change)),
    addGlSetupRows: (rows) =>
      mutate((s) => {
        s.mappedTypes.push(...(rows.mappedTypes ?? []));
        s.glAccounts.push(...(rows.glAccounts ?? []));
      }),
    changeMapping: (id, change) =>
      mutate((s) => {
        const ops = Object.entries(change)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => {
            const path = MAPPING_FIELD[k as keyof MappingChange];
            if (!path) throw new CwHttpError(400, 'InvalidObject', `Unknown mapping field ${k}`);
            return { op: 'replace', path, value: v };
          });
        return patchGlAccount(s, id, ops);
      }),
    recordPayment: (invoiceId, amount, paymentDate) => mutate((s) => ({ id: addPayment(s, invoiceId, { type: 'P', amount, paymentDate }).id })),
    changeAccountingSetup: (change) => mutate((s) => changeSetup(s, change)),
    changeAgreement: (id, change) => mutate((s) => changeAgreement(s, id, change)),
    deleteTimeEntry: (id) =>
      mutate((s) => {
        const at = s.timeEntries.findIndex((t) => t.id === id);
        if (at < 0) throw new CwHttpError(404, 'NotFound', `Time entry recId ${id} not found`);
        s.timeEntries.splice(at, 1);
        forgetIds(s.timeEntries);
      }),
    addLocation: ({ name, ownerLevelId }) =>
      mutate((s) => {
        if (!name.trim() || s.locations.some((l) => l.name === name)) throw new CwHttpError(400, 'InvalidObject', `location name "${name}" is empty or taken`);
        const id = Math.max(0, ...s.locations.map((l) => l.id as number)) + 1;
        s.locations.push({ id, name, ...(ownerLevelId !== undefined && { ownerLevelId }), locationFlag: true, warehouses: [], _info: { lastUpdated: new Date().toISOString() } });
        return { id };
      }),
    snapshot: () => structuredClone(deps.getState()),
    onRequest: (hook) => {
      requestHooks.add(hook);
      return () => requestHooks.delete(hook);
    },
  };
}

function closeKind(raw: string): CloseKind {
  const kind = CLOSE_KINDS.find((k) => k.toLowerCase() === raw.toLowerCase());
  if (!kind) throw new CwHttpError(400, 'InvalidObject', `kind must be one of ${CLOSE_KINDS.join(', ')}`);
  return kind;
}

const obj = (body: unknown): Record<string, unknown> => (body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {});

export function adminRoutes(admin: SandboxAdmin, getState: () => SandboxState): Router {
  const r = new Router();
  const done = (body: unknown) => ({ status: 200, body });
  r.add('GET', '/health', () => done({ ok: true }), false);
  r.add('GET', '/summary', () => {
    const s = getState();
    return done({
      invoices: s.invoices.length, expenses: s.expenses.length, purchaseOrders: s.purchaseOrders.length, adjustments: s.adjustments.length,
      transfers: s.transfers.length, glEntries: s.glEntries.length, batches: s.batches.length, payments: s.payments.length,
    });
  }, false);
  r.add('POST', '/reset', ({ body }) => {
    const seed = (obj(body).seed as SeedName | undefined) ?? 'empty';
    if (seed !== 'demo' && seed !== 'empty') throw new CwHttpError(400, 'InvalidObject', 'seed must be "demo" or "empty"');
    admin.reset(seed);
    return done({ ok: true, seed });
  });
  r.add('POST', '/locations', ({ body }) => {
    const b = obj(body);
    if (typeof b.name !== 'string' || (b.ownerLevelId !== undefined && !Number.isInteger(b.ownerLevelId))) throw new CwHttpError(400, 'InvalidObject', 'expected { name, ownerLevelId? }');
    return done(admin.addLocation({ name: b.name, ownerLevelId: b.ownerLevelId as number | undefined }));
  });
  r.add('POST', '/seed', ({ body }) => {
    const b = obj(body);
    if (b.seed === 'demo') {
      admin.reset('demo');
      return done({ ok: true, seed: 'demo' });
    }
    const gen = obj(b.generate);
    const n = (k: string) => {
      const v = gen[k] ?? 0;
      if (!Number.isInteger(v) || (v as number) < 0) throw new CwHttpError(400, 'InvalidObject', `generate.${k} must be a non-negative integer`);
      return v as number;
    };
    const locations = Array.isArray(gen.locations) && gen.locations.every((l) => typeof l === 'string') ? (gen.locations as string[]) : undefined;
    return done(admin.generate({ invoices: n('invoices'), expenses: n('expenses'), procurement: n('procurement'), seed: typeof gen.seed === 'number' ? gen.seed : undefined, close: gen.close !== false, locations }));
  });
  r.add('GET', '/knobs', () => done(admin.knobs()), false);
  r.add('GET', '/faults', () => done(admin.faultCounts()), false);
  r.add('POST', '/knobs', ({ body }) => {
    try {
      return done(admin.setKnobs(obj(body) as Partial<FaultKnobs>));
    } catch (err) {
      throw new CwHttpError(400, 'InvalidObject', (err as Error).message);
    }
  }, false);
  r.add('POST', '/records/close', ({ body }) => {
    const list = obj(body).records;
    if (!Array.isArray(list) || list.length === 0) throw new CwHttpError(400, 'InvalidObject', 'records must be a non-empty list of { kind, id, status? }');
    return done(
      admin.closeMany(
        list.map((r: unknown, i) => {
          const o = obj(r);
          if (typeof o.kind !== 'string' || !Number.isInteger(o.id)) throw new CwHttpError(400, 'InvalidObject', `records[${i}] needs a kind and an integer id`);
          return { kind: closeKind(o.kind), id: o.id as number, status: o.status as string | undefined };
        }),
      ),
    );
  });
  r.add('POST', '/records/:kind/:id/close', ({ params, body }) => done(admin.close(closeKind(params.kind!), intParam(params, 'id'), obj(body).status as string | undefined)));
  r.add('POST', '/records/:kind/:id/reopen', ({ params, body }) => {
    admin.reopen(closeKind(params.kind!), intParam(params, 'id'), obj(body).status as string | undefined);
    return done({ ok: true });
  });
  r.add('POST', '/records/invoice/:id/lines/:index', ({ params, body }) => {
    const b = obj(body);
    admin.editInvoiceLine(intParam(params, 'id'), intParam(params, 'index'), {
      ...(b.quantity !== undefined && { quantity: Number(b.quantity) }),
      ...(b.unitPriceCents !== undefined && { unitPriceCents: Number(b.unitPriceCents) }),
      ...(typeof b.description === 'string' && { description: b.description }),
    });
    return done({ ok: true });
  });
  r.add('POST', '/records/expense/:id', ({ params, body }) => {
    const b = obj(body);
    admin.editExpense(intParam(params, 'id'), { ...(b.amountCents !== undefined && { amountCents: Number(b.amountCents) }), ...(typeof b.notes === 'string' && { notes: b.notes }) });
    return done({ ok: true });
  });
  r.add('POST', '/records/purchaseOrder/:id/lines/:index', ({ params, body }) => {
    const b = obj(body);
    admin.editPurchaseOrderLine(intParam(params, 'id'), intParam(params, 'index'), {
      ...(b.quantity !== undefined && { quantity: Number(b.quantity) }),
      ...(b.unitCostCents !== undefined && { unitCostCents: Number(b.unitCostCents) }),
    });
    return done({ ok: true });
  });
  r.add('POST', '/glAccounts/:id', ({ params, body }) => done(admin.changeMapping(intParam(params, 'id'), obj(body) as MappingChange)));
  r.add('POST', '/agreements/:id', ({ params, body }) => done(admin.changeAgreement(intParam(params, 'id'), obj(body) as AgreementChange)));
  r.add('POST', '/timeEntries/:id/delete', ({ params }) => {
    admin.deleteTimeEntry(intParam(params, 'id'));
    return done({ ok: true });
  });
  r.add('POST', '/accountingPackageSetup', ({ body }) => done(admin.changeAccountingSetup(obj(body) as AccountingSetupChange)));
  r.add('POST', '/payments', ({ body }) => {
    const b = obj(body);
    return done(admin.recordPayment(Number(b.invoiceId), Number(b.amount), b.paymentDate as string | undefined));
  });
  return r;
}
