/**
 * The demo business both sandboxes are seeded from: one MSP ("Ledgerline IT") whose ConnectWise GL
 * Accounts table names the accounts, classes, items and terms below, and whose QuickBooks company
 * holds exactly those. Keeping them in one file is what makes a demo batch post without
 * "account not found" errors; change a name here and both sides move together.
 *
 * GL mappings reference accounts by `name` (QuickBooks "GL accounts by name"); the numbers are there
 * for a company that turns account numbers on.
 */

/** QuickBooks Online AccountType values used by the demo chart. */
export type DemoQboAccountType =
  | 'Bank'
  | 'Accounts Receivable'
  | 'Other Current Asset'
  | 'Accounts Payable'
  | 'Credit Card'
  | 'Other Current Liability'
  | 'Equity'
  | 'Income'
  | 'Cost of Goods Sold'
  | 'Expense';

export interface DemoAccount {
  name: string;
  number: string;
  accountType: DemoQboAccountType;
  accountSubType: string;
  /** Parent account name for sub-accounts (QuickBooks FullyQualifiedName = "Parent:Child"). */
  parent?: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { name: 'Operating Checking', number: '1000', accountType: 'Bank', accountSubType: 'Checking' },
  { name: 'Accounts Receivable', number: '1100', accountType: 'Accounts Receivable', accountSubType: 'AccountsReceivable' },
  { name: 'Inventory Asset', number: '1200', accountType: 'Other Current Asset', accountSubType: 'Inventory' },
  { name: 'Undeposited Funds', number: '1300', accountType: 'Other Current Asset', accountSubType: 'UndepositedFunds' },
  { name: 'Accounts Payable', number: '2000', accountType: 'Accounts Payable', accountSubType: 'AccountsPayable' },
  { name: 'Company Credit Card', number: '2050', accountType: 'Credit Card', accountSubType: 'CreditCard' },
  { name: 'Sales Tax Payable', number: '2100', accountType: 'Other Current Liability', accountSubType: 'SalesTaxPayable' },
  { name: 'State Sales Tax Payable', number: '2110', accountType: 'Other Current Liability', accountSubType: 'SalesTaxPayable', parent: 'Sales Tax Payable' },
  { name: 'County Sales Tax Payable', number: '2120', accountType: 'Other Current Liability', accountSubType: 'SalesTaxPayable', parent: 'Sales Tax Payable' },
  { name: 'City Sales Tax Payable', number: '2130', accountType: 'Other Current Liability', accountSubType: 'SalesTaxPayable', parent: 'Sales Tax Payable' },
  { name: 'Purchase Tax Payable', number: '2150', accountType: 'Other Current Liability', accountSubType: 'SalesTaxPayable' },
  { name: 'Deferred Revenue', number: '2200', accountType: 'Other Current Liability', accountSubType: 'OtherCurrentLiabilities' },
  { name: "Owner's Equity", number: '3000', accountType: 'Equity', accountSubType: 'OwnersEquity' },
  { name: 'Service Revenue', number: '4000', accountType: 'Income', accountSubType: 'ServiceFeeIncome' },
  { name: 'Managed Services Revenue', number: '4010', accountType: 'Income', accountSubType: 'ServiceFeeIncome' },
  { name: 'Project Revenue', number: '4020', accountType: 'Income', accountSubType: 'ServiceFeeIncome' },
  { name: 'Agreement Revenue', number: '4030', accountType: 'Income', accountSubType: 'ServiceFeeIncome' },
  { name: 'Agreement Product Revenue', number: '4035', accountType: 'Income', accountSubType: 'SalesOfProductIncome' },
  { name: 'Product Revenue', number: '4040', accountType: 'Income', accountSubType: 'SalesOfProductIncome' },
  { name: 'Hardware Revenue', number: '4041', accountType: 'Income', accountSubType: 'SalesOfProductIncome', parent: 'Product Revenue' },
  { name: 'Software Revenue', number: '4042', accountType: 'Income', accountSubType: 'SalesOfProductIncome', parent: 'Product Revenue' },
  { name: 'Reimbursed Expense Revenue', number: '4070', accountType: 'Income', accountSubType: 'OtherPrimaryIncome' },
  { name: 'Product Discounts', number: '4090', accountType: 'Income', accountSubType: 'DiscountsRefundsGiven' },
  { name: 'Cost of Goods Sold', number: '5000', accountType: 'Cost of Goods Sold', accountSubType: 'SuppliesMaterialsCogs' },
  { name: 'Hardware COGS', number: '5010', accountType: 'Cost of Goods Sold', accountSubType: 'SuppliesMaterialsCogs', parent: 'Cost of Goods Sold' },
  { name: 'Freight In', number: '5020', accountType: 'Cost of Goods Sold', accountSubType: 'ShippingFreightDeliveryCos' },
  { name: 'Inventory Shrinkage', number: '5030', accountType: 'Cost of Goods Sold', accountSubType: 'SuppliesMaterialsCogs' },
  { name: 'Expense Tax', number: '5040', accountType: 'Cost of Goods Sold', accountSubType: 'OtherCostsOfServiceCos' },
  { name: 'Travel', number: '6000', accountType: 'Expense', accountSubType: 'Travel' },
  { name: 'Meals', number: '6010', accountType: 'Expense', accountSubType: 'TravelMeals' },
  { name: 'Office Supplies', number: '6020', accountType: 'Expense', accountSubType: 'OfficeGeneralAdministrativeExpenses' },
  { name: 'Client Expenses', number: '6030', accountType: 'Expense', accountSubType: 'OtherMiscellaneousServiceCost' },
];

