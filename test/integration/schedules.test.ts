/** Schedules on the dev server (the time-skipping server has none): idempotent apply, pause, trigger. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { applySchedules, listSchedules, loadCompanySchedules, loadScheduleConfig, pauseSchedule, SCHEDULE_IDS, scheduleSpec, triggerSchedule, unpauseSchedule } from '../../clients/schedules';
import { startDevServerEnv } from '../../dev/stack/temporal';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startDevServerEnv();
});
afterAll(async () => {
  await env?.teardown();
});

/** Schedule listing goes through visibility, which lags a little behind writes. */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 100 && !ok(value); i++) {
    await new Promise((r) => setTimeout(r, 200));
    value = await read();
  }
  return value;
}

describe('schedule configuration', () => {
  it('reads intervals, daily times and cron, with defaults', () => {
    const config = loadScheduleConfig({});
    expect(config.batch.spec).toEqual({ calendars: [{ hour: 2, minute: 0, comment: 'daily at 02:00' }], timezone: 'UTC' });
    expect(config.payments.spec).toEqual({ intervals: [{ every: '1h' }] });
    expect(config.batch.input).toEqual({ retryWindow: '20h' });
    expect(scheduleSpec('0 3 * * 1-5', 'Europe/London')).toEqual({ cronExpressions: ['0 3 * * 1-5'], timezone: 'Europe/London' });
  });

  it("gives every accounting company its own pair, with the company's own settings over the shared ones", () => {
    const quickbooks = (realmId: string) => ({ realmId, clientId: 'app', clientSecret: { env: 'S' } });
    const env = {
      LEDGERLINE_PAYMENT_SYNC_SCHEDULE: '30m',
      LEDGERLINE_COMPANIES: JSON.stringify({
        companies: [
          { name: 'east', quickbooks: quickbooks('1'), routing: { locations: [1] } },
          { name: 'west', quickbooks: quickbooks('2'), routing: { locations: [2] }, schedules: { batch: '03:30', timezone: 'America/Los_Angeles', batchInput: { chunkSize: 50 } } },
        ],
      }),
    };
    const [east, west] = loadCompanySchedules(env);
    expect(east).toMatchObject({ company: 'east', batch: { input: { company: 'east', retryWindow: '20h' } }, payments: { spec: { intervals: [{ every: '30m' }] }, input: { company: 'east' } } });
    expect(west).toMatchObject({
      company: 'west',
      batch: { spec: { calendars: [{ hour: 3, minute: 30, comment: 'daily at 03:30' }], timezone: 'America/Los_Angeles' }, input: { company: 'west', chunkSize: 50 } },
    });
    const bad = { LEDGERLINE_COMPANIES: JSON.stringify({ companies: [{ name: 'east', quickbooks: quickbooks('1'), schedules: { batchInput: { chunkSize: 0 } } }] }) };
    expect(() => loadCompanySchedules(bad)).toThrow(/company east: schedules\.batchInput: chunkSize/);
    // Without a companies document: the default company's pair, ids and inputs as before.
    expect(loadCompanySchedules({})).toEqual([loadScheduleConfig({})]);
  });

  it('refuses malformed values with the variable named', () => {
    expect(() => loadScheduleConfig({ LEDGERLINE_BATCH_SCHEDULE: 'nightly' })).toThrow(/LEDGERLINE_BATCH_SCHEDULE/);
    expect(() => loadScheduleConfig({ LEDGERLINE_BATCH_INPUT: '{"chunkSize":0}' })).toThrow(/LEDGERLINE_BATCH_INPUT: chunkSize/);
    expect(() => loadScheduleConfig({ LEDGERLINE_PAYMENT_SYNC_INPUT: 'not json' })).toThrow(/not JSON/);
  });
});

