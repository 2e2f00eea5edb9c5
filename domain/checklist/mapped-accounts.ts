/**
 * Check 8: every account the GL table names exists in QuickBooks under the match
 * mode the batch uses (exact, case-sensitive) and has a type that fits its GL account type. Uses the
 * batch's own chart matcher, so the checklist and the batch can never disagree.
 */
import type { AccountRole } from '../gl/account-fit';
import type { ChartMatcher } from '../gl/chart-match';
import { isLedgerError } from '../errors';
import type { GlMapping } from '../gl/types';
import { item, nameList, plural } from './evidence';
import type { ChecklistItem } from './types';

export const ACCOUNTS_TITLE = 'Every mapped account exists in the QuickBooks chart with a fitting type';

interface Use {
  gl: string;
  role: AccountRole;
  rows: string[];
}

function accountUses(rows: readonly GlMapping[]): Use[] {
  const uses = new Map<string, Use>();
  const add = (gl: string | undefined, role: AccountRole, row: GlMapping) => {
    if (!gl) return;
    const key = `${role}\u0000${gl}`;
    const use = uses.get(key) ?? { gl, role, rows: [] };
    use.rows.push(`${row.accountType} / ${row.mappedType}: ${row.mappedRecord}`);
    uses.set(key, use);
  };
  for (const row of rows) {
    add(row.account, row.accountType, row);
    add(row.cogs, 'COGS', row);
    add(row.inventory, 'Inventory', row);
  }
  return [...uses.values()];
}

export function checkMappedAccounts(rows: readonly GlMapping[], matcher: ChartMatcher, problem?: { message: string; fix: string }): ChecklistItem {
  if (problem) return item('mapped-accounts', ACCOUNTS_TITLE, 'fail', [problem.message], `${problem.fix} (GL_ACCOUNT_MATCH=number needs it.)`);
  const uses = accountUses(rows);
  const notFound: string[] = [];
  const misfits: string[] = [];
  const problems: string[] = [];
  for (const use of uses) {
    try {
      matcher.account(use.gl, use.role);
    } catch (err) {
      if (!isLedgerError(err)) throw err;
      (err.type === 'AccountTypeMismatch' ? misfits : notFound).push(use.gl);
      problems.push(`${err.message} (row ${nameList(use.rows, 2)})`);
    }
  }
  const evidence = [
    ...problems,
    `Matching by ${matcher.mode === 'number' ? 'account number (GL_ACCOUNT_MATCH=number)' : 'name, case-sensitive, sub-accounts as "Parent:Child"'}: ${uses.length - problems.length} of ${plural(uses.length, 'mapped account')} found with a fitting type.`,
  ];
  const fixes: string[] = [];
  if (notFound.length) {
    const how = matcher.mode === 'number' ? 'the QuickBooks account number' : "the QuickBooks account's exact name (case-sensitive, \"Parent:Child\" for a sub-account)";
    fixes.push(`Make the Account (or COGS/Inventory) field of the GL Accounts rows naming ${nameList(notFound)} equal ${how}, or rename the QuickBooks account to match; Ledgerline never creates accounts. Then reopen and close the affected records so their GL entries pick up the change.`);
    if (matcher.mode === 'number') fixes.push('GL accounts match by number (GL_ACCOUNT_MATCH=number): put the QuickBooks account numbers in the GL Accounts table, or set GL_ACCOUNT_MATCH=name to match by name.');
  }
  if (misfits.length) fixes.push(`Point the mappings naming ${nameList(misfits)} at accounts of the expected type, or change those accounts' type in QuickBooks.`);
  return item('mapped-accounts', ACCOUNTS_TITLE, fixes.length ? 'fail' : 'pass', evidence, fixes.join(' '));
}
