import { thrown } from '../../helpers/thrown';
import { createChartMatcher, type ChartAccount, type ChartSnapshot, type AccountRole, ACCOUNT_TYPES } from '../../../domain/gl';
import { accountFitRule } from '../../../domain/gl/account-fit';

let nextId = 1;
const acct = (Name: string, AccountType: string, AccountSubType: string, AcctNum?: string, parent?: string, Active = true): ChartAccount => ({
  Id: String(nextId++),
  Name,
  AcctNum,
  AccountType,
  AccountSubType,
  FullyQualifiedName: parent ? `${parent}:${Name}` : Name,
  Active,
});

const CHART: ChartSnapshot = {
  useAccountNumbers: true,
  accounts: [
    acct('Accounts Receivable', 'Accounts Receivable', 'AccountsReceivable', '1100'),
    acct('Inventory Asset', 'Other Current Asset', 'Inventory', '1200'),
    acct('Undeposited Funds', 'Other Current Asset', 'UndepositedFunds', '1300'),
    acct('Accounts Payable', 'Accounts Payable', 'AccountsPayable', '2000'),
    acct('Company Credit Card', 'Credit Card', 'CreditCard', '2050'),
    acct('Sales Tax Payable', 'Other Current Liability', 'SalesTaxPayable', '2100'),
    acct('State Sales Tax Payable', 'Other Current Liability', 'SalesTaxPayable', '2110', 'Sales Tax Payable'),
    acct('Deferred Revenue', 'Other Current Liability', 'OtherCurrentLiabilities', '2200'),
    acct('Service Revenue', 'Income', 'ServiceFeeIncome', '4000'),
    acct('Product Revenue', 'Income', 'SalesOfProductIncome', '4040'),
    acct('Hardware Revenue', 'Income', 'SalesOfProductIncome', '4041', 'Product Revenue'),
    acct('Old Revenue', 'Income', 'ServiceFeeIncome', '4099', undefined, false),
    acct('Cost of Goods Sold', 'Cost of Goods Sold', 'SuppliesMaterialsCogs', '5000'),
    acct('Freight In', 'Cost of Goods Sold', 'ShippingFreightDeliveryCos', '5020'),
    acct('Travel', 'Expense', 'Travel', '6000'),
  ],
  classes: [{ Id: 'c1', Name: 'Managed Services' }, { Id: 'c2', Name: 'Web', FullyQualifiedName: 'Projects:Web' }],
  items: [
    { Id: 'i1', Name: 'LAPTOP-14', FullyQualifiedName: 'Hardware:LAPTOP-14', Type: 'Inventory' },
    { Id: 'i2', Name: 'Services', Type: 'Service' },
  ],
  taxCodes: [{ Id: 't1', Name: 'Seattle' }],
  terms: [{ Id: 'n30', Name: 'Net 30' }],
  customers: [
    { Id: 'cu1', DisplayName: 'Acme Dental Group', AcctNum: 'ACME-01', Notes: 'Key account. ConnectWise company #42 (created by Ledgerline)' },
    { Id: 'cu2', DisplayName: 'Blue Harbor Logistics' },
  ],
  vendors: [{ Id: 'v1', DisplayName: 'Jane Doe' }],
};


