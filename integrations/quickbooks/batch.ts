/**
 * `/batch` request items and results. At most 30 items per call; items run one by one on the
 * server and each can fail on its own, so results are per item, in request order.
 */
import type { LedgerError } from '../../domain/errors';
import type { EntityName } from './entities';

export const MAX_BATCH_ITEMS = 30;

export type BatchOperation = 'create' | 'update' | 'delete' | 'void';

export type BatchItem =
  | { bId?: string; operation: BatchOperation; entity: EntityName; body: Record<string, unknown>; optionsData?: string }
  | { bId?: string; query: string };

export type BatchItemResult =
  | { bId: string; ok: true; entity?: { name: string; value: Record<string, unknown> }; queryResponse?: Record<string, unknown> }
  | {
      bId: string;
      ok: false;
      error: LedgerError;
      /** QuickBooks may have executed it (lost answer, odd item): look it up before sending it again. */
      outcomeUnknown?: boolean;
    };

export function toBatchRequestItem(item: BatchItem, bId: string): Record<string, unknown> {
  if ('query' in item) return { bId, Query: item.query };
  const out: Record<string, unknown> = { bId, operation: item.operation, [item.entity]: item.body };
  if (item.optionsData) out.optionsData = item.optionsData;
  return out;
}
