/**
 * The accounting connection's guard, worker side: the QuickBooks client's reports (token dates
 * after a refresh, refusals, the first success after one) go to the company's `connectionGuard`
 * workflow, and its alerts go out by mail.
 */
import { Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import type { ConnectionReport } from '../domain/connection-health';
import type { MailSent, SendConnectionAlertInput } from '../domain/contract';
import { renderConnectionAlert, type Mailer } from '../integrations/mail';
import { ConnectionGuardStore } from '../integrations/state';
import { mainQueueOf } from '../domain/task-queues';

/** One refusal report per kind per process this often: a burst of failing calls is one refusal, not "repeated". */
export const REFUSAL_REPORT_INTERVAL_MS = 60_000;

/**
 * The QuickBooks client's `onConnection`: reports from inside an activity reach the guard of the
 * activity's company and task queue; outside one (a script) there is no guard to tell. Never throws,
 * never waits: a report that cannot be delivered is logged.
 */
export function connectionReporter(realmId: string, logger: Pick<Logger, 'warn'>, company?: string, now: () => number = Date.now): (report: ConnectionReport) => void {
  const lastRefusal = new Map<boolean, number>();
  return (report) => {
    const guard = guardOfCurrentActivity(realmId, company);
    if (!guard) return;
    if (report.kind === 'refused') {
      const last = lastRefusal.get(report.revoked);
      if (last !== undefined && now() - last < REFUSAL_REPORT_INTERVAL_MS) return;
      lastRefusal.set(report.revoked, now());
    }
    guard.report(report).catch((err: unknown) => {
      logger.warn({ kind: report.kind, error: (err as Error).message }, 'connection report not delivered to the connection guard');
    });
  };
}

/** The guard of the running activity's company and main task queue; none outside an activity (or without a client). */
export function guardOfCurrentActivity(realmId: string, company?: string): ConnectionGuardStore | undefined {
  try {
    const context = Context.current();
    return new ConnectionGuardStore(context.client, mainQueueOf(context.info.taskQueue, company), realmId, company);
  } catch {
    return undefined;
  }
}

export interface ConnectionAlertDeps {
  realmId: string;
  mailer: Mailer;
  defaultTo: string;
  temporalUi: { baseUrl: string; namespace: string };
}

export function connectionActivities(deps: ConnectionAlertDeps) {
  return {
    /** Mails the guard's alert to MAIL_DEFAULT_TO, with the reconnect step. */
    async sendConnectionAlert(input: SendConnectionAlertInput): Promise<MailSent> {
      // Called by the guard workflow: the alert links to it.
      const { workflowId = '', runId = '' } = Context.current().info.workflowExecution ?? {};
      const mail = renderConnectionAlert({ companyKey: deps.realmId, health: input.health, workflowId, runId, temporalUi: deps.temporalUi });
      return { messageId: await deps.mailer.send({ to: deps.defaultTo, ...mail }), to: deps.defaultTo };
    },
  };
}
