/**
 * One accounting company's OAuth tokens, held in Temporal by its `accountingTokens` workflow so that
 * every worker on every host uses and rotates the same refresh token. The tokens are sealed by the
 * workers before they leave the process (integrations/quickbooks/sealed-tokens.ts): the vault, its
 * history and anything that decodes payloads (the UI's codec server) see only ciphertext.
 *
 * Rotation is one writer at a time: a worker takes a short lease, refreshes, and stores the new
 * tokens under the version it read; a worker that finds the tokens already rotated uses them.
 * A newly connected refresh token (one the vault has never seen) replaces what is kept.
 * Pure and bundle-safe.
 */

export interface TokenVaultState {
  /** Bumped by every store; 0 while nothing is kept. */
  version: number;
  sealed?: string;
  lease?: { holder: string; until: number };
  /** Fingerprints of the connect-flow refresh tokens seen (newest last), so a stale one never replaces a newer. */
  seen?: string[];
}

export interface TokenVaultView {
  version: number;
  sealed?: string;
}

export interface SeedTokensRequest {
  sealed: string;
  /** Fingerprint of the refresh token from the connect flow (not the token). */
  fingerprint: string;
  /** Use only when nothing is kept (tokens carried over from a token file). */
  onlyIfEmpty?: boolean;
}

export interface BeginRefreshRequest {
  holder: string;
  /** The version the caller's tokens came from. */
  seenVersion: number;
  leaseMs: number;
}

export type BeginRefreshAnswer = { granted: true; version: number } | { granted: false; version: number; sealed?: string; holder?: string; retryInMs?: number };

export interface FinishRefreshRequest {
  holder: string;
  /** The version the lease was taken on. */
  version: number;
  /** The rotated tokens; absent when the refresh failed (the lease is only given back). */
  sealed?: string;
}

export const ACCOUNTING_TOKENS_WORKFLOW = 'accountingTokens';
export const accountingTokensWorkflowId = (companyKey: string, taskQueue: string): string => `accounting-tokens-${companyKey}-${taskQueue}`;
export const TOKEN_VAULT_MESSAGES = { seed: 'seedTokens', beginRefresh: 'beginRefresh', finishRefresh: 'finishRefresh', tokens: 'tokens' } as const;

/** Connect-flow fingerprints remembered. */
const SEEN_KEPT = 20;

export const viewOf = (state: TokenVaultState): TokenVaultView => ({ version: state.version, ...(state.sealed !== undefined && { sealed: state.sealed }) });

export function withSeed(state: TokenVaultState, req: SeedTokensRequest): TokenVaultState {
  const seen = state.seen ?? [];
  if (seen.includes(req.fingerprint)) return state;
  const remembered = [...seen, req.fingerprint].slice(-SEEN_KEPT);
  if (req.onlyIfEmpty && state.sealed !== undefined) return { ...state, seen: remembered };
  return { version: state.version + 1, sealed: req.sealed, seen: remembered };
}

export function beginRefresh(state: TokenVaultState, req: BeginRefreshRequest, now: number): { state: TokenVaultState; answer: BeginRefreshAnswer } {
  if (req.seenVersion !== state.version) return { state, answer: { granted: false, ...viewOf(state) } };
  const lease = state.lease;
  if (lease && lease.holder !== req.holder && lease.until > now) {
    return { state, answer: { granted: false, version: state.version, holder: lease.holder, retryInMs: lease.until - now } };
  }
  return { state: { ...state, lease: { holder: req.holder, until: now + req.leaseMs } }, answer: { granted: true, version: state.version } };
}

/** Why a finish is refused: the lease went to someone else, or the tokens changed meanwhile. */
export function finishProblem(state: TokenVaultState, req: FinishRefreshRequest): string | undefined {
  if (state.lease?.holder !== req.holder) return `the refresh lease is not held by ${req.holder}`;
  if (state.version !== req.version) return `the tokens changed since version ${req.version}`;
  return undefined;
}

export function withFinish(state: TokenVaultState, req: FinishRefreshRequest): TokenVaultState {
  const { lease: _released, ...rest } = state;
  return req.sealed === undefined ? rest : { ...rest, version: state.version + 1, sealed: req.sealed };
}
