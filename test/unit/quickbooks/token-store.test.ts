import { mkdtempSync, promises as fs, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { FileTokenStore, MemoryTokenStore, type QuickBooksTokens } from '../../../integrations/quickbooks/token-store';
import { withFileLock } from '../../../integrations/quickbooks/file-lock';
import { isLedgerError } from '../../../domain/errors';

const dir = () => mkdtempSync(join(tmpdir(), 'qbo-tokens-'));
const first: QuickBooksTokens = { accessToken: 'at-0', refreshToken: 'rt-0' };

/** A refresh that yields control (so concurrent callers really overlap) and counts its calls. */
function countingRefresh() {
  let calls = 0;
  const refresh = async (current: QuickBooksTokens): Promise<QuickBooksTokens> => {
    calls++;
    await new Promise((r) => setTimeout(r, 20));
    const n = Number(current.refreshToken.split('-')[1]) + 1;
    return { accessToken: `at-${n}`, refreshToken: `rt-${n}` };
  };
  return { refresh, calls: () => calls };
}

describe('FileTokenStore', () => {
  it('writes the token file owner-only and persists every rotation', async () => {
    const path = join(dir(), 'nested', 'qbo-tokens.json');
    const store = await FileTokenStore.initialise(path, first);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const { refresh } = countingRefresh();
    const next = await store.rotate('at-0', refresh);
    expect(next).toEqual({ accessToken: 'at-1', refreshToken: 'rt-1' });
    expect(JSON.parse(await fs.readFile(path, 'utf8'))).toEqual(next);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(existsSync(store.lockPath)).toBe(false);
  });

  it('tightens a pre-existing world-readable file on rotation', async () => {
    const path = join(dir(), 'tokens.json');
    writeFileSync(path, JSON.stringify(first), { mode: 0o644 });
    await new FileTokenStore(path).rotate('at-0', countingRefresh().refresh);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('lets exactly one of two stores on the same file refresh; the other picks up the result', async () => {
    const path = join(dir(), 'tokens.json');
    await FileTokenStore.initialise(path, first);
    const a = new FileTokenStore(path);
    const b = new FileTokenStore(path);
    const counter = countingRefresh();
    const results = await Promise.all([a.rotate('at-0', counter.refresh), b.rotate('at-0', counter.refresh), a.rotate('at-0', counter.refresh)]);
    expect(counter.calls()).toBe(1);
    for (const r of results) expect(r).toEqual({ accessToken: 'at-1', refreshToken: 'rt-1' });
  });

  it('releases the lock when the refresh fails, keeping the old tokens', async () => {
    const path = join(dir(), 'tokens.json');
    const store = await FileTokenStore.initialise(path, first);
    await expect(store.rotate('at-0', async () => Promise.reject(new Error('invalid_grant')))).rejects.toThrow('invalid_grant');
    expect(existsSync(store.lockPath)).toBe(false);
    expect(await store.load()).toEqual(first);
  });

  it('takes over a lock left by a dead process', async () => {
    const path = join(dir(), 'tokens.json');
    const store = await FileTokenStore.initialise(path, first);
    // pid 2^22+ is above Linux's default pid_max, so no live process has it.
    writeFileSync(store.lockPath, JSON.stringify({ pid: 4_194_999, host: hostname(), at: Date.now(), nonce: 'dead' }));
    const next = await store.rotate('at-0', countingRefresh().refresh);
    expect(next.accessToken).toBe('at-1');
    expect(existsSync(store.lockPath)).toBe(false);
  });

  it('takes over a lock older than staleMs even from another host', async () => {
    const path = join(dir(), 'tokens.json');
    await FileTokenStore.initialise(path, first);
    const store = new FileTokenStore(path, { staleMs: 1000 });
    writeFileSync(store.lockPath, JSON.stringify({ pid: 1, host: 'elsewhere', at: Date.now() - 10_000, nonce: 'old' }));
    expect((await store.rotate('at-0', countingRefresh().refresh)).accessToken).toBe('at-1');
  });

  it('waits for a live holder and gives up with a transient error after timeoutMs', async () => {
    const lock = join(dir(), 'busy.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now(), nonce: 'live' }));
    let err: unknown;
    try {
      await withFileLock(lock, async () => 'never', { timeoutMs: 50, pollMs: 5 });
    } catch (e) {
      err = e;
    }
    expect(isLedgerError(err) && err.type).toBe('Unavailable');
    expect(existsSync(lock)).toBe(true);
  });

  it('reports an unreadable token file as an authentication problem without leaking contents', async () => {
    const path = join(dir(), 'tokens.json');
    writeFileSync(path, JSON.stringify({ accessToken: 'secret-at' }));
    let err: unknown;
    try {
      await new FileTokenStore(path).load();
    } catch (e) {
      err = e;
    }
    expect(isLedgerError(err) && err.type).toBe('AuthenticationFailed');
    expect(String((err as Error).message)).not.toContain('secret-at');
  });
});

describe('MemoryTokenStore', () => {
  it('serialises rotations and skips a refresh someone already did', async () => {
    const store = new MemoryTokenStore(first);
    const counter = countingRefresh();
    const [x, y] = await Promise.all([store.rotate('at-0', counter.refresh), store.rotate('at-0', counter.refresh)]);
    expect(counter.calls()).toBe(1);
    expect(x).toEqual(y);
  });
});
