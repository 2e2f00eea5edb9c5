/** ConnectWise PSA REST client: typed endpoints, paging, conditions, errors, GLExport conversion. */
export { ConnectWiseClient } from './client';
export { Collection, MAX_PAGE_SIZE, type ForwardOnlyPage, type ForwardOnlyQuery, type ListQuery, type Page } from './collection';
export { ConnectWiseConfigSchema, type ConnectWiseConfig, type ConnectWiseConfigInput, type RetryPolicy } from './config';
export { cwDate, cwIn, cwString } from './conditions';
export { replaceOps, type PatchOperation } from './patch';
export { parseLinkHeader } from './paging';
export { amountCents, money } from './amounts';
export { glExportDocuments, glExportToRecords, type GlExportDocument, type GlExportToRecordsOptions } from './gl-export-to-records';
export type { TransportHooks } from './transport';
export * from './schemas/accounting';
export * from './schemas/company';
export * from './schemas/expense-procurement';
export * from './schemas/finance';
export * from './schemas/system';
export { glAccountsToMappings, readGlSetup, segmentLayout, SEGMENT_SEPARATOR, type GlSetup, type SegmentLayout } from './gl-mappings';
export { RECORD_KIND_MAPPERS, exportFlagsFor, glExportRequest, kindMapper, procurementRowIds, type UnpostedRowOf } from './record-kinds';
export { exportedRecords, procurementRowIdsFromEntries, psaBatchKind } from './exported-records';
