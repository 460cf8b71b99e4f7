import { ENV } from '../../load/lib/index.ts';
import {
  baseUrl,
  duration,
  integer,
  positiveNumber,
  type SettingsTable,
  setting,
  switchFlag,
  text,
} from '../settings.ts';

/**
 * The settings of a load run's script, by config-file key, with one zod schema each: the one table `evkit load`
 * resolves (defaults < config file < EVKIT_* < flags) and `runLoad` reads the environment and its `env` through.
 */

const s = setting;

/** Settings of a load run the scripts read that have a flag of `evkit load`. */
export const RUN_SETTINGS = {
  target: s({
    kind: baseUrl(),
    default: undefined,
    flag: '--target',
    description: 'base URL of the Event API',
    defaultText: 'start the embedded mock for the run',
    example: 'http://127.0.0.1:8080',
  }),
  rate: s({
    kind: positiveNumber(),
    default: undefined,
    flag: '--rate',
    description: 'arrival rate in req/s (rate-limit: the ramp peak)',
    defaultText: "the script's: 50 / 2 × (TPS + burst band) / 20",
    example: '50',
  }),
  duration: s({
    kind: duration(1),
    default: undefined,
    flag: '--duration',
    description: 'test duration in k6 syntax, e.g. 30s, 5m',
    defaultText: "the script's: 30s / 60s / 1h",
    example: '30s',
  }),
  eventsPerRequest: s({
    kind: integer(1, 1000),
    default: undefined,
    flag: '--events-per-request',
    description: 'events per request',
    defaultText: "the corpus cases' own",
    example: '1',
  }),
  expectedTps: s({
    kind: positiveNumber(),
    default: undefined,
    flag: '--expected-tps',
    description: "the target's provisioned TPS (rate-limit thresholds); with the embedded mock, also its TPS",
    defaultText: "the embedded mock's TPS (100), else 100",
    example: '100',
  }),
} satisfies SettingsTable;

/** Settings of the load scripts that only the scripts read (no flag): thresholds, VUs, the built-in body. */
export const SCRIPT_SETTINGS = {
  burst: s({
    kind: switchFlag(),
    default: undefined,
    description: 'burst mode expected on',
    example: 'true',
  }),
  peakFactor: s({
    kind: positiveNumber({ min: 1, max: 100 }),
    default: undefined,
    description: 'rate-limit: peak as a multiple of TPS + burst band',
    example: '2',
  }),
  tolerance: s({
    kind: positiveNumber({ min: 0, below: 1 }),
    default: undefined,
    description: 'relative tolerance of the rate thresholds',
    example: '0.1',
  }),
  p95Ms: s({
    kind: positiveNumber(),
    default: undefined,
    description: 'threshold on the p95 latency of accepted responses, ms',
    example: '1000',
  }),
  recoveryMs: s({
    kind: positiveNumber(),
    default: undefined,
    description: 'rate-limit: longest acceptable recovery after backing off, ms',
    example: '2000',
  }),
  preAllocatedVus: s({
    kind: integer(1),
    default: undefined,
    description: 'pre-allocated VUs',
    example: '50',
  }),
  maxVus: s({ kind: integer(1), default: undefined, description: 'maximum VUs', example: '500' }),
  timeout: s({ kind: duration(1), default: undefined, description: 'request timeout', example: '10s' }),
  evtid: s({ kind: text(), default: undefined, description: 'evtid of the built-in body', example: '4451' }),
  backoffRate: s({
    kind: positiveNumber(),
    default: undefined,
    description: 'throughput: rate of a back-off stage',
    example: '10',
  }),
  backoffDuration: s({
    kind: duration(1),
    default: undefined,
    description: 'throughput: duration of a back-off stage',
    example: '10s',
  }),
  jwtRefreshS: s({
    kind: positiveNumber(),
    default: undefined,
    env: ENV.jwtRefreshSeconds,
    description: 're-sign a JWT once it is this old, s',
    example: '3000',
  }),
  key: s({ kind: text(), default: undefined, secret: true, description: 'service key', example: '<key>' }),
  jwtSecret: s({
    kind: text(),
    default: undefined,
    secret: true,
    description: 'JWT secret',
    example: '<secret>',
  }),
  serviceId: s({ kind: text(), default: undefined, description: 'service id of the JWTs', example: 'svc-1' }),
} satisfies SettingsTable;
