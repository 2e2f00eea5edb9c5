/**
 * The GLExport document, built from the GL entries frozen at close. Only documented GLExport fields
 * are sent, filled as ConnectWise does. The facts a mapping was resolved from stay inside the
 * sandbox: like ConnectWise, the export carries no line context, only the documented references
 * behind it (a detail's `timeEntry` and `item`, a purchase's `taxLevels`). Only invoices list their GL entries
 * (`glEntryIds`); other documents name theirs by documented ids: an expense's `id` is its GL entry
 * (the unposted row's id) and its offset's `id` its own, an expense bill's detail lists the
 * expense's entry, purchase detail and tax rows and transfer offsets carry their entry's id, and a
 * procurement document's header is its unposted row (UnpostedProcurement.id).
 */
import type { GlEntry, SandboxState } from './state';

type Doc = Record<string, unknown>;
import { addDays, byId, centsToNumber, companyRef, nameId, ref } from './lookups';
import {
  USD,
  adjustmentProductId,
  currentEntries,
  invoiceTotals,
  purchaseProductId,
  transferProductId,
} from './wire';
import type { AdjustmentRecord, ExpenseRecord, InvoiceRecord, PurchaseOrderRecord, TransferRecord } from './state';

export interface ExportSelection {
  invoices: InvoiceRecord[];
  expenses: ExpenseRecord[];
  purchases: PurchaseOrderRecord[];
  adjustments: AdjustmentRecord[];
  transfers: TransferRecord[];
}

const money = centsToNumber;
/** CompanyTypeReference values of the demo site's company types. */
const CLIENT = { id: 1, name: 'Client' };
const VENDOR = { id: 2, name: 'Vendor' };


function byRole(entries: GlEntry[]) {
  return {
    header: entries.find((e) => e.role === 'header')!,
    details: entries.filter((e) => e.role === 'detail' || e.role === 'freight'),
    taxes: entries.filter((e) => e.role === 'tax'),
    offset: entries.find((e) => e.role === 'offset'),
  };
}

/** The documented reference of a catalog product (IvItemReference). */
function itemRef(state: SandboxState, identifier: string | undefined): Doc | null {
  if (!identifier) return null;
  const product = state.catalog.find((c) => c.identifier === identifier);
  return product ? { id: product.id, identifier } : { identifier };
}

function itemDetail(state: SandboxState, e: GlEntry, documentDate: string, documentType: string): Doc {
  return {
    id: e.id,
    documentDate,
    documentType,
    accountNumber: e.account,
    glClass: e.class ?? '',
    glTypeId: e.glType,
    glItemId: e.productId ?? '',
    description: e.description,
    memo: e.description,
    quantity: e.quantity ?? null,
    itemPrice: e.unitPriceCents === undefined ? null : money(e.unitPriceCents),
    cost: e.costCents === undefined ? null : money(e.costCents),
    total: money(e.totalCents),
    salesCode: e.salesCode ?? '',
    costAccountNumber: e.cogs ?? '',
    inventoryAccountNumber: e.inventory ?? '',
    taxableFlag: e.taxable ?? false,
    taxCodeXref: e.taxCodeXref ?? null,
    item: itemRef(state, e.product),
    timeEntry: e.timeEntryId === undefined ? null : { id: e.timeEntryId },
  };
}