describe('matching accounts by name', () => {
  const m = createChartMatcher(CHART);

  it.each<[string, AccountRole, string]>([
    ['Service Revenue', 'Revenue', 'Service Revenue'],
    ['Product Revenue:Hardware Revenue', 'Revenue-Product', 'Product Revenue:Hardware Revenue'],
    ['Sales Tax Payable:State Sales Tax Payable', 'Sales Tax Payable', 'Sales Tax Payable:State Sales Tax Payable'],
  ])('%s as %s', (gl, role, name) => {
    expect(m.account(gl, role)).toMatchObject({ ref: { name }, warnings: [] });
  });

  it.each<[string, string, string]>([
    ['service revenue', 'Service Revenue', 'differs only in letter case'],
    ['Hardware Revenue', 'Product Revenue:Hardware Revenue', 'sub-accounts are referenced by their full Parent:Child name'],
    ['4000', 'Service Revenue', 'is account number 4000, but matching is by name'],
    ['Service Revenue ', 'Service Revenue', 'leading or trailing spaces'],
    ['Services Revenue', 'Service Revenue', 'similar spelling'],
    ['Income:Hardware Revenue', 'Product Revenue:Hardware Revenue', 'same name under a different parent'],
  ])('a miss on %p names the mode and the candidate %p', (gl, candidate, reason) => {
    const err = thrown(() => m.account(gl, 'Revenue'));
    expect(err.type).toBe('AccountNotFound');
    expect(err.message).toContain(`GL account "${gl}" (Revenue) was not found`);
    expect(err.message).toContain('matching by name');
    expect(err.message).toContain(`"${candidate}"`);
    expect(err.message).toContain(reason);
    expect(err.fix).toMatch(/never creates/);
  });

  it('an inactive account fails naming it, with the fix to reactivate it', () => {
    const err = thrown(() => m.account('Old Revenue', 'Revenue'));
    expect(err.type).toBe('AccountNotFound');
    expect(err.message).toBe('Account "Old Revenue" (GL account for Revenue) is inactive in QuickBooks, which refuses references to inactive entries (fault 610)');
    expect(err.fix).toMatch(/active again in QuickBooks/);
  });

  it('a miss with nothing near says so', () => {
    expect(thrown(() => m.account('Zebra Income Account', 'Revenue')).message).toContain('Nearest: no similar entries');
  });
});

describe('matching accounts by number', () => {
  const m = createChartMatcher(CHART, { mode: 'number' });

  it('finds an account by its number', () => {
    expect(m.account('4041', 'Revenue-Product').ref).toEqual({ value: expect.any(String), name: 'Product Revenue:Hardware Revenue' });
  });

  it('a name given in number mode points at the number to use', () => {
    const err = thrown(() => m.account('Service Revenue', 'Revenue'));
    expect(err.message).toContain('matching by number');
    expect(err.message).toContain('"4000" (is the number of the account named "Service Revenue"');
  });

  it('needs account numbers enabled', () => {
    const err = thrown(() => createChartMatcher({ ...CHART, useAccountNumbers: false }, { mode: 'number' }));
    expect(err.type).toBe('InvalidInput');
    expect(err.fix).toContain('Enable account numbers');
  });

  it('refuses to guess between two accounts with one number', () => {
    const dup = { ...CHART, accounts: [...CHART.accounts, acct('Other Services', 'Income', 'ServiceFeeIncome', '4000')] };
    expect(thrown(() => createChartMatcher(dup, { mode: 'number' }).account('4000', 'Revenue')).type).toBe('Conflict');
  });
});

describe('type fit', () => {
  const m = createChartMatcher(CHART);
  const w = createChartMatcher(CHART, { typeMisfit: 'warning' });

  it.each<[AccountRole, string]>([
    ['Accounts Receivable', 'Accounts Receivable'],
    ['Accounts Payable', 'Accounts Payable'],
    ['Revenue', 'Service Revenue'],
    ['Revenue-Agreements', 'Service Revenue'],
    ['Revenue-Expenses', 'Service Revenue'],
    ['Product Discount', 'Product Revenue'],
    ['Deferred Revenue', 'Deferred Revenue'],
    ['Sales Tax Payable', 'Sales Tax Payable'],
    ['Expense Offset', 'Company Credit Card'],
    ['Expense Offset', 'Deferred Revenue'],
    ['Expense Internal', 'Travel'],
    ['Expense External', 'Travel'],
    ['Inventory Adjustments', 'Cost of Goods Sold'],
    ['Inventory Transfer', 'Inventory Asset'],
    ['Purchase Order Freight', 'Freight In'],
    ['Purchase Order Freight Tax', 'Sales Tax Payable'],
    ['Purchase Order Product Tax', 'Sales Tax Payable'],
    ['Expense Tax', 'Cost of Goods Sold'],
    ['COGS', 'Cost of Goods Sold'],
    ['Inventory', 'Inventory Asset'],
  ])('%s fits %s', (role, gl) => {
    expect(m.account(gl, role).warnings).toEqual([]);
  });

  it.each<[AccountRole, string, RegExp]>([
    ['Deferred Revenue', 'Service Revenue', /has type Income, but Deferred Revenue expects Other Current Liability/],
    ['Revenue', 'Deferred Revenue', /expects Income: it records revenue/],
    ['Inventory Transfer', 'Undeposited Funds', /detail type UndepositedFunds, but Inventory Transfer expects Inventory/],
    ['Expense Offset', 'Travel', /Credit Card or Other Current Liability/],
    ['Accounts Receivable', 'Accounts Payable', /expects Accounts Receivable/],
    ['Sales Tax Payable', 'Travel', /liability/],
  ])('%s on %s is a misfit that says why', (role, gl, why) => {
    const err = thrown(() => m.account(gl, role));
    expect(err.type).toBe('AccountTypeMismatch');
    expect(err.message).toMatch(why);
    const warned = w.account(gl, role);
    expect(warned.warnings).toHaveLength(1);
    expect(warned.warnings[0]).toMatch(why);
  });

  it('expense tax depends on the country', () => {
    const uk = createChartMatcher(CHART, { country: 'GB' });
    expect(uk.account('Sales Tax Payable', 'Expense Tax').warnings).toEqual([]);
    expect(thrown(() => uk.account('Cost of Goods Sold', 'Expense Tax')).message).toMatch(/GB company expense tax is reclaimable/);
    expect(thrown(() => m.account('Sales Tax Payable', 'Expense Tax')).message).toMatch(/US company expense tax is a cost/);
  });

  it('has a rule for every GL account type', () => {
    for (const t of ACCOUNT_TYPES) expect(accountFitRule(t).accountTypes.length).toBeGreaterThan(0);
  });
});

