/**
 * createActivities(deps) -> every activity the workflows call. Dependencies come in once, at worker
 * start (workers/dependencies.ts); each activity heartbeats while it runs and crosses the boundary
 * through `atBoundary`, which keeps LedgerError types and makes business errors non-retryable.
 * The inputs and outputs are domain/contract's; `Activities` is what this returns.
 */
import { agreementChanges } from '../integrations/agreement-changes';
import { batchLookups } from '../integrations/batch-lookups';
import { loadGlSetup } from '../integrations/gl-setup';
import { ledgerContextCache } from '../integrations/ledger-context';
import { lineOrigins } from '../integrations/line-origins';
import { checklistActivities } from './checklist';
import { collectActivities } from './collect';
import { connectionActivities } from './connection';
import { companyLockActivities } from './company-lock';
import type { ActivityDependencies } from './dependencies';
import { atBoundary } from './failures';
import { withHeartbeat } from './heartbeat';
import { ledgerChangeActivities } from './ledger-changes';
import { markExportedActivities } from './mark-exported';
import { paymentActivities } from './payments';
import { postedAgreementActivities } from './posted-agreements';
import { postActivities } from './post';
import { reconcileActivities } from './reconcile';
import { reportMailActivities } from './report-mail';
import { resolveActivities } from './resolve';
import { reversalActivities } from './reversal';

export type { ActivityDependencies } from './dependencies';

type Activity = (...args: never[]) => Promise<unknown>;

/** The same activities, each heartbeating and crossing the boundary's error policy; signatures kept. */
function atTheBoundary<T extends Record<string, Activity>>(activities: T): T {
  const wrapped: Partial<T> = {};
  for (const name in activities) wrapped[name] = atBoundary(withHeartbeat(activities[name])) as T[typeof name];
  return wrapped as T;
}

export function createActivities(deps: ActivityDependencies) {
  // One worker-wide store of the records a batch run reads by id (agreements, time entries, ...),
  // shared by resolve, post and the stale-agreement check.
  const lookups = batchLookups();
  const agreements = agreementChanges(deps.psa, lookups);
  const shared = { psa: deps.psa, ledger: deps.ledger, realmId: deps.ledger.realmId, ledgerContext: ledgerContextCache(deps, deps.ledgerContext), agreements, origins: lineOrigins(deps.psa, lookups) };
  const recipients = { defaultTo: deps.mailDefaultTo, allowed: deps.mailAllowedRecipients };
  return atTheBoundary({
    ...collectActivities(deps),
    ...companyLockActivities({ realmId: deps.ledger.realmId }),
    ...resolveActivities(shared),
    ...postActivities(shared),
    ...postedAgreementActivities(shared),
    ...ledgerChangeActivities(shared),
    ...reconcileActivities(shared),
    ...markExportedActivities(deps),
    ...connectionActivities({ realmId: deps.ledger.realmId, mailer: deps.mailer, defaultTo: deps.mailDefaultTo, temporalUi: deps.temporalUi }),
    ...reversalActivities({ psa: deps.psa, ledger: deps.ledger, realmId: deps.ledger.realmId, mailer: deps.mailer, recipients, temporalUi: deps.temporalUi }),
    ...paymentActivities(deps),
    ...reportMailActivities({
      psa: deps.psa,
      mailer: deps.mailer,
      recipients,
      temporalUi: deps.temporalUi,
      glSetupProblems: async () => (await loadGlSetup(deps.psa)).problems,
    }),
    ...checklistActivities({
      psa: deps.psa,
      ledger: deps.ledger,
      mailer: deps.mailer,
      defaultTo: deps.mailDefaultTo,
      temporalUi: deps.temporalUi,
      accountMatch: deps.ledgerContext.accountMatch,
      createMissingParties: deps.ledgerContext.createMissingParties,
    }),
  });
}

/** Every activity the workflows call, as the worker registers them. */
export type Activities = ReturnType<typeof createActivities>;
