import type { Scenario } from 'k6/options';
import { acceptedLimit, type LoadConfig, vusFor } from './config.ts';
import { formatDuration } from './duration.ts';
import { RATE_LIMIT_PHASES, type RateLimitPhase, type ScriptName } from './names.ts';

/** One stage of a ramping arrival rate: reach `target` req/s linearly over `durationMs`. */
export interface RateStage {
  target: number;
  durationMs: number;
}

/** The planned arrival rate (req/s, whole test) at `ms` since the scenario started, k6 ramping semantics. */
export function rateAt(startRate: number, stages: readonly RateStage[], ms: number): number {
  let from = startRate;
  let t = ms;
  for (const stage of stages) {
    if (t < stage.durationMs) return from + ((stage.target - from) * t) / stage.durationMs;
    t -= stage.durationMs;
    from = stage.target;
  }
  return 0;
}

/** A ramping-arrival-rate scenario from stages. */
export function rampingScenario(
  startRate: number,
  stages: readonly RateStage[],
  peak: number,
  config: LoadConfig,
): Scenario {
  return {
    executor: 'ramping-arrival-rate',
    startRate,
    timeUnit: '1s',
    stages: stages.map((s) => ({ target: s.target, duration: formatDuration(s.durationMs) })),
    ...vusFor(peak, config),
  };
}

/** throughput: a constant arrival rate, optionally followed by a back-off stage at another rate. */
export function throughputScenario(config: LoadConfig): {
  scenario: Scenario;
  rate: number;
  durationMs: number;
} {
  const rate = config.rate ?? 50;
  const durationMs = config.durationMs ?? 30_000;
  if (config.backoff === undefined) {
    return { rate, durationMs, scenario: constantScenario(rate, durationMs, config) };
  }
  const b = config.backoff;
  const stages = [
    { target: rate, durationMs },
    { target: b.rate, durationMs: 0 },
    { target: b.rate, durationMs: b.durationMs },
  ];
  return {
    rate,
    durationMs: durationMs + b.durationMs,
    scenario: rampingScenario(rate, stages, Math.max(rate, b.rate), config),
  };
}

/** soak: a long constant arrival rate (default 20 req/s for 1h). */
export function soakScenario(config: LoadConfig): { scenario: Scenario; rate: number; durationMs: number } {
  const rate = config.rate ?? 20;
  const durationMs = config.durationMs ?? 3_600_000;
  return { rate, durationMs, scenario: constantScenario(rate, durationMs, config) };
}

/** A constant arrival rate for a duration, with VUs for that rate. */
function constantScenario(rate: number, durationMs: number, config: LoadConfig): Scenario {
  return {
    executor: 'constant-arrival-rate',
    rate,
    timeUnit: '1s',
    duration: formatDuration(durationMs),
    ...vusFor(rate, config),
  };
}

/** Share of the rate-limit test's duration spent in each phase. */
const PHASE_SHARE = {
  below: 0.15,
  'ramp-up': 0.25,
  over: 0.25,
  'ramp-down': 0.1,
  recovery: 0.25,
} as const satisfies Record<RateLimitPhase, number>;

/** The rate-limit ramp: below the limit, up to a peak well above it, held, back down, held (recovery). */
export interface RateLimitPlan {
  /** TPS + burst band. */
  limit: number;
  low: number;
  peak: number;
  stages: RateStage[];
  /** Phase boundaries: [start, end) in ms since the scenario started. */
  phases: { name: RateLimitPhase; startMs: number; endMs: number }[];
  /** When the ramp-down falls back below the limit, ms since the scenario started. */
  backOffMs: number;
  durationMs: number;
}

/** Plan the rate-limit ramp from the configuration. */
export function rateLimitPlan(config: LoadConfig): RateLimitPlan {
  const limit = acceptedLimit(config);
  const low = Math.max(1, Math.round(config.expectedTps * 0.5));
  const peak = config.rate ?? Math.ceil(limit * config.peakFactor);
  if (peak <= limit) {
    throw new Error(
      `the rate-limit peak (${peak}/s) must be above TPS + burst band (${limit}/s): raise EVKIT_RATE`,
    );
  }
  const durationMs = config.durationMs ?? 60_000;
  const targets = {
    below: low,
    'ramp-up': peak,
    over: peak,
    'ramp-down': low,
    recovery: low,
  } as const satisfies Record<RateLimitPhase, number>;
  const phases: RateLimitPlan['phases'] = [];
  const stages: RateStage[] = [];
  let t = 0;
  for (const name of RATE_LIMIT_PHASES) {
    const d = Math.round(durationMs * PHASE_SHARE[name]);
    phases.push({ name, startMs: t, endMs: t + d });
    stages.push({ target: targets[name], durationMs: d });
    t += d;
  }
  const rampDown = phases[3] ?? { startMs: 0, endMs: 0 };
  const backOffMs = rampDown.startMs + ((rampDown.endMs - rampDown.startMs) * (peak - limit)) / (peak - low);
  return { limit, low, peak, stages, phases, backOffMs, durationMs: t };
}

/** The phase of the rate-limit ramp at `ms` since the scenario started. */
export function phaseAt(plan: RateLimitPlan, ms: number): RateLimitPhase {
  for (const p of plan.phases) if (ms < p.endMs) return p.name;
  return 'recovery';
}

/**
 * The `options.scenarios` a built-in script exports for a configuration: the scripts build theirs from this, so
 * evkit plans and guards a run from the typed configuration without loading the bundle.
 */
export function scriptScenarios(script: ScriptName, config: LoadConfig): Record<string, Scenario> {
  switch (script) {
    case 'throughput':
      return { throughput: throughputScenario(config).scenario };
    case 'rate-limit': {
      const plan = rateLimitPlan(config);
      return { 'rate-limit': rampingScenario(plan.low, plan.stages, plan.peak, config) };
    }
    case 'soak':
      return { soak: soakScenario(config).scenario };
  }
}
