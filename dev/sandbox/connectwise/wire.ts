/** Render stored records in ConnectWise's wire shapes (camelCase, references as {id, name}, money as numbers). */
import { addDays, byId, centsToNumber, findById, companyRef, entriesOf, nameId, ref, taxLevelsOf } from './lookups';
import type {
  AdjustmentRecord,
  BatchRecord,
  CatalogProduct,
  ExpenseRecord,
  ExpenseReportRecord,
  GlEntry,
  InvoiceRecord,
  PaymentRecord,
  PurchaseOrderRecord,
  SandboxState,
  TimeEntryRecord,
  TransferRecord,
  Wire,
} from './state';

export const USD = { id: 1, symbol: '$', currencyCode: 'USD', decimalSeparator: '.', numberOfDecimals: 2, name: 'US Dollars' };
const TAX_LEVEL_PREFIX = ['state', 'county', 'city', 'country', 'composite', 'levelSix'];

const info = (lastUpdated?: string) => ({ lastUpdated: lastUpdated ?? '2026-01-01T00:00:00Z', updatedBy: 'ledgerline-api' });

export function invoiceTotals(state: SandboxState, inv: InvoiceRecord) {
  const sign = inv.type === 'CreditMemo' ? -1 : 1;
  let subtotal = 0;
  let taxable = 0;
  const byKind = { time: 0, product: 0, expense: 0 };
  for (const l of inv.lines) {
    const amount = Math.round(l.quantity * l.unitPriceCents) - (l.discountCents ?? 0);
    subtotal += amount;
    if (l.taxable) taxable += amount;
    if (l.kind === 'product' || l.kind === 'agreementProduct') byKind.product += amount;
    else if (l.kind === 'expense') byKind.expense += amount;
    else byKind.time += amount;
  }
  const levels = taxLevelsOf(state, inv.taxCodeId).map((level) => ({
    level: level.taxLevel as number,
    xref: level.taxCodeXref as string,
    cents: Math.round((taxable * (level.taxRate as number)) / 100),
  }));
  const tax = levels.reduce((s, l) => s + l.cents, 0);
  return {
    sign,
    subtotalCents: sign * subtotal,
    taxableCents: sign * taxable,
    taxCents: sign * tax,
    totalCents: sign * (subtotal + tax),
    levels: levels.map((l) => ({ ...l, cents: sign * l.cents })),
    byKind: { time: sign * byKind.time, product: sign * byKind.product, expense: sign * byKind.expense },
  };
}

function taxTriplets(levels: Array<{ level: number; xref: string; cents: number }>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  TAX_LEVEL_PREFIX.forEach((prefix, i) => {
    const level = levels.find((l) => l.level === i + 1);
    out[`${prefix}TaxFlag`] = level !== undefined;
    out[`${prefix}TaxXref`] = level?.xref ?? '';
    out[`${prefix}TaxAmount`] = level ? centsToNumber(level.cents) : 0;
  });
  return out;
}

/**
 * What has been applied to an invoice: payments (no credit reference) and credits (a credit memo
 * applied to it). A credit memo's own balance moves toward zero as its credit is applied elsewhere.
 */
export function appliedCents(state: SandboxState, inv: InvoiceRecord): { paid: number; credited: number; creditUsed: number } {
  const on = state.payments.filter((p) => p.invoiceId === inv.id);
  const paid = on.filter((p) => p.creditId === undefined).reduce((s, p) => s + p.amountCents, 0);
  const credited = on.filter((p) => p.creditId !== undefined).reduce((s, p) => s + p.amountCents, 0);
  const creditUsed = state.payments.filter((p) => p.creditId === inv.id).reduce((s, p) => s + p.amountCents, 0);
  return { paid, credited, creditUsed };
}

