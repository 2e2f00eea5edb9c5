/**
 * createActivities(deps) -> every activity the workflows call, for one accounting company;
 * createDeploymentActivities(companies) -> the same activities for a deployment's companies, each
 * call served by the company its input names (`company`; absent: the only company). Dependencies
 * come in once, at worker start (workers/dependencies.ts); each activity heartbeats while it runs
 * and crosses the boundary through `atBoundary`, which keeps LedgerError types and makes business
 * errors non-retryable. The inputs and outputs are domain/contract's; `Activities` is what the
 * workflows see.
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
import { LedgerError } from '../domain/errors';
import type { CompanyInput } from '../domain/contract';
import { DEFAULT_COMPANY } from '../domain/routing';
import { withHeartbeat } from './heartbeat';
import { ledgerChangeActivities } from './ledger-changes';
import { markExportedActivities } from './mark-exported';
import { paymentActivities } from './payments';
import { postedAgreementActivities } from './posted-agreements';
import { postActivities } from './post';
import { preparedRecords } from './prepared-records';
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

/** One company's activities, unwrapped. */
function activitiesOf(deps: ActivityDependencies) {
  // One store of the records a batch run reads by id (agreements, time entries, ...), shared by
  // resolve, post and the stale-agreement check.
  const lookups = batchLookups();
  const agreements = agreementChanges(deps.psa, lookups);
  const shared = {
    psa: deps.psa,
    ledger: deps.ledger,
    realmId: deps.ledger.realmId,
    ledgerContext: ledgerContextCache(deps, deps.ledgerContext),
    agreements,
    origins: lineOrigins(deps.psa, lookups),
    company: deps.company,
    prepared: preparedRecords({ maxRecords: deps.preparedRecordsKept }),
  };
  const recipients = { defaultTo: deps.mailDefaultTo, allowed: deps.mailAllowedRecipients };
  return {
    ...collectActivities(deps),
    ...companyLockActivities({ realmId: deps.ledger.realmId, company: deps.company }),
    ...resolveActivities(shared),
    ...postActivities(shared),
    ...postedAgreementActivities(shared),
    ...ledgerChangeActivities(shared),
    ...reconcileActivities(shared),
    ...markExportedActivities(deps),
    ...connectionActivities({ realmId: deps.ledger.realmId, mailer: deps.mailer, defaultTo: deps.mailDefaultTo, temporalUi: deps.temporalUi }),
    ...reversalActivities({ psa: deps.psa, ledger: deps.ledger, realmId: deps.ledger.realmId, mailer: deps.mailer, recipients, temporalUi: deps.temporalUi, company: deps.company }),
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
      company: deps.company,
    }),
  };
}

type CompanyActivities = ReturnType<typeof activitiesOf>;

/** Each activity also takes the company it works for (CompanyInput) beside its own input. */
type WithCompany<T> = {
  [K in keyof T]: T[K] extends () => Promise<infer R>
    ? (input?: CompanyInput) => Promise<R>
    : T[K] extends (input: infer I) => Promise<infer R>
      ? (input: I & CompanyInput) => Promise<R>
      : never;
};

/** Every activity the workflows call, as the worker registers them. */
export type Activities = WithCompany<CompanyActivities>;

/** The activities of a deployment with one company (tests, benchmarks, the single-company stack). */
export function createActivities(deps: ActivityDependencies): Activities {
  return createDeploymentActivities([deps]);
}

/**
 * The activities of every company of a deployment: a call goes to the company its input names.
 * An unknown name, or none while there are several companies, fails the call with the fix.
 */
export function createDeploymentActivities(companies: readonly ActivityDependencies[]): Activities {
  const byName = new Map(companies.map((deps) => [deps.company?.name ?? DEFAULT_COMPANY, activitiesOf(deps)]));
  const names = [...byName.keys()];
  const pick = (company: string | undefined): CompanyActivities => {
    const found = company === undefined ? (byName.size === 1 ? byName.values().next().value : undefined) : byName.get(company);
    if (found) return found;
    throw new LedgerError(
      'InvalidInput',
      company === undefined ? `The input names no accounting company and this deployment has several (${names.join(', ')})` : `Unknown accounting company "${company}"`,
      { fix: `Name one of ${names.map((n) => `"${n}"`).join(', ')} in the input's "company".` },
    );
  };
  const first = byName.values().next().value as CompanyActivities;
  const dispatched: Partial<Record<keyof CompanyActivities, Activity>> = {};
  for (const name of Object.keys(first) as (keyof CompanyActivities)[]) {
    dispatched[name] = (async (input?: CompanyInput) => (pick(input?.company)[name] as (i?: unknown) => Promise<unknown>)(input)) as Activity;
  }
  return atTheBoundary(dispatched as Record<string, Activity>) as unknown as Activities;
}