/** QuickBooks classes; the GL table's class segment (segment 2) holds these names. */
export const DEMO_CLASSES: readonly string[] = ['Managed Services', 'Professional Services', 'Web Services'];

export type DemoItemType = 'Service' | 'NonInventory' | 'Inventory';

/** Items: ConnectWise "GL Product ID"s for non-product revenue, and catalog products by Product ID. */
export interface DemoItem {
  name: string;
  type: DemoItemType;
  description: string;
  incomeAccount: string;
  /** COGS account for inventory and non-inventory items. */
  expenseAccount?: string;
  assetAccount?: string;
  unitPrice: string;
  unitCost?: string;
  /** ConnectWise product category and subcategory (catalog products only). */
  category?: string;
  subcategory?: string;
  taxable: boolean;
}

export const DEMO_ITEMS: readonly DemoItem[] = [
  { name: 'Services', type: 'Service', description: 'Professional services (time)', incomeAccount: 'Service Revenue', unitPrice: '150.00', taxable: false },
  { name: 'Managed Services', type: 'Service', description: 'Managed services (time)', incomeAccount: 'Managed Services Revenue', unitPrice: '135.00', taxable: false },
  { name: 'Project Services', type: 'Service', description: 'Project labour', incomeAccount: 'Project Revenue', unitPrice: '165.00', taxable: false },
  { name: 'Agreement', type: 'Service', description: 'Recurring agreement billing', incomeAccount: 'Agreement Revenue', unitPrice: '0.00', taxable: false },
  { name: 'Hardware Sales', type: 'Service', description: 'Hardware billed without its catalog item', incomeAccount: 'Hardware Revenue', unitPrice: '0.00', taxable: true },
  { name: 'Agreement Products', type: 'Service', description: 'Products billed on an agreement', incomeAccount: 'Agreement Product Revenue', unitPrice: '0.00', taxable: false },
  { name: 'Downpayment', type: 'Service', description: 'Down payment (deferred revenue)', incomeAccount: 'Deferred Revenue', unitPrice: '0.00', taxable: false },
  { name: 'Reimbursable Expense', type: 'Service', description: 'Expenses billed to the client', incomeAccount: 'Reimbursed Expense Revenue', unitPrice: '0.00', taxable: false },
  { name: 'Discount', type: 'Service', description: 'Product discount', incomeAccount: 'Product Discounts', unitPrice: '0.00', taxable: false },
  { name: 'Freight', type: 'NonInventory', description: 'Inbound freight', incomeAccount: 'Product Revenue', expenseAccount: 'Freight In', unitPrice: '0.00', taxable: false },
  { name: 'LAPTOP-14', type: 'Inventory', description: '14" business laptop', incomeAccount: 'Hardware Revenue', expenseAccount: 'Hardware COGS', assetAccount: 'Inventory Asset', unitPrice: '1499.00', unitCost: '1120.00', category: 'Hardware', subcategory: 'Laptops', taxable: true },
  { name: 'MONITOR-27', type: 'Inventory', description: '27" 4K monitor', incomeAccount: 'Hardware Revenue', expenseAccount: 'Hardware COGS', assetAccount: 'Inventory Asset', unitPrice: '389.00', unitCost: '271.50', category: 'Hardware', subcategory: 'Monitors', taxable: true },
  { name: 'DOCK-USBC', type: 'Inventory', description: 'USB-C docking station', incomeAccount: 'Hardware Revenue', expenseAccount: 'Hardware COGS', assetAccount: 'Inventory Asset', unitPrice: '229.00', unitCost: '158.00', category: 'Hardware', subcategory: 'Accessories', taxable: true },
  { name: 'FW-200', type: 'Inventory', description: 'Firewall appliance', incomeAccount: 'Hardware Revenue', expenseAccount: 'Hardware COGS', assetAccount: 'Inventory Asset', unitPrice: '895.00', unitCost: '640.00', category: 'Hardware', subcategory: 'Networking', taxable: true },
  { name: 'SSD-1TB', type: 'Inventory', description: '1 TB NVMe SSD', incomeAccount: 'Hardware Revenue', expenseAccount: 'Hardware COGS', assetAccount: 'Inventory Asset', unitPrice: '119.00', unitCost: '74.25', category: 'Hardware', subcategory: 'Components', taxable: true },
  { name: 'M365-BP', type: 'NonInventory', description: 'Microsoft 365 Business Premium (monthly)', incomeAccount: 'Software Revenue', expenseAccount: 'Cost of Goods Sold', unitPrice: '22.00', unitCost: '17.60', category: 'Software', subcategory: 'Subscriptions', taxable: false },
  { name: 'AV-ENDPOINT', type: 'NonInventory', description: 'Endpoint protection (monthly)', incomeAccount: 'Software Revenue', expenseAccount: 'Cost of Goods Sold', unitPrice: '6.50', unitCost: '3.90', category: 'Software', subcategory: 'Security', taxable: false },
  { name: 'BACKUP-TB', type: 'NonInventory', description: 'Cloud backup per TB (monthly)', incomeAccount: 'Software Revenue', expenseAccount: 'Cost of Goods Sold', unitPrice: '45.00', unitCost: '21.00', category: 'Software', subcategory: 'Backup', taxable: false },
];

