import { nextCollectCursor, takeUncollected } from '../../../domain/collect';
import type { RecordRef } from '../../../domain/contract';

const ref = (kind: RecordRef['kind'], id: string): RecordRef => ({ kind, id, number: `${kind}-${id}`, total: '1.00' });

describe('collecting references', () => {
  it('takes each record once by kind and id', () => {
    const collected = new Set<string>();
    expect(takeUncollected(collected, [ref('invoice', '1'), ref('invoice', '2')])).toEqual([ref('invoice', '1'), ref('invoice', '2')]);
    expect(takeUncollected(collected, [ref('invoice', '2'), ref('expense', '2'), ref('invoice', '3')])).toEqual([ref('expense', '2'), ref('invoice', '3')]);
  });

  it('follows a cursor that moves forward and refuses one that does not', () => {
    expect(nextCollectCursor({ refs: [], hasMore: false }, 40)).toBeUndefined();
    expect(nextCollectCursor({ refs: [], hasMore: true, nextAfterId: 50 }, 40)).toBe(50);
    expect(nextCollectCursor({ refs: [], hasMore: true, nextAfterId: 7 }, undefined)).toBe(7);
    expect(() => nextCollectCursor({ refs: [], hasMore: true, nextAfterId: 40 }, 40)).toThrow(/does not move past id 40/);
    expect(() => nextCollectCursor({ refs: [], hasMore: true }, 40)).toThrow(/does not move past id 40/);
  });
});
