/**
 * Names shared by workflows and clients: search attributes, queries, updates, task queues.
 * Workflow-safe (no Node imports), so clients and the workflow bundle import the same objects.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { BatchProgress, BatchSummary } from '../domain/batch-summary';
import type { ChecklistSummary, ConfirmManualItemInput } from '../domain/checklist/types';

export const DEFAULT_TASK_QUEUE = 'ledgerline';
export const DEFAULT_ACCOUNTING_TASK_QUEUE = 'ledgerline-accounting';

/** Task queue names live in the domain (activities name them too). */
export { accountingQueueFor, batchCallQueueFor, mainQueueOf } from '../domain/task-queues';

export const BatchIdKey = defineSearchAttributeKey('BatchId', SearchAttributeType.KEYWORD);
export const BatchStatusKey = defineSearchAttributeKey('BatchStatus', SearchAttributeType.KEYWORD);
export const PostedCountKey = defineSearchAttributeKey('PostedCount', SearchAttributeType.INT);
export const FailedCountKey = defineSearchAttributeKey('FailedCount', SearchAttributeType.INT);

/** The accounting connection's state (connectionGuard): Healthy, Expiring, Expired, Revoked or Failing. */
export const LedgerConnectionKey = defineSearchAttributeKey('LedgerConnection', SearchAttributeType.KEYWORD);
/** When syncing stops unless the connection is renewed (the earlier of the rolling and hard expiry). */
export const LedgerConnectionExpiresAtKey = defineSearchAttributeKey('LedgerConnectionExpiresAt', SearchAttributeType.DATETIME);

/** The accounting company a batch, payment sync or checklist works for (its configured name). */
export const AccountingCompanyKey = defineSearchAttributeKey('AccountingCompany', SearchAttributeType.KEYWORD);

/** Registered by every worker before it polls (workers/search-attributes.ts), `npm start` and the test servers. */
export const SEARCH_ATTRIBUTES = [BatchIdKey, BatchStatusKey, PostedCountKey, FailedCountKey, AccountingCompanyKey, LedgerConnectionKey, LedgerConnectionExpiresAtKey];

/** Refused: another batch held the accounting company when this one started. */
export const BATCH_STATUSES = ['Running', 'Completed', 'PartiallyFailed', 'Failed', 'Refused'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export const progressQuery = defineQuery<BatchProgress>('progress');
export const summaryQuery = defineQuery<BatchSummary>('summary');
/** Re-attempts only the records that failed, once ops have fixed what the report said. */
export const retryFailedUpdate = defineUpdate<BatchSummary, []>('retryFailed');

// ---------------------------------------------------------------- payment sync
/** Same wire name as the batch's progress query, so the UI and CLI ask every workflow the same way. */
export const paymentProgressQuery = defineQuery<import('../domain/payments/summary').PaymentSyncProgress>('progress');
export const paymentSummaryQuery = defineQuery<import('../domain/payments/summary').PaymentSyncSummary>('summary');

// ---------------------------------------------------------------- batch reversal
/** Same wire name as the batch's summary query: what the reversal plans, did and refused so far. */
export const reversalSummaryQuery = defineQuery<import('../domain/reversal').ReversalSummary>('summary');

/** Go-live checklist: its summary while it runs, and a person confirming a manual item. */
export const checklistResultQuery = defineQuery<ChecklistSummary>('checklistResult');
export const confirmManualItemUpdate = defineUpdate<ChecklistSummary, [ConfirmManualItemInput]>('confirm');
