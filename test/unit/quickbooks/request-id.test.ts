/** The `/batch` requestid depends on the records sent (bId, idempotency key) and on nothing else. */
import { batchRequestIdOf, checkRequestId, MAX_BATCH_REQUEST_ID } from '../../../integrations/quickbooks/request-id';

const items = [
  { bId: 'b0', idempotencyKey: 'LL0123456789abcdef' },
  { bId: 'b1', idempotencyKey: 'LLfedcba9876543210' },
];

describe('batchRequestIdOf', () => {
  it('is the same for the same records in any order, and a valid batch requestid', () => {
    const id = batchRequestIdOf(items);
    expect(batchRequestIdOf([...items].reverse())).toBe(id);
    expect(checkRequestId(id, MAX_BATCH_REQUEST_ID)).toBe(id);
  });
  it('changes when a record or its bId changes', () => {
    const id = batchRequestIdOf(items);
    expect(batchRequestIdOf([items[0]])).not.toBe(id);
    expect(batchRequestIdOf([items[0], { ...items[1], bId: 'b2' }])).not.toBe(id);
  });
});
