import type { Admission, Clock, RateLimiter } from '../evaluate/index.ts';
import type { Tenant } from '../schema/index.ts';
import { burstBand } from '../schema/index.ts';

/** A tenant's rate limit, as the tenant file states it. */
export type RateLimit = Tenant['rateLimit'];

/** How a provider state overrides the limiter: not at all, reject everything, or relabel admitted as burst. */
export type LimiterMode = 'normal' | 'reject-all' | 'burst-all';

/** The mock's rate limiter: per tenant, fixed or sliding one-second windows, burst band and burst budget. */
export interface MockRateLimiter extends RateLimiter {
  /** Decide at a given time (the limiter's own clock is used by `admit`). */
  admitAt(tenantId: string, weight: number, nowMs: number): Admission;
  /** Set (or replace) a tenant's limit; its windows start empty. */
  configure(tenantId: string, limit: RateLimit): void;
  /** Override every decision (provider states); `normal` restores the limits. */
  setMode(mode: LimiterMode): void;
  /** Empty every tenant's windows and return to `normal`. */
  reset(): void;
  /** The clock the windows are measured with. */
  readonly clock: Clock;
}

const SECOND_MS = 1000;
const MINUTE_MS = 60_000;

/** Admissions of the last second in a sliding window: a ring of (time, weight). */
interface Ring {
  times: Float64Array;
  weights: Uint32Array;
  head: number;
  size: number;
  sum: number;
}

interface TenantState {
  limit: RateLimit;
  tps: number;
  /** The burst band: min(0.5 × TPS, 100) when burst is on, else 0. */
  band: number;
  // fixed windows: weight admitted as queued and as burst in the current wall-clock second
  windowIndex: number;
  queuedUsed: number;
  burstUsed: number;
  // sliding window: the queued and the burst admissions of the last second, kept apart so that any one-second
  // window holds at most TPS "Queued" and at most the band "Queued in burst mode" (as fixed windows do)
  queuedRing: Ring | undefined;
  burstRing: Ring | undefined;
  // burst budget: distinct seconds with a burst admission in the current wall-clock minute
  minuteIndex: number;
  burstSeconds: number;
  lastBurstSecond: number;
}

// Rings start small and double as needed (at most TPS entries, since every weight is >= 1): a huge TPS must not
// allocate its whole ring up front.
const INITIAL_RING = 64;

const newRing = (): Ring => ({
  times: new Float64Array(INITIAL_RING),
  weights: new Uint32Array(INITIAL_RING),
  head: 0,
  size: 0,
  sum: 0,
});

/** Double a full ring, keeping its entries in order from index 0. */
function grow(r: Ring): void {
  const cap = r.times.length;
  const times = new Float64Array(cap * 2);
  const weights = new Uint32Array(cap * 2);
  for (let i = 0; i < r.size; i++) {
    times[i] = r.times[(r.head + i) % cap] as number;
    weights[i] = r.weights[(r.head + i) % cap] as number;
  }
  r.times = times;
  r.weights = weights;
  r.head = 0;
}

function newState(limit: RateLimit): TenantState {
  const band = limit.burst ? burstBand(limit.tps) : 0;
  const sliding = limit.window === 'sliding';
  return {
    limit,
    tps: limit.tps,
    band,
    windowIndex: -1,
    queuedUsed: 0,
    burstUsed: 0,
    queuedRing: sliding ? newRing() : undefined,
    burstRing: sliding ? newRing() : undefined,
    minuteIndex: -1,
    burstSeconds: 0,
    lastBurstSecond: -1,
  };
}

/** Drop admissions older than one second; the weight still in the ring. */
function slide(r: Ring, nowMs: number): number {
  const cap = r.times.length;
  while (r.size > 0 && (r.times[r.head] as number) <= nowMs - SECOND_MS) {
    r.sum -= r.weights[r.head] as number;
    r.head = (r.head + 1) % cap;
    r.size -= 1;
  }
  return r.sum;
}

