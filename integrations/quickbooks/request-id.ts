/**
 * `requestid` rules: QuickBooks replays the original response when the same id comes back for the
 * same company, so a retried write never executes twice. Ids are at most 50 characters, or 36 on
 * `/batch` where each bId must then be at most 10 (the server joins them per item).
 */
import { createHash, randomUUID } from 'node:crypto';
import { LedgerError } from '../../domain/errors';

export const MAX_REQUEST_ID = 50;
export const MAX_BATCH_REQUEST_ID = 36;
export const MAX_BATCH_BID_WITH_REQUEST_ID = 10;

export function newRequestId(): string {
  return randomUUID();
}

export function checkRequestId(id: string, max: number): string {
  if (id.length === 0 || id.length > max) {
    throw new LedgerError('InvalidInput', `requestid must be 1..${max} characters, got ${id.length}`);
  }
  if (!/^[A-Za-z0-9._:-]+$/.test(id)) {
    throw new LedgerError('InvalidInput', 'requestid may hold only letters, digits and . _ : -');
  }
  return id;
}

/**
 * The requestid of a `/batch` write: a hash of its items' (bId, idempotency key) pairs, sorted, and
 * nothing else. Every attempt, overlapping or not, that sends the same records under the same bIds
 * sends the same id, so QuickBooks replays the first answer instead of creating them twice.
 */
export function batchRequestIdOf(items: ReadonlyArray<{ bId: string; idempotencyKey: string }>): string {
  const pairs = items.map((i) => `${i.bId}=${i.idempotencyKey}`).sort();
  return createHash('sha256').update(pairs.join('\n')).digest('hex').slice(0, 32);
}