/** What an invoice applies to: an agreement invoice names its agreement, a project or ticket invoice its project or ticket. */
function appliedToRefs(state: SandboxState, inv: InvoiceRecord): Record<string, unknown> {
  const find = (rows: Wire[]) => rows.find((x) => x.id === inv.applyToId);
  const agreement = inv.applyToType === 'Agreement' ? find(state.agreements) : undefined;
  const project = inv.applyToType === 'Project' ? find(state.projects) : undefined;
  const ticket = inv.applyToType === 'Ticket' ? find(state.tickets) : undefined;
  return {
    ...(agreement && { agreement: { id: agreement.id, name: agreement.name, _info: {} } }),
    ...(project && { project: projectRef(project) }),
    ...(ticket && { ticket: ticketRef(ticket) }),
  };
}

const projectRef = (p: Wire) => ({ id: p.id, name: p.name as string, _info: {} });
const ticketRef = (t: Wire) => ({ id: t.id, summary: t.summary as string, _info: {} });

export function renderInvoice(state: SandboxState, inv: InvoiceRecord): Wire {
  const company = byId(state.companies, inv.companyId, 'Company');
  const terms = byId(state.billingTerms, inv.billingTermsId, 'Billing terms');
  const status = byId(state.billingStatuses, inv.statusId, 'Billing status');
  const t = invoiceTotals(state, inv);
  const { paid, credited, creditUsed } = appliedCents(state, inv);
  return {
    id: inv.id,
    invoiceNumber: inv.invoiceNumber,
    type: inv.type,
    status: { id: status.id, name: status.name, _info: {} },
    company: companyRef(company),
    billToCompany: companyRef(company),
    shipToCompany: companyRef(company),
    accountNumber: company.accountNumber,
    applyToType: inv.applyToType,
    applyToId: inv.applyToId ?? null,
    ...appliedToRefs(state, inv),
    billingTerms: ref(terms),
    date: inv.date,
    dueDate: addDays(inv.date, terms.dueDays as number),
    locationId: inv.locationId,
    departmentId: inv.departmentId,
    taxableFlag: t.taxableCents !== 0,
    taxCode: ref(byId(state.taxCodes, inv.taxCodeId, 'Tax code'), 'name'),
    currency: USD,
    serviceTotal: centsToNumber(t.byKind.time),
    expenseTotal: centsToNumber(t.byKind.expense),
    productTotal: centsToNumber(t.byKind.product),
    subtotal: centsToNumber(t.subtotalCents),
    salesTax: centsToNumber(t.taxCents),
    total: centsToNumber(t.totalCents),
    payments: centsToNumber(paid),
    credits: centsToNumber(credited),
    balance: centsToNumber(t.totalCents - paid - credited + creditUsed),
    _info: info(inv.dateClosed),
  };
}

/** An invoice payment with the fields of the published Payment model only. */
export function renderPayment(state: SandboxState, p: PaymentRecord): Wire {
  const inv = byId(state.invoices, p.invoiceId, 'Invoice');
  const invoiceRef = (i: InvoiceRecord) => ({ id: i.id, identifier: i.invoiceNumber, billingType: i.type, applyToType: i.applyToType, _info: {} });
  const credit = p.creditId === undefined ? undefined : byId(state.invoices, p.creditId, 'Invoice');
  return {
    id: p.id,
    type: p.type,
    invoice: invoiceRef(inv),
    ...(credit && { credit: invoiceRef(credit) }),
    amount: centsToNumber(p.amountCents),
    paymentDate: p.paymentDate,
    appliedBy: p.appliedBy,
    _info: info(p.dateEntered),
  };
}

/** The header entry's total: what ConnectWise reports for a closed record (frozen at close). */
const headerCents = (state: SandboxState, entryIds: number[]) =>
  entriesOf(state, entryIds).find((e) => e.role === 'header')?.totalCents ?? 0;

