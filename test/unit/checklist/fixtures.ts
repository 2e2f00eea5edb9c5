/** A small, clean go-live setup (every check passes) that tests break one fact at a time. */
import { createChartMatcher, type ChartSnapshot, type GlMapping } from '../../../domain/gl';
import type { ChecklistFacts, LedgerFacts, PsaFacts } from '../../../domain/checklist';

export const CHART: ChartSnapshot = {
  accounts: [
    { Id: '1', Name: 'Accounts Receivable', AccountType: 'Accounts Receivable' },
    { Id: '2', Name: 'Accounts Payable', AccountType: 'Accounts Payable' },
    { Id: '3', Name: 'Service Revenue', AccountType: 'Income' },
    { Id: '4', Name: 'Product Revenue', AccountType: 'Income' },
    { Id: '5', Name: 'Cost of Goods Sold', AccountType: 'Cost of Goods Sold' },
    { Id: '6', Name: 'Inventory Asset', AccountType: 'Other Current Asset', AccountSubType: 'Inventory' },
    { Id: '7', Name: 'Sales Tax Payable', AccountType: 'Other Current Liability' },
    { Id: '8', Name: 'Deferred Revenue', AccountType: 'Other Current Liability' },
    { Id: '9', Name: 'Operating Checking', AccountType: 'Bank' },
  ],
  items: [
    { Id: '20', Name: 'Services', Type: 'Service', IncomeAccountRef: { value: '3', name: 'Service Revenue' } },
    { Id: '21', Name: 'Downpayment', Type: 'Service', IncomeAccountRef: { value: '8', name: 'Deferred Revenue' } },
    { Id: '22', Name: 'Hardware', Type: 'NonInventory', IncomeAccountRef: { value: '4', name: 'Product Revenue' } },
  ],
  terms: [{ Id: '30', Name: 'Net 30' }],
  taxCodes: [{ Id: '40', Name: 'Seattle' }],
  vendors: [{ Id: '50', DisplayName: 'Dana Whitfield', AcctNum: 'E3001' }],
};

const owner = (accountType: GlMapping['accountType'], fields: Partial<GlMapping>): GlMapping => ({
  accountType,
  mappedType: 'My Company: Owner',
  mappedRecord: 'Ledgerline',
  ...fields,
});

export function cleanMappings(): GlMapping[] {
  return [
    owner('Accounts Receivable', { account: 'Accounts Receivable' }),
    owner('Accounts Payable', { account: 'Accounts Payable' }),
    owner('Revenue', { account: 'Service Revenue', productId: 'Services' }),
    { accountType: 'Revenue', mappedType: 'Work Type', mappedRecord: 'After Hours', account: 'Service Revenue' },
    owner('Revenue-Product', { account: 'Product Revenue', cogs: 'Cost of Goods Sold', inventory: 'Inventory Asset' }),
    owner('Deferred Revenue', { account: 'Deferred Revenue', productId: 'Downpayment' }),
    owner('Sales Tax Payable', { account: 'Sales Tax Payable' }),
  ];
}

export function cleanPsa(): PsaFacts {
  return {
    security: [
      { functionIdentifier: 'AccountingInterface', functionName: 'Accounting Interface', add: 'All', edit: 'All', delete: 'All', inquire: 'All' },
      { functionIdentifier: 'Invoicing', functionName: 'Invoicing', add: 'All', edit: 'All', delete: 'All', inquire: 'All' },
      { functionIdentifier: 'TableSetup', functionName: 'Table Setup', add: 'None', edit: 'None', delete: 'None', inquire: 'All' },
    ],
    memberIdentifier: 'ledgerline-api',
    billingTerms: [
      { id: 1, name: 'Net 30', termsXref: 'Net 30' },
      { id: 2, name: 'Net 15' },
    ],
    unpostedInvoices: [
      { id: 11, invoiceNumber: '1001', date: '2026-11-02T00:00:00Z', companyId: 2, companyName: 'Acme Dental Group', billingTermsId: 1, billingTermsName: 'Net 30' },
      { id: 12, invoiceNumber: '1002', date: '2026-11-03T00:00:00Z', companyId: 3, companyName: 'Blue Harbor Logistics', billingTermsId: 1, billingTermsName: 'Net 30' },
    ],
    customers: [
      { id: 2, identifier: 'AcmeDental', name: 'Acme Dental Group', primaryContact: 'Maria Okafor', billingContact: 'Maria Okafor' },
      { id: 3, identifier: 'BlueHarbor', name: 'Blue Harbor Logistics', primaryContact: 'Tom Lindqvist', billingContact: 'Tom Lindqvist' },
    ],
    billingStatuses: [
      { id: 1, name: 'New', inactive: false, closed: false, sent: false },
      { id: 3, name: 'Closed', inactive: false, closed: true, sent: true },
      { id: 5, name: 'GL Reload', inactive: false, closed: false, sent: false },
    ],
    glMappings: cleanMappings(),
    packageSetup: {
      packageName: 'QuickBooks Online',
      directTransfer: true,
      includeInvoices: true,
      includeExpenses: true,
      transferExpensesAsBill: true,
      syncPaymentInfo: true,
      includeItems: true,
      includeCogsEntries: false,
    },
    taxCodes: [{ identifier: 'Seattle', levels: [{ level: 1, xref: 'WA State' }, { level: 2, xref: 'King County' }] }],
    unbatched: { counts: { invoice: 2, expense: 1, procurement: 0 }, oldest: '2026-11-02', newest: '2026-11-03', glReloadInvoices: 0 },
    expenseMembers: [{ identifier: 'dwhitfield', name: 'Dana Whitfield', vendorNumber: 'E3001' }],
  };
}

export function cleanLedger(chart: ChartSnapshot = CHART): LedgerFacts {
  return { matcher: createChartMatcher(chart, { mode: 'name' }), accountMatch: 'name', taxCodeNames: ['Seattle'], taxRateNames: ['WA State', 'King County'] };
}

export function cleanFacts(): ChecklistFacts {
  return {
    connectivity: {
      psa: { ok: true, value: { version: 'v2025.1.100001', companyId: 'ledgerline', baseUrl: 'http://127.0.0.1:1/v4_6_release/apis/3.0' } },
      ledger: { ok: true, value: { realmId: '9341453000000001', companyName: 'Ledgerline IT' } },
    },
    psa: cleanPsa(),
    ledger: cleanLedger(),
    lock: { lockDate: '2026-11-01', source: 'input', before: { invoice: 0, expense: 0, procurement: 0 }, examples: [] },
  };
}
