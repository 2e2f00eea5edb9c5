import { createFaultInjector } from '../../../dev/sandbox/shared/fault-injector';

describe('fault injector', () => {
  it('is repeatable for a seed and independent of which knobs are on', () => {
    const a = createFaultInjector({ seed: 7, errorRate: 0.5 });
    const b = createFaultInjector({ seed: 7, errorRate: 0.5 });
    const seqA = Array.from({ length: 50 }, () => a.decide(false).kind);
    const seqB = Array.from({ length: 50 }, () => b.decide(false).kind);
    expect(seqA).toEqual(seqB);
    expect(seqA).toContain('error');
    expect(seqA).toContain('none');
  });

  it('applies rates of 0 and 1 exactly, and lost responses only to writes', () => {
    const f = createFaultInjector({ seed: 1 });
    expect(Array.from({ length: 20 }, () => f.decide(true).kind).every((k) => k === 'none')).toBe(true);
    f.set({ loseResponseRate: 1 });
    expect(f.decide(false).kind).toBe('none');
    expect(f.decide(true).kind).toBe('loseResponse');
    f.set({ throttleRate: 1, retryAfterSeconds: 3 });
    expect(f.decide(true)).toEqual({ kind: 'throttle', retryAfterSeconds: 3 });
    f.set({ dropRate: 1 });
    expect(f.decide(false).kind).toBe('drop');
  });

  it('counts the faults it draws; a lost response only once the server withholds it', () => {
    const f = createFaultInjector({ seed: 3, errorRate: 0.3, throttleRate: 0.2 });
    const kinds = Array.from({ length: 100 }, () => f.decide(false).kind);
    expect(f.counts()).toEqual({ error: kinds.filter((k) => k === 'error').length, throttle: kinds.filter((k) => k === 'throttle').length, drop: 0, loseResponse: 0 });
    expect(f.counts().error).toBeGreaterThan(0);
    f.set({ errorRate: 0, throttleRate: 0, loseResponseRate: 1 });
    expect(f.decide(true).kind).toBe('loseResponse');
    expect(f.counts().loseResponse).toBe(0);
    f.countLostResponse();
    expect(f.counts().loseResponse).toBe(1);
  });

  it('rejects nonsense knob values', () => {
    expect(() => createFaultInjector({ errorRate: 2 })).toThrow(/errorRate/);
    expect(() => createFaultInjector().set({ latencyMs: -1 })).toThrow(/latencyMs/);
  });
});
