/**
 * The sandbox's persisted state. Setup tables are stored in their wire shape (what the API returns);
 * PSA records (invoices, expenses, purchase orders, adjustments, transfers) are stored as their
 * facts plus a lifecycle, and rendered to the wire on each request. GL entries are stored when a
 * record closes and never recomputed, as in ConnectWise.
 */
import type { AccountType, GlLineContext, GlTypeCode } from '../../../domain/gl/types';

export type Wire = Record<string, unknown> & { id: number };

/** The state's shape; a persisted state of another version is replaced by a fresh seed. */
export const SANDBOX_SCHEMA_VERSION = 2;

export interface Lifecycle {
  closed: boolean;
  dateClosed?: string;
  /** Bumped on every close; a reopened-and-closed record has new GL entry ids as well. */
  revision: number;
  /** The GL entries of the current close (empty while open). */
  entryIds: number[];
}

export type InvoiceLineKind = 'time' | 'product' | 'expense' | 'agreement' | 'agreementProduct' | 'downpayment' | 'misc';

export interface InvoiceLine {
  kind: InvoiceLineKind;
  description: string;
  quantity: number;
  /** Unit price in cents. */
  unitPriceCents: number;
  /** Discount on the line in cents (reduces the line; posts to Product Discount). */
  discountCents?: number;
  taxable: boolean;
  /** Catalog product identifier for product lines. */
  product?: string;
  /**
   * The time entry a time line bills. Lines without one (progress billing, expenses, fees) are
   * resolved with the invoice's project or ticket, and every line with the invoice's agreement.
   */
  timeEntryId?: number;
}

/** Time worked, as a time entry: charged to a service ticket, a project or a charge code. */
export interface TimeEntryRecord {
  id: number;
  companyId: number;
  memberId: number;
  chargeToType: 'ServiceTicket' | 'ProjectTicket' | 'ChargeCode';
  /** The ticket's id, the project's id (project time), or the charge code's id. */
  chargeToId: number;
  ticketId?: number;
  projectId?: number;
  workTypeId: number;
  workRoleId: number;
  timeStart: string;
  hours: number;
  hourlyRateCents: number;
  notes: string;
  invoiceId?: number;
}

export interface InvoiceRecord extends Lifecycle {
  id: number;
  invoiceNumber: string;
  type: 'Standard' | 'Agreement' | 'DownPayment' | 'CreditMemo' | 'Progress' | 'Miscellaneous';
  companyId: number;
  statusId: number;
  date: string;
  billingTermsId: number;
  taxCodeId: number;
  locationId: number;
  departmentId: number;
  description: string;
  applyToType: string;
  applyToId?: number;
  lines: InvoiceLine[];
  /** Payments recorded against it (ids into state.payments). */
  paymentIds: number[];
}

export interface ExpenseReportRecord extends Lifecycle {
  id: number;
  memberId: number;
  dateStart: string;
  dateEnd: string;
  status: string;
}

export interface ExpenseRecord extends Lifecycle {
  id: number;
  reportId: number;
  memberId: number;
  companyId: number;
  date: string;
  expenseType: string;
  classification: 'Reimbursable' | 'NonReimbursable';
  paymentMethod: string;
  amountCents: number;
  billableOption: 'Billable' | 'DoNotBill' | 'NoCharge' | 'NoDefault';
  chargeCode?: string;
  ticketId?: number;
  projectId?: number;
  locationId: number;
  departmentId: number;
  notes: string;
}

export interface PurchaseOrderLine {
  id: number;
  lineNumber: number;
  product: string;
  description: string;
  quantity: number;
  receivedQuantity: number;
  unitCostCents: number;
  receivedStatus: 'Waiting' | 'FullyReceived' | 'PartiallyReceiveCancelRest' | 'PartiallyReceiveCloneRest';
  dateReceived?: string;
  closedFlag: boolean;
}

export interface PurchaseOrderRecord extends Lifecycle {
  id: number;
  poNumber: string;
  poDate: string;
  vendorCompanyId: number;
  termsId: number;
  taxCodeId: number;
  taxPoFlag: boolean;
  taxFreightFlag: boolean;
  freightCostCents: number;
  locationId: number;
  departmentId: number;
  vendorInvoiceNumber: string;
  vendorInvoiceDate: string;
  lines: PurchaseOrderLine[];
}

export interface AdjustmentRecord extends Lifecycle {
  id: number;
  identifier: string;
  typeName: string;
  reason: string;
  date: string;
  locationId: number;
  details: Array<{ id: number; product: string; description: string; quantityAdjusted: number; unitCostCents: number; warehouse: string }>;
}

export interface TransferRecord extends Lifecycle {
  id: number;
  date: string;
  product: string;
  description: string;
  quantity: number;
  unitCostCents: number;
  fromWarehouse: string;
  toWarehouse: string;
  fromLocationId: number;
  toLocationId: number;
}

