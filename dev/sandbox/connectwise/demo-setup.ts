/**
 * The setup tables of the demo site, built from the shared demo chart so the QuickBooks sandbox
 * holds every account, class, item, term and tax rate the GL table names.
 */
import { GL_SEQUENCES } from '../../../domain/gl/sequences';
import { ACCOUNT_TYPE_CODES, type AccountType, type MappedType } from '../../../domain/gl/types';
import { DEMO_CUSTOMERS, DEMO_ITEMS, DEMO_OWNER, DEMO_TAX_CODES, DEMO_TERMS, DEMO_VENDORS, demoAccountByName, demoGlAccountString } from '../shared/demo-chart';
import { emptyState, nextId, type SandboxState, type Wire } from './state';

const INFO = { lastUpdated: '2026-10-01T00:00:00Z', updatedBy: 'admin' };
const LEVEL_WORDS = ['One', 'Two', 'Three', 'Four', 'Five', 'Six'];

export const SERVICE_TYPES = ['Break/Fix', 'Help Desk', 'Maintenance'];
export const PROJECT_TYPES = ['Installation', 'Network', 'Web Site'];
export const AGREEMENT_TYPES = ['Managed Services Agreement', 'Block Time', 'Backup Agreement'];
export const WORK_TYPES = ['Regular', 'After Hours', 'Remote'];
export const WORK_ROLES = ['Engineer', 'Senior Engineer', 'Project Manager'];
export const CHARGE_CODES = ['Internal Admin', 'Training'];

/** The API member's role: what vendors' guides ask for an accounting sync (reference 5.4). */
const API_SECURITY: Array<[string, string, string, 'All' | 'None']> = [
  ['Finance', 'Accounting Interface', 'AccountingInterface', 'All'],
  ['Finance', 'Invoicing', 'Invoicing', 'All'],
  ['Companies', 'Company Maintenance', 'CompanyMaintenance', 'All'],
  ['Companies', 'Contacts', 'Contacts', 'All'],
  ['Procurement', 'Purchase Orders', 'PurchaseOrders', 'All'],
  ['Procurement', 'Inventory Adjustments', 'InventoryAdjustments', 'All'],
  ['Procurement', 'Product Catalog', 'ProductCatalog', 'All'],
  ['System', 'Member Maintenance', 'MemberMaintenance', 'All'],
  ['System', 'Table Setup', 'TableSetup', 'All'],
  ['TimeAndExpense', 'Expense Report Entry', 'ExpenseReportEntry', 'All'],
  ['TimeAndExpense', 'Time Entry', 'TimeEntry', 'All'],
];

interface GlRow {
  type: AccountType;
  table: MappedType;
  record: string;
  account?: string;
  cls?: string;
  productId?: string;
  cogs?: string;
  inventory?: string;
}

