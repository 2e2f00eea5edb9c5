/**
 * Check 9: ConnectWise tax code names equal QuickBooks tax code names, and each level's
 * tax code XRef equals a QuickBooks tax rate name, exactly: the batch looks them up by name.
 */
import { describeCandidates, nearestCandidates } from '../gl/near-matches';
import { item, nameList, plural } from './evidence';
import type { ChecklistItem, TaxCodeFact } from './types';

export const TAX_TITLE = 'ConnectWise tax code names match QuickBooks tax codes and tax rates';

function nearest(wanted: string, names: readonly string[]): string {
  return describeCandidates(nearestCandidates(wanted, names.map((n) => ({ fullName: n, name: n, active: true })), 'name'));
}

export function checkTaxNames(codes: readonly TaxCodeFact[], ledger: { taxCodeNames: readonly string[]; taxRateNames: readonly string[] }): ChecklistItem {
  const codeNames = new Set(ledger.taxCodeNames);
  const rateNames = new Set(ledger.taxRateNames);
  const problems: string[] = [];
  const badCodes: string[] = [];
  const badLevels: string[] = [];
  let levels = 0;
  for (const code of codes) {
    if (!codeNames.has(code.identifier)) {
      badCodes.push(code.identifier);
      problems.push(`Tax code "${code.identifier}" has no QuickBooks tax code of that name. Nearest: ${nearest(code.identifier, ledger.taxCodeNames)}.`);
    }
    for (const level of code.levels) {
      levels += 1;
      const name = level.xref?.trim() || level.caption?.trim() || '';
      if (!rateNames.has(name)) {
        badLevels.push(`${code.identifier} level ${level.level} ("${name}")`);
        problems.push(`Tax code "${code.identifier}" level ${level.level} names rate "${name}", which is not a QuickBooks tax rate. Nearest: ${nearest(name, ledger.taxRateNames)}.`);
      }
    }
  }
  const evidence = [...problems, `${plural(codes.length, 'ConnectWise tax code')} with ${plural(levels, 'level')}; QuickBooks has ${plural(codeNames.size, 'tax code')} and ${plural(rateNames.size, 'tax rate')}.`];
  const fixes: string[] = [];
  if (badCodes.length) fixes.push(`Rename the tax codes ${nameList(badCodes)} in System > Setup Tables > Tax Code (or the QuickBooks tax codes) so the names are identical.`);
  if (badLevels.length) fixes.push(`Set the Tax Code XRef of ${badLevels.join(', ')} in System > Setup Tables > Tax Code to the QuickBooks tax rate's exact name.`);
  return item('tax-names', TAX_TITLE, fixes.length ? 'fail' : 'pass', evidence, fixes.join(' '));
}
