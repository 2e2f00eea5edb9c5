/**
 * Fault and throttle knobs shared by the sandboxes. A decision is drawn per request from a seeded
 * PRNG before the request touches state, so 5xx, 429 and dropped connections never change anything;
 * only `loseResponse` lets the write commit and then withholds the answer (the client times out).
 */
import { createPrng, type Prng } from './prng';

export interface FaultKnobs {
  /** Seed for the decision sequence; changing knobs at run time re-seeds when given. */
  seed: number;
  /** Probability (0..1) of answering with a 500 before doing anything. */
  errorRate: number;
  /** Probability (0..1) of answering 429 with Retry-After. */
  throttleRate: number;
  retryAfterSeconds: number;
  /** Added to every faultable request before it is handled. */
  latencyMs: number;
  /** Probability (0..1) of destroying the connection before handling the request. */
  dropRate: number;
  /** Probability (0..1) that a write commits but its response never arrives. */
  loseResponseRate: number;
  /** How long a lost response holds the socket open before it is destroyed. */
  loseResponseHoldMs: number;
}

export const DEFAULT_FAULT_KNOBS: FaultKnobs = {
  seed: 1,
  errorRate: 0,
  throttleRate: 0,
  retryAfterSeconds: 1,
  latencyMs: 0,
  dropRate: 0,
  loseResponseRate: 0,
  loseResponseHoldMs: 30_000,
};

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'error' }
  | { kind: 'throttle'; retryAfterSeconds: number }
  | { kind: 'drop' }
  | { kind: 'loseResponse'; holdMs: number };

/** Faults drawn since the sandbox started; a lost response counts only once a committed write is withheld. */
export interface FaultCounts {
  error: number;
  throttle: number;
  drop: number;
  loseResponse: number;
}

export interface FaultInjector {
  readonly knobs: Readonly<FaultKnobs>;
  /** A copy of the counts so far. */
  counts(): FaultCounts;
  /** The server withheld a committed write's answer (only it knows whether the write committed). */
  countLostResponse(): void;
  /** Merge new knob values; a new `seed` restarts the decision sequence. */
  set(knobs: Partial<FaultKnobs>): FaultKnobs;
  /** One decision per request; `write` says whether the request can commit state. */
  decide(write: boolean): FaultDecision;
}

export function createFaultInjector(initial: Partial<FaultKnobs> = {}): FaultInjector {
  let knobs: FaultKnobs = validateKnobs({ ...DEFAULT_FAULT_KNOBS, ...initial });
  let prng: Prng = createPrng(knobs.seed);
  const counts: FaultCounts = { error: 0, throttle: 0, drop: 0, loseResponse: 0 };
  const counted = <D extends FaultDecision>(decision: D): D => {
    if (decision.kind === 'error' || decision.kind === 'throttle' || decision.kind === 'drop') counts[decision.kind] += 1;
    return decision;
  };
  return {
    get knobs() {
      return knobs;
    },
    set(update) {
      knobs = validateKnobs({ ...knobs, ...update });
      if (update.seed !== undefined) prng = createPrng(knobs.seed);
      return knobs;
    },
    counts: () => ({ ...counts }),
    countLostResponse() {
      counts.loseResponse += 1;
    },
    decide(write) {
      // Always draw the same number of values so the sequence does not depend on which knobs are on.
      const [a, b, c, d] = [prng.next(), prng.next(), prng.next(), prng.next()];
      if (a < knobs.dropRate) return counted({ kind: 'drop' });
      if (b < knobs.throttleRate) return counted({ kind: 'throttle', retryAfterSeconds: knobs.retryAfterSeconds });
      if (c < knobs.errorRate) return counted({ kind: 'error' });
      if (write && d < knobs.loseResponseRate) return { kind: 'loseResponse', holdMs: knobs.loseResponseHoldMs };
      return { kind: 'none' };
    },
  };
}

function validateKnobs(k: FaultKnobs): FaultKnobs {
  for (const rate of ['errorRate', 'throttleRate', 'dropRate', 'loseResponseRate'] as const) {
    if (!(k[rate] >= 0 && k[rate] <= 1)) throw new Error(`fault knob ${rate} must be between 0 and 1`);
  }
  for (const ms of ['latencyMs', 'retryAfterSeconds', 'loseResponseHoldMs'] as const) {
    if (!(k[ms] >= 0)) throw new Error(`fault knob ${ms} must be >= 0`);
  }
  return k;
}
