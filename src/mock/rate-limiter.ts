import type { Admission, Clock, RateLimiter } from '../evaluate/types.ts';
import { burstBand } from '../schema/catalog.ts';
import type { Tenant } from '../schema/tenant.ts';

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

interface TenantState {
  limit: RateLimit;
  tps: number;
  /** tps + burst band when burst is on, else tps: the most a window admits. */
  ceiling: number;
  // fixed windows
  windowIndex: number;
  used: number;
  // sliding window: a ring of admitted (time, weight); at most `ceiling` entries since every weight >= 1
  times: Float64Array | undefined;
  weights: Uint32Array | undefined;
  head: number;
  size: number;
  slidingSum: number;
  // burst budget: distinct seconds with a burst admission in the current wall-clock minute
  minuteIndex: number;
  burstSeconds: number;
  lastBurstSecond: number;
}

function newState(limit: RateLimit): TenantState {
  const band = limit.burst ? burstBand(limit.tps) : 0;
  const ceiling = limit.tps + band;
  const sliding = limit.window === 'sliding';
  return {
    limit,
    tps: limit.tps,
    ceiling,
    windowIndex: -1,
    used: 0,
    times: sliding ? new Float64Array(ceiling + 1) : undefined,
    weights: sliding ? new Uint32Array(ceiling + 1) : undefined,
    head: 0,
    size: 0,
    slidingSum: 0,
    minuteIndex: -1,
    burstSeconds: 0,
    lastBurstSecond: -1,
  };
}

/** Weight already admitted in the window that contains `nowMs`. */
function usedAt(s: TenantState, nowMs: number): number {
  if (s.times === undefined || s.weights === undefined) {
    const index = Math.floor(nowMs / SECOND_MS);
    if (index !== s.windowIndex) {
      s.windowIndex = index;
      s.used = 0;
    }
    return s.used;
  }
  // Sliding: drop admissions older than one second.
  const cap = s.times.length;
  while (s.size > 0 && (s.times[s.head] as number) <= nowMs - SECOND_MS) {
    s.slidingSum -= s.weights[s.head] as number;
    s.head = (s.head + 1) % cap;
    s.size -= 1;
  }
  return s.slidingSum;
}

function record(s: TenantState, weight: number, nowMs: number): void {
  if (s.times === undefined || s.weights === undefined) {
    s.used += weight;
    return;
  }
  const at = (s.head + s.size) % s.times.length;
  s.times[at] = nowMs;
  s.weights[at] = weight;
  s.size += 1;
  s.slidingSum += weight;
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
 * a request of weight w is queued while the window holds at most TPS, answered burst while it holds at most
 * TPS + burstBand(TPS) (and the burst budget allows), else rejected. Rejected requests do not count.
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
    if (used + weight <= s.tps) {
      record(s, weight, nowMs);
      return mode === 'burst-all' ? 'burst' : 'queued';
    }
    if (used + weight <= s.ceiling && burstBudgetAllows(s, nowMs)) {
      record(s, weight, nowMs);
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
