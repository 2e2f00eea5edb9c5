/**
 * Check 12: ConnectWise's Accounting Package setup matches how Ledgerline works:
 * it posts invoices to QuickBooks Online, syncs payments back (which ConnectWise only enables with
 * Direct Transfer), and follows "transfer expenses as a bill", which then needs each expensing member
 * to be a QuickBooks vendor.
 */
import type { ChartMatcher } from '../gl/chart-match';
import { isLedgerError } from '../errors';
import { item, nameList } from './evidence';
import type { ChecklistItem, ExpenseMemberFact, PackageSetupFact } from './types';

export const PACKAGE_TITLE = "ConnectWise's accounting package setup agrees with Ledgerline";
const WHERE = 'System > Setup Tables > Accounting Package';
const onOff = (b: boolean) => (b ? 'on' : 'off');

export function checkPackageSetup(setup: PackageSetupFact | undefined, members: readonly ExpenseMemberFact[], matcher?: ChartMatcher): ChecklistItem {
  if (!setup) {
    return item('package-setup', PACKAGE_TITLE, 'fail', ['ConnectWise has no accounting package setup row.'], `Set up the accounting package in ${WHERE}: QuickBooks Online, Direct Transfer, Sync Payment Info From Accounting Package.`);
  }
  const evidence = [
    `Package "${setup.packageName ?? '(none)'}"; direct transfer ${onOff(setup.directTransfer)}; include invoices ${onOff(setup.includeInvoices)}, expenses ${onOff(setup.includeExpenses)}; transfer expenses as a bill ${onOff(setup.transferExpensesAsBill)}; sync payment info ${onOff(setup.syncPaymentInfo)}.`,
  ];
  const fixes: string[] = [];
  if (!/quickbooks/i.test(setup.packageName ?? '')) fixes.push(`choose QuickBooks Online as the accounting package`);
  if (!setup.includeInvoices) fixes.push('select Include Invoices (Ledgerline posts invoices)');
  if (!setup.directTransfer || !setup.syncPaymentInfo) {
    fixes.push('select Direct Transfer and Sync Payment Info From Accounting Package (Ledgerline syncs QuickBooks payments back; ConnectWise enables that only with Direct Transfer, for QuickBooks or Dynamics GP)');
  }
  if (setup.transferExpensesAsBill && matcher) {
    const notVendors: string[] = [];
    for (const m of members) {
      try {
        matcher.vendor({ name: m.name, accountNumber: m.vendorNumber });
      } catch (err) {
        if (!isLedgerError(err)) throw err;
        notVendors.push(m.identifier);
        evidence.push(`Member ${m.identifier} (${m.name}, vendor number ${m.vendorNumber ?? 'none'}): ${err.message}`);
      }
    }
    evidence.push(`Transfer as a bill: ${members.length - notVendors.length} of ${members.length} members with unposted reimbursable expenses are QuickBooks vendors.`);
    if (notVendors.length) {
      fixes.push(`give members ${nameList(notVendors)} a Vendor Number (System > Members) that a QuickBooks vendor carries as its account number, or create those vendors; otherwise clear Transfer Expenses as a Bill`);
    }
  } else if (!setup.transferExpensesAsBill) {
    evidence.push('Expenses post as journal entries (transfer as a bill is off).');
  }
  const fix = fixes.length ? `In ${WHERE} (and where named): ${fixes.join('; ')}.` : undefined;
  return item('package-setup', PACKAGE_TITLE, fixes.length ? 'fail' : 'pass', evidence, fix);
}
