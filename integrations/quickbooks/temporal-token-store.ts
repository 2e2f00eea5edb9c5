/**
 * The QuickBooks tokens of one company, kept in Temporal (the `accountingTokens` workflow,
 * domain/token-vault) instead of on a worker's disk: every worker on every host reads the same
 * tokens, and one at a time rotates them under a lease. Tokens are sealed with a key only holders
 * of the client secret can derive (sealed-tokens.ts), so no history, query result or codec-decoded
 * payload shows them.
 *
 * Seeding, once per process: a refresh token from the connect flow that the vault has not seen yet
 * replaces what it keeps (a reconnect); tokens carried over from a token file fill an empty vault.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { LedgerError } from '../../domain/errors';
import {
  ACCOUNTING_TOKENS_WORKFLOW,
  accountingTokensWorkflowId,
  TOKEN_VAULT_MESSAGES,
  type BeginRefreshAnswer,
  type BeginRefreshRequest,
  type FinishRefreshRequest,
  type SeedTokensRequest,
  type TokenVaultView,
} from '../../domain/token-vault';
import { TokenSeal, tokenFingerprint } from './sealed-tokens';
import type { QuickBooksTokens, TokenStore } from './token-store';

export interface TemporalTokenStoreOptions {
  client: Client;
  /** The deployment's main task queue: its workers run the vault workflow. */
  taskQueue: string;
  realmId: string;
  clientSecret: string;
  /** Tokens from the OAuth connect flow (configuration); used when the vault has not seen them. */
  connected?: QuickBooksTokens;
  /** Tokens a token file on this host kept before the vault existed; fill an empty vault only. */
  carriedOver?: () => Promise<QuickBooksTokens | undefined>;
  /** How long one worker may take to refresh before another may try. */
  leaseMs?: number;
  /** How long a caller waits for another worker's refresh. */
  maxWaitMs?: number;
  pollMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class TemporalTokenStore implements TokenStore {
  private readonly seal: TokenSeal;
  private readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private seeded?: Promise<void>;

  constructor(private readonly options: TemporalTokenStoreOptions) {
    this.seal = new TokenSeal(options.realmId, options.clientSecret);
  }

  get workflowId(): string {
    return accountingTokensWorkflowId(this.options.realmId, this.options.taskQueue);
  }

  async load(): Promise<QuickBooksTokens> {
    return this.opened(await this.current());
  }

  async rotate(stale: string, refresh: (current: QuickBooksTokens) => Promise<QuickBooksTokens>): Promise<QuickBooksTokens> {
    const deadline = Date.now() + (this.options.maxWaitMs ?? 150_000);
    for (;;) {
      const view = await this.current();
      const tokens = this.opened(view);
      if (tokens.accessToken !== stale) return tokens;
      const lease = await this.update<BeginRefreshAnswer, BeginRefreshRequest>(TOKEN_VAULT_MESSAGES.beginRefresh, {
        holder: this.holder,
        seenVersion: view.version,
        leaseMs: this.options.leaseMs ?? 120_000,
      });
      if (lease.granted) return this.refreshUnderLease(view.version, tokens, refresh);
      if (lease.version !== view.version) continue;
      if (Date.now() >= deadline) {
        throw new LedgerError('Unavailable', `Another worker (${lease.holder ?? 'unknown'}) is still refreshing the QuickBooks tokens of realm ${this.options.realmId}`);
      }
      await sleep(Math.min(this.options.pollMs ?? 500, lease.retryInMs ?? Infinity));
    }
  }

  private async refreshUnderLease(version: number, tokens: QuickBooksTokens, refresh: (current: QuickBooksTokens) => Promise<QuickBooksTokens>): Promise<QuickBooksTokens> {
    let next: QuickBooksTokens;
    try {
      next = await refresh(tokens);
    } catch (err) {
      // Give the lease back so another worker need not wait it out; the refresh's own error is what counts.
      await this.update<TokenVaultView, FinishRefreshRequest>(TOKEN_VAULT_MESSAGES.finishRefresh, { holder: this.holder, version }).catch(() => undefined);
      throw err;
    }
    await this.storeRotated(version, next);
    return next;
  }

  /**
   * QuickBooks has already retired the old refresh token, so the rotated tokens must reach the vault:
   * the store is retried while the lease lasts, under one update id so a store that landed but whose
   * answer was lost is not applied twice (the server answers the repeat with the first outcome).
   */
  private async storeRotated(version: number, next: QuickBooksTokens): Promise<void> {
    const request: FinishRefreshRequest = { holder: this.holder, version, sealed: this.seal.seal(next) };
    const updateId = `finish-${this.holder}-${version}`;
    const until = Date.now() + (this.options.leaseMs ?? 120_000) * 0.8;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.update<TokenVaultView, FinishRefreshRequest>(TOKEN_VAULT_MESSAGES.finishRefresh, request, updateId);
        return;
      } catch (err) {
        // A refusal (the lease was lost) is final; only an unanswered store is tried again.
        if ((err as LedgerError).cause instanceof WorkflowUpdateFailedError || Date.now() >= until) throw err;
        await sleep(Math.min(5_000, (this.options.pollMs ?? 500) * attempt));
      }
    }
  }

  private opened(view: TokenVaultView): QuickBooksTokens {
    if (view.sealed === undefined) {
      throw new LedgerError('AuthenticationFailed', `QuickBooks company ${this.options.realmId} is not connected: Temporal keeps no tokens for it`, {
        fix: 'Put the refresh token from the OAuth connect flow in the company\'s refreshToken setting (QBO_REFRESH_TOKEN for the default company) and restart the workers.',
      });
    }
    return this.seal.open(view.sealed);
  }

  private async current(): Promise<TokenVaultView> {
    await (this.seeded ??= this.seed().catch((err: unknown) => {
      this.seeded = undefined;
      throw err;
    }));
    try {
      return await this.handle().query<TokenVaultView>(TOKEN_VAULT_MESSAGES.tokens);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { version: 0 };
      throw unavailable(err);
    }
  }

  private async seed(): Promise<void> {
    const { realmId, connected, carriedOver } = this.options;
    const fromFile = carriedOver ? await carriedOver() : undefined;
    const requests: SeedTokensRequest[] = [];
    if (fromFile) requests.push({ sealed: this.seal.seal(fromFile), fingerprint: tokenFingerprint(realmId, fromFile.refreshToken), onlyIfEmpty: true });
    // With a token file the configured token was already used up into it: remembered, not used.
    if (connected) requests.push({ sealed: this.seal.seal(connected), fingerprint: tokenFingerprint(realmId, connected.refreshToken), onlyIfEmpty: fromFile !== undefined });
    for (const request of requests) {
      await this.options.client.workflow
        .signalWithStart(ACCOUNTING_TOKENS_WORKFLOW, {
          workflowId: this.workflowId,
          taskQueue: this.options.taskQueue,
          args: [{ companyKey: realmId }],
          signal: TOKEN_VAULT_MESSAGES.seed,
          signalArgs: [request],
          staticSummary: `Sealed OAuth tokens of accounting company ${realmId}, shared by every worker`,
        })
        .catch((err: unknown) => {
          throw unavailable(err);
        });
    }
  }

  private async update<R, A>(name: string, arg: A, updateId?: string): Promise<R> {
    try {
      return await this.handle().executeUpdate<R, [A]>(name, { args: [arg], ...(updateId && { updateId }) });
    } catch (err) {
      throw unavailable(err);
    }
  }

  private handle() {
    return this.options.client.workflow.getHandle(this.workflowId);
  }
}

/** Temporal unreachable or busy: retried by the activity, as any outage. */
function unavailable(err: unknown): LedgerError {
  return new LedgerError('Unavailable', `The QuickBooks token vault did not answer: ${(err as Error).message}`, { cause: err });
}
