import type { Credentials } from '../../src/auth/credentials.ts';
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

function credentials(env: Env): Credentials {
  const secret = text(env, ENV.jwtSecret);
  const serviceId = text(env, ENV.serviceId);
  if (secret !== undefined || serviceId !== undefined) {
    if (secret === undefined || serviceId === undefined) {
      throw new Error(`set both ${ENV.jwtSecret} and ${ENV.serviceId} to sign JWTs`);
    }
    return { type: 'jwt', secret, serviceId, refreshSeconds: positive(env, ENV.jwtRefreshSeconds) ?? 3000 };
  }
  const key = text(env, ENV.key);
  return key === undefined ? { type: 'none' } : { type: 'key', key };
}

/** Read and check the configuration; throws (k6 exit 107) with the variable's name on a bad value. */
export function readConfig(env: Env): LoadConfig {
  const target = text(env, ENV.target);
  if (target === undefined || !/^https?:\/\/[^/]+/.test(target)) {
    throw new Error(
      `${ENV.target} must be the API's base URL, e.g. http://127.0.0.1:8080 (got "${target ?? ''}")`,
    );
  }
  const backoffRate = positive(env, ENV.backoffRate);
  const backoffDuration = duration(env, ENV.backoffDuration);
  const tolerance = Number(text(env, ENV.tolerance) ?? '0.1');
  if (!(tolerance >= 0 && tolerance < 1)) throw new Error(`${ENV.tolerance} must be in [0, 1)`);
  const burst = text(env, ENV.burst);
  return {
    target: target.replace(/\/+$/, ''),
    path: EVENT_PATH,
    credentials: credentials(env),
    rate: positive(env, ENV.rate),
    durationMs: duration(env, ENV.duration),
    eventsPerRequest: positive(env, ENV.eventsPerRequest, true),
    expectedTps: positive(env, ENV.expectedTps) ?? 100,
    // Off unless said: burst mode is documented for the Messaging API, not for custom events.
    burst: burst === 'true' || burst === '1',
    peakFactor: positive(env, ENV.peakFactor) ?? 2,
    tolerance,
    p95Ms: positive(env, ENV.p95Ms) ?? 1000,
    recoveryMs: positive(env, ENV.recoveryMs) ?? 2000,
    corpus: text(env, ENV.corpus),
    preAllocatedVus: positive(env, ENV.preAllocatedVus, true),
    maxVus: positive(env, ENV.maxVus, true),
    timeout: text(env, ENV.timeout) ?? '10s',
    summaryFile: text(env, ENV.summaryFile) ?? 'k6-summary.json',
    evtid: text(env, ENV.evtid) ?? '4451',
    backoff:
      backoffRate !== undefined && backoffDuration !== undefined
        ? { rate: backoffRate, durationMs: backoffDuration }
        : undefined,
  };
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