export function renderUnpostedInvoice(state: SandboxState, inv: InvoiceRecord): Wire {
  const company = byId(state.companies, inv.companyId, 'Company');
  const terms = byId(state.billingTerms, inv.billingTermsId, 'Billing terms');
  const entries = currentEntries(state, inv.entryIds);
  const taxEntries = entries.filter((e) => e.role === 'tax');
  const taxCents = taxEntries.reduce((s, e) => s + e.totalCents, 0);
  const total = headerCents(state, inv.entryIds);
  return {
    id: inv.id,
    billingLogId: inv.id,
    locationId: inv.locationId,
    departmentId: inv.departmentId,
    company: companyRef(company),
    accountNumber: company.accountNumber,
    billToCompany: companyRef(company),
    invoiceNumber: inv.invoiceNumber,
    invoiceDate: inv.date,
    invoiceType: inv.type,
    description: inv.description,
    billingTerms: ref(terms),
    dueDays: String(terms.dueDays),
    dueDate: addDays(inv.date, terms.dueDays as number),
    currency: USD,
    subTotal: centsToNumber(total - taxCents),
    total: centsToNumber(total),
    invoiceTaxableFlag: taxEntries.length > 0,
    taxCode: ref(byId(state.taxCodes, inv.taxCodeId, 'Tax code'), 'name'),
    avalaraTaxFlag: false,
    itemTaxableFlag: inv.lines.some((l) => l.taxable),
    salesTaxAmount: centsToNumber(taxCents),
    ...taxTriplets(taxEntries.map((e) => ({ level: e.taxLevel ?? 1, xref: e.taxCodeXref ?? '', cents: e.totalCents }))),
    createdBy: 'ledgerline-api',
    dateClosed: inv.dateClosed,
    _info: info(inv.dateClosed),
  };
}

export function renderUnpostedExpense(state: SandboxState, exp: ExpenseRecord): Wire {
  const member = byId(state.members, exp.memberId, 'Member');
  const company = byId(state.companies, exp.companyId, 'Company');
  const entries = currentEntries(state, exp.entryIds);
  const debit = entries.find((e) => e.role === 'header');
  const credit = entries.find((e) => e.role === 'offset');
  const billable = exp.billableOption === 'Billable' ? exp.amountCents : 0;
  return {
    id: unpostedRowId(state, exp),
    locationId: exp.locationId,
    departmentId: exp.departmentId,
    company: companyRef(company),
    accountNumber: debit?.account ?? null,
    creditAccount: credit?.account ?? null,
    expenseDetailId: exp.id,
    expenseType: { id: 0, name: exp.expenseType },
    classification: exp.classification,
    glType: debit?.glType ?? null,
    member: { id: member.id, identifier: member.identifier, name: `${member.firstName as string} ${member.lastName as string}` },
    dateExpense: exp.date,
    chargeCode: exp.chargeCode ? ref(state.chargeCodes.find((c) => c.name === exp.chargeCode) ?? { id: nameId(exp.chargeCode), name: exp.chargeCode }) : null,
    paymentMethod: { id: 0, name: exp.paymentMethod },
    currency: USD,
    total: centsToNumber(exp.amountCents),
    billableAmount: centsToNumber(billable),
    nonBillableAmount: centsToNumber(exp.amountCents - billable),
    ticket: exp.ticketId ? ticketRef(byId(state.tickets, exp.ticketId, 'Ticket')) : null,
    project: exp.projectId ? projectRef(byId(state.projects, exp.projectId, 'Project')) : null,
    salesTaxAmount: 0,
    ...taxTriplets([]),
    dateClosed: exp.dateClosed,
    _info: info(exp.dateClosed),
  };
}

export const purchaseProductId = (po: PurchaseOrderRecord) => `${po.id}-${po.poNumber}-purchase`;
export const adjustmentProductId = (a: AdjustmentRecord) => `${a.id}-adjustment`;
export const transferProductId = (t: TransferRecord) => `${t.id}-transfer`;

/**
 * The id of a closed record's unposted expense or procurement row: the GL entry of its header, as
 * ConnectWise's unposted rows are GL entries (an expense row keeps the expense in expenseDetailId).
 * It is what the export's included ids and processedRecordIds take for the record.
 */