function demoGlRows(): GlRow[] {
  const owner = DEMO_OWNER.identifier;
  const rows: GlRow[] = [
    { type: 'Accounts Receivable', table: 'My Company: Owner', record: owner, account: 'Accounts Receivable' },
    { type: 'Accounts Payable', table: 'My Company: Owner', record: owner, account: 'Accounts Payable' },
    { type: 'Revenue', table: 'My Company: Owner', record: owner, account: 'Service Revenue', productId: 'Services' },
    { type: 'Revenue', table: 'My Company: Groups', record: 'Managed Services', cls: 'Managed Services' },
    { type: 'Revenue', table: 'My Company: Groups', record: 'Professional Services', cls: 'Professional Services' },
    { type: 'Revenue', table: 'My Company: Groups', record: 'Web Services', cls: 'Web Services' },
    { type: 'Revenue', table: 'Service: Type', record: 'Help Desk', account: 'Managed Services Revenue', productId: 'Managed Services' },
    ...PROJECT_TYPES.map((p): GlRow => ({ type: 'Revenue', table: 'Project: Type', record: p, account: 'Project Revenue', productId: 'Project Services' })),
    { type: 'Revenue', table: 'Work Type', record: 'After Hours', account: 'Service Revenue', productId: 'Services' },
    { type: 'Revenue', table: 'Charge Code', record: 'Training', account: 'Service Revenue', cls: 'Professional Services', productId: 'Services' },
    { type: 'Deferred Revenue', table: 'My Company: Owner', record: owner, account: 'Deferred Revenue', productId: 'Downpayment' },
    { type: 'Revenue-Agreements', table: 'My Company: Owner', record: owner, account: 'Agreement Revenue', productId: 'Agreement' },
    { type: 'Revenue-Agreements', table: 'Agreement: Type', record: 'Managed Services Agreement', account: 'Managed Services Revenue', cls: 'Managed Services' },
    { type: 'Revenue-Agreement Product', table: 'My Company: Owner', record: owner, account: 'Agreement Product Revenue', productId: 'Agreement' },
    { type: 'Revenue-Product', table: 'My Company: Owner', record: owner, account: 'Product Revenue', cogs: 'Cost of Goods Sold', inventory: 'Inventory Asset' },
    { type: 'Revenue-Product', table: 'Products: Category', record: 'Hardware', account: 'Hardware Revenue', cogs: 'Hardware COGS' },
    { type: 'Revenue-Product', table: 'Products: Category', record: 'Software', account: 'Software Revenue' },
    { type: 'Product Discount', table: 'My Company: Owner', record: owner, account: 'Product Discounts', productId: 'Discount' },
    { type: 'Sales Tax Payable', table: 'My Company: Owner', record: owner, account: 'Sales Tax Payable' },
    { type: 'Expense Tax', table: 'My Company: Owner', record: owner, account: 'Expense Tax' },
    { type: 'Expense Offset', table: 'My Company: Owner', record: owner, account: 'Company Credit Card' },
    { type: 'Expense Internal', table: 'My Company: Owner', record: owner, account: 'Office Supplies' },
    { type: 'Expense Internal', table: 'Charge Code-Expense Type', record: 'Meals', account: 'Meals' },
    { type: 'Expense Internal', table: 'Charge Code-Expense Type', record: 'Mileage', account: 'Travel' },
    { type: 'Expense External', table: 'My Company: Owner', record: owner, account: 'Client Expenses' },
    { type: 'Revenue-Expenses', table: 'My Company: Owner', record: owner, account: 'Reimbursed Expense Revenue', productId: 'Reimbursable Expense' },
    { type: 'Inventory Adjustments', table: 'My Company: Owner', record: owner, account: 'Inventory Shrinkage' },
    { type: 'Inventory Transfer', table: 'My Company: Owner', record: owner, account: 'Inventory Asset' },
    { type: 'Purchase Order Freight', table: 'My Company: Owner', record: owner, account: 'Freight In', productId: 'Freight', cogs: 'Freight In' },
    { type: 'Purchase Order Freight Tax', table: 'My Company: Owner', record: owner, account: 'Purchase Tax Payable' },
    { type: 'Purchase Order Product Tax', table: 'My Company: Owner', record: owner, account: 'Purchase Tax Payable' },
  ];
  for (const item of DEMO_ITEMS.filter((i) => i.category)) {
    // Product IDs: the QuickBooks item of each catalog product, for sales and for agreement additions.
    rows.push({ type: 'Revenue-Product', table: 'Product', record: item.name, productId: item.name, ...(item.assetAccount ? { inventory: item.assetAccount } : {}) });
    rows.push({ type: 'Revenue-Agreement Product', table: 'Product', record: item.name, productId: item.name });
    rows.push({ type: 'Product Discount', table: 'Product', record: item.name, productId: 'Discount' });
  }
  for (const code of DEMO_TAX_CODES) {
    code.levels.forEach((level, i) => {
      rows.push({ type: 'Sales Tax Payable', table: `Tax Code: Level ${i + 1}` as MappedType, record: code.name, account: level.account });
    });
  }
  for (const r of rows) if (r.account) demoAccountByName(r.account); // fail fast on a typo against the shared chart
  return rows;
}

