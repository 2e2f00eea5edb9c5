/**
 * Check 7: revenue and COGS are mapped, and non-product revenue carries a
 * GL Product ID when the accounting package needs an item on every sales line (QuickBooks does).
 * Product IDs roll up on their own, so the Owner-level row is what guarantees every line gets one.
 * QuickBooks posts a sales line to its item's income account, so every account a sales line can be
 * mapped to needs an item posting there: the row's own Product ID item, or a posting item (an active
 * Service or Non-inventory item whose income account it is).
 */
import type { ChartMatcher } from '../gl/chart-match';
import { isLedgerError } from '../errors';
import type { AccountType, GlMapping } from '../gl/types';
import { item, nameList } from './evidence';
import { ownerRecord, validatedMappings } from './owner-mappings';
import type { GlSequences } from '../gl/site-sequences';
import type { ChecklistItem, PackageSetupFact } from './types';

export const REVENUE_TITLE = 'Revenue and COGS are mapped; non-product revenue carries a Product ID';
export const NON_PRODUCT_REVENUE: readonly AccountType[] = ['Revenue', 'Deferred Revenue', 'Revenue-Agreements', 'Revenue-Expenses'];
const OWNER = 'My Company: Owner';
/** Account types whose GL entries become invoice and credit memo lines. */
export const SALES_LINE_TYPES: readonly AccountType[] = [...NON_PRODUCT_REVENUE, 'Revenue-Product', 'Revenue-Agreement Product', 'Product Discount'];

/** QuickBooks Online puts an item on every sales line; other packages say so with "include items". */
export function packageNeedsItems(setup: PackageSetupFact | undefined): boolean {
  return setup?.includeItems === true || /quickbooks/i.test(setup?.packageName ?? 'QuickBooks');
}

export function checkRevenueMappings(raw: readonly GlMapping[], setup: PackageSetupFact | undefined, matcher?: ChartMatcher, sequences?: GlSequences): ChecklistItem {
  // Rows left out are listed by the Owner mappings check; the rest are checked here.
  const rows = validatedMappings(raw, sequences).rows;
  const owner = ownerRecord(rows) ?? 'your company ID';
  const ownerRow = (t: AccountType) => rows.find((r) => r.accountType === t && r.mappedType === OWNER);
  const evidence: string[] = [];
  const fails: string[] = [];
  const warns: string[] = [];

  const revenueRows = rows.filter((r) => r.accountType === 'Revenue' && r.account);
  evidence.push(`Revenue rows with an account: ${revenueRows.length}.`);
  if (revenueRows.length === 0) fails.push(`Map Revenue: add a GL Accounts row Account Type Revenue, Table My Company: Owner, Record ${owner}, Account <your service income account>.`);

  const products = rows.filter((r) => r.accountType === 'Revenue-Product');
  if (products.length > 0) {
    const cogs = ownerRow('Revenue-Product')?.cogs;
    evidence.push(cogs ? `Revenue-Product COGS at My Company: Owner: "${cogs}".` : 'Revenue-Product has no COGS at My Company: Owner.');
    if (!cogs) {
      const text = `Set the COGS field of the Revenue-Product row at My Company: Owner (Record ${owner}) to your Cost of Goods Sold account, so every product line finds one.`;
      (setup?.includeCogsEntries ? fails : warns).push(text);
    }
  } else {
    evidence.push('No Revenue-Product rows: no product sales to cost.');
  }

  if (packageNeedsItems(setup)) {
    const inUse = NON_PRODUCT_REVENUE.filter((t) => rows.some((r) => r.accountType === t));
    const without = inUse.filter((t) => !ownerRow(t)?.productId);
    evidence.push(`${setup?.packageName ?? 'The accounting package'} needs an item per sales line; non-product revenue types in use: ${nameList(inUse)}.`);
    if (without.length) {
      evidence.push(`No Product ID at My Company: Owner for ${nameList(without)}.`);
      fails.push(`Add a Product ID (the QuickBooks item's exact name, e.g. a Service item) to the My Company: Owner row of ${nameList(without)} in System > Setup Tables > GL Accounts.`);
    }
  }

  if (matcher) {
    const ids = [...new Set(rows.map((r) => r.productId).filter((p): p is string => !!p))];
    const missing: string[] = [];
    for (const id of ids) {
      try {
        matcher.item(id);
      } catch (err) {
        if (!isLedgerError(err)) throw err;
        missing.push(id);
        evidence.push(err.message);
      }
    }
    evidence.push(`${ids.length - missing.length} of ${ids.length} Product IDs name a QuickBooks item.`);
    if (missing.length) fails.push(`Create the items ${nameList(missing)} in QuickBooks (Products and Services) or change those Product IDs in GL Accounts to existing item names.`);
    postingItemEvidence(rows, matcher, evidence, fails);
  }

  const result = fails.length ? 'fail' : warns.length ? 'warn' : 'pass';
  return item('revenue-cogs-mappings', REVENUE_TITLE, result, evidence, [...fails, ...warns].join(' '));
}

function postingItemEvidence(rows: readonly GlMapping[], matcher: ChartMatcher, evidence: string[], fails: string[]): void {
  const without = new Map<string, AccountType>();
  let checked = 0;
  for (const row of rows) {
    if (!row.account || !SALES_LINE_TYPES.includes(row.accountType)) continue;
    let accountId: string;
    try {
      accountId = matcher.account(row.account, row.accountType).ref.value;
    } catch (err) {
      if (!isLedgerError(err)) throw err;
      continue; // an unmatched account is the mapped-accounts check's finding
    }
    checked++;
    if (matcher.postingItem(accountId)) continue;
    if (row.productId) {
      try {
        if (matcher.item(row.productId).item.IncomeAccountRef?.value === accountId) continue;
      } catch (err) {
        if (!isLedgerError(err)) throw err;
      }
    }
    without.set(row.account, row.accountType);
  }
  evidence.push(`${checked - without.size} of ${checked} sales-line account mappings have an item posting to their account.`);
  if (without.size) {
    const names = [...without.keys()];
    evidence.push(`No QuickBooks item posts to ${nameList(names)}; sales lines mapped there would post elsewhere, so those records fail.`);
    fails.push(`In QuickBooks create a Service item for each of ${nameList(names)} whose income account is that account, or map those rows in GL Accounts to an account an item posts to.`);
  }
}