/** Terms: ConnectWise billing term `termsXref` = QuickBooks Term name. */
export interface DemoTerm {
  name: string;
  dueDays: number;
}

export const DEMO_TERMS: readonly DemoTerm[] = [
  { name: 'Net 30', dueDays: 30 },
  { name: 'Net 15', dueDays: 15 },
  { name: 'Net 45', dueDays: 45 },
  { name: 'Due on receipt', dueDays: 0 },
];

/** One level of a combined sales tax (ConnectWise tax code level = QuickBooks tax rate). */
export interface DemoTaxRate {
  name: string;
  /** Percent, as a decimal string ("6.5"). */
  ratePercent: string;
  agency: string;
  /** Account the level's Sales Tax Payable GL line posts to. */
  account: string;
}

/** ConnectWise tax code identifier = QuickBooks tax code name; levels in level order (1..n). */
export interface DemoTaxCode {
  name: string;
  description: string;
  levels: DemoTaxRate[];
}

export const DEMO_TAX_CODES: readonly DemoTaxCode[] = [
  {
    name: 'Seattle',
    description: 'Seattle, King County, WA',
    levels: [
      { name: 'WA State', ratePercent: '6.5', agency: 'Washington Department of Revenue', account: 'State Sales Tax Payable' },
      { name: 'King County', ratePercent: '1.5', agency: 'King County', account: 'County Sales Tax Payable' },
      { name: 'Seattle City', ratePercent: '2.35', agency: 'City of Seattle', account: 'City Sales Tax Payable' },
    ],
  },
  {
    name: 'Tacoma',
    description: 'Tacoma, Pierce County, WA',
    levels: [
      { name: 'WA State', ratePercent: '6.5', agency: 'Washington Department of Revenue', account: 'State Sales Tax Payable' },
      { name: 'Pierce County', ratePercent: '1.3', agency: 'Pierce County', account: 'County Sales Tax Payable' },
      { name: 'Tacoma City', ratePercent: '2.5', agency: 'City of Tacoma', account: 'City Sales Tax Payable' },
    ],
  },
  { name: 'Exempt', description: 'Tax exempt', levels: [] },
];

