import { parseDuration } from '../../load/lib/index.ts';

/** An arrival-rate scenario, normalised (rates per ms). */
export interface ArrivalScenario {
  name: string;
  executor: 'constant-arrival-rate' | 'ramping-arrival-rate';
  /** Iterations per ms at t=0. */
  startRate: number;
  stages: { target: number; durationMs: number }[];
  durationMs: number;
  preAllocatedVUs: number;
  maxVUs: number;
  startTimeMs: number;
  gracefulStopMs: number;
  exec: string;
  env: Record<string, string>;
  tags: Record<string, string>;
  timeUnitMs: number;
}

/** The executors the harness implements. */
export const EXECUTORS = ['constant-arrival-rate', 'ramping-arrival-rate'] as const;

function num(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`${what} must be a non-negative number`);
  }
  return value;
}

function strings(value: unknown): Record<string, string> {
  return value !== null && typeof value === 'object' ? (value as Record<string, string>) : {};
}

/** Normalise one `options.scenarios` entry; throws on executors or fields the harness does not implement. */
export function normaliseScenario(name: string, raw: Record<string, unknown>): ArrivalScenario {
  const executor = raw.executor;
  if (executor !== 'constant-arrival-rate' && executor !== 'ramping-arrival-rate') {
    throw new TypeError(
      `scenario "${name}": executor "${String(executor)}" is not implemented by the harness (only ${EXECUTORS.join(', ')})`,
    );
  }
  const timeUnitMs = parseDuration((raw.timeUnit as string | undefined) ?? '1s');
  const preAllocatedVUs = num(raw.preAllocatedVUs, `scenario "${name}": preAllocatedVUs`);
  const maxVUs = Math.max(
    preAllocatedVUs,
    raw.maxVUs === undefined ? preAllocatedVUs : num(raw.maxVUs, 'maxVUs'),
  );
  const common = {
    name,
    preAllocatedVUs,
    maxVUs,
    timeUnitMs,
    startTimeMs: parseDuration((raw.startTime as string | undefined) ?? '0s'),
    gracefulStopMs: parseDuration((raw.gracefulStop as string | undefined) ?? '30s'),
    exec: (raw.exec as string | undefined) ?? 'default',
    env: strings(raw.env),
    tags: strings(raw.tags),
  };
  if (executor === 'constant-arrival-rate') {
    const rate = num(raw.rate, `scenario "${name}": rate`) / timeUnitMs;
    const durationMs = parseDuration(raw.duration as string);
    return { ...common, executor, startRate: rate, stages: [{ target: rate, durationMs }], durationMs };
  }
  const stagesRaw = raw.stages;
  if (!Array.isArray(stagesRaw)) throw new TypeError(`scenario "${name}": stages must be an array`);
  const stages = stagesRaw.map((s: { target: unknown; duration: string }) => ({
    target: num(s.target, `scenario "${name}": stage target`) / timeUnitMs,
    durationMs: parseDuration(s.duration),
  }));
  return {
    ...common,
    executor,
    startRate: raw.startRate === undefined ? 0 : num(raw.startRate, 'startRate') / timeUnitMs,
    stages,
    durationMs: stages.reduce((sum, s) => sum + s.durationMs, 0),
  };
}

// Time into a linear stage (rate a -> b over d ms) at which k more iterations have been started.
function solve(a: number, b: number, d: number, k: number): number | undefined {
  if (k <= 0) return 0;
  if (a === b) return a > 0 ? k / a : undefined;
  const slope = (b - a) / d;
  const disc = a * a + 2 * slope * k;
  if (disc < 0) return undefined;
  const denom = a + Math.sqrt(disc);
  return denom > 0 ? (2 * k) / denom : undefined;
}

/**
 * The test-wide iteration start times of a scenario, in order: iteration i starts when the integral of the
 * rate reaches i (the first at t=0), k6's arrival-rate semantics. Yields [index, ms since scenario start].
 */
export function* arrivalTimes(s: ArrivalScenario): Generator<[number, number]> {
  let i = 0;
  let done = 0; // iterations the stages before this one account for (fractional)
  let stageStart = 0;
  let from = s.startRate;
  for (const stage of s.stages) {
    const to = stage.target;
    const d = stage.durationMs;
    if (d > 0) {
      for (;;) {
        const tau = solve(from, to, d, i - done);
        if (tau === undefined || tau >= d) break;
        yield [i, stageStart + Math.max(0, tau)];
        i += 1;
      }
      done += ((from + to) * d) / 2;
      stageStart += d;
    }
    from = to;
  }
}

/** The planned arrival rate (iterations/s, whole test) at `ms` since the scenario started. */
export function plannedRate(s: ArrivalScenario, ms: number): number {
  let from = s.startRate;
  let t = ms;
  for (const stage of s.stages) {
    if (t < stage.durationMs) return (from + ((stage.target - from) * t) / stage.durationMs) * 1000;
    t -= stage.durationMs;
    from = stage.target;
  }
  return 0;
}
