/**
 * finance/accounting/*: unposted records, the GLExport document of export and batch creation,
 * accounting batches and their entries. Objects are loose: later API versions add fields.
 */
import { z } from 'zod';
import { Amount, Info, opt, Ref, taxLevelFields } from './common';

const Currency = opt(z.looseObject({ id: z.number(), currencyCode: opt(z.string()) }));

export const UnpostedInvoice = z.looseObject({
  id: z.number(),
  billingLogId: opt(z.number()),
  locationId: opt(z.number()),
  departmentId: opt(z.number()),
  company: Ref,
  accountNumber: opt(z.string()),
  invoiceNumber: z.string(),
  invoiceDate: z.string(),
  invoiceType: z.enum(['Agreement', 'CreditMemo', 'DownPayment', 'Miscellaneous', 'Progress', 'Standard']),
  description: opt(z.string()),
  billingTerms: opt(Ref),
  dueDays: opt(z.string()),
  dueDate: opt(z.string()),
  currency: Currency,
  subTotal: opt(Amount),
  total: Amount,
  invoiceTaxableFlag: opt(z.boolean()),
  taxCode: opt(Ref),
  salesTaxAmount: opt(Amount),
  ...taxLevelFields,
  dateClosed: opt(z.string()),
  _info: Info,
});
export type UnpostedInvoice = z.infer<typeof UnpostedInvoice>;

export const UnpostedExpense = z.looseObject({
  id: z.number(),
  locationId: opt(z.number()),
  departmentId: opt(z.number()),
  company: opt(Ref),
  accountNumber: opt(z.string()),
  creditAccount: opt(z.string()),
  expenseDetailId: opt(z.number()),
  expenseType: opt(Ref),
  classification: z.enum(['NonReimbursable', 'Reimbursable', 'Personal']),
  glType: opt(z.string()),
  member: opt(Ref),
  dateExpense: z.string(),
  chargeCode: opt(Ref),
  paymentMethod: opt(Ref),
  currency: Currency,
  total: Amount,
  billableAmount: opt(Amount),
  nonBillableAmount: opt(Amount),
  ticket: opt(Ref),
  project: opt(Ref),
  salesTaxAmount: opt(Amount),
  ...taxLevelFields,
  dateClosed: opt(z.string()),
  _info: Info,
});
export type UnpostedExpense = z.infer<typeof UnpostedExpense>;

export const UnpostedProcurement = z.looseObject({
  id: z.number(),
  description: opt(z.string()),
  unpostedProductId: z.string(),
  locationId: opt(z.number()),
  departmentId: opt(z.number()),
  procurementType: z.enum(['Purchase', 'Adjustment', 'Transfer']),
  purchaseOrder: opt(Ref),
  purchaseDate: opt(z.string()),
  billingTerms: opt(Ref),
  currency: Currency,
  total: Amount,
  taxCode: opt(Ref),
  taxTotal: opt(Amount),
  customer: opt(Ref),
  vendor: opt(Ref),
  vendorAccountNumber: opt(z.string()),
  vendorInvoiceNumber: opt(z.string()),
  vendorInvoiceDate: opt(z.string()),
  freightCost: opt(Amount),
  freightTaxTotal: opt(Amount),
  ...taxLevelFields,
  dateClosed: opt(z.string()),
  _info: Info,
});
export type UnpostedProcurement = z.infer<typeof UnpostedProcurement>;

export const AccountingBatch = z.looseObject({
  id: z.number(),
  batchIdentifier: z.string(),
  exportInvoicesFlag: opt(z.boolean()),
  exportExpensesFlag: opt(z.boolean()),
  exportProductsFlag: opt(z.boolean()),
  closedFlag: opt(z.boolean()),
  _info: Info,
});
export type AccountingBatch = z.infer<typeof AccountingBatch>;

export const BatchEntry = z.looseObject({
  id: z.number(),
  accountType: opt(z.string()),
  name: opt(z.string()),
  accountNumber: opt(z.string()),
  debit: opt(Amount),
  credit: opt(Amount),
  cost: opt(Amount),
  item: opt(z.string()),
  salesCode: opt(z.string()),
  costOfGoodsSoldAccountNumber: opt(z.string()),
  invoice: opt(z.looseObject({ id: z.number(), identifier: opt(z.string()) })),
  purchaseOrder: opt(Ref),
  transfer: opt(z.string()),
  expense: opt(z.looseObject({ id: z.number(), amount: opt(z.number()) })),
  adjustmentDetail: opt(Ref),
});
export type BatchEntry = z.infer<typeof BatchEntry>;

// --- GLExport ---------------------------------------------------------------------------------

const Party = opt(z.looseObject({ id: opt(z.number()), identifier: opt(z.string()), name: opt(z.string()) }));

