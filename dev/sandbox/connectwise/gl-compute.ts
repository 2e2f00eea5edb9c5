/**
 * What ConnectWise does when a record closes: compute its GL entries from the GL Accounts setup
 * table with the GL engine, and freeze them. A later mapping change does not touch them; only a
 * reopen and close (a new revision) computes new ones.
 *
 * Each line is resolved with the facts of what it came from, the same facts the API serves: the
 * record's location (its owner level) and department; a time line's time entry (work type, work
 * role, the charge code, project or service ticket it is charged to: project and ticket types); for
 * other invoice lines the invoice's project or ticket; the invoice's agreement (its type); a product
 * line's catalog item (category, subcategory); a tax line's tax code and level; an expense's type,
 * payment method and charge code. A transfer's two lines take the location of its unposted row.
 */
import { isLedgerError } from '../../../domain/errors';
import type { GlResolver } from '../../../domain/gl';
import { ACCOUNT_TYPE_CODES, type AccountType, type GlLineContext } from '../../../domain/gl/types';
import { invalidObject } from './cw-errors';
import { byId, departmentName, locationName, siteResolver, taxLevelsOf } from './lookups';
import {
  nextId,
  type AdjustmentRecord,
  type EntryRole,
  type ExpenseRecord,
  type GlEntry,
  type InvoiceLineKind,
  type InvoiceRecord,
  type PurchaseOrderRecord,
  type RecordKind,
  type SandboxState,
  type TransferRecord,
  type Wire,
} from './state';

type Draft = Omit<GlEntry, 'id' | 'recordKind' | 'recordId' | 'revision' | 'glType' | 'account' | 'class' | 'productId' | 'inventory' | 'cogs' | 'salesCode' | 'superseded'>;

const REVENUE_TYPE: Record<InvoiceLineKind, AccountType> = {
  time: 'Revenue',
  product: 'Revenue-Product',
  expense: 'Revenue-Expenses',
  agreement: 'Revenue-Agreements',
  agreementProduct: 'Revenue-Agreement Product',
  downpayment: 'Deferred Revenue',
  misc: 'Revenue',
};

const lineAmountCents = (quantity: number, unitPriceCents: number) => Math.round(quantity * unitPriceCents);

type Facts = Omit<GlLineContext, 'accountType' | 'owner'>;
type CompanyFacts = Pick<GlLineContext, 'owner' | 'structure' | 'group'>;

const nameOf = (rows: Wire[], id: number | undefined, what: string): string | undefined => (id === undefined ? undefined : (byId(rows, id, what).name as string));
const typeOf = (rows: Wire[], id: number | undefined, what: string): string | undefined => (id === undefined ? undefined : ((byId(rows, id, what).type as { name?: string } | undefined)?.name));

function companyContext(state: SandboxState, locationId: number, departmentId?: number): CompanyFacts {
  const ctx: CompanyFacts = { owner: state.owner.identifier };
  const structure = locationName(state, locationId);
  const group = departmentId === undefined ? undefined : departmentName(state, departmentId);
  if (structure) ctx.structure = structure;
  if (group) ctx.group = group;
  return ctx;
}

/** A project's facts: Individual Project and Project: Type. */
function projectFacts(state: SandboxState, projectId: number | undefined): Facts {
  if (projectId === undefined) return {};
  return { project: nameOf(state.projects, projectId, 'Project'), projectType: typeOf(state.projects, projectId, 'Project') };
}

/** A service ticket's facts: Service: Type. */
function ticketFacts(state: SandboxState, ticketId: number | undefined): Facts {
  const serviceType = typeOf(state.tickets, ticketId, 'Ticket');
  return serviceType === undefined ? {} : { serviceType };
}

/** What a time entry says: work type and role, and what it is charged to. */
function timeEntryFacts(state: SandboxState, entryId: number): Facts {
  const e = byId(state.timeEntries, entryId, 'Time entry');
  const charged: Facts =
    e.chargeToType === 'ChargeCode' ? { chargeCode: nameOf(state.chargeCodes, e.chargeToId, 'Charge code') } : e.chargeToType === 'ServiceTicket' ? ticketFacts(state, e.ticketId) : projectFacts(state, e.projectId);
  return { workType: nameOf(state.workTypes, e.workTypeId, 'Work type'), workRole: nameOf(state.workRoles, e.workRoleId, 'Work role'), ...charged };
}

/** An invoice's own facts: the project or ticket it bills, and its agreement's type. */
function invoiceFacts(state: SandboxState, inv: InvoiceRecord): { work: Facts; agreement: Facts } {
  const work = inv.applyToType === 'Project' ? projectFacts(state, inv.applyToId) : inv.applyToType === 'Ticket' ? ticketFacts(state, inv.applyToId) : {};
  const agreementType = inv.applyToType === 'Agreement' ? typeOf(state.agreements, inv.applyToId, 'Agreement') : undefined;
  return { work, agreement: agreementType === undefined ? {} : { agreementType } };
}