export interface DemoCustomer {
  /** ConnectWise company identifier. */
  identifier: string;
  name: string;
  /** ConnectWise accountNumber = the customer's account number in the accounting package. */
  accountNumber: string;
  terms: string;
  taxCode: string;
  /** Billing contact. */
  contact: { firstName: string; lastName: string; email: string };
}

const CUSTOMER_ROWS: ReadonlyArray<[string, string, string, string, string, string]> = [
  // identifier, name, terms, taxCode, contact first, contact last
  ['AcmeDental', 'Acme Dental Group', 'Net 30', 'Seattle', 'Maria', 'Okafor'],
  ['BlueHarbor', 'Blue Harbor Logistics', 'Net 30', 'Tacoma', 'Tom', 'Lindqvist'],
  ['CascadeLaw', 'Cascade Law Partners', 'Net 15', 'Seattle', 'Priya', 'Raman'],
  ['CedarVet', 'Cedar Veterinary Clinic', 'Net 30', 'Tacoma', 'Owen', 'Baptiste'],
  ['EmeraldCPA', 'Emerald City CPAs', 'Net 30', 'Seattle', 'Grace', 'Holloway'],
  ['EvergreenSchools', 'Evergreen Charter Schools', 'Net 45', 'Exempt', 'Daniel', 'Mbeki'],
  ['FirLaneDesign', 'Fir Lane Design Studio', 'Due on receipt', 'Seattle', 'Lena', 'Sorensen'],
  ['GraniteBuild', 'Granite Peak Builders', 'Net 30', 'Tacoma', 'Carlos', 'Medina'],
  ['HarborHealth', 'Harbor Health Partners', 'Net 30', 'Seattle', 'Aisha', 'Rahman'],
  ['IronwoodMfg', 'Ironwood Manufacturing', 'Net 45', 'Tacoma', 'Victor', 'Petrov'],
  ['JuniperRealty', 'Juniper Realty', 'Net 15', 'Seattle', 'Hannah', 'Whitaker'],
  ['KestrelAero', 'Kestrel Aerospace Supply', 'Net 30', 'Tacoma', 'Ben', 'Nakamura'],
  ['LakesideChurch', 'Lakeside Community Church', 'Net 30', 'Exempt', 'Ruth', 'Adeyemi'],
  ['MarinerBrew', 'Mariner Brewing Co.', 'Net 15', 'Seattle', 'Sam', 'Kowalski'],
  ['NorthwindFoods', 'Northwind Foods', 'Net 30', 'Tacoma', 'Elena', 'Vasquez'],
  ['OrcaInsurance', 'Orca Insurance Agency', 'Net 30', 'Seattle', 'Mark', 'Fitzgerald'],
  ['PugetOrtho', 'Puget Sound Orthodontics', 'Net 30', 'Seattle', 'Julia', 'Chen'],
  ['QuinaultOutdoor', 'Quinault Outdoor Gear', 'Net 30', 'Tacoma', 'Kyle', 'Brennan'],
  ['RainierEng', 'Rainier Engineering', 'Net 45', 'Seattle', 'Sofia', 'Lindgren'],
  ['SalishArts', 'Salish Arts Foundation', 'Net 30', 'Exempt', 'Noah', 'Whitehorse'],
  ['SoundAuto', 'Sound Auto Group', 'Net 30', 'Tacoma', 'Derek', 'Olsen'],
  ['SummitFinancial', 'Summit Financial Advisors', 'Net 15', 'Seattle', 'Laura', 'Kim'],
  ['TidewaterMarine', 'Tidewater Marine Services', 'Net 30', 'Tacoma', 'Patrick', "O'Neill"],
  ['UnionBayDental', 'Union Bay Dental', 'Net 30', 'Seattle', 'Mei', 'Tanaka'],
  ['VashonFarms', 'Vashon Island Farms', 'Due on receipt', 'Tacoma', 'Irene', 'Castillo'],
  ['WestlakeHotel', 'Westlake Boutique Hotel', 'Net 30', 'Seattle', 'George', 'Papadopoulos'],
  ['WhidbeyClinic', 'Whidbey Family Clinic', 'Net 30', 'Seattle', 'Fatima', 'Haddad'],
  ['YakimaGrowers', 'Yakima Valley Growers', 'Net 45', 'Tacoma', 'Luis', 'Herrera'],
  ['ZenithArch', 'Zenith Architecture', 'Net 30', 'Seattle', 'Anna', 'Novak'],
  ['BallardBikes', 'Ballard Bicycle Works', 'Net 15', 'Seattle', 'Chris', 'Duffy'],
  ['CapitolLogistics', 'Capitol Hill Logistics', 'Net 30', 'Seattle', 'Monique', 'Dubois'],
  ['DiscoveryLabs', 'Discovery Park Labs', 'Net 30', 'Tacoma', 'Ian', 'McAllister'],
];