export function unpostedRowId(state: SandboxState, rec: { entryIds: number[] }): number {
  const header = entriesOf(state, rec.entryIds).find((e) => e.role === 'header');
  if (!header) throw new Error('unpostedRowId: the record has no header GL entry (not closed)');
  return header.id;
}

export function renderUnpostedPurchase(state: SandboxState, po: PurchaseOrderRecord): Wire {
  const vendor = byId(state.companies, po.vendorCompanyId, 'Company');
  const entries = currentEntries(state, po.entryIds);
  const taxEntries = entries.filter((e) => e.role === 'tax');
  const freightTax = taxEntries.filter((e) => e.accountType === 'Purchase Order Freight Tax').reduce((s, e) => s + e.totalCents, 0);
  return {
    id: unpostedRowId(state, po),
    description: `PO ${po.poNumber}`,
    unpostedProductId: purchaseProductId(po),
    locationId: po.locationId,
    departmentId: po.departmentId,
    procurementType: 'Purchase',
    purchaseOrder: { id: po.id, name: po.poNumber },
    purchaseDate: po.poDate,
    billingTerms: ref(byId(state.billingTerms, po.termsId, 'Billing terms')),
    currency: USD,
    total: centsToNumber(headerCents(state, po.entryIds)),
    taxCode: ref(byId(state.taxCodes, po.taxCodeId, 'Tax code'), 'name'),
    purchaseOrderTaxableFlag: po.taxPoFlag,
    taxTotal: centsToNumber(taxEntries.reduce((s, e) => s + e.totalCents, 0)),
    vendor: companyRef(vendor),
    vendorAccountNumber: vendor.accountNumber,
    vendorInvoiceNumber: po.vendorInvoiceNumber,
    vendorInvoiceDate: po.vendorInvoiceDate,
    taxFreightFlag: po.taxFreightFlag,
    freightTaxTotal: centsToNumber(freightTax),
    freightCost: centsToNumber(po.freightCostCents),
    ...taxTriplets([]),
    dateClosed: po.dateClosed,
    _info: info(po.dateClosed),
  };
}

export function renderUnpostedAdjustment(state: SandboxState, a: AdjustmentRecord): Wire {
  return {
    id: unpostedRowId(state, a),
    description: `${a.typeName}: ${a.reason}`,
    unpostedProductId: adjustmentProductId(a),
    locationId: a.locationId,
    procurementType: 'Adjustment',
    purchaseDate: a.date,
    currency: USD,
    total: centsToNumber(Math.abs(headerCents(state, a.entryIds))),
    ...taxTriplets([]),
    dateClosed: a.dateClosed,
    _info: info(a.dateClosed),
  };
}

export function renderUnpostedTransfer(state: SandboxState, t: TransferRecord): Wire {
  return {
    id: unpostedRowId(state, t),
    description: `Transfer ${t.quantity} x ${t.product} from ${t.fromWarehouse} to ${t.toWarehouse}`,
    unpostedProductId: transferProductId(t),
    locationId: t.toLocationId,
    procurementType: 'Transfer',
    purchaseDate: t.date,
    currency: USD,
    total: centsToNumber(headerCents(state, t.entryIds)),
    ...taxTriplets([]),
    dateClosed: t.dateClosed,
    _info: info(t.dateClosed),
  };
}

export function renderExpenseReport(state: SandboxState, r: ExpenseReportRecord): Wire {
  const member = byId(state.members, r.memberId, 'Member');
  const total = state.expenses.filter((e) => e.reportId === r.id).reduce((s, e) => s + e.amountCents, 0);
  const start = new Date(r.dateStart);
  return {
    id: r.id,
    member: { id: member.id, identifier: member.identifier, name: `${member.firstName as string} ${member.lastName as string}` },
    year: start.getUTCFullYear(),
    period: start.getUTCMonth() + 1,
    dateStart: r.dateStart,
    dateEnd: r.dateEnd,
    status: r.status,
    total: centsToNumber(total),
    dueDate: r.dateEnd,
    _info: info(r.dateClosed),
  };
}