describe('classes, items, tax codes, terms, customers, vendors', () => {
  const m = createChartMatcher(CHART);

  it('match exactly', () => {
    expect(m.class('Managed Services')).toEqual({ value: 'c1', name: 'Managed Services' });
    expect(m.class('Projects:Web')).toEqual({ value: 'c2', name: 'Projects:Web' });
    expect(m.item('LAPTOP-14').ref).toEqual({ value: 'i1', name: 'Hardware:LAPTOP-14' });
    expect(m.item('Hardware:LAPTOP-14').ref.value).toBe('i1');
    expect(m.taxCode('Seattle').value).toBe('t1');
    expect(m.term('Net 30').value).toBe('n30');
    // By the ConnectWise identity line in Notes, whatever either side calls it now.
    expect(m.customer({ name: 'Renamed in PSA', source: 'company', psaId: 42 }).value).toBe('cu1');
    // QuickBooks Online has no customer account number (AcctNum is a Desktop field): never matched by it.
    expect(() => m.customer({ name: 'Renamed in PSA', accountNumber: 'ACME-01' })).toThrow(/not found/);
    expect(() => m.customer({ name: 'Renamed in PSA', source: 'company', psaId: 4 })).toThrow(/not found/);
    expect(m.customer({ name: 'Blue Harbor Logistics', accountNumber: 'BH-9' }).value).toBe('cu2');
    expect(m.vendor({ name: 'Jane Doe' }).value).toBe('v1');
  });

  it.each<[string, () => unknown, RegExp]>([
    ['class', () => m.class('Web'), /Class "Web" was not found[\s\S]*"Projects:Web" \(the same name as a sub-account/],
    ['item', () => m.item('laptop-14'), /Item \(GL Product ID\) "laptop-14" was not found[\s\S]*"Hardware:LAPTOP-14"/],
    ['tax code', () => m.taxCode('Tacoma'), /Tax code "Tacoma" was not found/],
    ['term', () => m.term('Net 31'), /Term "Net 31" was not found[\s\S]*"Net 30" \(similar spelling\)/],
    ['customer', () => m.customer({ name: 'Acme Dental', accountNumber: 'X' }), /Customer "Acme Dental" was not found in the accounting package by display name[\s\S]*"Acme Dental Group" \(one name contains the other/],
    ['vendor', () => m.vendor({ name: 'jane doe' }), /Vendor "jane doe"[\s\S]*"Jane Doe" \(differs only in letter case/],
  ])('a %s miss is ReferenceNotFound with candidates', (_what, fn, message) => {
    const err = thrown(fn);
    expect(err.type).toBe('ReferenceNotFound');
    expect(err.message).toMatch(message);
    expect(err.fix).toBeTruthy();
  });
});
