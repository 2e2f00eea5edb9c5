/**
 * The vocabulary of ConnectWise's GL Accounts setup table (seed documents 001 and 003).
 * Names are written exactly as ConnectWise's UI writes them; `glType` codes are the API's.
 * Pure data: imported by workflows, activities, the sandbox and the CLI alike.
 */

/** The 19 GL account types, UI name -> ConnectWise `glType` code. */
export const ACCOUNT_TYPE_CODES = {
  'Accounts Receivable': 'AR',
  'Accounts Payable': 'AP',
  Revenue: 'R',
  'Deferred Revenue': 'RD',
  'Revenue-Product': 'RP',
  'Revenue-Agreements': 'RA',
  'Revenue-Agreement Product': 'P',
  'Product Discount': 'SD',
  'Sales Tax Payable': 'ST',
  'Expense Tax': 'ET',
  'Expense Offset': 'EO',
  'Expense Internal': 'EI',
  'Expense External': 'EE',
  'Revenue-Expenses': 'RE',
  'Inventory Adjustments': 'IA',
  'Inventory Transfer': 'IT',
  'Purchase Order Freight': 'PF',
  'Purchase Order Freight Tax': 'FT',
  'Purchase Order Product Tax': 'PT',
} as const;

export type AccountType = keyof typeof ACCOUNT_TYPE_CODES;
export type GlTypeCode = (typeof ACCOUNT_TYPE_CODES)[AccountType];
export const ACCOUNT_TYPES = Object.keys(ACCOUNT_TYPE_CODES) as AccountType[];

/** Mapped types ("Table" column). "Product" is one specific catalog product. */
export const MAPPED_TYPES = [
  'My Company: Owner',
  'My Company: Structure',
  'My Company: Groups',
  'Service: Type',
  'Project: Type',
  'Charge Code',
  'Individual Project',
  'Work Role',
  'Work Type',
  'Agreement: Type',
  'Product',
  'Products: Category',
  'Products: Subcategory',
  'Tax Code: Level 1',
  'Tax Code: Level 2',
  'Tax Code: Level 3',
  'Tax Code: Level 4',
  'Tax Code: Level 5',
  'Tax Code: Level 6',
  'Expense Tax Type',
  'Charge Code-Expense Type',
  'Expense: Payment Type',
] as const;

export type MappedType = (typeof MAPPED_TYPES)[number];

/** Fields one mapping row may set; each resolves independently up the sequence. */
export const GL_FIELDS = ['account', 'class', 'productId', 'inventory', 'cogs', 'salesCode'] as const;
export type GlField = (typeof GL_FIELDS)[number];

/** One row of the GL Accounts setup table. */
export interface GlMapping {
  accountType: AccountType;
  mappedType: MappedType;
  /** The record within the mapped type, by name (e.g. "Managed Services", "MYCOMPANY"). */
  mappedRecord: string;
  account?: string;
  class?: string;
  productId?: string;
  inventory?: string;
  cogs?: string;
  salesCode?: string;
  /** The row's id in ConnectWise's GL Accounts table, when read from there (names the row in messages). */
  rowId?: number;
  /** The mapped record's id in its table (`mappedRecord.id`), when read from ConnectWise. */
  recordId?: number;
}

/** What a GL line knows about its origin; the resolver matches mappings against these. */
export interface GlLineContext {
  accountType: AccountType;
  owner: string;
  structure?: string;
  group?: string;
  serviceType?: string;
  projectType?: string;
  project?: string;
  workRole?: string;
  workType?: string;
  chargeCode?: string;
  agreementType?: string;
  product?: string;
  productCategory?: string;
  productSubcategory?: string;
  /** 1..6 with the tax code's level record name, for Sales Tax Payable lines. */
  taxCodeLevel?: { level: number; record: string } | string;
  expenseTaxType?: string;
  expenseType?: string;
  paymentType?: string;
}

/** The resolved fields of one line, with where each came from ("<mapped type>: <record>"). */
export interface GlResolved {
  account: string | null;
  class: string | null;
  productId: string | null;
  inventory: string | null;
  cogs: string | null;
  salesCode: string | null;
  source: Partial<Record<GlField, string>>;
}
