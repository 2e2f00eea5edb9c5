/**
 * Where the OAuth tokens live. QuickBooks rotates the refresh token, and an outdated one fails with
 * invalid_grant, so every rotation must be saved and two workers must never refresh at once: the
 * file store refreshes under a lock file and re-reads the tokens inside the lock, skipping the
 * refresh when another process already rotated them.
 */
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { QUICKBOOKS_RECONNECT_STEP } from '../../domain/connection-health';
import { LedgerError } from '../../domain/errors';
import { parseSecretJson } from '../secret-json';
import { withFileLock, type FileLockOptions } from './file-lock';

export const tokenSetSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  /** ISO time; unknown means "use until QuickBooks says 401". */
  accessTokenExpiresAt: z.string().optional(),
  /** The refresh token's rolling expiry (about 100 days after it was issued). */
  refreshTokenExpiresAt: z.string().optional(),
  /** The connection's hard expiry (5 years after it was authorized), when QuickBooks stated it. */
  refreshTokenHardExpiresAt: z.string().optional(),
  /** When the tokens were last refreshed. */
  refreshedAt: z.string().optional(),
});
export type QuickBooksTokens = z.infer<typeof tokenSetSchema>;

const RECONNECT_FIX = `The file must hold the tokens Ledgerline wrote; restore it from a backup or ${QUICKBOOKS_RECONNECT_STEP}`;

export interface TokenStore {
  load(): Promise<QuickBooksTokens>;
  /**
   * Replaces the tokens via `refresh`, one caller at a time. When the stored access token is no
   * longer `staleAccessToken`, someone else already refreshed and the stored tokens are returned.
   */
  rotate(staleAccessToken: string, refresh: (current: QuickBooksTokens) => Promise<QuickBooksTokens>): Promise<QuickBooksTokens>;
}

/** For one process (tests, the demo token); rotations live in memory only. */
export class MemoryTokenStore implements TokenStore {
  private chain: Promise<unknown> = Promise.resolve();
  constructor(private tokens: QuickBooksTokens) {}

  async load(): Promise<QuickBooksTokens> {
    return { ...this.tokens };
  }

  rotate(stale: string, refresh: (c: QuickBooksTokens) => Promise<QuickBooksTokens>): Promise<QuickBooksTokens> {
    const run = this.chain.then(async () => {
      if (this.tokens.accessToken !== stale) return { ...this.tokens };
      this.tokens = await refresh({ ...this.tokens });
      return { ...this.tokens };
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}

/** Writes via a temp file + rename so a crash never leaves half a token file; owner-only mode. */
async function writeTokenFile(path: string, tokens: QuickBooksTokens): Promise<void> {
  await fs.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${randomUUID()}.tmp`;
  const handle = await fs.open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(JSON.stringify(tokens, null, 2));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, path);
  await fs.chmod(path, 0o600); // in case the file pre-existed with wider permissions
}

export class FileTokenStore implements TokenStore {
  readonly lockPath: string;

  constructor(
    readonly path: string,
    private readonly lockOptions: FileLockOptions = {},
  ) {
    this.lockPath = `${path}.lock`;
  }

  /** Seeds the file (after the OAuth connect flow, or from the demo credentials). */
  static async initialise(path: string, tokens: QuickBooksTokens): Promise<FileTokenStore> {
    await writeTokenFile(path, tokenSetSchema.parse(tokens));
    return new FileTokenStore(path);
  }

  async load(): Promise<QuickBooksTokens> {
    let raw: string;
    try {
      raw = await fs.readFile(this.path, 'utf8');
    } catch (err) {
      throw new LedgerError('AuthenticationFailed', `QuickBooks token file ${this.path} cannot be read (${(err as NodeJS.ErrnoException).code})`, {
        fix: 'Connect the QuickBooks company so the token file is written, or fix QBO_TOKEN_FILE.',
      });
    }
    // A corrupt file fails at once (a business error, never retried) and is never quoted: it holds tokens.
    const json = parseSecretJson(raw);
    if (!json.ok) {
      throw new LedgerError('AuthenticationFailed', `QuickBooks token file ${this.path} is not valid JSON (${json.where})`, {
        fix: RECONNECT_FIX,
        details: { tokenFile: this.path },
      });
    }
    const parsed = tokenSetSchema.safeParse(json.value);
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path.join('.') || '(top level)';
      throw new LedgerError('AuthenticationFailed', `QuickBooks token file ${this.path} is not a token set (${field}: ${parsed.error.issues[0]?.message})`, {
        fix: RECONNECT_FIX,
        details: { tokenFile: this.path, field },
      });
    }
    return parsed.data;
  }

  rotate(stale: string, refresh: (c: QuickBooksTokens) => Promise<QuickBooksTokens>): Promise<QuickBooksTokens> {
    return withFileLock(
      this.lockPath,
      async () => {
        const current = await this.load();
        if (current.accessToken !== stale) return current;
        const next = await refresh(current);
        await writeTokenFile(this.path, next);
        return next;
      },
      this.lockOptions,
    );
  }
}