export function buildDemoSetup(): SandboxState {
  const s = emptyState();
  s.owner = { id: 1, identifier: DEMO_OWNER.identifier, name: DEMO_OWNER.name };
  s.counters.company = 1;

  s.locations = [
    // ownerLevelId: the location's level in the corporate structure (Location.ownerLevelId).
    { id: 1, name: 'Seattle', ownerLevelId: 1, warehouses: ['Seattle Main'] },
    { id: 2, name: 'Tacoma', ownerLevelId: 2, warehouses: ['Tacoma Depot'] },
  ];
  s.departments = ['Managed Services', 'Professional Services', 'Web Services'].map((name, i) => ({ id: i + 1, name }));

  s.billingTerms = DEMO_TERMS.map((t, i) => ({ id: i + 1, name: t.name, defaultFlag: i === 0, dueDays: t.dueDays, termsXref: t.name, _info: INFO }));
  s.billingStatuses = [
    { id: 1, name: 'New', sortOrder: 1, defaultFlag: true, closedFlag: false, inactiveFlag: false, sentFlag: false },
    { id: 2, name: 'Sent', sortOrder: 2, defaultFlag: false, closedFlag: false, inactiveFlag: false, sentFlag: true },
    { id: 3, name: 'Closed', sortOrder: 3, defaultFlag: false, closedFlag: true, inactiveFlag: false, sentFlag: true },
    { id: 4, name: 'Paid', sortOrder: 4, defaultFlag: false, closedFlag: true, inactiveFlag: false, sentFlag: true },
    // As ConnectWise sets it up for re-exporting: an open status, not sent.
    { id: 5, name: 'GL Reload', sortOrder: 5, defaultFlag: false, closedFlag: false, inactiveFlag: false, sentFlag: false },
  ].map((b) => ({ ...b, _info: INFO }));

  DEMO_TAX_CODES.forEach((code, i) => {
    const id = i + 1;
    const flat: Record<string, unknown> = {};
    code.levels.forEach((level, n) => {
      const w = LEVEL_WORDS[n]!;
      Object.assign(flat, {
        [`level${w}Rate`]: Number(level.ratePercent), [`level${w}RateType`]: 'Percent', [`level${w}Caption`]: level.name,
        [`level${w}TaxCodeXref`]: level.name, [`level${w}AgencyXref`]: level.agency,
        [`level${w}ServicesFlag`]: false, [`level${w}ExpensesFlag`]: false, [`level${w}ProductsFlag`]: true,
      });
      s.taxCodeLevels.push({
        id: id * 10 + n + 1, taxCodeId: id, taxLevel: n + 1, taxRate: Number(level.ratePercent), rateType: 'Percent', taxableMax: 0,
        caption: level.name, taxCodeXref: level.name, agencyXref: level.agency, taxServicesFlag: false, taxExpensesFlag: false, taxProductsFlag: true,
      });
    });
    s.taxCodes.push({
      id, identifier: code.name, description: code.description, invoiceCaption: 'Sales Tax', effectiveDate: '2026-01-01T00:00:00Z',
      country: { id: 1, name: 'United States' }, defaultFlag: code.name === 'Seattle', displayOnInvoiceFlag: true, ...flat, _info: INFO,
    });
  });

  const termsRef = (name: string) => {
    const t = s.billingTerms.find((x) => x.name === name)!;
    return { id: t.id, name: t.name };
  };
  const taxRef = (name: string) => {
    const t = s.taxCodes.find((x) => x.identifier === name)!;
    return { id: t.id, name: t.identifier };
  };
  const company = (fields: Wire) => ({ status: { id: 1, name: 'Active' }, deletedFlag: false, currency: { id: 1, currencyCode: 'USD' }, _info: INFO, ...fields });
  s.companies.push(company({ id: 1, identifier: s.owner.identifier, name: s.owner.name, types: [{ id: 3, name: 'Owner' }], isVendorFlag: false, accountNumber: '', city: 'Seattle', state: 'WA', billingTerms: termsRef('Net 30'), taxCode: taxRef('Seattle') }));
  for (const c of DEMO_CUSTOMERS) {
    const id = nextId(s, 'company');
    const contactId = nextId(s, 'contact');
    s.contacts.push({
      id: contactId, firstName: c.contact.firstName, lastName: c.contact.lastName, company: { id, identifier: c.identifier, name: c.name },
      title: 'Office Manager', inactiveFlag: false, defaultFlag: true, defaultBillingFlag: true,
      communicationItems: [{ id: contactId * 10, type: { id: 1, name: 'Email' }, value: c.contact.email, defaultFlag: true, communicationType: 'Email' }],
      _info: INFO,
    });
    const contactRef = { id: contactId, name: `${c.contact.firstName} ${c.contact.lastName}` };
    s.companies.push(company({
      id, identifier: c.identifier, name: c.name, types: [{ id: 1, name: 'Client' }], isVendorFlag: false, accountNumber: c.accountNumber,
      city: c.taxCode === 'Tacoma' ? 'Tacoma' : 'Seattle', state: 'WA', billingTerms: termsRef(c.terms), taxCode: taxRef(c.taxCode),
      defaultContact: contactRef, billingContact: contactRef, invoiceToEmailAddress: c.contact.email,
    }));
  }
  for (const v of DEMO_VENDORS.filter((x) => x.kind === 'supplier')) {
    const id = nextId(s, 'company');
    s.companies.push(company({ id, identifier: v.identifier, name: v.name, types: [{ id: 2, name: 'Vendor' }], isVendorFlag: true, vendorIdentifier: v.accountNumber, accountNumber: v.accountNumber, billingTerms: termsRef(v.terms), taxCode: taxRef('Exempt') }));
  }

  const member = (fields: Wire) => ({ inactiveFlag: false, securityRole: { id: 1, name: 'Admin' }, defaultLocation: { id: 1, name: 'Seattle' }, defaultDepartment: { id: 1, name: 'Managed Services' }, _info: INFO, ...fields });
  s.members.push(member({ id: 1, identifier: 'ledgerline-api', firstName: 'Ledgerline', lastName: 'API', licenseClass: 'A', securityRole: { id: 9, name: 'API Accounting Sync' } }));
  DEMO_VENDORS.filter((v) => v.kind === 'employee').forEach((v, i) => {
    const [firstName, lastName] = v.name.split(' ');
    s.members.push(member({ id: i + 2, identifier: v.identifier, firstName, lastName, licenseClass: 'F', vendorNumber: v.accountNumber, officeEmail: `${v.identifier}@ledgerline.example`, defaultDepartment: { id: (i % 3) + 1, name: s.departments[i % 3]!.name } }));
  });
  s.security = API_SECURITY.map(([moduleName, fn, fnId, level], i) => ({
    id: i + 1, member: { id: 1, identifier: 'ledgerline-api', name: 'Ledgerline API' }, moduleIdentifier: moduleName, moduleName,
    moduleFunctionIdentifier: fnId, moduleFunctionName: fn, addLevel: level, editLevel: level, deleteLevel: level, inquireLevel: level,
  }));

  for (const item of DEMO_ITEMS.filter((i) => i.category)) {
    s.catalog.push({
      id: s.catalog.length + 1, identifier: item.name, description: item.description, category: item.category!, subcategory: item.subcategory!,
      costCents: Math.round(Number(item.unitCost ?? '0') * 100), priceCents: Math.round(Number(item.unitPrice) * 100), taxable: item.taxable,
    });
  }

  AGREEMENT_TYPES.forEach((type, i) =>
    s.agreements.push({
      id: i + 1, name: `${DEMO_CUSTOMERS[i]!.name} ${type}`, type: { id: i + 1, name: type }, company: { id: i + 2 },
      agreementStatus: 'Active', cancelledFlag: false, startDate: '2026-01-01T00:00:00Z', noEndingDateFlag: true, billAmount: [2400, 1500, 300][i] ?? 0, _info: INFO,
    }),
  );
  PROJECT_TYPES.forEach((type, i) => s.projects.push({ id: i + 1, name: `${DEMO_CUSTOMERS[i + 1]!.name} ${type}`, type: { id: i + 1, name: type }, company: { id: i + 3 } }));
  SERVICE_TYPES.forEach((type, i) => s.tickets.push({ id: 1000 + i, name: `${type} request`, summary: `${type} request`, type: { id: i + 1, name: type }, company: { id: i + 2 } }));

  setMappings(s, demoGlRows());
  s.accountingPackageSetup = [{
    id: 1, accountingPackage: { id: 1, identifier: 'Other', name: 'QuickBooks Online' }, directTransferFlag: true, includeInvoicesFlag: true,
    invoiceFormat: 'Detailed', includeExpensesFlag: true, transferExpensesAsBillFlag: true, expenseFormat: 'Default', suppressMemoFlag: false,
    syncPaymentInfoFlag: true, includeSalesTaxFlag: true, enableTaxGroupsFlag: true, zeroDollarTaxAmountsFlag: false,
    includeItemsFlag: true, inventorySOHFlag: false, sendComponentAmountFlag: false, sendUomFlag: false, includeCogsEntriesFlag: false, includeCogsDropShipFlag: false,
  }];
  return s;
}

