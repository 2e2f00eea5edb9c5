/**
 * connectionGuard on the time-skipping server: reports in, the connection's status out (the
 * LedgerConnection search attribute, the connectionHealth query) and each alert mailed once, with
 * time alone bringing the 30-day and 7-day warnings and the expiry.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Activities } from '../../activities';
import { QUICKBOOKS_RECONNECT_STEP, type ConnectionHealth, type ConnectionReport } from '../../domain/connection-health';
import { ConnectionGuardStore } from '../../integrations/state';
import { stackDataConverter, workflowBundle } from '../../dev/stack/temporal';
import { startTimeSkippingEnv } from '../helpers/time-skipping-env';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const DAY = 86_400_000;
let queues = 0;

/** A report without its time (the guard stamps nothing itself: the test adds now). */
type Untimed = ConnectionReport extends infer R ? (R extends ConnectionReport ? Omit<R, 'at'> : never) : never;

interface Guarded {
  alerts: ConnectionHealth[];
  store: ConnectionGuardStore;
  report(report: Untimed): Promise<void>;
  /** The search attributes the UI filters on. */
  searchAttributes(): Promise<Record<string, unknown>>;
  /** Waits (in test time) until `n` alerts were mailed. */
  alertsReach(n: number): Promise<void>;
}

async function withGuard(fn: (g: Guarded) => Promise<void>): Promise<void> {
  const taskQueue = `guard-test-${++queues}`;
  const alerts: ConnectionHealth[] = [];
  const activities: Pick<Activities, 'sendConnectionAlert'> = {
    async sendConnectionAlert({ health }) {
      alerts.push(health);
      return { messageId: `<alert-${alerts.length}@test>`, to: 'finance@msp.example' };
    },
  };
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities, dataConverter: stackDataConverter() });
  const store = new ConnectionGuardStore(env.client, taskQueue, '9341453000000001');
  const g: Guarded = {
    alerts,
    store,
    report: (report) => store.report({ ...report, at: new Date().toISOString() } as ConnectionReport),
    async searchAttributes() {
      const { searchAttributes } = await env.client.workflow.getHandle(store.workflowId).describe();
      return searchAttributes;
    },
    async alertsReach(n) {
      for (let i = 0; i < 200 && alerts.length < n; i++) await new Promise((r) => setTimeout(r, 50));
    },
  };
  await worker.runUntil(async () => {
    await fn(g);
    await env.client.workflow.getHandle(store.workflowId).terminate('test done');
  });
}

/** Reads the status once the guard has taken every report so far (queries see accepted signals). */
async function statusOf(g: Guarded): Promise<ConnectionHealth> {
  return (await g.store.health())!;
}

describe('connectionGuard', () => {
  it('warns 30 and 7 days before the 5-year limit and when it passes, each once, and shows it in LedgerConnection', async () => {
    await withGuard(async (g) => {
      const now = Date.now();
      await g.report({ kind: 'life', refreshed: true, life: { refreshTokenExpiresAt: new Date(now + 100 * DAY).toISOString(), refreshTokenHardExpiresAt: new Date(now + 40 * DAY).toISOString(), refreshedAt: new Date(now).toISOString() } });
      expect(await statusOf(g)).toMatchObject({ status: 'Healthy', daysLeft: 39 });
      expect((await g.searchAttributes()).LedgerConnection).toEqual(['Healthy']);
      expect(g.alerts).toHaveLength(0);

      await env.sleep(11 * DAY);
      await g.alertsReach(1);
      expect(g.alerts.map((a) => a.alertKey)).toEqual(['Expiring-30']);
      expect(g.alerts[0]!.fix).toBe(`Before ${new Date(now + 40 * DAY).toISOString().slice(0, 10)}: ${QUICKBOOKS_RECONNECT_STEP}`);
      expect((await g.searchAttributes()).LedgerConnection).toEqual(['Expiring']);
      const [expiresAt] = (await g.searchAttributes()).LedgerConnectionExpiresAt as Date[];
      expect(expiresAt!.toISOString().slice(0, 10)).toBe(new Date(now + 40 * DAY).toISOString().slice(0, 10));

      await env.sleep(23 * DAY);
      await g.alertsReach(2);
      await env.sleep(7 * DAY);
      await g.alertsReach(3);
      expect(g.alerts.map((a) => a.alertKey)).toEqual(['Expiring-30', 'Expiring-7', 'Expired']);
      expect((await g.searchAttributes()).LedgerConnection).toEqual(['Expired']);
      await env.sleep(3 * DAY);
      expect(g.alerts).toHaveLength(3);
    });
  });

  it('alerts at once when the grant is revoked, and shows Healthy again after the reconnect', async () => {
    await withGuard(async (g) => {
      await g.report({ kind: 'refused', revoked: true, detail: 'QuickBooks POST oauth2 token (refresh_token) was refused (invalid_grant)' });
      await g.alertsReach(1);
      expect(g.alerts[0]).toMatchObject({ status: 'Revoked', fix: QUICKBOOKS_RECONNECT_STEP });
      expect((await g.searchAttributes()).LedgerConnection).toEqual(['Revoked']);
      // The sync's next attempts fail the same way: no second mail.
      await g.report({ kind: 'refused', revoked: true, detail: 'again' });
      expect((await statusOf(g)).status).toBe('Revoked');
      await g.report({ kind: 'life', refreshed: true, life: { refreshTokenExpiresAt: new Date(Date.now() + 100 * DAY).toISOString() } });
      await g.report({ kind: 'ok' });
      expect((await statusOf(g)).status).toBe('Healthy');
      for (let i = 0; i < 100 && (await g.searchAttributes()).LedgerConnection?.toString() !== 'Healthy'; i++) await new Promise((r) => setTimeout(r, 50));
      expect((await g.searchAttributes()).LedgerConnection).toEqual(['Healthy']);
      expect(g.alerts).toHaveLength(1);
    });
  });

  it('alerts once on the third refusal in a row, and again only after it recovered and failed anew', async () => {
    await withGuard(async (g) => {
      const refused = () => g.report({ kind: 'refused', revoked: false, detail: 'QuickBooks GET /query failed: ApplicationAuthorizationFailed (code 3100)' });
      await refused();
      await refused();
      expect((await statusOf(g)).status).toBe('Healthy');
      await refused();
      await g.alertsReach(1);
      expect(g.alerts[0]).toMatchObject({ status: 'Failing', alertKey: 'Failing' });
      await refused();
      expect((await statusOf(g)).status).toBe('Failing');
      await g.report({ kind: 'ok' });
      expect((await statusOf(g)).status).toBe('Healthy');
      for (let i = 0; i < 3; i++) await refused();
      await g.alertsReach(2);
      expect(g.alerts.map((a) => a.alertKey)).toEqual(['Failing', 'Failing']);
    });
  });
});