export type RecordKind = 'invoice' | 'expense' | 'purchase' | 'adjustment' | 'transfer';

/** Which side of the document a GL entry is: the header (AR/AP/inventory), a detail, tax, an offset. */
export type EntryRole = 'header' | 'detail' | 'tax' | 'freight' | 'offset';

export interface GlEntry {
  id: number;
  recordKind: RecordKind;
  recordId: number;
  revision: number;
  role: EntryRole;
  accountType: AccountType;
  glType: GlTypeCode;
  account: string;
  class: string | null;
  productId: string | null;
  inventory: string | null;
  cogs: string | null;
  salesCode: string | null;
  /** Signed cents in the document's convention (header positive = its natural side). */
  totalCents: number;
  description: string;
  quantity?: number;
  unitPriceCents?: number;
  costCents?: number;
  taxLevel?: number;
  taxCodeXref?: string;
  taxable?: boolean;
  product?: string;
  /** The time entry a time line bills (an invoice detail's `timeEntry`). */
  timeEntryId?: number;
  /** The facts the entry was resolved from when it closed (stays inside the sandbox, as in ConnectWise). */
  context: GlLineContext;
  /** Source line (PO line, adjustment detail) for batch entries. */
  lineId?: number;
  batchId?: number;
  /** True once the record was reopened: kept for batch history, no longer exported. */
  superseded: boolean;
}

export interface BatchRecord {
  id: number;
  batchIdentifier: string;
  glInterfaceIdentifier?: string;
  exportInvoicesFlag: boolean;
  exportExpensesFlag: boolean;
  exportProductsFlag: boolean;
  entryIds: number[];
  dateEntered: string;
}

export interface PaymentRecord {
  id: number;
  invoiceId: number;
  type: string;
  amountCents: number;
  paymentDate: string;
  appliedBy: string;
  /** A credit application: the credit memo (an invoice of type CreditMemo) whose credit pays it. */
  creditId?: number;
  dateEntered: string;
}

export interface CatalogProduct {
  id: number;
  identifier: string;
  description: string;
  category: string;
  subcategory: string;
  costCents: number;
  priceCents: number;
  taxable: boolean;
}

export interface SandboxState {
  schemaVersion: typeof SANDBOX_SCHEMA_VERSION;
  owner: { id: number; identifier: string; name: string };
  counters: Record<string, number>;
  // Setup tables, wire shape.
  members: Wire[];
  security: Wire[];
  companies: Wire[];
  contacts: Wire[];
  billingTerms: Wire[];
  billingStatuses: Wire[];
  taxCodes: Wire[];
  taxCodeLevels: Wire[];
  glAccounts: Wire[];
  mappedTypes: Wire[];
  /** The GL captions setup: at most one row naming the configured segments. */
  glCaptions: Wire[];
  accountingPackageSetup: Wire[];
  locations: Wire[];
  departments: Wire[];
  agreements: Wire[];
  projects: Wire[];
  tickets: Wire[];
  workTypes: Wire[];
  workRoles: Wire[];
  chargeCodes: Wire[];
  catalog: CatalogProduct[];
  // Records.
  timeEntries: TimeEntryRecord[];
  invoices: InvoiceRecord[];
  expenseReports: ExpenseReportRecord[];
  expenses: ExpenseRecord[];
  purchaseOrders: PurchaseOrderRecord[];
  adjustments: AdjustmentRecord[];
  transfers: TransferRecord[];
  glEntries: GlEntry[];
  batches: BatchRecord[];
  payments: PaymentRecord[];
}

export function emptyState(): SandboxState {
  return {
    schemaVersion: SANDBOX_SCHEMA_VERSION,
    owner: { id: 1, identifier: 'Ledgerline', name: 'Ledgerline IT' },
    counters: {},
    members: [],
    security: [],
    companies: [],
    contacts: [],
    billingTerms: [],
    billingStatuses: [],
    taxCodes: [],
    taxCodeLevels: [],
    glAccounts: [],
    mappedTypes: [],
    glCaptions: [],
    accountingPackageSetup: [],
    locations: [],
    departments: [],
    agreements: [],
    projects: [],
    tickets: [],
    workTypes: [],
    workRoles: [],
    chargeCodes: [],
    catalog: [],
    timeEntries: [],
    invoices: [],
    expenseReports: [],
    expenses: [],
    purchaseOrders: [],
    adjustments: [],
    transfers: [],
    glEntries: [],
    batches: [],
    payments: [],
  };
}

/** Next id for a sequence; GL entries start high so they never look like record ids. */
export function nextId(state: SandboxState, sequence: string): number {
  const start = sequence === 'glEntry' ? 100000 : 0;
  const id = (state.counters[sequence] ?? start) + 1;
  state.counters[sequence] = id;
  return id;
}
