/**
 * A cross-process lock built on a lock file created with O_EXCL: whoever creates the file owns the
 * lock. The file records pid, host and time so a lock left by a crashed process can be taken over
 * (the pid is gone on this host, or the lock is older than `staleMs`).
 */
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { LedgerError } from '../../domain/errors';

export interface FileLockOptions {
  /** A lock older than this is considered abandoned. */
  staleMs?: number;
  /** How long to wait for the lock before giving up (a transient error). */
  timeoutMs?: number;
  pollMs?: number;
}

interface LockOwner {
  pid: number;
  host: string;
  at: number;
  nonce: string;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(path: string): Promise<{ owner?: LockOwner; raw: string; mtimeMs: number } | undefined> {
  try {
    const [raw, st] = await Promise.all([fs.readFile(path, 'utf8'), fs.stat(path)]);
    let owner: LockOwner | undefined;
    try {
      owner = JSON.parse(raw) as LockOwner;
    } catch {
      owner = undefined; // half-written by a process that died mid-write; judged by mtime
    }
    return { owner, raw, mtimeMs: st.mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function isStale(info: { owner?: LockOwner; mtimeMs: number }, staleMs: number, now: number): boolean {
  const at = info.owner?.at ?? info.mtimeMs;
  if (now - at > staleMs) return true;
  return !!info.owner && info.owner.host === hostname() && !pidAlive(info.owner.pid);
}

/**
 * Moves a stale lock aside and deletes it. If, between our read and the rename, someone else had
 * already replaced it with a fresh lock, we put theirs back (link fails if the name is taken).
 */
async function breakStaleLock(path: string, staleRaw: string): Promise<void> {
  const aside = `${path}.stale-${randomUUID()}`;
  try {
    await fs.rename(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const moved = await fs.readFile(aside, 'utf8').catch(() => staleRaw);
  if (moved !== staleRaw) await fs.link(aside, path).catch(() => undefined);
  await fs.unlink(aside).catch(() => undefined);
}

async function tryAcquire(path: string, owner: LockOwner): Promise<boolean> {
  try {
    const handle = await fs.open(path, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(owner));
    } finally {
      await handle.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Runs `fn` while holding the lock file at `path`; always releases it, even when `fn` throws. */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const staleMs = options.staleMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 90_000;
  const pollMs = options.pollMs ?? 20;
  const owner: LockOwner = { pid: process.pid, host: hostname(), at: Date.now(), nonce: randomUUID() };
  const started = Date.now();
  for (;;) {
    owner.at = Date.now();
    if (await tryAcquire(path, owner)) break;
    const info = await readOwner(path);
    if (info && isStale(info, staleMs, Date.now())) {
      await breakStaleLock(path, info.raw);
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      throw new LedgerError('Unavailable', `Timed out waiting for lock ${path}`, { details: { lock: path } });
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  try {
    return await fn();
  } finally {
    // Only remove the lock if it is still ours (a stale-lock breaker may have taken it over).
    const info = await readOwner(path);
    if (info?.owner?.nonce === owner.nonce) await fs.unlink(path).catch(() => undefined);
  }
}
