/** Add PSA records to the state from compact specs (used by the demo seed and the benchmark generator). */
import {
  nextId,
  type AdjustmentRecord,
  type ExpenseRecord,
  type InvoiceLine,
  type InvoiceRecord,
  type PurchaseOrderRecord,
  type SandboxState,
  type TimeEntryRecord,
  type TransferRecord,
  type Wire,
} from './state';

const open = { closed: false, revision: 0, entryIds: [] as number[] };

function companyBy(state: SandboxState, identifier: string): Wire {
  const c = state.companies.find((x) => x.identifier === identifier);
  if (!c) throw new Error(`no company ${identifier}`);
  return c;
}
const named = (rows: Wire[], name: string, what: string): Wire => {
  const row = rows.find((r) => r.name === name || r.identifier === name);
  if (!row) throw new Error(`no ${what} ${name}`);
  return row;
};

/** The work a time line bills, entered as a time entry on a service ticket, a project or a charge code. */
export interface TimeSpec {
  workType: string;
  workRole: string;
  /** A service ticket of this service type. */
  serviceType?: string;
  /** Project time: the project's id. */
  projectId?: number;
  chargeCode?: string;
}

/** An invoice line; a time line with `time` bills a time entry added with the invoice. */
export type InvoiceLineSpec = Omit<InvoiceLine, 'timeEntryId'> & { time?: TimeSpec };

export interface InvoiceSpec {
  type: InvoiceRecord['type'];
  company: string;
  date: string;
  department: string;
  location?: string;
  description: string;
  lines: InvoiceLineSpec[];
  applyToType?: string;
  applyToId?: number;
}

/** The technician whose time the demo bills. */
const TECHNICIAN = 'dwhitfield';

function addTimeEntry(state: SandboxState, invoice: InvoiceRecord, line: InvoiceLineSpec, time: TimeSpec): number {
  const charge: Pick<TimeEntryRecord, 'chargeToType' | 'chargeToId' | 'ticketId' | 'projectId'> = time.chargeCode
    ? { chargeToType: 'ChargeCode', chargeToId: named(state.chargeCodes, time.chargeCode, 'charge code').id }
    : time.projectId !== undefined
      ? { chargeToType: 'ProjectTicket', chargeToId: time.projectId, projectId: projectOf(state, time.projectId) }
      : { chargeToType: 'ServiceTicket', ...serviceTicket(state, time.serviceType) };
  const entry: TimeEntryRecord = {
    id: nextId(state, 'timeEntry'),
    companyId: invoice.companyId,
    memberId: named(state.members, TECHNICIAN, 'member').id,
    ...charge,
    workTypeId: named(state.workTypes, time.workType, 'work type').id,
    workRoleId: named(state.workRoles, time.workRole, 'work role').id,
    timeStart: invoice.date,
    hours: line.quantity,
    hourlyRateCents: line.unitPriceCents,
    notes: line.description,
    invoiceId: invoice.id,
  };
  state.timeEntries.push(entry);
  return entry.id;
}

function projectOf(state: SandboxState, id: number): number {
  if (!state.projects.some((p) => p.id === id)) throw new Error(`no project ${id}`);
  return id;
}

function serviceTicket(state: SandboxState, serviceType: string | undefined): { chargeToId: number; ticketId: number } {
  const ticket = state.tickets.find((t) => (t.type as { name: string }).name === serviceType);
  if (!ticket) throw new Error(`no service ticket of type ${serviceType ?? '(none)'}`);
  return { chargeToId: ticket.id, ticketId: ticket.id };
}

export function addInvoice(state: SandboxState, spec: InvoiceSpec): InvoiceRecord {
  const company = companyBy(state, spec.company);
  const id = nextId(state, 'invoice');
  const inv: InvoiceRecord = {
    ...open,
    entryIds: [],
    id,
    invoiceNumber: `${spec.type === 'CreditMemo' ? 'CM' : 'INV'}${10000 + id}`,
    type: spec.type,
    companyId: company.id,
    statusId: named(state.billingStatuses, 'New', 'billing status').id,
    date: spec.date,
    billingTermsId: (company.billingTerms as { id: number }).id,
    taxCodeId: (company.taxCode as { id: number }).id,
    locationId: named(state.locations, spec.location ?? 'Seattle', 'location').id,
    departmentId: named(state.departments, spec.department, 'department').id,
    description: spec.description,
    applyToType: spec.applyToType ?? 'All',
    applyToId: spec.applyToId,
    lines: [],
    paymentIds: [],
  };
  inv.lines = spec.lines.map(({ time, ...line }) => (time ? { ...line, timeEntryId: addTimeEntry(state, inv, line, time) } : line));
  state.invoices.push(inv);
  return inv;
}

export interface ExpenseSpec {
  company: string;
  date: string;
  expenseType: string;
  classification: ExpenseRecord['classification'];
  paymentMethod: string;
  amountCents: number;
  billableOption?: ExpenseRecord['billableOption'];
  chargeCode?: string;
  notes: string;
}