/** Tax per level of a tax code on a base amount, as drafts of the given account type. */
function taxDrafts(state: SandboxState, taxCodeId: number, baseCents: number, sign: number, accountType: AccountType, base: CompanyFacts, label: string): Draft[] {
  if (baseCents === 0) return [];
  const taxCode = byId(state.taxCodes, taxCodeId, 'Tax code');
  return taxLevelsOf(state, taxCodeId).flatMap((level) => {
    const cents = Math.round((baseCents * (level.taxRate as number)) / 100);
    if (cents === 0) return [];
    const taxLevel = level.taxLevel as number;
    return [{
      role: 'tax' as EntryRole,
      accountType,
      totalCents: sign * cents,
      description: `${label} ${level.caption as string} (${level.taxRate as number}%)`,
      taxLevel,
      taxCodeXref: level.taxCodeXref as string,
      context: { accountType, ...base, taxCodeLevel: { level: taxLevel, record: taxCode.identifier as string } },
    }];
  });
}

function invoiceDrafts(state: SandboxState, inv: InvoiceRecord): Draft[] {
  const sign = inv.type === 'CreditMemo' ? -1 : 1;
  const base = companyContext(state, inv.locationId, inv.departmentId);
  const own = invoiceFacts(state, inv);
  const drafts: Draft[] = [];
  let taxableCents = 0;
  for (const line of inv.lines) {
    const accountType = REVENUE_TYPE[line.kind];
    const amount = lineAmountCents(line.quantity, line.unitPriceCents);
    const facts: Facts = {
      ...(line.timeEntryId === undefined ? own.work : timeEntryFacts(state, line.timeEntryId)),
      ...own.agreement,
      ...(line.product ? productFacts(state, line.product) : {}),
    };
    drafts.push({
      role: 'detail', accountType, totalCents: sign * amount, description: line.description, quantity: line.quantity,
      unitPriceCents: line.unitPriceCents, taxable: line.taxable, product: line.product, timeEntryId: line.timeEntryId,
      context: { accountType, ...base, ...facts },
    });
    const discount = line.discountCents ?? 0;
    if (discount) {
      drafts.push({
        role: 'detail', accountType: 'Product Discount', totalCents: -sign * discount, description: `Discount: ${line.description}`,
        product: line.product, context: { ...base, ...facts, accountType: 'Product Discount' },
      });
    }
    if (line.taxable) taxableCents += amount - discount;
  }
  drafts.push(...taxDrafts(state, inv.taxCodeId, taxableCents, sign, 'Sales Tax Payable', base, 'Sales tax'));
  const total = drafts.reduce((sum, d) => sum + d.totalCents, 0);
  return [{ role: 'header', accountType: 'Accounts Receivable', totalCents: total, description: `Invoice ${inv.invoiceNumber}`, context: { accountType: 'Accounts Receivable', ...base } }, ...drafts];
}

function expenseDrafts(state: SandboxState, exp: ExpenseRecord): Draft[] {
  const base = companyContext(state, exp.locationId, exp.departmentId);
  const internal = exp.companyId === state.owner.id;
  const debitType: AccountType = internal ? 'Expense Internal' : 'Expense External';
  const creditType: AccountType = exp.classification === 'Reimbursable' ? 'Accounts Payable' : 'Expense Offset';
  const facts: Facts = {
    expenseType: exp.expenseType, paymentType: exp.paymentMethod, ...(exp.chargeCode ? { chargeCode: exp.chargeCode } : {}),
    ...(exp.projectId === undefined ? ticketFacts(state, exp.ticketId) : projectFacts(state, exp.projectId)),
  };
  return [
    { role: 'header', accountType: debitType, totalCents: exp.amountCents, description: `${exp.expenseType}: ${exp.notes}`, context: { accountType: debitType, ...base, ...facts } },
    { role: 'offset', accountType: creditType, totalCents: exp.amountCents, description: `${exp.paymentMethod} (${exp.classification})`, context: { accountType: creditType, ...base, ...facts } },
  ];
}

function productFacts(state: SandboxState, identifier: string): Facts {
  const p = state.catalog.find((c) => c.identifier === identifier);
  return p ? { product: p.identifier, productCategory: p.category, productSubcategory: p.subcategory } : { product: identifier };
}

