/**
 * Which accounting account types each GL account type may land in (ConnectWise's account type
 * definitions; expense tax depends on the country, below). A GL line posted to the wrong kind of account still balances but
 * puts revenue on the balance sheet or a liability in P&L, so a misfit is reported, with the reason.
 */
import type { AccountType } from './types';

/** Fields that name an account without being an account type of their own. */
export type AccountRole = AccountType | 'COGS' | 'Inventory';

export interface AccountFitRule {
  /** QuickBooks AccountType values the account may have. */
  accountTypes: readonly string[];
  /** When set, the account's AccountSubType must be one of these. */
  subTypes?: readonly string[];
  /** Why, in the finance team's words; shown with a misfit. */
  why: string;
}

export type Country = string;

const INCOME: AccountFitRule = { accountTypes: ['Income'], why: 'it records revenue, which belongs on an Income account' };
const TAX_LIABILITY: AccountFitRule = {
  accountTypes: ['Other Current Liability'],
  why: 'it records tax owed to an agency, a liability (a Sales Tax Payable style Other Current Liability)',
};

const RULES: Record<Exclude<AccountRole, 'Expense Tax'>, AccountFitRule> = {
  'Accounts Receivable': { accountTypes: ['Accounts Receivable'], why: 'customers owe the invoice total: an Accounts Receivable account' },
  'Accounts Payable': { accountTypes: ['Accounts Payable'], why: 'the bill is owed to a vendor: an Accounts Payable account' },
  Revenue: INCOME,
  'Deferred Revenue': {
    accountTypes: ['Other Current Liability'],
    why: 'prepayments are owed as future work until earned: an Other Current Liability account',
  },
  'Revenue-Product': INCOME,
  'Revenue-Agreements': INCOME,
  'Revenue-Agreement Product': INCOME,
  'Revenue-Expenses': INCOME,
  'Product Discount': { accountTypes: ['Income'], why: 'a discount reduces revenue: an Income account (a contra-income one)' },
  'Sales Tax Payable': TAX_LIABILITY,
  'Expense Offset': {
    accountTypes: ['Credit Card', 'Other Current Liability'],
    why: 'non-reimbursable expenses are paid by company card or owed elsewhere: Credit Card or Other Current Liability',
  },
  'Expense Internal': { accountTypes: ['Expense', 'Other Expense'], why: 'internal costs are expenses: an Expense account' },
  'Expense External': { accountTypes: ['Expense', 'Other Expense'], why: 'costs incurred for clients are expenses: an Expense account' },
  'Inventory Adjustments': { accountTypes: ['Cost of Goods Sold'], why: 'stock written up or down changes cost of goods sold' },
  'Inventory Transfer': {
    accountTypes: ['Other Current Asset'],
    subTypes: ['Inventory'],
    why: 'stock moving between warehouses stays an asset: an Inventory (Other Current Asset) account',
  },
  'Purchase Order Freight': { accountTypes: ['Cost of Goods Sold'], why: 'inbound freight is part of the cost of goods' },
  'Purchase Order Freight Tax': TAX_LIABILITY,
  'Purchase Order Product Tax': TAX_LIABILITY,
  COGS: { accountTypes: ['Cost of Goods Sold'], why: 'the COGS field names a Cost of Goods Sold account' },
  Inventory: {
    accountTypes: ['Other Current Asset'],
    subTypes: ['Inventory'],
    why: 'the Inventory field names the inventory asset: an Inventory (Other Current Asset) account',
  },
};

/**
 * A US partner posts expense tax to P&L (e.g. COGS); elsewhere it is recoverable tax and
 * goes to a tax liability account.
 */
function expenseTaxRule(country: Country): AccountFitRule {
  return country.toUpperCase() === 'US'
    ? {
        accountTypes: ['Cost of Goods Sold', 'Expense', 'Other Expense'],
        why: 'for a US company expense tax is a cost: a P&L account such as Cost of Goods Sold',
      }
    : {
        accountTypes: ['Other Current Liability'],
        why: `for a ${country} company expense tax is reclaimable: a tax (Other Current Liability) account`,
      };
}

export function accountFitRule(role: AccountRole, country: Country = 'US'): AccountFitRule {
  return role === 'Expense Tax' ? expenseTaxRule(country) : RULES[role];
}

/** Undefined when the account fits; otherwise the reason it does not. */
export function accountMisfit(
  role: AccountRole,
  account: { AccountType: string; AccountSubType?: string },
  country: Country = 'US',
): string | undefined {
  const rule = accountFitRule(role, country);
  if (!rule.accountTypes.includes(account.AccountType)) {
    return `has type ${account.AccountType}, but ${role} expects ${rule.accountTypes.join(' or ')}: ${rule.why}`;
  }
  if (rule.subTypes && !(account.AccountSubType !== undefined && rule.subTypes.includes(account.AccountSubType))) {
    return `has detail type ${account.AccountSubType ?? '(none)'}, but ${role} expects ${rule.subTypes.join(' or ')}: ${rule.why}`;
  }
  return undefined;
}
