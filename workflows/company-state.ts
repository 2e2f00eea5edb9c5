/**
 * One per accounting company, running for as long as the deployment does: holds the company's
 * latest checklist result and payment watermark (domain/company-state), takes changes as signals
 * and answers the `state` query. Queries see every signal accepted before them, so a value written
 * by one worker is what the next reader on any host gets. Continues as new before its history
 * grows large, carrying the state.
 */
import { continueAsNew, defineQuery, defineSignal, setCurrentDetails, setHandler, condition, workflowInfo } from '@temporalio/workflow';
import type { LatestChecklistStatus } from '../domain/contract';
import {
  COMPANY_STATE_MESSAGES,
  withAgreementsChecked,
  withApplicationChange,
  withChecklist,
  withLedgerChecked,
  withPaymentWatermark,
  type ApplicationChange,
  type CompanyState,
} from '../domain/company-state';

export const recordChecklistSignal = defineSignal<[LatestChecklistStatus]>(COMPANY_STATE_MESSAGES.recordChecklist);
export const advancePaymentWatermarkSignal = defineSignal<[{ until: string }]>(COMPANY_STATE_MESSAGES.advancePaymentWatermark);
export const advanceAgreementsCheckedSignal = defineSignal<[{ until: string }]>(COMPANY_STATE_MESSAGES.advanceAgreementsChecked);
export const advanceLedgerCheckedSignal = defineSignal<[{ until: string }]>(COMPANY_STATE_MESSAGES.advanceLedgerChecked);
export const intendApplicationSignal = defineSignal<[Extract<ApplicationChange, { op: 'intend' }>]>(COMPANY_STATE_MESSAGES.intendApplication);
export const claimApplicationSignal = defineSignal<[Extract<ApplicationChange, { op: 'claim' }>]>(COMPANY_STATE_MESSAGES.claimApplication);
export const releaseApplicationSignal = defineSignal<[Extract<ApplicationChange, { op: 'release' }>]>(COMPANY_STATE_MESSAGES.releaseApplication);
export const companyStateQuery = defineQuery<CompanyState>(COMPANY_STATE_MESSAGES.state);

/** Signals taken before continuing as new; far below the point where Temporal suggests it. */
const CHANGES_PER_RUN = 500;

export async function companyState(input: { companyKey: string; state?: CompanyState }): Promise<void> {
  let state: CompanyState = input.state ?? {};
  let changes = 0;
  const describe = () =>
    setCurrentDetails(
      `Checklist: ${state.checklist ? `${state.checklist.status} (${state.checklist.workflowId}, ${state.checklist.at})` : 'none yet'}\n\n` +
        `Payments synced up to: ${state.paymentWatermark ?? 'not yet'}\n\n` +
        `Agreement changes checked up to: ${state.agreementsCheckedUntil ?? 'not yet'}\n\n` +
        `QuickBooks changes checked up to: ${state.ledgerCheckedUntil ?? 'not yet'}`,
    );
  describe();
  setHandler(recordChecklistSignal, (status) => {
    state = withChecklist(state, status);
    changes += 1;
    describe();
  });
  setHandler(advancePaymentWatermarkSignal, ({ until }) => {
    state = withPaymentWatermark(state, until);
    changes += 1;
    describe();
  });
  setHandler(advanceAgreementsCheckedSignal, ({ until }) => {
    state = withAgreementsChecked(state, until);
    changes += 1;
    describe();
  });
  setHandler(advanceLedgerCheckedSignal, ({ until }) => {
    state = withLedgerChecked(state, until);
    changes += 1;
    describe();
  });
  // Payment applications: signals are taken in the order they arrive, so the first claim wins.
  for (const signal of [intendApplicationSignal, claimApplicationSignal, releaseApplicationSignal]) {
    setHandler(signal, (change: ApplicationChange) => {
      state = withApplicationChange(state, change);
      changes += 1;
    });
  }
  setHandler(companyStateQuery, () => state);
  await condition(() => changes >= CHANGES_PER_RUN || workflowInfo().continueAsNewSuggested);
  await continueAsNew<typeof companyState>({ companyKey: input.companyKey, state });
}
