/** QuickBooks Online v3 client: the public surface. */
export { QuickBooksClient, type WriteOptions, type QueryPage, type WritableEntity } from './client';
export { type QuickBooksConfig, type RetryPolicy, DEFAULT_MINOR_VERSION } from './config';
export { QUICKBOOKS_LIMITS, type QuickBooksLimits } from './pacer';
export { FileTokenStore, MemoryTokenStore, type TokenStore, type QuickBooksTokens } from './token-store';
export { TemporalTokenStore, type TemporalTokenStoreOptions } from './temporal-token-store';
export { withFileLock, type FileLockOptions } from './file-lock';
export { refreshAccessToken } from './oauth';
export { buildSelect, buildCount, quoteQueryValue, MAX_QUERY_RESULTS, type QueryCondition, type QueryOptions } from './query';
export { MAX_BATCH_ITEMS, type BatchItem, type BatchItemResult } from './batch';
export { batchRequestIdOf } from './request-id';
export { parseFaultBody, faultToLedgerError, type QuickBooksFault } from './faults';
export { TRANSACTION_ENTITIES, NAME_LIST_ENTITIES, type EntityName, type EntityOf, type TransactionEntity, type NameListEntity } from './entities';
export * from './schemas';
export { ensureParty, partyRequestId, type EnsuredParty } from './parties';
export { readCompanySettings, type CompanySettings } from './company-settings';
