/** finance/*: GL accounts and mapped types, package setup, invoices and payments, billing and tax tables. */
import { z } from 'zod';
import { Info, opt, Ref } from './common';

/**
 * The GL type code (`AR`, `R`, ...). Read as any string or null, as the schema allows null: a row of a
 * type Ledgerline does not know is reported and skipped by the GL setup reader, not a failed read.
 */
const GL_TYPE = opt(z.string());

const segments = Object.fromEntries(
  Array.from({ length: 10 }, (_, i) => [
    [`segment${i + 1}`, opt(z.string())],
    [`cogs${i + 1}`, opt(z.string())],
  ]).flat(),
) as Record<string, z.ZodOptional<z.ZodNullable<z.ZodString>>>;

export const GlAccount = z.looseObject({
  id: z.number(),
  glType: GL_TYPE,
  mappedType: Ref,
  mappedRecord: Ref,
  ...segments,
  productId: opt(z.string()),
  inventory: opt(z.string()),
  salesCode: opt(z.string()),
  _info: Info,
});
export type GlAccount = z.infer<typeof GlAccount> & { segment1?: string | null; segment2?: string | null; cogs1?: string | null };

export const MappedTypeRow = z.looseObject({
  id: z.number(),
  name: z.string(),
  table: opt(z.string()),
  recIdField: opt(z.string()),
  glType: GL_TYPE,
  sortOrder: opt(z.number()),
});
export type MappedTypeRow = z.infer<typeof MappedTypeRow>;

const SEGMENT_TYPE = opt(z.string());

/** The GL captions setup (`/finance/glCaptions`): each segment's caption and whether it is an Account or a Class segment. */
export const GlCaption = z.looseObject({
  id: z.number(),
  ...Object.fromEntries(
    Array.from({ length: 10 }, (_, i) => [
      [`segment${i + 1}`, opt(z.string())],
      [`segment${i + 1}type`, SEGMENT_TYPE],
    ]).flat(),
  ),
});
export type GlCaption = z.infer<typeof GlCaption> & Record<string, unknown>;

export const AccountingPackageSetup = z.looseObject({
  id: z.number(),
  accountingPackage: opt(z.looseObject({ id: z.number(), identifier: opt(z.string()), name: opt(z.string()) })),
  directTransferFlag: opt(z.boolean()),
  includeInvoicesFlag: opt(z.boolean()),
  invoiceFormat: opt(z.enum(['Default', 'Condensed', 'Detailed'])),
  includeExpensesFlag: opt(z.boolean()),
  transferExpensesAsBillFlag: opt(z.boolean()),
  expenseFormat: opt(z.enum(['Default', 'Condensed'])),
  syncPaymentInfoFlag: opt(z.boolean()),
  includeSalesTaxFlag: opt(z.boolean()),
  includeItemsFlag: opt(z.boolean()),
  includeCogsEntriesFlag: opt(z.boolean()),
  _info: Info,
});
export type AccountingPackageSetup = z.infer<typeof AccountingPackageSetup>;

export const INVOICE_TYPES = ['Agreement', 'CreditMemo', 'DownPayment', 'Miscellaneous', 'Progress', 'Standard'] as const;

export const Invoice = z.looseObject({
  id: z.number(),
  invoiceNumber: z.string(),
  type: z.enum(INVOICE_TYPES),
  status: opt(Ref),
  company: Ref,
  billToCompany: opt(Ref),
  accountNumber: opt(z.string()),
  applyToType: opt(z.string()),
  applyToId: opt(z.number()),
  agreement: opt(Ref),
  project: opt(Ref),
  ticket: opt(z.looseObject({ id: z.number(), summary: opt(z.string()) })),
  billingTerms: opt(Ref),
  date: opt(z.string()),
  dueDate: opt(z.string()),
  locationId: opt(z.number()),
  departmentId: opt(z.number()),
  taxCode: opt(Ref),
  currency: opt(z.looseObject({ id: z.number(), currencyCode: opt(z.string()) })),
  serviceTotal: opt(z.number()),
  expenseTotal: opt(z.number()),
  productTotal: opt(z.number()),
  subtotal: opt(z.number()),
  salesTax: opt(z.number()),
  total: z.number(),
  payments: opt(z.number()),
  credits: opt(z.number()),
  balance: opt(z.number()),
  _info: Info,
});
export type Invoice = z.infer<typeof Invoice>;

/**
 * An invoice payment: the published Payment model's fields only. A credit application is a payment
 * whose `credit` names the credit memo (an invoice of type CreditMemo) it spends.
 */
export const Payment = z.looseObject({
  id: z.number(),
  type: z.string(),
  invoice: opt(z.looseObject({ id: z.number(), identifier: opt(z.string()) })),
  credit: opt(z.looseObject({ id: z.number(), identifier: opt(z.string()) })),
  amount: z.number(),
  paymentDate: opt(z.string()),
  appliedBy: opt(z.string()),
  _info: Info,
});
export type Payment = z.infer<typeof Payment>;

export interface NewPayment {
  type: 'P' | string;
  amount: number;
  paymentDate?: string;
  invoice?: { id: number };
  /** The credit memo whose credit this applies. */
  credit?: { id: number };
}

export const BillingStatus = z.looseObject({
  id: z.number(),
  name: z.string(),
  sortOrder: opt(z.number()),
  defaultFlag: opt(z.boolean()),
  closedFlag: z.boolean(),
  inactiveFlag: opt(z.boolean()),
  sentFlag: opt(z.boolean()),
});
export type BillingStatus = z.infer<typeof BillingStatus>;

export const BillingTerm = z.looseObject({
  id: z.number(),
  name: z.string(),
  defaultFlag: opt(z.boolean()),
  dueDays: opt(z.number()),
  termsXref: opt(z.string()),
});
export type BillingTerm = z.infer<typeof BillingTerm>;

export const TaxCode = z.looseObject({
  id: z.number(),
  identifier: z.string(),
  description: opt(z.string()),
  invoiceCaption: opt(z.string()),
  effectiveDate: opt(z.string()),
  defaultFlag: opt(z.boolean()),
});
export type TaxCode = z.infer<typeof TaxCode> & Record<string, unknown>;

export const TaxCodeLevel = z.looseObject({
  id: z.number(),
  taxLevel: z.number().int(),
  taxRate: z.number(),
  rateType: opt(z.enum(['Amount', 'Percent'])),
  caption: opt(z.string()),
  taxCodeXref: opt(z.string()),
  agencyXref: opt(z.string()),
  taxServicesFlag: opt(z.boolean()),
  taxExpensesFlag: opt(z.boolean()),
  taxProductsFlag: opt(z.boolean()),
});
export type TaxCodeLevel = z.infer<typeof TaxCodeLevel>;

/** The documented agreement fields the batch reads: whether an invoice's agreement changed, and its type (Agreement: Type). */
export const Agreement = z.looseObject({
  id: z.number(),
  name: z.string(),
  type: opt(Ref),
  agreementStatus: opt(z.string()),
  cancelledFlag: opt(z.boolean()),
  dateCancelled: opt(z.string()),
  reasonCancelled: opt(z.string()),
  endDate: opt(z.string()),
  billAmount: opt(z.number()),
  _info: Info,
});
export type Agreement = z.infer<typeof Agreement>;
