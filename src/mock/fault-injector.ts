import type { FaultInjector } from '../evaluate/index.ts';
import { createRandom, type Random } from '../random.ts';
import type { Tenant } from '../schema/index.ts';

/** A tenant's fault settings, as the tenant file states them. */
export type Faults = Tenant['faults'];
type Latency = Faults['latency'];

/** Seeded fault injection per tenant: 7005 with a probability or for the next N requests, and latency. */
export interface MockFaultInjector extends FaultInjector {
  /** Milliseconds to hold the answer of one request of this tenant (0 when no latency is configured). */
  latencyMs(tenantId: string): number;
  /** Replace a tenant's faults; its random sequences start again from the seed. */
  configure(tenantId: string, faults: Faults): void;
  /** Answer 7005 for every request that reaches the fault stage (provider state), or stop doing so. */
  setForcedError(on: boolean): void;
  /** Back to the configured faults, sequences from their seeds, no forced error. */
  reset(): void;
}

interface TenantFaults {
  faults: Faults;
  errorRandom: Random;
  latencyRandom: Random;
  nextErrors: number;
}

// The latency draws use their own stream so that turning latency on does not change which requests fail.
const LATENCY_STREAM = 0x9e3779b9;

function newTenantFaults(faults: Faults): TenantFaults {
  return {
    faults,
    errorRandom: createRandom(faults.seed),
    latencyRandom: createRandom((faults.seed ^ LATENCY_STREAM) >>> 0),
    nextErrors: faults.internalErrorNext,
  };
}

/** Standard normal draw from two uniform draws (Box-Muller). */
function normal(random: Random): number {
  const u = 1 - random.next();
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** How each latency distribution draws one value, in milliseconds. */
const LATENCY_DRAW = {
  none: () => 0,
  fixed: (l, _r) => l.ms,
  uniform: (l, r) => l.minMs + r.next() * Math.max(0, l.maxMs - l.minMs),
  lognormal: (l, r) => l.medianMs * Math.exp(l.sigma * normal(r)),
} as const satisfies {
  [K in Latency['distribution']]: (latency: Extract<Latency, { distribution: K }>, random: Random) => number;
};

/** Draw one latency value from a distribution with a seeded random source. */
export function drawLatency(latency: Latency, random: Random): number {
  const draw = LATENCY_DRAW[latency.distribution] as (l: Latency, r: Random) => number;
  return draw(latency, random);
}

/** Create the fault injector for a set of tenants. */
export function createFaultInjector(tenants: readonly Pick<Tenant, 'id' | 'faults'>[]): MockFaultInjector {
  const configured = new Map<string, Faults>();
  const states = new Map<string, TenantFaults>();
  for (const t of tenants) {
    configured.set(t.id, t.faults);
    states.set(t.id, newTenantFaults(t.faults));
  }
  let forced = false;

  return {
    internalError(tenantId) {
      if (forced) return true;
      const s = states.get(tenantId);
      if (s === undefined) return false;
      if (s.nextErrors > 0) {
        s.nextErrors -= 1;
        return true;
      }
      const rate = s.faults.internalErrorRate;
      return rate > 0 && s.errorRandom.next() < rate;
    },
    latencyMs(tenantId) {
      const s = states.get(tenantId);
      if (s === undefined || s.faults.latency.distribution === 'none') return 0;
      return drawLatency(s.faults.latency, s.latencyRandom);
    },
    configure(tenantId, faults) {
      configured.set(tenantId, faults);
      states.set(tenantId, newTenantFaults(faults));
    },
    setForcedError(on) {
      forced = on;
    },
    reset() {
      forced = false;
      for (const [id, faults] of configured) states.set(id, newTenantFaults(faults));
    },
  };
}
