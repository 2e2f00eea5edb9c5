/**
 * The heartbeat helper re-sends the latest recorded details (at first the previous attempt's),
 * never empty ones, and stops when the activity is cancelled; the boundary rethrows a cancellation
 * as the CancelledFailure it is, however it was wrapped.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { CancelledFailure } from '@temporalio/common';
import { LedgerError } from '../../../domain/errors';
import { atBoundary } from '../../../activities/failures';
import { HEARTBEAT_EVERY_MS, heartbeat, withHeartbeat } from '../../../activities/heartbeat';

describe('withHeartbeat', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('beats with the latest details and stops once cancelled', async () => {
    const env = new MockActivityEnvironment({ heartbeatDetails: { applied: ['earlier'] } });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const run = env.run(
      withHeartbeat(async () => {
        await jest.advanceTimersByTimeAsync(HEARTBEAT_EVERY_MS);
        heartbeat({ applied: ['earlier', 'mine'] });
        await jest.advanceTimersByTimeAsync(HEARTBEAT_EVERY_MS);
        await held;
      }),
    );
    await jest.advanceTimersByTimeAsync(0);
    await jest.advanceTimersByTimeAsync(HEARTBEAT_EVERY_MS * 3);
    expect(beats[0]).toEqual({ applied: ['earlier'] });
    expect(beats.slice(1)).toEqual(beats.slice(1).map(() => ({ applied: ['earlier', 'mine'] })));
    expect(beats.length).toBeGreaterThanOrEqual(3);

    env.cancel();
    const afterCancel = beats.length;
    await jest.advanceTimersByTimeAsync(HEARTBEAT_EVERY_MS * 5);
    expect(beats.length).toBe(afterCancel);
    release();
    await run.catch(() => undefined);
  });
});

describe('atBoundary and cancellation', () => {
  it('rethrows a CancelledFailure wrapped in a transient LedgerError', async () => {
    const cancelled = new CancelledFailure('CANCELLED');
    const fn = atBoundary(async () => {
      throw new LedgerError('Timeout', 'QuickBooks POST /batch timed out', { cause: cancelled });
    });
    await expect(fn()).rejects.toBe(cancelled);
  });

  it('rethrows the attempt cancellation whatever error the cancelled work ended with', async () => {
    const env = new MockActivityEnvironment();
    const fn = atBoundary(async () => {
      env.cancel();
      throw new LedgerError('Unavailable', 'QuickBooks lost the connection');
    });
    await expect(env.run(fn)).rejects.toBeInstanceOf(CancelledFailure);
  });

  it('still maps other LedgerErrors to ApplicationFailures', async () => {
    const fn = atBoundary(async () => {
      throw new LedgerError('Unavailable', 'down');
    });
    await expect(fn()).rejects.toMatchObject({ type: 'Unavailable', nonRetryable: false });
  });
});
