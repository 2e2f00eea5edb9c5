/** The go-live checklist's pure logic: thirteen checks over fetched facts, manual items, the verdict. */
export * from './types';
export { runChecks } from './run-checks';
export { DEFAULT_MANUAL_ITEMS, resolveManualItems, confirmProblem, checklistStatus, type ManualItemSpec } from './manual-items';
export { checkConnectivity } from './connectivity';
export { checkSecurity, SECURITY_NEEDS } from './security';
export { checkTermsXref } from './terms-xref';
export { checkCustomerContacts } from './customer-contacts';
export { checkGlReloadStatus, findGlReload, GL_RELOAD } from './gl-reload-status';
export { checkOwnerMappings, ownerRecord, validatedMappings } from './owner-mappings';
export { checkRevenueMappings, packageNeedsItems, NON_PRODUCT_REVENUE } from './revenue-mappings';
export { checkMappedAccounts } from './mapped-accounts';
export { checkTaxNames } from './tax-names';
export { checkLockDate } from './lock-date';
export { countByKind, describeCounts, noneUnposted, totalOf } from './unposted-counts';
export { checkUnbatched, HISTORY_SPAN_DAYS } from './unbatched';
export { checkPackageSetup } from './package-setup';
export { checkParties } from './parties';
