import { createRandom, type Random } from '../random.ts';
import type { ApiErrorCode } from './types.ts';
import { RETRYABLE, type RetryPolicy } from './types.ts';

/** The default retry policy: 4 attempts, 200 ms doubling to at most 5 s, half of each delay random. */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  factor: 2,
  jitter: 0.5,
  seed: 1,
  codes: (Object.keys(RETRYABLE) as ApiErrorCode[]).filter((c) => RETRYABLE[c]),
};

/** A policy with overrides applied and checked (a bad value is a usage error of the caller). */
export function retryPolicy(...overrides: (Partial<RetryPolicy> | undefined)[]): RetryPolicy {
  const p: RetryPolicy = Object.assign({}, DEFAULT_RETRY, ...overrides.filter(Boolean));
  if (!Number.isInteger(p.maxAttempts) || p.maxAttempts < 1) throw new RangeError('maxAttempts must be >= 1');
  if (p.baseDelayMs < 0 || p.maxDelayMs < p.baseDelayMs)
    throw new RangeError('need 0 <= baseDelayMs <= maxDelayMs');
  if (p.factor < 1) throw new RangeError('factor must be >= 1');
  if (p.jitter < 0 || p.jitter > 1) throw new RangeError('jitter must be within [0, 1]');
  return p;
}

/** The delays before retry 1, 2, ...: a seeded sequence, so two runs with one seed wait the same. */
export function backoffDelays(policy: RetryPolicy): () => number {
  const random: Random = createRandom(policy.seed);
  let retry = 0;
  return () => {
    const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** retry);
    retry += 1;
    return Math.round(cap * (1 - policy.jitter + policy.jitter * random.next()));
  };
}