export function renderPurchaseOrder(state: SandboxState, po: PurchaseOrderRecord): Wire {
  const vendor = byId(state.companies, po.vendorCompanyId, 'Company');
  const sub = po.lines.reduce((s, l) => s + Math.round(l.quantity * l.unitCostCents), 0);
  const taxRate = po.taxPoFlag ? taxLevelsOf(state, po.taxCodeId).reduce((s, l) => s + (l.taxRate as number), 0) : 0;
  const salesTax = Math.round((sub * taxRate) / 100);
  return {
    id: po.id,
    poNumber: po.poNumber,
    poDate: po.poDate,
    status: { id: po.closed ? 2 : 1, name: po.closed ? 'Closed' : 'Open', _info: {} },
    terms: ref(byId(state.billingTerms, po.termsId, 'Billing terms')),
    vendorCompany: companyRef(vendor),
    closedFlag: po.closed,
    dateClosed: po.dateClosed ?? null,
    freightCost: centsToNumber(po.freightCostCents),
    freightTaxTotal: 0,
    salesTax: centsToNumber(salesTax),
    subTotal: centsToNumber(sub),
    total: centsToNumber(sub + salesTax + po.freightCostCents),
    taxCode: ref(byId(state.taxCodes, po.taxCodeId, 'Tax code'), 'name'),
    taxPoFlag: po.taxPoFlag,
    taxFreightFlag: po.taxFreightFlag,
    locationId: po.locationId,
    businessUnitId: po.departmentId,
    vendorInvoiceNumber: po.vendorInvoiceNumber,
    vendorInvoiceDate: po.vendorInvoiceDate,
    _info: info(po.dateClosed),
  };
}

export function renderPurchaseOrderLine(state: SandboxState, po: PurchaseOrderRecord, l: PurchaseOrderRecord['lines'][number]): Wire {
  return {
    id: l.id,
    purchaseOrderId: po.id,
    lineNumber: l.lineNumber,
    product: { id: state.catalog.find((c) => c.identifier === l.product)?.id ?? 0, identifier: l.product },
    description: l.description,
    quantity: l.quantity,
    receivedQuantity: l.receivedQuantity,
    unitCost: centsToNumber(l.unitCostCents),
    receivedStatus: l.receivedStatus,
    dateReceived: l.dateReceived ?? null,
    closedFlag: l.closedFlag,
    unitOfMeasure: { id: 1, name: 'Each' },
  };
}

export function renderBatch(b: BatchRecord): Wire {
  return {
    id: b.id,
    batchIdentifier: b.batchIdentifier,
    exportInvoicesFlag: b.exportInvoicesFlag,
    exportExpensesFlag: b.exportExpensesFlag,
    exportProductsFlag: b.exportProductsFlag,
    closedFlag: true,
    _info: { dateEntered: b.dateEntered, lastUpdated: b.dateEntered, enteredBy: 'ledgerline-api' },
  };
}

/** Which side an entry is on before its sign: headers carry the receivable/payable/asset side. */
export function naturalSide(e: GlEntry): 'debit' | 'credit' {
  if (e.role === 'header') return e.recordKind === 'purchase' || e.recordKind === 'adjustment' ? 'credit' : 'debit';
  if (e.role === 'offset') return 'credit';
  return e.recordKind === 'invoice' ? 'credit' : 'debit';
}