describe('schedules on the dev server', () => {
  it('applying twice leaves one of each, updates the spec and keeps a pause', async () => {
    const first = await applySchedules(env.client, loadScheduleConfig({}), 'it-schedules');
    expect(first).toEqual([
      { scheduleId: SCHEDULE_IDS.batch, outcome: 'created' },
      { scheduleId: SCHEDULE_IDS.payments, outcome: 'created' },
    ]);
    await pauseSchedule(env.client, 'payments', 'maintenance');

    const second = await applySchedules(env.client, loadScheduleConfig({ LEDGERLINE_PAYMENT_SYNC_SCHEDULE: '15m', LEDGERLINE_SCHEDULE_CATCHUP_WINDOW: '2h' }), 'it-schedules');
    expect(second.map((s) => s.outcome)).toEqual(['updated', 'updated']);

    const listed = await eventually(() => listSchedules(env.client), (l) => l.length === 2 && l.some((s) => s.paused));
    expect(listed.map((s) => s.scheduleId)).toEqual([SCHEDULE_IDS.batch, SCHEDULE_IDS.payments]);
    expect(listed.map((s) => s.workflowType)).toEqual(['accountingBatch', 'paymentSync']);

    const payments = await env.client.schedule.getHandle(SCHEDULE_IDS.payments).describe();
    expect(payments.state.paused).toBe(true);
    expect(payments.spec.intervals).toEqual([expect.objectContaining({ every: 15 * 60_000 })]);
    expect(payments.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 2 * 3_600_000 });
    expect(payments.action).toMatchObject({ workflowType: 'paymentSync', taskQueue: 'it-schedules', args: [{}] });
    const batch = await env.client.schedule.getHandle(SCHEDULE_IDS.batch).describe();
    expect(batch.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 2, end: 2, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] });
    expect(batch.action).toMatchObject({ workflowType: 'accountingBatch', args: [{ retryWindow: '20h' }] });
  });

  it("a company's schedules carry its name in their ids, workflow ids and inputs, and are paused by company", async () => {
    const configs = [loadScheduleConfig({}, { name: 'east', schedules: {} }), loadScheduleConfig({}, { name: 'west', schedules: { payments: '2h' } })];
    const applied = await applySchedules(env.client, configs, 'it-schedules');
    expect(applied.map((a) => a.scheduleId)).toEqual([`${SCHEDULE_IDS.batch}-east`, `${SCHEDULE_IDS.payments}-east`, `${SCHEDULE_IDS.batch}-west`, `${SCHEDULE_IDS.payments}-west`]);
    await pauseSchedule(env.client, 'payments', 'west month end', 'west');
    const west = await env.client.schedule.getHandle(`${SCHEDULE_IDS.payments}-west`).describe();
    expect(west.state).toMatchObject({ paused: true, note: 'west month end' });
    expect(west.action).toMatchObject({ workflowType: 'paymentSync', workflowId: 'payment-sync-west', args: [{ company: 'west' }] });
    expect((await env.client.schedule.getHandle(`${SCHEDULE_IDS.batch}-east`).describe()).action).toMatchObject({ workflowId: 'accounting-batch-east', args: [{ company: 'east', retryWindow: '20h' }] });
    const listed = await eventually(() => listSchedules(env.client), (l) => l.length === 6);
    expect(listed.map((s) => s.scheduleId)).toEqual([SCHEDULE_IDS.batch, `${SCHEDULE_IDS.batch}-east`, `${SCHEDULE_IDS.batch}-west`, SCHEDULE_IDS.payments, `${SCHEDULE_IDS.payments}-east`, `${SCHEDULE_IDS.payments}-west`]);
    for (const id of applied.map((a) => a.scheduleId)) await env.client.schedule.getHandle(id).delete();
  });

  it('unpauses and triggers a run now', async () => {
    await unpauseSchedule(env.client, SCHEDULE_IDS.payments);
    await triggerSchedule(env.client, 'batch');
    const described = await eventually(
      () => env.client.schedule.getHandle(SCHEDULE_IDS.batch).describe(),
      (d) => d.info.recentActions.length > 0,
    );
    expect(described.info.recentActions[0].action.workflow.workflowId).toMatch(/^accounting-batch-/);
    expect((await env.client.schedule.getHandle(SCHEDULE_IDS.payments).describe()).state.paused).toBe(false);
    await expect(pauseSchedule(env.client, 'nightly')).rejects.toThrow(/Unknown schedule "nightly"/);
  });
});
