/** `schedules apply|list|pause|unpause|trigger`: the nightly batch and the recurring payment sync. */
import type { Command } from 'commander';
import { applySchedules, listSchedules, loadCompanySchedules, pauseSchedule, triggerSchedule, unpauseSchedule } from '../schedules';
import { withTemporal } from './connection';
import { emit, table, withJson, type OutputOptions } from './output';

async function apply(opts: OutputOptions): Promise<void> {
  const config = loadCompanySchedules();
  await withTemporal(async (client, temporal) => {
    const applied = await applySchedules(client, config, temporal.TEMPORAL_TASK_QUEUE);
    emit(opts, applied, () => applied.map((a) => `${a.outcome} ${a.scheduleId}`).join('\n'));
  });
}

async function list(opts: OutputOptions): Promise<void> {
  await withTemporal(async (client) => {
    const schedules = await listSchedules(client);
    emit(opts, schedules, () =>
      schedules.length === 0
        ? 'No Ledgerline schedules; create them with `schedules apply`.'
        : table([
            ['SCHEDULE', 'WORKFLOW', 'STATE', 'NEXT RUN', 'NOTE'],
            ...schedules.map((s) => [s.scheduleId, s.workflowType ?? '', s.paused ? 'paused' : 'active', s.nextRuns[0] ?? '', s.note ?? '']),
          ]),
    );
  });
}

type OneOptions = OutputOptions & { note?: string; company?: string };

const one = (what: string, run: (name: string, opts: OneOptions) => Promise<string>) => async (name: string, opts: OneOptions) => {
  const id = await run(name, opts);
  emit(opts, { scheduleId: id, done: what }, () => `${what} ${id}`);
};

export function registerScheduleCommands(program: Command): void {
  const schedules = program
    .command('schedules')
    .description('Temporal Schedules: "batch" (nightly accounting batch) and "payments" (payment sync), one of each per accounting company');
  withJson(schedules.command('apply').description("create or update every company's schedules from LEDGERLINE_*_SCHEDULE settings and the companies' own")).action((opts: OutputOptions) => apply(opts));
  withJson(schedules.command('list').description('show the schedules, their state and next run')).action((opts: OutputOptions) => list(opts));
  const company = (c: Command) => c.option('--company <name>', "the accounting company's schedule (default: the default company's)");
  withJson(company(schedules.command('pause').argument('<name>', 'batch, payments, or a schedule id').option('--note <text>', 'why (shown in the UI)'))).action(
    one('paused', (name, o) => withTemporal((client) => pauseSchedule(client, name, o.note, o.company))),
  );
  withJson(company(schedules.command('unpause').argument('<name>', 'batch, payments, or a schedule id').option('--note <text>', 'why (shown in the UI)'))).action(
    one('unpaused', (name, o) => withTemporal((client) => unpauseSchedule(client, name, o.note, o.company))),
  );
  withJson(company(schedules.command('trigger').argument('<name>', 'batch, payments, or a schedule id').description('run the schedule now (skipped if a run is still open)'))).action(
    one('triggered', (name, o) => withTemporal((client) => triggerSchedule(client, name, o.company))),
  );
}
