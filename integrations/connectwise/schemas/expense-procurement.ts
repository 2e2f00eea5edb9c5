/** expense/reports and procurement/purchaseorders (read side of what the accounting batch posts). */
import { z } from 'zod';
import { Info, opt, Ref } from './common';

export const ExpenseReport = z.looseObject({
  id: z.number(),
  member: Ref,
  year: opt(z.number()),
  period: opt(z.number()),
  dateStart: opt(z.string()),
  dateEnd: opt(z.string()),
  status: z.string(),
  total: z.number(),
  dueDate: opt(z.string()),
  _info: Info,
});
export type ExpenseReport = z.infer<typeof ExpenseReport>;

export const PurchaseOrder = z.looseObject({
  id: z.number(),
  poNumber: z.string(),
  poDate: opt(z.string()),
  status: Ref,
  terms: opt(Ref),
  vendorCompany: Ref,
  closedFlag: opt(z.boolean()),
  dateClosed: opt(z.string()),
  freightCost: opt(z.number()),
  freightTaxTotal: opt(z.number()),
  salesTax: opt(z.number()),
  subTotal: opt(z.number()),
  total: opt(z.number()),
  taxCode: opt(Ref),
  vendorInvoiceNumber: opt(z.string()),
  vendorInvoiceDate: opt(z.string()),
  _info: Info,
});
export type PurchaseOrder = z.infer<typeof PurchaseOrder>;