export const GlExportTransactionDetail = z.looseObject({
  id: z.number(),
  documentDate: opt(z.string()),
  documentType: opt(z.string()),
  accountNumber: opt(z.string()),
  glClass: opt(z.string()),
  glTypeId: z.string(),
  glItemId: opt(z.string()),
  description: opt(z.string()),
  memo: opt(z.string()),
  quantity: opt(z.number()),
  itemPrice: opt(Amount),
  cost: opt(Amount),
  total: Amount,
  salesCode: opt(z.string()),
  costAccountNumber: opt(z.string()),
  inventoryAccountNumber: opt(z.string()),
  taxableFlag: opt(z.boolean()),
  taxCodeXref: opt(z.string()),
  item: Party,
  /** The time entry a time line bills. */
  timeEntry: opt(z.looseObject({ id: opt(z.number()) })),
});

/** `GLExportTransaction.glEntryIds`: every GL entry of the invoice, a comma-separated string. */
export const GlEntryIdList = z.string().transform((s, ctx) => {
  const ids = s.split(',').map((x) => x.trim()).filter((x) => x !== '').map(Number);
  if (ids.some((n) => !Number.isInteger(n))) ctx.addIssue({ code: 'custom', message: `glEntryIds "${s}" is not a comma-separated list of ids` });
  return ids;
});

export const GlExportTransaction = z.looseObject({
  id: z.number(),
  documentDate: z.string(),
  documentNumber: z.string(),
  documentType: z.string(),
  billingType: opt(z.string()),
  accountNumber: z.string(),
  glClass: opt(z.string()),
  glTypeId: opt(z.string()),
  glEntryIds: opt(GlEntryIdList),
  company: Party,
  companyAccountNumber: opt(z.string()),
  billingTerms: Party,
  billingTermsXref: opt(z.string()),
  dueDate: opt(z.string()),
  currency: Currency,
  total: Amount,
  taxCode: Party,
  salesTax: opt(Amount),
  memo: opt(z.string()),
  description: opt(z.string()),
  detail: z.array(GlExportTransactionDetail),
  taxLevels: opt(z.array(z.looseObject({ taxLevel: z.number(), taxAmount: opt(Amount), taxCodeXref: opt(z.string()) }))),
});
export type GlExportTransaction = z.infer<typeof GlExportTransaction>;

const GlExportOffset = z.looseObject({
  id: z.number(),
  accountNumber: z.string(),
  glTypeId: opt(z.string()),
  glClass: opt(z.string()),
  total: Amount,
  memo: opt(z.string()),
  description: opt(z.string()),
});

export const GlExportExpense = z.looseObject({
  id: z.number(),
  documentDate: z.string(),
  documentType: opt(z.string()),
  accountNumber: z.string(),
  apAccountNumber: opt(z.string()),
  glClass: opt(z.string()),
  glTypeId: z.string(),
  memo: opt(z.string()),
  description: opt(z.string()),
  member: Party,
  vendorNumber: opt(z.string()),
  company: Party,
  companyAccountNumber: opt(z.string()),
  currency: Currency,
  total: Amount,
  offset: GlExportOffset,
});
export type GlExportExpense = z.infer<typeof GlExportExpense>;

export const GlExportExpenseBill = z.looseObject({
  id: opt(z.number()),
  documentDate: z.string(),
  documentType: opt(z.string()),
  documentNumber: z.string(),
  memo: opt(z.string()),
  glClass: opt(z.string()),
  apAccountNumber: z.string(),
  member: Party,
  vendorNumber: opt(z.string()),
  currency: Currency,
  total: Amount,
  detail: z.array(
    z.looseObject({
      /** The GL entries this detail line stands for. */
      id: z.array(z.number()),
      documentDate: opt(z.string()),
      glTypeId: z.string(),
      memo: opt(z.string()),
      company: Party,
      accountNumber: z.string(),
      total: Amount,
      billable: opt(z.boolean()),
      reimbursable: opt(z.boolean()),
        }),
  ),
});
export type GlExportExpenseBill = z.infer<typeof GlExportExpenseBill>;

const PurchaseDetail = z.looseObject({
  id: z.number(),
  lineNumber: opt(z.number()),
  glTypeId: z.string(),
  accountNumber: z.string(),
  glClass: opt(z.string()),
  description: opt(z.string()),
  memo: opt(z.string()),
  item: Party,
  glItemId: opt(z.string()),
  quantity: opt(z.number()),
  itemCost: opt(Amount),
  total: Amount,
  costAccountNumber: opt(z.string()),
  inventoryAccountNumber: opt(z.string()),
  salesDescription: opt(z.string()),
  itemDescription: opt(z.string()),
  /** Purchase detail lines only; tax lines carry none. */
  taxCodeXref: opt(z.string()),
});

