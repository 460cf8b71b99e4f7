import type { Credentials } from '../../src/auth/k6.ts';
import { burstBand, EVENT_PATH } from '../../src/schema/catalog.ts';
import { parseDuration } from './duration.ts';
import { ENV } from './names.ts';

/** How the scripts authenticate: the one credentials union (a key, a JWT with its refresh age, or none). */
export type { Credentials };

/** The scripts' configuration, read from `__ENV` (names in ENV). */
export interface LoadConfig {
  target: string;
  path: string;
  credentials: Credentials;
  /** Requests/s; undefined: the script's default. */
  rate: number | undefined;
  durationMs: number | undefined;
  /** Undefined: keep the corpus cases' own event counts (the built-in body has 1). */
  eventsPerRequest: number | undefined;
  expectedTps: number;
  burst: boolean;
  peakFactor: number;
  tolerance: number;
  p95Ms: number;
  recoveryMs: number;
  corpus: string | undefined;
  preAllocatedVus: number | undefined;
  maxVus: number | undefined;
  timeout: string;
  summaryFile: string;
  evtid: string;
  backoff: { rate: number; durationMs: number } | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

function text(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function positive(env: Env, name: string, integer = false): number | undefined {
  const v = text(env, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}, got "${v}"`);
  }
  return n;
}

function duration(env: Env, name: string): number | undefined {
  const v = text(env, name);
  if (v === undefined) return undefined;
  const ms = parseDuration(v);
  if (ms <= 0) throw new Error(`${name} must be a positive duration, got "${v}"`);
  return ms;
}

/**
 * The scripts' settings as typed values, by their key in ENV (undefined: not set, the default applies). The
 * scripts read them from `__ENV` (envValues); evkit builds them typed and hands them over as `__ENV`.
 */
export interface ConfigValues {
  target?: string | undefined;
  key?: string | undefined;
  jwtSecret?: string | undefined;
  serviceId?: string | undefined;
  jwtRefreshSeconds?: number | undefined;
  rate?: number | undefined;
  /** k6 syntax. */
  duration?: string | undefined;
  eventsPerRequest?: number | undefined;
  expectedTps?: number | undefined;
  burst?: boolean | undefined;
  peakFactor?: number | undefined;
  tolerance?: number | undefined;
  p95Ms?: number | undefined;
  recoveryMs?: number | undefined;
  corpus?: string | undefined;
  preAllocatedVus?: number | undefined;
  maxVus?: number | undefined;
  /** k6 syntax. */
  timeout?: string | undefined;
  summaryFile?: string | undefined;
  evtid?: string | undefined;
  backoffRate?: number | undefined;
  /** k6 syntax. */
  backoffDuration?: string | undefined;
}

function checkedTarget(target: string | undefined): string {
  if (target === undefined || !/^https?:\/\/[^/]+/.test(target)) {
    throw new Error(
      `${ENV.target} must be the API's base URL, e.g. http://127.0.0.1:8080 (got "${target ?? ''}")`,
    );
  }
  return target;
}

/** The values of `__ENV`, each checked and named by its variable on a bad value (throws). */
export function envValues(env: Env): ConfigValues {
  const target = checkedTarget(text(env, ENV.target));
  const backoffRate = positive(env, ENV.backoffRate);
  const backoffDuration = text(env, ENV.backoffDuration);
  duration(env, ENV.backoffDuration);
  const durationText = text(env, ENV.duration);
  duration(env, ENV.duration);
  const tolerance = text(env, ENV.tolerance);
  const burst = text(env, ENV.burst);
  return {
    target,
    key: text(env, ENV.key),
    jwtSecret: text(env, ENV.jwtSecret),
    serviceId: text(env, ENV.serviceId),
    jwtRefreshSeconds: positive(env, ENV.jwtRefreshSeconds),
    rate: positive(env, ENV.rate),
    duration: durationText,
    eventsPerRequest: positive(env, ENV.eventsPerRequest, true),
    expectedTps: positive(env, ENV.expectedTps),
    // Off unless said: burst mode is documented for the Messaging API, not for custom events.
    burst: burst === undefined ? undefined : burst === 'true' || burst === '1',
    peakFactor: positive(env, ENV.peakFactor),
    tolerance: tolerance === undefined ? undefined : Number(tolerance),
    p95Ms: positive(env, ENV.p95Ms),
    recoveryMs: positive(env, ENV.recoveryMs),
    corpus: text(env, ENV.corpus),
    preAllocatedVus: positive(env, ENV.preAllocatedVus, true),
    maxVus: positive(env, ENV.maxVus, true),
    timeout: text(env, ENV.timeout),
    summaryFile: text(env, ENV.summaryFile),
    evtid: text(env, ENV.evtid),
    backoffRate,
    backoffDuration,
  };
}

