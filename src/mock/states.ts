import { z } from 'zod';
import { nodeJwtCrypto, serviceClaims, signJwt } from '../auth/index.ts';
import type { Tenant } from '../schema/index.ts';
import { DESCRIPTION } from '../schema/index.ts';
import type { LimiterMode } from './rate-limiter.ts';

/** What a provider state may change in the mock (the engine implements it). */
export interface StateTarget {
  /** Back to the tenant file: counters, forced states, clock, limiter windows, queue. */
  reset(): void;
  /** Fix the evaluator's clock (epoch ms), or `null` for real time. */
  setClock(nowMs: number | null): void;
  setLimiterMode(mode: LimiterMode): void;
  setForcedInternalError(on: boolean): void;
  setSourceOutsideAllowlist(on: boolean): void;
  /** The first tenant (as the states see it) and the evaluator's current time. */
  stateContext(): { tenant: Tenant; nowMs: number };
}

// A zone is required: Date.parse would read a zoneless time in the machine's local zone.
const isoTime = z.iso.datetime({ offset: true });
/** Every state accepts `now`, which also fixes the clock. */
const optionalNow = z.strictObject({ now: isoTime.optional() });
const requiredNow = z.strictObject({ now: isoTime });

/** One provider state: what it does, its params, and how it changes the mock after the reset. */
export interface ProviderState {
  readonly description: string;
  readonly params: typeof optionalNow | typeof requiredNow;
  readonly apply: (target: StateTarget) => void;
}

/** The provider states, by the exact name Pact interactions use (docs/provider-states.md). */
export const PROVIDER_STATES = {
  'the default tenant': {
    description: 'the tenant file as loaded, nothing forced (a reset)',
    params: optionalNow,
    apply: () => {},
  },
  'the clock reads': {
    description: "fix the evaluator's clock at `now` (expiry and JWT iat/exp are judged against it)",
    params: requiredNow,
    apply: () => {},
  },
  'the transaction limit is reached': {
    description: 'the rate limiter rejects every request (7020) until the next reset',
    params: optionalNow,
    apply: (t) => t.setLimiterMode('reject-all'),
  },
  'the tenant is in burst mode': {
    description: `the rate limiter answers "${DESCRIPTION.queuedInBurstMode}" for every admitted request`,
    params: optionalNow,
    apply: (t) => t.setLimiterMode('burst-all'),
  },
  'the service has an internal error': {
    description: 'every request that reaches the fault stage answers 7005',
    params: optionalNow,
    apply: (t) => t.setForcedInternalError(true),
  },
  'the source IP is not allowlisted': {
    description: "every request is treated as coming from outside the tenant's allowlist (7010)",
    params: optionalNow,
    apply: (t) => t.setSourceOutsideAllowlist(true),
  },
} as const satisfies Record<string, ProviderState>;

/** The name of a provider state. */
export type ProviderStateName = keyof typeof PROVIDER_STATES;
/** Every provider state name, in table order. */
export const PROVIDER_STATE_NAMES = Object.keys(PROVIDER_STATES) as ProviderStateName[];

/** Whether a string names a provider state. */
export function isProviderStateName(name: unknown): name is ProviderStateName {
  return typeof name === 'string' && Object.hasOwn(PROVIDER_STATES, name);
}

/**
 * Values a Pact interaction may take from a state (`fromProviderState`): the first tenant's id, its first
 * service with an active key, that key, a JWT signed for the current clock, an event without mandatory
 * parameters, and the time.
 */
export async function stateValues(tenant: Tenant, nowMs: number): Promise<Record<string, string | number>> {
  const values: Record<string, string | number> = {
    tenantId: tenant.id,
    now: new Date(nowMs).toISOString(),
    nowMs,
  };
  const service = tenant.services.find((s) => s.keys.some((k) => k.active)) ?? tenant.services[0];
  if (service) {
    values.serviceId = service.id;
    const key = service.keys.find((k) => k.active);
    if (key) values.key = key.value;
  }
  const jwtService = tenant.services.find((s) => s.jwtSecret !== undefined);
  if (jwtService?.jwtSecret !== undefined) {
    // The header names only `alg` (HS256), as the state has always answered.
    values.jwt = signJwt(
      nodeJwtCrypto,
      serviceClaims(jwtService.id, nowMs),
      nodeJwtCrypto.secretKey(jwtService.jwtSecret),
    );
  }
  const event = tenant.events.find((e) => e.mandatoryParameters.length === 0);
  if (event) values.evtid = event.evtid;
  return values;
}

/** The outcome of `POST /__evkit/state`. */
export type StateResult =
  | { readonly ok: true; readonly values: Record<string, string | number> }
  | { readonly ok: false; readonly error: string };

/** Apply a provider state by name: reset, fix the clock when `now` is given, then the state's own effect. */
export async function applyProviderState(
  target: StateTarget,
  name: unknown,
  params: unknown,
): Promise<StateResult> {
  if (!isProviderStateName(name)) {
    return {
      ok: false,
      error: `unknown provider state ${JSON.stringify(name)}; known: ${PROVIDER_STATE_NAMES.join(', ')}`,
    };
  }
  const state: ProviderState = PROVIDER_STATES[name];
  const parsed = state.params.safeParse(params ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: `bad params for "${name}": ${parsed.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ')}`,
    };
  }
  target.reset();
  if (parsed.data.now !== undefined) target.setClock(Date.parse(parsed.data.now));
  state.apply(target);
  const { tenant, nowMs } = target.stateContext();
  return { ok: true, values: await stateValues(tenant, nowMs) };
}