/** Mapped types per GL type (sortOrder 1 = consulted first, from ConnectWise's sequences) and the GL Accounts rows. */
function setMappings(s: SandboxState, rows: GlRow[]): void {
  s.mappedTypes = [];
  for (const [type, tables] of Object.entries(GL_SEQUENCES) as Array<[AccountType, readonly MappedType[]]>) {
    tables.forEach((table, i) => {
      s.mappedTypes.push({ id: s.mappedTypes.length + 1, name: table, table: table.replace(/[^A-Za-z]/g, ''), recIdField: 'RecID', glType: ACCOUNT_TYPE_CODES[type], sortOrder: i + 1 });
    });
  }
  // One account segment and one class segment, as the demo's QuickBooks company uses them.
  s.glCaptions = [{ id: 1, segment1: 'Account', segment1type: 'Account', segment2: 'Class', segment2type: 'Class', _info: INFO }];
  const recordIds = new Map<string, number>();
  s.glAccounts = rows.map((r, i) => {
    const code = ACCOUNT_TYPE_CODES[r.type];
    const mapped = s.mappedTypes.find((m) => m.glType === code && m.name === r.table)!;
    const recordKey = `${r.table}\u0000${r.record}`;
    if (!recordIds.has(recordKey)) recordIds.set(recordKey, recordIds.size + 1);
    return {
      id: i + 1, glType: code, mappedType: { id: mapped.id, name: r.table }, mappedRecord: { id: recordIds.get(recordKey)!, name: r.record },
      segment1: r.account ? demoGlAccountString(r.account) : '', segment2: r.cls ?? '', productId: r.productId ?? '', inventory: r.inventory ? demoGlAccountString(r.inventory) : '', salesCode: '', cogs1: r.cogs ? demoGlAccountString(r.cogs) : '', _info: INFO,
    };
  });
}