function push(r: Ring, weight: number, nowMs: number): void {
  if (r.size === r.times.length) grow(r);
  const at = (r.head + r.size) % r.times.length;
  r.times[at] = nowMs;
  r.weights[at] = weight;
  r.size += 1;
  r.sum += weight;
}

/** Weight admitted as queued and as burst in the window that contains `nowMs`. */
function usedAt(s: TenantState, nowMs: number): { queued: number; burst: number } {
  if (s.queuedRing === undefined || s.burstRing === undefined) {
    const index = Math.floor(nowMs / SECOND_MS);
    if (index !== s.windowIndex) {
      s.windowIndex = index;
      s.queuedUsed = 0;
      s.burstUsed = 0;
    }
    return { queued: s.queuedUsed, burst: s.burstUsed };
  }
  return { queued: slide(s.queuedRing, nowMs), burst: slide(s.burstRing, nowMs) };
}

function record(s: TenantState, band: 'queued' | 'burst', weight: number, nowMs: number): void {
  const ring = band === 'queued' ? s.queuedRing : s.burstRing;
  if (ring) push(ring, weight, nowMs);
  else if (band === 'queued') s.queuedUsed += weight;
  else s.burstUsed += weight;
}

/** Whether the burst budget (seconds of burst per wall-clock minute) allows a burst admission now. */
function burstBudgetAllows(s: TenantState, nowMs: number): boolean {
  const budget = s.limit.burstBudgetSeconds;
  if (budget === undefined) return true;
  const minute = Math.floor(nowMs / MINUTE_MS);
  if (minute !== s.minuteIndex) {
    s.minuteIndex = minute;
    s.burstSeconds = 0;
    s.lastBurstSecond = -1;
  }
  const second = Math.floor(nowMs / SECOND_MS);
  if (second === s.lastBurstSecond) return true;
  if (s.burstSeconds >= budget) return false;
  s.burstSeconds += 1;
  s.lastBurstSecond = second;
  return true;
}

/**
 * Create the rate limiter for a set of tenants. Fixed windows are aligned to wall-clock seconds of `clock`;
 * a sliding window is the last second. A request of weight w is queued while the window's queued weight stays
 * within TPS, answered burst while its burst weight stays within burstBand(TPS) (and the burst budget allows),
 * else rejected. Rejected requests do not count.
 */
export function createRateLimiter(
  tenants: readonly Pick<Tenant, 'id' | 'rateLimit'>[],
  options: { clock?: Clock } = {},
): MockRateLimiter {
  const clock: Clock = options.clock ?? { now: Date.now };
  const states = new Map<string, TenantState>();
  const limits = new Map<string, RateLimit>();
  for (const t of tenants) {
    limits.set(t.id, t.rateLimit);
    states.set(t.id, newState(t.rateLimit));
  }
  let mode: LimiterMode = 'normal';

  const admitAt = (tenantId: string, weight: number, nowMs: number): Admission => {
    if (mode === 'reject-all') return 'rejected';
    const s = states.get(tenantId);
    // A tenant the limiter was not told about is not limited (the mock configures every tenant).
    if (s === undefined) return mode === 'burst-all' ? 'burst' : 'queued';
    const used = usedAt(s, nowMs);
    if (used.queued + weight <= s.tps) {
      record(s, 'queued', weight, nowMs);
      return mode === 'burst-all' ? 'burst' : 'queued';
    }
    if (used.burst + weight <= s.band && burstBudgetAllows(s, nowMs)) {
      record(s, 'burst', weight, nowMs);
      return 'burst';
    }
    return 'rejected';
  };

  return {
    clock,
    admitAt,
    admit: (tenantId, weight) => admitAt(tenantId, weight, clock.now()),
    configure(tenantId, limit) {
      limits.set(tenantId, limit);
      states.set(tenantId, newState(limit));
    },
    setMode(next) {
      mode = next;
    },
    reset() {
      mode = 'normal';
      for (const [id, limit] of limits) states.set(id, newState(limit));
    },
  };
}
