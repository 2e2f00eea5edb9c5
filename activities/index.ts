/**
 * createActivities(deps) -> every activity the workflows call. Dependencies come in once, at worker
 * start; each activity heartbeats while it runs and crosses the boundary through `atBoundary`,
 * which keeps LedgerError types and makes business errors non-retryable.
 */
import type { LedgerActivities } from './contracts';
import type { ActivityDependencies } from './dependencies';
import { atBoundary } from './failures';
import { withHeartbeat } from './heartbeat';
import { checklistActivities } from './checklist';
import { collectActivities } from './collect';
import { ledgerContextCache } from './ledger-context';
import { markExportedActivities } from './mark-exported';
import { paymentActivities } from './payments';
import { postActivities } from './post';
import { reconcileActivities } from './reconcile';
import { reportMailActivities } from './report-mail';
import { resolveActivities } from './resolve';

export type { ActivityDependencies } from './dependencies';
export type { LedgerActivities } from './contracts';
export type { PaymentActivities } from './payments';

export function createActivities(deps: ActivityDependencies): LedgerActivities {
  const shared = { psa: deps.psa, ledger: deps.ledger, realmId: deps.ledger.realmId, ledgerContext: ledgerContextCache(deps, deps.ledgerContext) };
  const activities: LedgerActivities = {
    ...collectActivities(deps),
    ...resolveActivities(shared),
    ...postActivities(shared),
    ...reconcileActivities(shared),
    ...markExportedActivities(deps),
    ...paymentActivities(deps),
    ...reportMailActivities({ psa: deps.psa, mailer: deps.mailer, defaultTo: deps.mailDefaultTo, temporalUi: deps.temporalUi }),
    ...checklistActivities({
      psa: deps.psa,
      ledger: deps.ledger,
      mailer: deps.mailer,
      defaultTo: deps.mailDefaultTo,
      temporalUi: deps.temporalUi,
      stateDir: deps.stateDir,
      accountMatch: deps.ledgerContext.accountMatch,
    }),
  };
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [name, atBoundary(withHeartbeat(fn as (...args: unknown[]) => Promise<unknown>))]),
  ) as unknown as LedgerActivities;
}
