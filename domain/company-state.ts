/**
 * An accounting company's own small durable state: the latest go-live checklist result (which
 * gates every batch) and where the payment sync stopped. It lives in Temporal, in one long-running
 * workflow per company (workflows/company-state.ts), so every worker on every host reads the same
 * values and no file on a worker's disk can open the gate. Pure and bundle-safe.
 */
import { z } from 'zod';
import type { LatestChecklistStatus } from './contract';
import { withClaim, withIntent, withRelease, type Applications, type RecordedApplication } from './payments/applications';

export interface CompanyState {
  checklist?: LatestChecklistStatus;
  /** ISO timestamp up to which payments have been synced. */
  paymentWatermark?: string;
  /** ISO timestamp up to which agreement changes were checked against already posted invoices. */
  agreementsCheckedUntil?: string;
  /** ISO timestamp up to which QuickBooks was checked for changes to transactions Ledgerline posted. */
  ledgerCheckedUntil?: string;
  /** What the payment sync recorded in the PSA, by application key (domain/payments/applications). */
  paymentApplications?: Applications;
}

/**
 * The workflow type, its id, and its message names: shared by the workflow and its callers. The id
 * names the deployment's main task queue as well as the company: the workers polling that queue are
 * the ones that answer for it.
 */
export const COMPANY_STATE_WORKFLOW = 'companyState';
export const companyStateWorkflowId = (companyKey: string, taskQueue: string): string => `company-state-${companyKey}-${taskQueue}`;
export const COMPANY_STATE_MESSAGES = {
  recordChecklist: 'recordChecklist',
  advancePaymentWatermark: 'advancePaymentWatermark',
  advanceAgreementsChecked: 'advanceAgreementsChecked',
  advanceLedgerChecked: 'advanceLedgerChecked',
  intendApplication: 'intendApplication',
  claimApplication: 'claimApplication',
  releaseApplication: 'releaseApplication',
  state: 'state',
} as const;

/** Keeps the newer checklist result: a late retry of an older run does not replace it. */
const latestChecklistSchema = z.object({
  passed: z.boolean(),
  status: z.enum(['Passed', 'Failed', 'Incomplete']),
  at: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO time'),
  workflowId: z.string().min(1),
  runId: z.string(),
  realmId: z.string(),
  failed: z.array(z.string()),
  unconfirmed: z.array(z.string()),
});

/**
 * The company's latest checklist as the batch's gate reads it. State can be changed by hand (a
 * signal sent with the Temporal CLI): a malformed result never opens the gate; it reads as a failed
 * checklist naming the field and the fix.
 */
export function latestChecklistOf(state: CompanyState, realmId: string): LatestChecklistStatus | undefined {
  const recorded: unknown = state.checklist;
  if (recorded === undefined) return undefined;
  const parsed = latestChecklistSchema.safeParse(recorded);
  if (parsed.success) return parsed.data.realmId === realmId ? parsed.data : undefined;
  const issue = parsed.error.issues[0]!;
  const at = (recorded as { at?: unknown }).at;
  return {
    passed: false,
    status: 'Failed',
    at: typeof at === 'string' ? at : 'an unknown time',
    workflowId: 'the company state',
    runId: '',
    realmId,
    failed: [`the recorded result is malformed (checklist.${issue.path.join('.')}: ${issue.message}); run goLiveChecklist again to record a fresh one`],
    unconfirmed: [],
  };
}

export function withChecklist(state: CompanyState, status: LatestChecklistStatus): CompanyState {
  if (state.checklist && Date.parse(state.checklist.at) > Date.parse(status.at)) return state;
  return { ...state, checklist: status };
}

type Watermark = 'paymentWatermark' | 'agreementsCheckedUntil' | 'ledgerCheckedUntil';

/** A watermark only moves forward: an earlier or unreadable time leaves it as it is. */
function advanced(state: CompanyState, key: Watermark, until: string): CompanyState {
  if (Number.isNaN(Date.parse(until))) return state;
  const now = state[key];
  if (now !== undefined && Date.parse(now) >= Date.parse(until)) return state;
  return { ...state, [key]: until };
}

export const withPaymentWatermark = (state: CompanyState, until: string): CompanyState => advanced(state, 'paymentWatermark', until);

export const withAgreementsChecked = (state: CompanyState, until: string): CompanyState => advanced(state, 'agreementsCheckedUntil', until);

export const withLedgerChecked = (state: CompanyState, until: string): CompanyState => advanced(state, 'ledgerCheckedUntil', until);

export type ApplicationChange =
  | { op: 'intend'; app: RecordedApplication }
  | { op: 'claim'; key: string; psaPaymentId: number }
  | { op: 'release'; key: string; psaPaymentId?: number };

export function withApplicationChange(state: CompanyState, change: ApplicationChange): CompanyState {
  const apps = state.paymentApplications ?? {};
  const next =
    change.op === 'intend' ? withIntent(apps, change.app) : change.op === 'claim' ? withClaim(apps, change.key, change.psaPaymentId) : withRelease(apps, change.key, change.psaPaymentId);
  return next === apps ? state : { ...state, paymentApplications: next };
}
