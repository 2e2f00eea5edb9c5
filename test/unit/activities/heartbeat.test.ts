/** The periodic heartbeat re-sends the latest details, so a retried attempt still reads its progress. */
import { MockActivityEnvironment } from '@temporalio/testing';
import { heartbeat, HEARTBEAT_EVERY_MS, withHeartbeat } from '../../../activities/heartbeat';

afterEach(() => jest.useRealTimers());

/** Runs `body` as an activity wrapped by withHeartbeat, lets two periodic beats fire, returns every beat's details. */
async function beatsOf(env: MockActivityEnvironment, body: () => void): Promise<unknown[]> {
  jest.useFakeTimers();
  const beats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => beats.push(d));
  let finish!: () => void;
  const held = new Promise<void>((resolve) => (finish = resolve));
  const run = env.run(
    withHeartbeat(async () => {
      body();
      await held;
    }),
  );
  await jest.advanceTimersByTimeAsync(2 * HEARTBEAT_EVERY_MS);
  finish();
  await run;
  return beats;
}

describe('withHeartbeat', () => {
  it('re-sends the details last given to heartbeat()', async () => {
    const beats = await beatsOf(new MockActivityEnvironment(), () => {
      heartbeat({ applied: ['a'] });
      heartbeat({ applied: ['a', 'b'] });
    });
    expect(beats).toEqual([{ applied: ['a'] }, { applied: ['a', 'b'] }, { applied: ['a', 'b'] }, { applied: ['a', 'b'] }]);
  });

  it("keeps the previous attempt's details until this attempt gives its own", async () => {
    const env = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: { applied: ['from attempt 1'] } });
    const beats = await beatsOf(env, () => {});
    expect(beats).toEqual([{ applied: ['from attempt 1'] }, { applied: ['from attempt 1'] }]);
  });
});
