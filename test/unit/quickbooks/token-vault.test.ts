/**
 * The token vault's rules (one refresh lease at a time; a store only from the lease holder on the
 * version it read; a newly connected token replaces, a seen one never does) and the sealing of the
 * tokens (only the client secret's holders open them).
 */
import { beginRefresh, finishProblem, withFinish, withSeed, type TokenVaultState } from '../../../domain/token-vault';
import { TokenSeal, tokenFingerprint } from '../../../integrations/quickbooks/sealed-tokens';
import { LedgerError } from '../../../domain/errors';

const empty: TokenVaultState = { version: 0 };

describe('token vault', () => {
  it('gives the refresh lease to one worker at a time, and again once it expires', () => {
    const seeded = withSeed(empty, { sealed: 's1', fingerprint: 'f1' });
    const a = beginRefresh(seeded, { holder: 'a', seenVersion: 1, leaseMs: 1000 }, 0);
    expect(a.answer).toEqual({ granted: true, version: 1 });
    expect(beginRefresh(a.state, { holder: 'b', seenVersion: 1, leaseMs: 1000 }, 500).answer).toEqual({ granted: false, version: 1, holder: 'a', retryInMs: 500 });
    expect(beginRefresh(a.state, { holder: 'b', seenVersion: 1, leaseMs: 1000 }, 1000).answer).toEqual({ granted: true, version: 1 });
  });

  it('a worker whose tokens are outdated gets the current ones instead of a lease', () => {
    const rotated = withFinish(beginRefresh(withSeed(empty, { sealed: 's1', fingerprint: 'f1' }), { holder: 'a', seenVersion: 1, leaseMs: 1000 }, 0).state, { holder: 'a', version: 1, sealed: 's2' });
    expect(rotated).toEqual({ version: 2, sealed: 's2', seen: ['f1'] });
    expect(beginRefresh(rotated, { holder: 'b', seenVersion: 1, leaseMs: 1000 }, 10).answer).toEqual({ granted: false, version: 2, sealed: 's2' });
  });

  it('stores only from the lease holder on the version it read; a failed refresh only gives the lease back', () => {
    const leased = beginRefresh(withSeed(empty, { sealed: 's1', fingerprint: 'f1' }), { holder: 'a', seenVersion: 1, leaseMs: 1000 }, 0).state;
    expect(finishProblem(leased, { holder: 'b', version: 1, sealed: 'x' })).toMatch(/not held by b/);
    expect(finishProblem(leased, { holder: 'a', version: 0, sealed: 'x' })).toMatch(/changed since version 0/);
    expect(finishProblem(leased, { holder: 'a', version: 1, sealed: 'x' })).toBeUndefined();
    expect(withFinish(leased, { holder: 'a', version: 1 })).toEqual({ version: 1, sealed: 's1', seen: ['f1'] });
  });

  it('a newly connected refresh token replaces the tokens; one seen before, or carried over from a file into a full vault, does not', () => {
    const first = withSeed(empty, { sealed: 's1', fingerprint: 'f1' });
    expect(withSeed(first, { sealed: 'stale', fingerprint: 'f1' })).toBe(first);
    expect(withSeed(first, { sealed: 'file', fingerprint: 'f2', onlyIfEmpty: true })).toEqual({ version: 1, sealed: 's1', seen: ['f1', 'f2'] });
    expect(withSeed(first, { sealed: 'reconnected', fingerprint: 'f3' })).toEqual({ version: 2, sealed: 'reconnected', seen: ['f1', 'f3'] });
    expect(withSeed(empty, { sealed: 'file', fingerprint: 'f2', onlyIfEmpty: true })).toEqual({ version: 1, sealed: 'file', seen: ['f2'] });
  });
});

describe('sealed tokens', () => {
  const tokens = { accessToken: 'at-123', refreshToken: 'rt-456', accessTokenExpiresAt: '2026-12-01T00:00:00.000Z' };

  it('round-trips under the same client secret and realm, and shows no token', () => {
    const sealed = new TokenSeal('9341', 'secret').seal(tokens);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toMatch(/at-123|rt-456/);
    expect(new TokenSeal('9341', 'secret').open(sealed)).toEqual(tokens);
  });

  it('another client secret or realm cannot open them, and says how to reconnect', () => {
    const sealed = new TokenSeal('9341', 'secret').seal(tokens);
    for (const other of [new TokenSeal('9341', 'rotated'), new TokenSeal('9342', 'secret')]) {
      const err = (() => {
        try {
          other.open(sealed);
        } catch (e) {
          return e as LedgerError;
        }
        throw new Error('opened');
      })();
      expect(err).toMatchObject({ type: 'AuthenticationFailed', fix: expect.stringMatching(/reconnect the company/) });
    }
  });

  it('fingerprints name a refresh token per realm without containing it', () => {
    expect(tokenFingerprint('1', 'rt-456')).toMatch(/^[0-9a-f]{24}$/);
    expect(tokenFingerprint('1', 'rt-456')).not.toBe(tokenFingerprint('2', 'rt-456'));
  });
});
