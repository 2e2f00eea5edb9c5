/**
 * zod schemas of what QuickBooks returns. Loose objects: QuickBooks adds fields without a new minor
 * version, so unknown keys pass through; the fields we rely on are checked.
 */
import { z } from 'zod';

export const refSchema = z.looseObject({ value: z.string(), name: z.string().optional() });
export type QuickBooksRef = z.infer<typeof refSchema>;

const metaDataSchema = z.looseObject({ CreateTime: z.string(), LastUpdatedTime: z.string() });

/** Every entity: Id and SyncToken are strings; MetaData is always present on reads. */
export const entityBaseSchema = z.looseObject({
  Id: z.string(),
  SyncToken: z.string(),
  MetaData: metaDataSchema.optional(),
});
export type QuickBooksEntity = z.infer<typeof entityBaseSchema>;

export const accountSchema = entityBaseSchema.extend({
  Name: z.string(),
  AcctNum: z.string().optional(),
  AccountType: z.string(),
  AccountSubType: z.string().optional(),
  Classification: z.string().optional(),
  SubAccount: z.boolean().optional(),
  ParentRef: refSchema.optional(),
  FullyQualifiedName: z.string().optional(),
  Active: z.boolean().optional(),
});
export type QuickBooksAccount = z.infer<typeof accountSchema>;

export const itemSchema = entityBaseSchema.extend({
  Name: z.string(),
  Type: z.string().optional(),
  Active: z.boolean().optional(),
  FullyQualifiedName: z.string().optional(),
  IncomeAccountRef: refSchema.optional(),
  ExpenseAccountRef: refSchema.optional(),
  AssetAccountRef: refSchema.optional(),
  TrackQtyOnHand: z.boolean().optional(),
  QtyOnHand: z.number().optional(),
});
export type QuickBooksItem = z.infer<typeof itemSchema>;

const nameBaseSchema = entityBaseSchema.extend({
  DisplayName: z.string(),
  CompanyName: z.string().optional(),
  Active: z.boolean().optional(),
});
/** Notes may carry the ConnectWise identity line of a party Ledgerline created. */
export const customerSchema = nameBaseSchema.extend({ Balance: z.number().optional(), Notes: z.string().optional() });
export type QuickBooksCustomer = z.infer<typeof customerSchema>;
export const vendorSchema = nameBaseSchema.extend({ Balance: z.number().optional(), Notes: z.string().optional(), AcctNum: z.string().optional() });
export type QuickBooksVendor = z.infer<typeof vendorSchema>;
export const employeeSchema = nameBaseSchema;
export type QuickBooksEmployee = z.infer<typeof employeeSchema>;

export const classSchema = entityBaseSchema.extend({
  Name: z.string(),
  FullyQualifiedName: z.string().optional(),
  Active: z.boolean().optional(),
});
export type QuickBooksClass = z.infer<typeof classSchema>;

export const termSchema = entityBaseSchema.extend({
  Name: z.string(),
  DueDays: z.number().optional(),
  DayOfMonthDue: z.number().optional(),
  Active: z.boolean().optional(),
});
export type QuickBooksTerm = z.infer<typeof termSchema>;

export const taxCodeSchema = entityBaseSchema.extend({
  Name: z.string(),
  Active: z.boolean().optional(),
  Taxable: z.boolean().optional(),
});
export type QuickBooksTaxCode = z.infer<typeof taxCodeSchema>;

const linkedTxnSchema = z.looseObject({ TxnId: z.string(), TxnType: z.string() });

/** Common transaction fields (Invoice, CreditMemo, Bill, Purchase, JournalEntry, ...). */
export const transactionSchema = entityBaseSchema.extend({
  DocNumber: z.string().optional(),
  TxnDate: z.string().optional(),
  PrivateNote: z.string().optional(),
  TotalAmt: z.number().optional(),
  Balance: z.number().optional(),
  Line: z.array(z.looseObject({ Amount: z.number().optional(), DetailType: z.string().optional() })).optional(),
  LinkedTxn: z.array(linkedTxnSchema).optional(),
});
export type QuickBooksTransaction = z.infer<typeof transactionSchema>;

export const paymentSchema = entityBaseSchema.extend({
  CustomerRef: refSchema,
  TotalAmt: z.number(),
  UnappliedAmt: z.number().optional(),
  TxnDate: z.string().optional(),
  PaymentRefNum: z.string().optional(),
  PrivateNote: z.string().optional(),
  Line: z
    .array(z.looseObject({ Amount: z.number(), LinkedTxn: z.array(linkedTxnSchema).optional() }))
    .optional(),
});
export type QuickBooksPayment = z.infer<typeof paymentSchema>;

export const preferencesSchema = entityBaseSchema.extend({
  AccountingInfoPrefs: z
    .looseObject({
      UseAccountNumbers: z.boolean().optional(),
      ClassTrackingPerTxn: z.boolean().optional(),
      ClassTrackingPerTxnLine: z.boolean().optional(),
      TrackDepartments: z.boolean().optional(),
      BookCloseDate: z.string().optional(),
    })
    .optional(),
  /** PartnerTaxEnabled: the company uses Automated Sales Tax (US). */
  TaxPrefs: z.looseObject({ UsingSalesTax: z.boolean().optional(), PartnerTaxEnabled: z.boolean().optional() }).optional(),
});
export type QuickBooksPreferences = z.infer<typeof preferencesSchema>;

/** OAuth token endpoint answer (refresh grant). */
export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number(),
  x_refresh_token_expires_in: z.number().optional(),
  /** Seconds until the connection's 5-year cap; sent when asked (x-include-refresh-token-hard-expires-in). */
  x_refresh_token_hard_expires_in: z.number().optional(),
});

export const queryResponseSchema = z.looseObject({
  QueryResponse: z.looseObject({
    startPosition: z.number().optional(),
    maxResults: z.number().optional(),
    totalCount: z.number().optional(),
  }),
});

export const batchResponseSchema = z.looseObject({
  BatchItemResponse: z.array(z.looseObject({ bId: z.string() })),
});