export function addExpenseReport(state: SandboxState, memberIdentifier: string, dateStart: string, dateEnd: string, expenses: ExpenseSpec[]): number {
  const member = state.members.find((m) => m.identifier === memberIdentifier);
  if (!member) throw new Error(`no member ${memberIdentifier}`);
  const reportId = nextId(state, 'expenseReport');
  state.expenseReports.push({ ...open, entryIds: [], id: reportId, memberId: member.id, dateStart, dateEnd, status: 'Open' });
  for (const e of expenses) {
    state.expenses.push({
      ...open,
      entryIds: [],
      id: nextId(state, 'expense'),
      reportId,
      memberId: member.id,
      companyId: companyBy(state, e.company).id,
      date: e.date,
      expenseType: e.expenseType,
      classification: e.classification,
      paymentMethod: e.paymentMethod,
      amountCents: e.amountCents,
      billableOption: e.billableOption ?? 'DoNotBill',
      chargeCode: e.chargeCode,
      locationId: (member.defaultLocation as { id: number }).id,
      departmentId: (member.defaultDepartment as { id: number }).id,
      notes: e.notes,
    });
  }
  return reportId;
}

export interface PurchaseSpec {
  vendor: string;
  /** The ordering location (default Seattle). */
  location?: string;
  poDate: string;
  vendorInvoiceNumber: string;
  freightCostCents: number;
  taxCode?: string;
  taxPoFlag?: boolean;
  taxFreightFlag?: boolean;
  lines: Array<{ product: string; quantity: number; receivedQuantity: number; unitCostCents: number }>;
}

export function addPurchaseOrder(state: SandboxState, spec: PurchaseSpec): PurchaseOrderRecord {
  const vendor = companyBy(state, spec.vendor);
  const id = nextId(state, 'purchaseOrder');
  const po: PurchaseOrderRecord = {
    ...open,
    entryIds: [],
    id,
    poNumber: `PO${5000 + id}`,
    poDate: spec.poDate,
    vendorCompanyId: vendor.id,
    termsId: (vendor.billingTerms as { id: number }).id,
    taxCodeId: named(state.taxCodes, spec.taxCode ?? 'Exempt', 'tax code').id,
    taxPoFlag: spec.taxPoFlag ?? false,
    taxFreightFlag: spec.taxFreightFlag ?? false,
    freightCostCents: spec.freightCostCents,
    locationId: named(state.locations, spec.location ?? 'Seattle', 'location').id,
    departmentId: named(state.departments, 'Managed Services', 'department').id,
    vendorInvoiceNumber: spec.vendorInvoiceNumber,
    vendorInvoiceDate: spec.poDate,
    lines: spec.lines.map((l, i) => {
      const product = state.catalog.find((c) => c.identifier === l.product);
      return {
        id: nextId(state, 'purchaseOrderLine'),
        lineNumber: i + 1,
        product: l.product,
        description: product?.description ?? l.product,
        quantity: l.quantity,
        receivedQuantity: l.receivedQuantity,
        unitCostCents: l.unitCostCents,
        receivedStatus: l.receivedQuantity === 0 ? 'Waiting' : l.receivedQuantity >= l.quantity ? 'FullyReceived' : 'PartiallyReceiveCloneRest',
        dateReceived: l.receivedQuantity > 0 ? spec.poDate : undefined,
        closedFlag: l.receivedQuantity >= l.quantity,
      };
    }),
  };
  state.purchaseOrders.push(po);
  return po;
}

export function addAdjustment(state: SandboxState, spec: { date: string; typeName: string; reason: string; details: Array<{ product: string; quantityAdjusted: number; warehouse: string }> }): AdjustmentRecord {
  const id = nextId(state, 'adjustment');
  const adj: AdjustmentRecord = {
    ...open,
    entryIds: [],
    id,
    identifier: `ADJ-${id}`,
    typeName: spec.typeName,
    reason: spec.reason,
    date: spec.date,
    locationId: named(state.locations, 'Seattle', 'location').id,
    details: spec.details.map((d) => {
      const product = state.catalog.find((c) => c.identifier === d.product);
      return { id: nextId(state, 'adjustmentDetail'), product: d.product, description: product?.description ?? d.product, quantityAdjusted: d.quantityAdjusted, unitCostCents: product?.costCents ?? 0, warehouse: d.warehouse };
    }),
  };
  state.adjustments.push(adj);
  return adj;
}

export function addTransfer(state: SandboxState, spec: { date: string; product: string; quantity: number; from: string; to: string }): TransferRecord {
  const product = state.catalog.find((c) => c.identifier === spec.product);
  const warehouse = (name: string) => {
    const loc = state.locations.find((l) => (l.warehouses as string[]).includes(name));
    if (!loc) throw new Error(`no warehouse ${name}`);
    return loc.id;
  };
  const tr: TransferRecord = {
    ...open,
    entryIds: [],
    id: nextId(state, 'transfer'),
    date: spec.date,
    product: spec.product,
    description: product?.description ?? spec.product,
    quantity: spec.quantity,
    unitCostCents: product?.costCents ?? 0,
    fromWarehouse: spec.from,
    toWarehouse: spec.to,
    fromLocationId: warehouse(spec.from),
    toLocationId: warehouse(spec.to),
  };
  state.transfers.push(tr);
  return tr;
}

export const lineOf = (state: SandboxState, productId: string, quantity: number, extra: Partial<InvoiceLine> = {}): InvoiceLineSpec => {
  const p = state.catalog.find((c) => c.identifier === productId);
  if (!p) throw new Error(`no product ${productId}`);
  return {
    kind: 'product',
    description: p.description,
    quantity,
    unitPriceCents: p.priceCents,
    taxable: p.taxable,
    product: p.identifier,
    ...extra,
  };
};
