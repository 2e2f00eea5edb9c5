/** The prepared records a worker keeps between a batch's steps: by digest and transaction, bounded, fresh. */
import { keptOrRead, preparedRecords } from '../../../activities/prepared-records';
import type { PreparedRecord } from '../../../activities/prepare-records';
import type { RecordRef } from '../../../domain/contract';

const ref = (id: string): RecordRef => ({ kind: 'invoice', id, number: `INV${id}`, total: '1.00' });
const prepared = (id: string, digest = `d${id}`) => ({ ref: ref(id), digest }) as unknown as PreparedRecord;

describe('preparedRecords', () => {
  it('gives back what resolve kept only under the same batch run, source and digest, once', () => {
    const kept = preparedRecords();
    const p = prepared('1');
    kept.resolved('b1', 'psa', p);
    expect(kept.takeResolved('b2', 'psa', ref('1'), 'd1')).toBeUndefined();
    expect(kept.takeResolved('b1', 'current', ref('1'), 'd1')).toBeUndefined();
    expect(kept.takeResolved('b1', 'psa', ref('1'), 'other')).toBeUndefined();
    expect(kept.takeResolved('b1', 'psa', ref('1'), 'd1')).toBe(p);
    expect(kept.takeResolved('b1', 'psa', ref('1'), 'd1')).toBeUndefined();
  });

  it('gives back what post sent by the transaction it became', () => {
    const kept = preparedRecords();
    const p = prepared('2');
    kept.posted('psa', p, 'Invoice', '17');
    expect(kept.takePosted('psa', ref('2'), 'Invoice', '18')).toBeUndefined();
    expect(kept.takePosted('psa', ref('2'), 'Invoice', '17')).toBe(p);
  });

  it('keeps at most maxRecords, dropping the oldest, and nothing older than its time to live', () => {
    let now = 0;
    const kept = preparedRecords({ maxRecords: 2, ttlMs: 1000, now: () => now });
    kept.resolved('b', 'psa', prepared('1'));
    kept.resolved('b', 'psa', prepared('2'));
    kept.resolved('b', 'psa', prepared('3'));
    expect(kept.size).toBe(2);
    expect(kept.takeResolved('b', 'psa', ref('1'), 'd1')).toBeUndefined();
    now = 1001;
    expect(kept.takeResolved('b', 'psa', ref('2'), 'd2')).toBeUndefined();
    expect(kept.size).toBe(1);
  });
});

describe('keptOrRead', () => {
  it('reads only the misses, in one read, and answers in item order', async () => {
    const reads: string[][] = [];
    const out = await keptOrRead(
      ['1', '2', '3'],
      (id) => (id === '2' ? prepared('2') : undefined),
      async (missing) => {
        reads.push(missing);
        return missing.map((id) => ({ ok: true as const, ...prepared(id, `fresh${id}`) }));
      },
    );
    expect(reads).toEqual([['1', '3']]);
    expect(out.map((p) => (p.ok ? p.digest : 'failed'))).toEqual(['fresh1', 'd2', 'fresh3']);
  });

  it('reads nothing when every item was kept', async () => {
    const out = await keptOrRead(['1'], (id) => prepared(id), async () => {
      throw new Error('read');
    });
    expect(out).toHaveLength(1);
  });
});
