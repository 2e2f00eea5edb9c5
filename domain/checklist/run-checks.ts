/** All thirteen automated checks over the fetched facts, in the order. */
import { checkConnectivity } from './connectivity';
import { checkCustomerContacts, CONTACTS_TITLE } from './customer-contacts';
import { notChecked } from './evidence';
import { checkGlReloadStatus, GL_RELOAD_TITLE } from './gl-reload-status';
import { checkLockDate } from './lock-date';
import { ACCOUNTS_TITLE, checkMappedAccounts } from './mapped-accounts';
import { checkOwnerMappings, OWNER_TITLE, validatedMappings } from './owner-mappings';
import { checkPackageSetup, PACKAGE_TITLE } from './package-setup';
import { checkParties, PARTIES_TITLE } from './parties';
import { checkRevenueMappings, REVENUE_TITLE } from './revenue-mappings';
import { checkSecurity, SECURITY_TITLE } from './security';
import { checkTaxNames, TAX_TITLE } from './tax-names';
import { checkTermsXref, TERMS_TITLE } from './terms-xref';
import { checkUnbatched, UNBATCHED_TITLE } from './unbatched';
import { LOCK_TITLE } from './lock-date';
import type { ChecklistFacts, ChecklistItem } from './types';

export function runChecks(facts: ChecklistFacts): ChecklistItem[] {
  const { psa, ledger } = facts;
  const cw = <T>(title: string, id: ChecklistItem['id'], run: (p: NonNullable<typeof psa>) => T) => (psa ? run(psa) : notChecked(id, title, 'ConnectWise'));
  const both = (title: string, id: ChecklistItem['id'], run: (p: NonNullable<typeof psa>, l: NonNullable<typeof ledger>) => ChecklistItem) =>
    !psa ? notChecked(id, title, 'ConnectWise') : !ledger ? notChecked(id, title, 'QuickBooks') : run(psa, ledger);
  const validRows = (p: NonNullable<typeof psa>) => validatedMappings(p.glMappings, p.glSequences).rows;
  return [
    checkConnectivity(facts.connectivity),
    cw(SECURITY_TITLE, 'api-member-security', (p) => checkSecurity(p.security, p.memberIdentifier)),
    both(TERMS_TITLE, 'terms-xref', (p, l) => checkTermsXref(p.billingTerms, p.unpostedInvoices, l.matcher)),
    cw(CONTACTS_TITLE, 'customer-contacts', (p) => checkCustomerContacts(p.customers)),
    cw(GL_RELOAD_TITLE, 'gl-reload-status', (p) => checkGlReloadStatus(p.billingStatuses)),
    cw(OWNER_TITLE, 'owner-mappings', (p) => checkOwnerMappings(p.glMappings, p.glSetupProblems, p.glSequences)),
    cw(REVENUE_TITLE, 'revenue-cogs-mappings', (p) => checkRevenueMappings(p.glMappings, p.packageSetup, ledger?.matcher, p.glSequences)),
    both(ACCOUNTS_TITLE, 'mapped-accounts', (p, l) => checkMappedAccounts(validRows(p), l.matcher, l.accountMatchProblem)),
    both(TAX_TITLE, 'tax-names', (p, l) => checkTaxNames(p.taxCodes, l)),
    cw(LOCK_TITLE, 'lock-date', () => checkLockDate(facts.lock)),
    cw(UNBATCHED_TITLE, 'unbatched-records', (p) => checkUnbatched(p.unbatched)),
    cw(PACKAGE_TITLE, 'package-setup', (p) => checkPackageSetup(p.packageSetup, p.expenseMembers, ledger?.matcher)),
    both(PARTIES_TITLE, 'parties', (p, l) => checkParties(p.parties ?? [], l.matcher, l.createMissingParties === true)),
  ];
}