export function renderBatchEntry(state: SandboxState, e: GlEntry): Wire {
  const side = e.totalCents < 0 ? (naturalSide(e) === 'debit' ? 'credit' : 'debit') : naturalSide(e);
  const amount = centsToNumber(Math.abs(e.totalCents));
  const out: Wire = {
    id: e.id,
    accountType: e.glType,
    name: e.description,
    accountNumber: e.account,
    debit: side === 'debit' ? amount : 0,
    credit: side === 'credit' ? amount : 0,
    cost: e.costCents === undefined ? 0 : centsToNumber(e.costCents),
    item: e.productId ?? e.product ?? null,
    salesCode: e.salesCode,
    costOfGoodsSoldAccountNumber: e.cogs,
  };
  if (e.recordKind === 'invoice') {
    const inv = findById(state.invoices, e.recordId);
    out.invoice = { id: e.recordId, identifier: inv?.invoiceNumber ?? null };
  } else if (e.recordKind === 'purchase') {
    const po = findById(state.purchaseOrders, e.recordId);
    out.purchaseOrder = { id: e.recordId, name: po?.poNumber ?? null };
    if (e.lineId !== undefined) out.lineItem = { id: e.lineId };
  } else if (e.recordKind === 'expense') {
    out.expense = { id: e.recordId, amount };
  } else if (e.recordKind === 'adjustment') {
    out.adjustmentDetail = { id: e.lineId ?? e.recordId, name: e.description };
  } else {
    out.transfer = String(e.recordId);
  }
  return out;
}

export function currentEntries(state: SandboxState, entryIds: number[]): GlEntry[] {
  return entriesOf(state, entryIds);
}

/** A time entry as /time/entries answers: references by id and name, the ticket or project it is charged to. */
export function renderTimeEntry(state: SandboxState, t: TimeEntryRecord): Wire {
  const member = byId(state.members, t.memberId, 'Member');
  const invoice = t.invoiceId === undefined ? undefined : findById(state.invoices, t.invoiceId);
  const start = new Date(t.timeStart);
  return {
    id: t.id,
    company: companyRef(byId(state.companies, t.companyId, 'Company')),
    chargeToId: t.chargeToId,
    chargeToType: t.chargeToType,
    member: { id: member.id, identifier: member.identifier, name: `${member.firstName as string} ${member.lastName as string}`, _info: {} },
    workType: ref(byId(state.workTypes, t.workTypeId, 'Work type')),
    workRole: ref(byId(state.workRoles, t.workRoleId, 'Work role')),
    timeStart: t.timeStart,
    timeEnd: new Date(start.getTime() + t.hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    actualHours: t.hours,
    billableOption: 'Billable',
    notes: t.notes,
    hoursBilled: t.hours,
    hourlyRate: centsToNumber(t.hourlyRateCents),
    status: invoice ? 'Billed' : 'ReadyToBill',
    ...(invoice && { invoice: { id: invoice.id, identifier: invoice.invoiceNumber, _info: {} } }),
    ...(t.ticketId !== undefined && { ticket: ticketRef(byId(state.tickets, t.ticketId, 'Ticket')) }),
    ...(t.projectId !== undefined && { project: projectRef(byId(state.projects, t.projectId, 'Project')) }),
    _info: info(t.timeStart),
  };
}

/** A catalog product as /procurement/catalog answers (CatalogItem). */
export function renderCatalogItem(p: CatalogProduct): Wire {
  return {
    id: p.id,
    identifier: p.identifier,
    description: p.description,
    customerDescription: p.description,
    inactiveFlag: false,
    category: { id: nameId(p.category), name: p.category, _info: {} },
    subcategory: { id: nameId(p.subcategory), name: p.subcategory, _info: {} },
    productClass: p.costCents > 0 && p.taxable ? 'Inventory' : 'NonInventory',
    price: centsToNumber(p.priceCents),
    cost: centsToNumber(p.costCents),
    taxableFlag: p.taxable,
    _info: info(),
  };
}

/** A location as /system/locations answers: the warehouses the sandbox keeps with it are not part of it. */
export function renderLocation(l: Wire): Wire {
  const { warehouses: _warehouses, ...location } = l;
  return location as Wire;
}

/** An agreement as /finance/agreements answers: its company as a full reference. */
export function renderAgreement(state: SandboxState, a: Wire): Wire {
  const company = state.companies.find((c) => c.id === (a.company as { id: number }).id);
  return { ...a, company: company ? companyRef(company) : a.company };
}