export const DEMO_CUSTOMERS: readonly DemoCustomer[] = CUSTOMER_ROWS.map(([identifier, name, terms, taxCode, first, last], i) => ({
  identifier,
  name,
  accountNumber: `C${1001 + i}`,
  terms,
  taxCode,
  contact: { firstName: first, lastName: last, email: `${first.toLowerCase()}.${last.toLowerCase().replace(/[^a-z]/g, '')}@${identifier.toLowerCase()}.example` },
}));

export interface DemoVendor {
  /** ConnectWise company identifier for supplier companies, member identifier for employees. */
  identifier: string;
  name: string;
  /** ConnectWise vendor account number / member vendorNumber = QuickBooks vendor account number. */
  accountNumber: string;
  terms: string;
  /** Employees are vendors for reimbursable expenses. */
  kind: 'supplier' | 'employee';
}

export const DEMO_VENDORS: readonly DemoVendor[] = [
  { identifier: 'IngramMicro', name: 'Ingram Micro', accountNumber: 'V2001', terms: 'Net 30', kind: 'supplier' },
  { identifier: 'TDSynnex', name: 'TD SYNNEX', accountNumber: 'V2002', terms: 'Net 30', kind: 'supplier' },
  { identifier: 'Pax8', name: 'Pax8', accountNumber: 'V2003', terms: 'Net 15', kind: 'supplier' },
  { identifier: 'AmazonBusiness', name: 'Amazon Business', accountNumber: 'V2004', terms: 'Due on receipt', kind: 'supplier' },
  { identifier: 'dwhitfield', name: 'Dana Whitfield', accountNumber: 'E3001', terms: 'Due on receipt', kind: 'employee' },
  { identifier: 'jmorales', name: 'Jorge Morales', accountNumber: 'E3002', terms: 'Due on receipt', kind: 'employee' },
  { identifier: 'kpatel', name: 'Kiran Patel', accountNumber: 'E3003', terms: 'Due on receipt', kind: 'employee' },
];

/** The MSP itself: ConnectWise "My Company: Owner" record and company identifier. */
export const DEMO_OWNER = { identifier: 'Ledgerline', name: 'Ledgerline IT' } as const;

export function demoAccountByName(name: string): DemoAccount {
  const account = DEMO_ACCOUNTS.find((a) => a.name === name);
  if (!account) throw new Error(`demo chart has no account named "${name}"`);
  return account;
}

/**
 * How the GL Accounts setup table names an account: a sub-account by its full "Parent:Child" name,
 * as QuickBooks Online's FullyQualifiedName (how GL sub-accounts are mapped).
 */
export function demoGlAccountString(name: string): string {
  const account = demoAccountByName(name);
  return account.parent ? `${demoGlAccountString(account.parent)}:${account.name}` : account.name;
}
