/**
 * connectionGuard: one per accounting company and deployment task queue, running for as long as the
 * deployment does, so a QuickBooks connection never stops syncing silently. Workers report what they
 * see (token dates after each refresh, refusals, the first success after one); the guard judges the
 * connection (domain/connection-health), shows it in the search attribute `LedgerConnection` (and
 * `LedgerConnectionExpiresAt`) the UI filters on, and mails each alert once: 30 and 7 days before
 * the connection expires, and when it expired, was revoked or keeps being refused, with the step
 * that fixes it. Time alone moves it too: it wakes when the next warning falls due.
 */
import { condition, continueAsNew, defineQuery, defineSignal, log, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import {
  CONNECTION_GUARD_MESSAGES,
  judgeConnection,
  withConnectionReport,
  type ConnectionGuardState,
  type ConnectionHealth,
  type ConnectionReport,
} from '../domain/connection-health';
import { LedgerConnectionExpiresAtKey, LedgerConnectionKey } from './definitions';
import { describeFailure, mainQueueActivities } from './helpers';

export const connectionReportSignal = defineSignal<[ConnectionReport]>(CONNECTION_GUARD_MESSAGES.report);
export const connectionHealthQuery = defineQuery<ConnectionHealth>(CONNECTION_GUARD_MESSAGES.health);

/** With nothing due sooner, the guard looks again this often. */
const IDLE_WAKE_MS = 24 * 3_600_000;
/** A mail that could not be sent is tried again this much later. */
const MAIL_RETRY_MS = 3_600_000;
/** Rounds before continuing as new (each is a few events). */
const ROUNDS_PER_RUN = 300;

/** companyKey: the QuickBooks realm; company: its configured name, which its activity calls name (absent: the only company). */
export async function connectionGuard(input: { companyKey: string; company?: string; state?: ConnectionGuardState }): Promise<void> {
  let state: ConnectionGuardState = input.state ?? {};
  const inbox: ConnectionReport[] = [];
  setHandler(connectionReportSignal, (report) => void inbox.push(report));
  setHandler(connectionHealthQuery, () => judgeConnection(withAll(state, inbox), Date.now()));
  const mail = mainQueueActivities('2 minutes', 'mail the connection alert');
  let shown: string | undefined;

  for (let round = 0; round < ROUNDS_PER_RUN && !workflowInfo().continueAsNewSuggested; round++) {
    state = withAll(state, inbox.splice(0));
    const health = judgeConnection(state, Date.now());
    const shownNow = `${health.status}|${health.expiresAt ?? ''}`;
    if (shownNow !== shown) {
      upsertSearchAttributes([
        { key: LedgerConnectionKey, value: health.status },
        ...(health.expiresAt ? [{ key: LedgerConnectionExpiresAtKey, value: new Date(health.expiresAt) }] : []),
      ]);
      shown = shownNow;
    }
    setCurrentDetails(`**${health.status}**: ${health.summary}\n\n${health.status === 'Healthy' ? '' : `Fix: ${health.fix}`}`);

    let mailFailed = false;
    if (health.alertKey === undefined) state = { ...state, alerted: undefined };
    else if (health.alertKey !== state.alerted) {
      try {
        await mail.sendConnectionAlert({ health, ...(input.company !== undefined && { company: input.company }) });
        state = { ...state, alerted: health.alertKey };
      } catch (err) {
        mailFailed = true;
        log.warn('Connection alert not mailed; trying again later', { alert: health.alertKey, error: describeFailure(err) });
      }
    }
    const due = health.changesAt ? Math.max(1000, Date.parse(health.changesAt) - Date.now()) : IDLE_WAKE_MS;
    await condition(() => inbox.length > 0, Math.min(due, IDLE_WAKE_MS, mailFailed ? MAIL_RETRY_MS : IDLE_WAKE_MS));
  }
  await continueAsNew<typeof connectionGuard>({ ...input, state: withAll(state, inbox) });
}

function withAll(state: ConnectionGuardState, reports: readonly ConnectionReport[]): ConnectionGuardState {
  return reports.reduce(withConnectionReport, state);
}
