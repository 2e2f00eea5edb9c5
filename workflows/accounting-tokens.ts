/**
 * One per accounting company, running for as long as the deployment does: holds the company's
 * sealed OAuth tokens and the refresh lease (domain/token-vault). Workers read the tokens with the
 * `tokens` query, take the lease and store rotated tokens with updates (which answer, and refuse a
 * store from a worker that lost its lease), and seed a newly connected token with a signal-with-start.
 * It never sees a token in clear text. Continues as new before its history grows large.
 */
import { allHandlersFinished, condition, continueAsNew, defineQuery, defineSignal, defineUpdate, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  beginRefresh,
  finishProblem,
  TOKEN_VAULT_MESSAGES,
  viewOf,
  withFinish,
  withSeed,
  type BeginRefreshAnswer,
  type BeginRefreshRequest,
  type FinishRefreshRequest,
  type SeedTokensRequest,
  type TokenVaultState,
  type TokenVaultView,
} from '../domain/token-vault';

export const seedTokensSignal = defineSignal<[SeedTokensRequest]>(TOKEN_VAULT_MESSAGES.seed);
export const beginRefreshUpdate = defineUpdate<BeginRefreshAnswer, [BeginRefreshRequest]>(TOKEN_VAULT_MESSAGES.beginRefresh);
export const finishRefreshUpdate = defineUpdate<TokenVaultView, [FinishRefreshRequest]>(TOKEN_VAULT_MESSAGES.finishRefresh);
export const tokensQuery = defineQuery<TokenVaultView>(TOKEN_VAULT_MESSAGES.tokens);

/** Changes taken before continuing as new (a rotation a day is two). */
const CHANGES_PER_RUN = 500;

export async function accountingTokens(input: { companyKey: string; state?: TokenVaultState }): Promise<void> {
  let state: TokenVaultState = input.state ?? { version: 0 };
  let changes = 0;
  const describe = () => setCurrentDetails(`Tokens of accounting company ${input.companyKey}: version ${state.version}${state.sealed === undefined ? ' (not connected)' : ''}`);
  describe();
  setHandler(tokensQuery, () => viewOf(state));
  setHandler(seedTokensSignal, (req) => {
    state = withSeed(state, req);
    changes += 1;
    describe();
  });
  setHandler(beginRefreshUpdate, (req) => {
    const next = beginRefresh(state, req, Date.now());
    state = next.state;
    changes += 1;
    return next.answer;
  });
  setHandler(
    finishRefreshUpdate,
    (req) => {
      state = withFinish(state, req);
      changes += 1;
      describe();
      return viewOf(state);
    },
    {
      validator: (req) => {
        const problem = finishProblem(state, req);
        if (problem) throw new Error(`Refused: ${problem}`);
      },
    },
  );
  await condition(() => changes >= CHANGES_PER_RUN || workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  // The lease goes along: a worker refreshing right now still stores its rotated tokens.
  await continueAsNew<typeof accountingTokens>({ companyKey: input.companyKey, state });
}