function purchaseDrafts(state: SandboxState, po: PurchaseOrderRecord): Draft[] {
  const base = companyContext(state, po.locationId, po.departmentId);
  const drafts: Draft[] = [];
  let productCents = 0;
  for (const line of po.lines) {
    if (line.receivedQuantity <= 0) continue;
    const amount = lineAmountCents(line.receivedQuantity, line.unitCostCents);
    productCents += amount;
    drafts.push({
      role: 'detail', accountType: 'Inventory Transfer', totalCents: amount, description: line.description, quantity: line.receivedQuantity,
      costCents: line.unitCostCents, product: line.product, lineId: line.id,
      context: { accountType: 'Inventory Transfer', ...base, ...productFacts(state, line.product) },
    });
  }
  if (po.freightCostCents > 0) {
    drafts.push({
      role: 'freight', accountType: 'Purchase Order Freight', totalCents: po.freightCostCents, description: `Freight on PO ${po.poNumber}`,
      context: { accountType: 'Purchase Order Freight', ...base },
    });
  }
  if (po.taxPoFlag) drafts.push(...taxDrafts(state, po.taxCodeId, productCents, 1, 'Purchase Order Product Tax', base, 'Product tax'));
  if (po.taxFreightFlag) drafts.push(...taxDrafts(state, po.taxCodeId, po.freightCostCents, 1, 'Purchase Order Freight Tax', base, 'Freight tax'));
  const total = drafts.reduce((sum, d) => sum + d.totalCents, 0);
  return [{ role: 'header', accountType: 'Accounts Payable', totalCents: total, description: `PO ${po.poNumber}`, context: { accountType: 'Accounts Payable', ...base } }, ...drafts];
}

function adjustmentDrafts(state: SandboxState, adj: AdjustmentRecord): Draft[] {
  const base = companyContext(state, adj.locationId);
  // A shrinkage (negative quantity) is a cost: a debit to Inventory Adjustments; the header is the inventory asset side.
  const details: Draft[] = adj.details.map((d) => ({
    role: 'detail', accountType: 'Inventory Adjustments', totalCents: -Math.round(d.quantityAdjusted * d.unitCostCents), description: d.description,
    quantity: d.quantityAdjusted, costCents: d.unitCostCents, product: d.product, lineId: d.id,
    context: { accountType: 'Inventory Adjustments', ...base, ...productFacts(state, d.product) },
  }));
  const net = details.reduce((sum, d) => sum + d.totalCents, 0);
  return [{ role: 'header', accountType: 'Inventory Transfer', totalCents: net, description: `Adjustment ${adj.identifier}`, context: { accountType: 'Inventory Transfer', ...base } }, ...details];
}

function transferDrafts(state: SandboxState, tr: TransferRecord): Draft[] {
  const amount = lineAmountCents(tr.quantity, tr.unitCostCents);
  const facts = productFacts(state, tr.product);
  const common = { accountType: 'Inventory Transfer' as AccountType, totalCents: amount, quantity: tr.quantity, costCents: tr.unitCostCents, product: tr.product };
  return [
    { ...common, role: 'header', description: `Transfer to ${tr.toWarehouse}`, context: { accountType: 'Inventory Transfer', ...companyContext(state, tr.toLocationId), ...facts } },
    { ...common, role: 'offset', description: `Transfer from ${tr.fromWarehouse}`, context: { accountType: 'Inventory Transfer', ...companyContext(state, tr.toLocationId), ...facts } },
  ];
}

export type ClosableRecord =
  | { kind: 'invoice'; record: InvoiceRecord }
  | { kind: 'expense'; record: ExpenseRecord }
  | { kind: 'purchase'; record: PurchaseOrderRecord }
  | { kind: 'adjustment'; record: AdjustmentRecord }
  | { kind: 'transfer'; record: TransferRecord };

function draftsFor(state: SandboxState, r: ClosableRecord): Draft[] {
  switch (r.kind) {
    case 'invoice':
      return invoiceDrafts(state, r.record);
    case 'expense':
      return expenseDrafts(state, r.record);
    case 'purchase':
      return purchaseDrafts(state, r.record);
    case 'adjustment':
      return adjustmentDrafts(state, r.record);
    case 'transfer':
      return transferDrafts(state, r.record);
  }
}

/** Resolve every draft; any unresolvable line fails the close and leaves the state untouched. */
export function computeGlEntries(state: SandboxState, r: ClosableRecord, revision: number, resolver: GlResolver = siteResolver(state)): GlEntry[] {
  const drafts = draftsFor(state, r);
  const problems: string[] = [];
  const entries: GlEntry[] = [];
  for (const d of drafts) {
    try {
      const resolved = resolver.resolve(d.context);
      if (!resolved.account) {
        problems.push(`${d.accountType}: no account is mapped for "${d.description}"`);
        continue;
      }
      entries.push({
        ...d, id: 0, recordKind: r.kind as RecordKind, recordId: r.record.id, revision, glType: ACCOUNT_TYPE_CODES[d.accountType],
        account: resolved.account, class: resolved.class, productId: resolved.productId, inventory: resolved.inventory, cogs: resolved.cogs,
        salesCode: resolved.salesCode, superseded: false,
      });
    } catch (err) {
      if (!isLedgerError(err)) throw err;
      problems.push(`${d.accountType}: ${err.message}`);
    }
  }
  if (problems.length) {
    throw invalidObject('glEntries', `GL entries cannot be computed: ${problems[0]}`, problems.map((message) => ({ code: 'InvalidGlMapping', message, field: 'glAccount' })));
  }
  // Ids only once everything resolved, so a failed close consumes nothing.
  for (const e of entries) e.id = nextId(state, 'glEntry');
  return entries;
}