function invoiceDocument(state: SandboxState, inv: InvoiceRecord): Doc {
  const company = byId(state.companies, inv.companyId, 'Company');
  const terms = byId(state.billingTerms, inv.billingTermsId, 'Billing terms');
  const taxCode = byId(state.taxCodes, inv.taxCodeId, 'Tax code');
  const { header, details, taxes } = byRole(currentEntries(state, inv.entryIds));
  const documentType = inv.type === 'CreditMemo' ? 'CREDIT MEMO' : 'INVOICE';
  const totals = invoiceTotals(state, inv);
  return {
    id: inv.id,
    glClass: header.class ?? '',
    glTypeId: header.glType,
    documentDate: inv.date,
    documentNumber: inv.invoiceNumber,
    documentType,
    billingType: inv.type,
    memo: inv.description,
    description: inv.description,
    company: companyRef(company),
    companyType: CLIENT,
    companyAccountNumber: company.accountNumber,
    billingTerms: ref(terms),
    billingTermsXref: terms.termsXref,
    dueDays: terms.dueDays,
    dueDate: addDays(inv.date, terms.dueDays as number),
    accountNumber: header.account,
    // Every GL entry of the invoice, the receivable first, comma-separated as ConnectWise sends them.
    glEntryIds: [header, ...details, ...taxes].map((e) => e.id).join(','),
    currency: USD,
    total: money(header.totalCents),
    taxable: taxes.length > 0,
    taxableTotal: money(totals.taxableCents),
    taxCode: { id: taxCode.id, name: taxCode.identifier },
    salesTax: money(taxes.reduce((s, e) => s + e.totalCents, 0)),
    taxLevels: taxes.map((e) => ({ taxLevel: e.taxLevel, taxAmount: money(e.totalCents), taxableAmount: money(totals.taxableCents), taxCodeXref: e.taxCodeXref })),
    detail: [...details, ...taxes].map((e) => itemDetail(state, e, inv.date, documentType)),
  };
}

function memberRef(state: SandboxState, memberId: number) {
  const m = byId(state.members, memberId, 'Member');
  return { member: { id: m.id, identifier: m.identifier, name: `${m.firstName as string} ${m.lastName as string}` }, vendorNumber: m.vendorNumber as string };
}

function expenseDocument(state: SandboxState, exp: ExpenseRecord): Doc {
  const company = byId(state.companies, exp.companyId, 'Company');
  const { header, offset } = byRole(currentEntries(state, exp.entryIds));
  return {
    // The expense's GL entry: the unposted row's id, what includedExpenseIds names.
    id: header.id,
    documentDate: exp.date,
    documentType: 'EXPENSE',
    apAccountNumber: exp.classification === 'Reimbursable' ? offset!.account : null,
    accountNumber: header.account,
    glClass: header.class ?? '',
    glTypeId: header.glType,
    memo: exp.notes,
    description: `${exp.expenseType}: ${exp.notes}`,
    ...memberRef(state, exp.memberId),
    company: companyRef(company),
    companyAccountNumber: company.accountNumber,
    currency: USD,
    total: money(header.totalCents),
    offset: {
      id: offset!.id, documentDate: exp.date, documentType: 'EXPENSE', accountNumber: offset!.account, glTypeId: offset!.glType,
      glClass: offset!.class ?? '', memo: offset!.description, description: offset!.description, total: money(offset!.totalCents),
    },
  };
}

/** Transfer-as-bill: each reimbursable expense becomes a payable to the member (detail = the expense). */
function expenseBillDocument(state: SandboxState, exp: ExpenseRecord): Doc {
  const company = byId(state.companies, exp.companyId, 'Company');
  const { header, offset } = byRole(currentEntries(state, exp.entryIds));
  return {
    id: header.id,
    documentDate: exp.date,
    documentType: 'BILL',
    documentNumber: `EXP-${exp.reportId}-${exp.id}`,
    memo: exp.notes,
    glClass: offset!.class ?? '',
    apAccountNumber: offset!.account,
    ...memberRef(state, exp.memberId),
    currency: USD,
    total: money(offset!.totalCents),
    detail: [{
      // The documented detail id: the list of the GL entries the detail line stands for.
      id: [header.id], documentDate: exp.date, glTypeId: header.glType, memo: header.description, company: companyRef(company),
      accountNumber: header.account, expenseClass: { id: 0, name: exp.expenseType }, currency: USD, total: money(header.totalCents),
      billable: exp.billableOption === 'Billable', reimbursable: true, companyAdvance: false,
    }],
  };
}

