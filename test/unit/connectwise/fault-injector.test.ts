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

  it('rejects nonsense knob values', () => {
    expect(() => createFaultInjector({ errorRate: 2 })).toThrow(/errorRate/);
    expect(() => createFaultInjector().set({ latencyMs: -1 })).toThrow(/latencyMs/);
  });
});