export const GlExportPurchaseTransaction = z.looseObject({
  id: z.string(),
  documentDate: z.string(),
  documentNumber: z.string(),
  description: opt(z.string()),
  memo: opt(z.string()),
  apAccountNumber: z.string(),
  purchaseDate: opt(z.string()),
  company: Party,
  purchaseClass: opt(z.string()),
  freightAmount: opt(Amount),
  currency: Currency,
  total: Amount,
  billingTerms: Party,
  billingTermsXref: opt(z.string()),
  dueDays: opt(z.number()),
  vendorNumber: opt(z.string()),
  vendorAccountNumber: opt(z.string()),
  vendorInvoiceDate: opt(z.string()),
  vendorInvoiceNumber: opt(z.string()),
  taxCode: Party,
  taxLevels: opt(z.array(z.looseObject({ taxLevel: opt(z.number()), taxCodeXref: opt(z.string()) }))),
  purchaseDetail: z.array(PurchaseDetail),
  purchaseDetailTax: opt(z.array(PurchaseDetail)),
});
export type GlExportPurchaseTransaction = z.infer<typeof GlExportPurchaseTransaction>;

export const GlExportAdjustmentTransaction = z.looseObject({
  id: z.string(),
  documentType: opt(z.string()),
  documentDate: z.string(),
  glTypeID: opt(z.string()),
  accountNumber: z.string(),
  memo: opt(z.string()),
  glClass: opt(z.string()),
  adjustmentDescription: opt(z.string()),
  adjustmentDetail: z.array(
    z.looseObject({
      glClass: opt(z.string()),
      description: opt(z.string()),
      memo: opt(z.string()),
      item: Party,
      quantity: opt(z.number()),
      total: Amount,
      cost: opt(Amount),
      accountNumber: z.string(),
      costAccountNumber: opt(z.string()),
      inventoryAccountNumber: opt(z.string()),
        }),
  ),
});
export type GlExportAdjustmentTransaction = z.infer<typeof GlExportAdjustmentTransaction>;

export const GlExportInventoryTransfer = z.looseObject({
  id: z.union([z.string(), z.number()]),
  transferId: opt(z.union([z.string(), z.number()])),
  documentType: opt(z.string()),
  documentDate: z.string(),
  accountNumber: z.string(),
  glClass: opt(z.string()),
  glTypeId: opt(z.string()),
  description: opt(z.string()),
  memo: opt(z.string()),
  item: Party,
  quantity: opt(z.number()),
  cost: opt(Amount),
  total: Amount,
  offset: GlExportOffset,
});
export type GlExportInventoryTransfer = z.infer<typeof GlExportInventoryTransfer>;

export const GlExport = z.looseObject({
  exportSettings: opt(z.record(z.string(), z.unknown())),
  vendors: opt(z.array(z.looseObject({}))),
  customers: opt(z.array(z.looseObject({}))),
  transactions: opt(z.array(GlExportTransaction)),
  expenses: opt(z.array(GlExportExpense)),
  expenseBills: opt(z.array(GlExportExpenseBill)),
  purchaseTransactions: opt(z.array(GlExportPurchaseTransaction)),
  adjustmentTransactions: opt(z.array(GlExportAdjustmentTransaction)),
  inventoryTransfers: opt(z.array(GlExportInventoryTransfer)),
});
/** The GLExport with every document in its documented shape (what each document is parsed into). */
export type GlExport = z.infer<typeof GlExport>;

/**
 * The GLExport as the client reads it: the envelope strictly (each section an array of objects),
 * each document left to be checked on its own, so one malformed document fails only its record.
 */
const Documents = opt(z.array(z.looseObject({})));
export const GlExportEnvelope = z.looseObject({
  exportSettings: opt(z.record(z.string(), z.unknown())),
  vendors: Documents,
  customers: Documents,
  transactions: Documents,
  expenses: Documents,
  expenseBills: Documents,
  purchaseTransactions: Documents,
  adjustmentTransactions: Documents,
  inventoryTransfers: Documents,
});
export type GlExportEnvelope = z.infer<typeof GlExportEnvelope>;

/** Body of `POST /finance/accounting/export` (and of `/batches/{id}/export`). */
export interface ExportAccountingBatchRequest {
  batchIdentifier?: string;
  glInterfaceIdentifier?: string;
  thruDate?: string;
  locationId?: number;
  summarizeInvoices?: 'Default' | 'Condensed' | 'Detailed';
  exportInvoicesFlag?: boolean;
  includedInvoiceIds?: number[];
  excludedInvoiceIds?: number[];
  exportExpensesFlag?: boolean;
  includedExpenseIds?: number[];
  excludedExpenseIds?: number[];
  exportProductsFlag?: boolean;
  includedProductIds?: string[];
  excludedProductIds?: string[];
  exportPaymentsFlag?: boolean;
  includedPaymentIds?: number[];
}

/** Body of `POST /finance/accounting/batches`: marks the named GL entries exported. */
export interface CreateAccountingBatchRequest {
  batchIdentifier: string;
  glInterfaceIdentifier?: string;
  exportInvoicesFlag?: boolean;
  exportExpensesFlag?: boolean;
  exportProductsFlag?: boolean;
  processedRecordIds: number[];
  summarizeExpenses?: boolean;
  thruDate?: string;
}