function purchaseDocument(state: SandboxState, po: PurchaseOrderRecord): Doc {
  const vendor = byId(state.companies, po.vendorCompanyId, 'Company');
  const terms = byId(state.billingTerms, po.termsId, 'Billing terms');
  const taxCode = byId(state.taxCodes, po.taxCodeId, 'Tax code');
  const { header, details, taxes } = byRole(currentEntries(state, po.entryIds));
  // The documented purchase rows: no documentType; a detail line's taxable flag is
  // `taxable`, a tax line's `taxableFlag`; a tax line has no description or taxCodeXref (memo only).
  const row = (e: GlEntry, i: number) => {
    const { documentType: _type, taxableFlag, timeEntry: _time, ...rest } = itemDetail(state, e, po.poDate, 'PURCHASE');
    return { ...rest, taxable: taxableFlag, lineNumber: i + 1, itemCost: e.costCents === undefined ? null : money(e.costCents), vendorAccountNumber: vendor.accountNumber };
  };
  const taxRow = (e: GlEntry, i: number) => {
    const { documentType: _type, taxCodeXref: _xref, description: _description, timeEntry: _time, ...rest } = itemDetail(state, e, po.poDate, 'PURCHASE');
    return { ...rest, lineNumber: i + 1, itemCost: e.costCents === undefined ? null : money(e.costCents), vendorAccountNumber: vendor.accountNumber };
  };
  return {
    id: purchaseProductId(po),
    documentDate: po.vendorInvoiceDate,
    documentNumber: po.poNumber,
    description: `PO ${po.poNumber}`,
    memo: `PO ${po.poNumber}`,
    apAccountNumber: header.account,
    purchaseDate: po.poDate,
    company: companyRef(vendor),
    companyType: VENDOR,
    purchaseClass: header.class ?? '',
    freightAmount: money(po.freightCostCents),
    currency: USD,
    total: money(header.totalCents),
    billingTerms: ref(terms),
    billingTermsXref: terms.termsXref,
    dueDays: terms.dueDays,
    vendorNumber: vendor.accountNumber,
    vendorAccountNumber: vendor.accountNumber,
    vendorInvoiceDate: po.vendorInvoiceDate,
    vendorInvoiceNumber: po.vendorInvoiceNumber,
    taxCode: { id: taxCode.id, name: taxCode.identifier },
    purchaseHeaderTaxableFlag: po.taxPoFlag,
    purchaseHeaderFreightTaxableFlag: po.taxFreightFlag,
    taxLevels: [...new Map(taxes.map((e) => [e.taxLevel, { taxLevel: e.taxLevel, taxCodeXref: e.taxCodeXref }])).values()],
    purchaseDetail: details.map(row),
    purchaseDetailTax: taxes.map(taxRow),
  };
}

function adjustmentDocument(state: SandboxState, a: AdjustmentRecord): Doc {
  const { header, details } = byRole(currentEntries(state, a.entryIds));
  return {
    id: adjustmentProductId(a),
    documentType: 'ADJUSTMENT',
    documentDate: a.date,
    glTypeID: 'IA',
    accountNumber: header.account,
    memo: a.reason,
    glClass: header.class ?? '',
    adjustmentDescription: `${a.identifier}: ${a.reason}`,
    adjustmentDetail: details.map((e) => ({
      glClass: e.class ?? '', description: e.description, memo: e.description, item: itemRef(state, e.product),
      quantity: e.quantity ?? null, total: money(e.totalCents), cost: e.costCents === undefined ? null : money(e.costCents), accountNumber: e.account,
      costAccountNumber: e.cogs ?? '', inventoryAccountNumber: header.account, productAccountNumber: e.account,
    })),
  };
}

function transferDocument(state: SandboxState, t: TransferRecord): Doc {
  const { header, offset } = byRole(currentEntries(state, t.entryIds));
  return {
    id: transferProductId(t),
    transferId: t.id,
    documentType: 'TRANSFER',
    documentDate: t.date,
    accountNumber: header.account,
    glClass: header.class ?? '',
    glTypeId: header.glType,
    description: t.description,
    memo: header.description,
    item: itemRef(state, t.product),
    glItemId: header.productId ?? '',
    quantity: t.quantity,
    cost: money(t.unitCostCents),
    total: money(header.totalCents),
    warehouse: { id: nameId(t.toWarehouse), name: t.toWarehouse },
    transferFromBin: { id: nameId(t.fromWarehouse), name: t.fromWarehouse },
    transferToBin: { id: nameId(t.toWarehouse), name: t.toWarehouse },
    costAccountNumber: header.cogs ?? '',
    inventoryAccountNumber: header.inventory ?? header.account,
    offset: {
      id: offset!.id, documentType: 'TRANSFER', documentDate: t.date, accountNumber: offset!.account, glClass: offset!.class ?? '',
      total: money(offset!.totalCents), memo: offset!.description, description: offset!.description, glTypeId: offset!.glType,
    },
  };
}

