/** Every workflow the worker registers (its workflowsPath). Workflow-safe exports only. */
export { accountingBatch } from './accounting-batch';
export { accountingBatchChunk } from './accounting-batch-chunk';
export { paymentSync } from './payment-sync';
export { reverseBatch } from './reverse-batch';
export { goLiveChecklist } from './go-live-checklist';
export { companyLock } from './company-lock';
export { companyState } from './company-state';
export { connectionGuard } from './connection-guard';
export { accountingTokens } from './accounting-tokens';
