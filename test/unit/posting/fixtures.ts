/** PSA records of every type, shaped as the ConnectWise export normaliser produces them. */
import type { PsaGlLine, PsaGlRecord, PsaRecordType } from '../../../domain/posting/types';
import type { ChartSnapshot } from '../../../domain/gl/chart';

let glEntryId = 1000;
export const gl = (line: Omit<PsaGlLine, 'glEntryId'>): PsaGlLine => ({ glEntryId: glEntryId++, ...line });

export function record(recordType: PsaRecordType, lines: PsaGlLine[], extra: Partial<PsaGlRecord> = {}): PsaGlRecord {
  const kind = ['Expense'].includes(recordType) ? 'expense' : ['Purchase', 'Adjustment', 'Transfer'].includes(recordType) ? 'procurement' : 'invoice';
  return {
    kind,
    recordType,
    recordId: '77',
    number: '10042',
    revision: '3',
    date: '2026-11-20',
    party: { name: 'Acme Dental Group', accountNumber: 'ACME-01' },
    lines,
    total: '0.00',
    ...extra,
  };
}

/** Standard invoice: time, a product with a discount, and three tax levels (Seattle). */
export const standardInvoice = (): PsaGlRecord =>
  record(
    'Standard',
    [
      gl({ accountType: 'Accounts Receivable', account: 'Accounts Receivable', side: 'debit', amount: '1140.56' }),
      gl({ accountType: 'Revenue', account: 'Service Revenue', class: 'Managed Services', productId: 'Services', side: 'credit', amount: '900.00', quantity: '6', unitPrice: '150.00', description: 'Remote support', taxable: false }),
      gl({ accountType: 'Revenue-Product', account: 'Product Revenue:Hardware Revenue', productId: 'SSD-1TB', side: 'credit', amount: '238.00', quantity: '2', unitPrice: '119.00', taxable: true }),
      gl({ accountType: 'Product Discount', account: 'Product Discounts', productId: 'Discount', side: 'debit', amount: '20.00', taxable: true }),
      gl({ accountType: 'Sales Tax Payable', account: 'Sales Tax Payable:State Sales Tax Payable', side: 'credit', amount: '14.17', taxLevel: 1, taxCodeXref: 'WA State' }),
      gl({ accountType: 'Sales Tax Payable', account: 'Sales Tax Payable:County Sales Tax Payable', side: 'credit', amount: '3.27', taxLevel: 2, taxCodeXref: 'King County' }),
      gl({ accountType: 'Sales Tax Payable', account: 'Sales Tax Payable:City Sales Tax Payable', side: 'credit', amount: '5.12', taxLevel: 3, taxCodeXref: 'Seattle City' }),
    ],
    { total: '1140.56', terms: 'Net 30', dueDate: '2026-12-20', taxCode: 'Seattle', memo: 'November support' },
  );

export const simpleInvoice = (recordType: PsaRecordType, accountType: PsaGlLine['accountType'], account: string, productId: string): PsaGlRecord =>
  record(
    recordType,
    [
      gl({ accountType: 'Accounts Receivable', account: 'Accounts Receivable', side: 'debit', amount: '500.00' }),
      gl({ accountType, account, productId, side: 'credit', amount: '500.00' }),
    ],
    { total: '500.00' },
  );

export const creditMemo = (): PsaGlRecord =>
  record(
    'CreditMemo',
    [
      gl({ accountType: 'Accounts Receivable', account: 'Accounts Receivable', side: 'credit', amount: '150.00' }),
      gl({ accountType: 'Revenue', account: 'Service Revenue', productId: 'Services', side: 'debit', amount: '150.00', quantity: '1', unitPrice: '150.00' }),
    ],
    { number: 'CM-10043', total: '-150.00' },
  );

export const expenseReport = (transferAsBill: boolean): PsaGlRecord =>
  record(
    'Expense',
    [
      gl({ accountType: 'Expense External', account: 'Travel', class: 'Professional Services', side: 'debit', amount: '45.20', description: 'Mileage' }),
      gl({ accountType: 'Expense Tax', account: 'Expense Tax', side: 'debit', amount: '3.00' }),
      gl({ accountType: 'Accounts Payable', account: 'Accounts Payable', side: 'credit', amount: '48.20' }),
    ],
    { number: 'EXP-501', party: { name: 'Jane Doe' }, transferAsBill, total: '48.20' },
  );

export const companyCardExpense = (): PsaGlRecord =>
  record(
    'Expense',
    [
      gl({ accountType: 'Expense Internal', account: 'Office Supplies', side: 'debit', amount: '30.00' }),
      gl({ accountType: 'Expense Offset', account: 'Company Credit Card', side: 'credit', amount: '30.00' }),
    ],
    { number: 'EXP-502', party: { name: 'Jane Doe' }, transferAsBill: false, total: '30.00' },
  );

export const poReceipt = (): PsaGlRecord =>
  record(
    'Purchase',
    [
      gl({ accountType: 'Inventory Transfer', account: 'Inventory Asset', productId: 'LAPTOP-14', side: 'debit', amount: '2240.00', quantity: '2', cost: '1120.00' }),
      gl({ accountType: 'Purchase Order Freight', account: 'Freight In', productId: 'Freight', side: 'debit', amount: '35.00' }),
      gl({ accountType: 'Accounts Payable', account: 'Accounts Payable', side: 'credit', amount: '2275.00' }),
    ],
    { number: 'PO-2211', party: { name: 'Ingram Micro', accountNumber: 'V-100' }, total: '2275.00' },
  );