function customerOf(state: SandboxState, companyId: number): Doc {
  const c = byId(state.companies, companyId, 'Company');
  const terms = state.billingTerms.find((t) => t.id === (c.billingTerms as { id: number } | null)?.id);
  const contact = state.contacts.find((k) => k.id === (c.billingContact as { id: number } | null)?.id);
  return {
    company: companyRef(c),
    companyType: CLIENT,
    contact: contact ? { id: contact.id, name: `${contact.firstName as string} ${contact.lastName as string}` } : null,
    accountNumber: c.accountNumber,
    billingTerms: ref(terms),
    billingTermsXref: terms?.termsXref ?? null,
    dueDays: terms?.dueDays ?? null,
    taxable: true,
    taxCode: c.taxCode,
    currency: USD,
  };
}

export function buildGlExport(state: SandboxState, sel: ExportSelection, transferExpensesAsBill: boolean, settings: Record<string, unknown>): Doc {
  const customerIds = [...new Set(sel.invoices.map((i) => i.companyId))];
  const vendorIds = [...new Set(sel.purchases.map((p) => p.vendorCompanyId))];
  const memberIds = [...new Set(sel.expenses.filter((e) => e.classification === 'Reimbursable').map((e) => e.memberId))];
  const reimbursable = sel.expenses.filter((e) => e.classification === 'Reimbursable');
  const asBills = transferExpensesAsBill ? reimbursable : [];
  const asExpenses = sel.expenses.filter((e) => !asBills.includes(e));
  return {
    exportSettings: settings,
    customers: customerIds.map((id) => customerOf(state, id)),
    vendors: [
      ...vendorIds.map((id) => {
        const v = byId(state.companies, id, 'Company');
        return { vendor: companyRef(v), vendorNumber: v.accountNumber, company: companyRef(v), accountNumber: v.accountNumber, billingTerms: v.billingTerms };
      }),
      ...memberIds.map((id) => ({ ...memberRef(state, id), accountNumber: memberRef(state, id).vendorNumber })),
    ],
    transactions: sel.invoices.map((i) => invoiceDocument(state, i)),
    expenses: asExpenses.map((e) => expenseDocument(state, e)),
    expenseBills: asBills.map((e) => expenseBillDocument(state, e)),
    purchaseTransactions: sel.purchases.map((p) => purchaseDocument(state, p)),
    adjustmentTransactions: sel.adjustments.map((a) => adjustmentDocument(state, a)),
    inventoryTransfers: sel.transfers.map((t) => transferDocument(state, t)),
  };
}

/** The accounting package setup's transferExpensesAsBillFlag: reimbursable expenses export as bills. */
export function transfersExpensesAsBill(state: SandboxState): boolean {
  return state.accountingPackageSetup[0]?.transferExpensesAsBillFlag === true;
}

/**
 * The GL entries a batch must name to mark a record exported: those its export document shows
 * (`glEntryIds`, documented ids, the unposted row's id). Entries the export gives no id (an
 * adjustment's lines, an expense bill's payable) are marked with their record.
 */
export function documentedEntryIds(state: SandboxState, kind: GlEntry['recordKind'], rec: { entryIds: number[] }, transferExpensesAsBill: boolean): number[] {
  const entries = currentEntries(state, rec.entryIds);
  const { header } = byRole(entries);
  switch (kind) {
    case 'invoice':
    case 'purchase':
    case 'transfer':
      return entries.map((e) => e.id);
    case 'expense':
      return transferExpensesAsBill && (rec as ExpenseRecord).classification === 'Reimbursable' ? [header.id] : entries.map((e) => e.id);
    case 'adjustment':
      return [header.id];
  }
}
