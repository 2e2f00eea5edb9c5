/**
 * The worker side of the connection guard: inside an activity, reports go to the guard of the
 * activity's company and main task queue (signal-with-start); a burst of refusals is one report a
 * minute; outside an activity, or when the guard cannot be reached, nothing fails.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Client } from '@temporalio/client';
import { connectionReporter } from '../../../activities/connection';
import type { ConnectionReport } from '../../../domain/connection-health';

interface Sent {
  workflowId: string;
  taskQueue: string;
  signal: string;
  report: ConnectionReport;
}

function fakeClient(sent: Sent[], fail = false): Client {
  return {
    // The activity context runs its work under the client's abort signal.
    withAbortSignal: <T>(_signal: AbortSignal, fn: () => Promise<T>) => fn(),
    workflow: {
      async signalWithStart(_type: string, options: { workflowId: string; taskQueue: string; signal: string; signalArgs: [ConnectionReport] }) {
        if (fail) throw new Error('Temporal unreachable');
        sent.push({ workflowId: options.workflowId, taskQueue: options.taskQueue, signal: options.signal, report: options.signalArgs[0] });
      },
    },
  } as unknown as Client;
}

const refused = (revoked: boolean): ConnectionReport => ({ kind: 'refused', at: '2026-12-01T00:00:00Z', revoked, detail: 'HTTP 401' });
const flush = () => new Promise((r) => setImmediate(r));

describe('connectionReporter', () => {
  it("signals the guard of the activity's company on the main task queue; refusals at most once a minute per kind", async () => {
    const sent: Sent[] = [];
    let now = 1_000_000;
    const report = connectionReporter('9341453000000001', { warn: () => undefined }, undefined, () => now);
    const env = new MockActivityEnvironment({ taskQueue: 'ledgerline-accounting' }, { client: fakeClient(sent) });
    await env.run(async () => {
      report(refused(false));
      report(refused(false));
      report(refused(true));
      report({ kind: 'ok', at: '2026-12-01T00:00:01Z' });
      now += 61_000;
      report(refused(false));
    });
    await flush();
    expect(sent.map((s) => [s.report.kind, s.report.kind === 'refused' && s.report.revoked])).toEqual([
      ['refused', false],
      ['refused', true],
      ['ok', false],
      ['refused', false],
    ]);
    expect(new Set(sent.map((s) => `${s.workflowId} on ${s.taskQueue} via ${s.signal}`))).toEqual(new Set(['ledger-connection-9341453000000001-ledgerline on ledgerline via connectionReport']));
  });

  it('does nothing outside an activity, and only logs a guard it cannot reach', async () => {
    const warnings: object[] = [];
    const report = connectionReporter('1', { warn: (fields: object) => void warnings.push(fields) } as never);
    expect(() => report(refused(true))).not.toThrow();
    const env = new MockActivityEnvironment({ taskQueue: 'ledgerline' }, { client: fakeClient([], true) });
    await env.run(async () => report(refused(true)));
    await flush();
    expect(warnings).toEqual([{ kind: 'refused', error: 'Temporal unreachable' }]);
  });
});
