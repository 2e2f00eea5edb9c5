/**
 * A company's durable state lives in Temporal, not on a worker's disk: written through one worker
 * process's connection and read through another's, concurrent writers keep the merge rules, and
 * the state survives continue-as-new. Against the Temporal dev server.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { companyStateWorkflowId } from '../../domain/company-state';
import { CompanyStateStore } from '../../integrations/state';
import { startDevServerEnv, stackDataConverter, workflowBundle } from '../../dev/stack/temporal';
import { checklistAt } from '../helpers/checklist-status';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startDevServerEnv();
});
afterAll(async () => {
  await env?.teardown();
});

/** Two "hosts": each its own connection, client and worker on the deployment's queue. */
async function withTwoHosts<T>(taskQueue: string, fn: (a: CompanyStateStore, b: CompanyStateStore) => Promise<T>): Promise<T> {
  const bundle = await workflowBundle();
  const hosts = await Promise.all(
    [1, 2].map(async () => {
      const connection = await NativeConnection.connect({ address: env.address });
      const worker = await Worker.create({ connection, taskQueue, workflowBundle: bundle, dataConverter: stackDataConverter() });
      const store = new CompanyStateStore(new Client({ connection, dataConverter: stackDataConverter() }), taskQueue, '9130');
      return { connection, worker, store };
    }),
  );
  const run = fn(hosts[0]!.store, hosts[1]!.store);
  try {
    await Promise.all(hosts.map((h) => h.worker.runUntil(run)));
    return await run;
  } finally {
    await Promise.all(hosts.map((h) => h.connection.close()));
  }
}


describe('company state in Temporal', () => {
  it('is empty before anything is written, and what one host writes the other reads', async () => {
    await withTwoHosts('it-state-read', async (a, b) => {
      expect(await b.read()).toEqual({});
      await a.recordChecklist(checklistAt('2026-11-02T10:00:00.000Z', true));
      await a.advancePaymentWatermark('2026-11-20T00:00:00.000Z');
      expect(await b.read()).toEqual({ checklist: checklistAt('2026-11-02T10:00:00.000Z', true), paymentWatermark: '2026-11-20T00:00:00.000Z' });
    });
  });

  it('concurrent writers from both hosts keep the newest checklist and the furthest watermark', async () => {
    await withTwoHosts('it-state-race', async (a, b) => {
      const days = Array.from({ length: 20 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}T00:00:00.000Z`);
      const shuffled = days.map((_, i) => days[(i * 7) % days.length]!);
      await Promise.all(shuffled.map((day, i) => (i % 2 ? a : b).advancePaymentWatermark(day)));
      await Promise.all(shuffled.map((day, i) => (i % 2 ? b : a).recordChecklist(checklistAt(day, i % 3 === 0))));
      const state = await a.read();
      expect(state.paymentWatermark).toBe(days.at(-1));
      expect(state.checklist?.at).toBe(days.at(-1));
    });
  }, 60_000);

  it('carries the state across continue-as-new', async () => {
    await withTwoHosts('it-state-can', async (a, b) => {
      await a.recordChecklist(checklistAt('2026-11-02T10:00:00.000Z', true));
      const handle = env.client.workflow.getHandle(companyStateWorkflowId('9130', 'it-state-can'));
      const firstRun = (await handle.describe()).runId;
      for (let i = 0; i < 510; i += 30) {
        await Promise.all(Array.from({ length: 30 }, (_, j) => b.advancePaymentWatermark(new Date(Date.UTC(2026, 10, 1) + (i + j) * 60_000).toISOString())));
      }
      const state = await b.read();
      expect((await handle.describe()).runId).not.toBe(firstRun);
      expect(state.checklist).toEqual(checklistAt('2026-11-02T10:00:00.000Z', true));
      expect(state.paymentWatermark).toBe(new Date(Date.UTC(2026, 10, 1) + 509 * 60_000).toISOString());
    });
  }, 120_000);
});