export const adjustment = (): PsaGlRecord =>
  record(
    'Adjustment',
    [
      gl({ accountType: 'Inventory Adjustments', account: 'Inventory Shrinkage', productId: 'SSD-1TB', side: 'debit', amount: '148.50', quantity: '2', cost: '74.25', description: 'Damaged in storage' }),
      gl({ accountType: 'Inventory Transfer', account: 'Inventory Asset', productId: 'SSD-1TB', side: 'credit', amount: '148.50' }),
    ],
    { number: 'ADJ-19', party: { name: 'Ledgerline IT' }, total: '148.50' },
  );

export const transfer = (): PsaGlRecord =>
  record(
    'Transfer',
    [
      gl({ accountType: 'Inventory Transfer', account: 'Inventory Asset', class: 'Web Services', side: 'debit', amount: '271.50' }),
      gl({ accountType: 'Inventory Transfer', account: 'Inventory Asset', class: 'Managed Services', side: 'credit', amount: '271.50' }),
    ],
    { number: 'TR-8', party: { name: 'Ledgerline IT' }, total: '271.50' },
  );

let id = 1;
const a = (Name: string, AccountType: string, AccountSubType: string, parent?: string) => ({
  Id: `a${id++}`,
  Name,
  AccountType,
  AccountSubType,
  FullyQualifiedName: parent ? `${parent}:${Name}` : Name,
});

export const CHART: ChartSnapshot = {
  accounts: [
    a('Accounts Receivable', 'Accounts Receivable', 'AccountsReceivable'),
    a('Inventory Asset', 'Other Current Asset', 'Inventory'),
    a('Accounts Payable', 'Accounts Payable', 'AccountsPayable'),
    a('Company Credit Card', 'Credit Card', 'CreditCard'),
    a('Sales Tax Payable', 'Other Current Liability', 'SalesTaxPayable'),
    a('State Sales Tax Payable', 'Other Current Liability', 'SalesTaxPayable', 'Sales Tax Payable'),
    a('County Sales Tax Payable', 'Other Current Liability', 'SalesTaxPayable', 'Sales Tax Payable'),
    a('City Sales Tax Payable', 'Other Current Liability', 'SalesTaxPayable', 'Sales Tax Payable'),
    a('Deferred Revenue', 'Other Current Liability', 'OtherCurrentLiabilities'),
    a('Service Revenue', 'Income', 'ServiceFeeIncome'),
    a('Agreement Revenue', 'Income', 'ServiceFeeIncome'),
    a('Product Revenue', 'Income', 'SalesOfProductIncome'),
    a('Hardware Revenue', 'Income', 'SalesOfProductIncome', 'Product Revenue'),
    a('Product Discounts', 'Income', 'DiscountsRefundsGiven'),
    a('Freight In', 'Cost of Goods Sold', 'ShippingFreightDeliveryCos'),
    a('Inventory Shrinkage', 'Cost of Goods Sold', 'SuppliesMaterialsCogs'),
    a('Expense Tax', 'Cost of Goods Sold', 'OtherCostsOfServiceCos'),
    a('Travel', 'Expense', 'Travel'),
    a('Office Supplies', 'Expense', 'OfficeGeneralAdministrativeExpenses'),
  ],
  classes: [
    { Id: 'c1', Name: 'Managed Services' },
    { Id: 'c2', Name: 'Professional Services' },
    { Id: 'c3', Name: 'Web Services' },
  ],
  items: [
    { Id: 'i1', Name: 'Services', Type: 'Service', IncomeAccountRef: { value: 'a10', name: 'Service Revenue' } },
    { Id: 'i2', Name: 'SSD-1TB', Type: 'Inventory', IncomeAccountRef: { value: 'a13', name: 'Product Revenue:Hardware Revenue' } },
    { Id: 'i3', Name: 'Discount', Type: 'Service', IncomeAccountRef: { value: 'a14', name: 'Product Discounts' } },
    { Id: 'i4', Name: 'LAPTOP-14', Type: 'Inventory' },
    { Id: 'i5', Name: 'Freight', Type: 'NonInventory' },
  ],
  taxCodes: [{ Id: 't1', Name: 'Seattle' }],
  terms: [{ Id: 'n30', Name: 'Net 30' }],
  customers: [{ Id: 'cu1', DisplayName: 'Acme Dental Group', AcctNum: 'ACME-01' }],
  vendors: [
    { Id: 'v1', DisplayName: 'Jane Doe' },
    { Id: 'v2', DisplayName: 'Ingram Micro' },
  ],
};

/** Tax codes and rates of the company, for matchTaxRefs. */
export const TAX_CHART = {
  taxCodes: [{ Id: 't1', Name: 'Seattle' }, { Id: 't9', Name: 'Exempt' }],
  taxRates: [{ Id: 'r1', Name: 'WA State' }, { Id: 'r2', Name: 'King County' }, { Id: 'r3', Name: 'Seattle City' }],
};