/** The values as `__ENV`: each set value under its EVKIT_* name, as text. The inverse of envValues. */
export function valuesEnv(values: ConfigValues): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, name] of Object.entries(ENV)) {
    const v = values[key as keyof ConfigValues];
    if (v !== undefined && v !== '') env[name] = String(v);
  }
  return env;
}

function credentials(values: ConfigValues): Credentials {
  const { jwtSecret: secret, serviceId } = values;
  if (secret !== undefined || serviceId !== undefined) {
    if (secret === undefined || serviceId === undefined) {
      throw new Error(`set both ${ENV.jwtSecret} and ${ENV.serviceId} to sign JWTs`);
    }
    return { type: 'jwt', secret, serviceId, refreshSeconds: values.jwtRefreshSeconds ?? 3000 };
  }
  return values.key === undefined ? { type: 'none' } : { type: 'key', key: values.key };
}

const ms = (value: string | undefined): number | undefined =>
  value === undefined ? undefined : parseDuration(value);

/** The configuration of typed values, with the defaults; throws (k6 exit 107) naming the variable. */
export function configOf(values: ConfigValues): LoadConfig {
  const target = checkedTarget(values.target);
  const tolerance = values.tolerance ?? 0.1;
  if (!(tolerance >= 0 && tolerance < 1)) throw new Error(`${ENV.tolerance} must be in [0, 1)`);
  const backoffDurationMs = ms(values.backoffDuration);
  return {
    target: target.replace(/\/+$/, ''),
    path: EVENT_PATH,
    credentials: credentials(values),
    rate: values.rate,
    durationMs: ms(values.duration),
    eventsPerRequest: values.eventsPerRequest,
    expectedTps: values.expectedTps ?? 100,
    burst: values.burst ?? false,
    peakFactor: values.peakFactor ?? 2,
    tolerance,
    p95Ms: values.p95Ms ?? 1000,
    recoveryMs: values.recoveryMs ?? 2000,
    corpus: values.corpus,
    preAllocatedVus: values.preAllocatedVus,
    maxVus: values.maxVus,
    timeout: values.timeout ?? '10s',
    summaryFile: values.summaryFile ?? 'k6-summary.json',
    evtid: values.evtid ?? '4451',
    backoff:
      values.backoffRate !== undefined && backoffDurationMs !== undefined
        ? { rate: values.backoffRate, durationMs: backoffDurationMs }
        : undefined,
  };
}

/** Read and check the configuration; throws (k6 exit 107) with the variable's name on a bad value. */
export function readConfig(env: Env): LoadConfig {
  return configOf(envValues(env));
}

/** The rate the target accepts per second: TPS plus the burst band when burst mode is on. */
export function acceptedLimit(config: Pick<LoadConfig, 'expectedTps' | 'burst'>): number {
  return config.expectedTps + (config.burst ? burstBand(config.expectedTps) : 0);
}

/** VUs for a peak rate: enough for 50 ms latency pre-allocated, 1 s at most (async iterations hold a VU). */
export function vusFor(
  peakRate: number,
  config: Pick<LoadConfig, 'preAllocatedVus' | 'maxVus'>,
): { preAllocatedVUs: number; maxVUs: number } {
  const preAllocatedVUs = config.preAllocatedVus ?? Math.ceil(peakRate * 0.05) + 5;
  const maxVUs = Math.max(preAllocatedVUs, config.maxVus ?? Math.ceil(peakRate) + 10);
  return { preAllocatedVUs, maxVUs };
}
