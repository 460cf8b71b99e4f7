/**
 * Names the load scripts share with the engines and the report builder: custom metrics, their tags, the
 * environment variables. Free of k6 imports so Node code (src/load) can import it too.
 */

/** Custom metrics every script records. */
export const METRIC = {
  /** Counter: one per response, tagged `code` (a ResponseCode or `other`). */
  responses: 'evkit_responses',
  /** Counter: responses answered "Queued in burst mode". */
  burst: 'evkit_burst',
  /** Rate: share of responses answered 7020. */
  rateLimited: 'evkit_rate_limited',
  /** Rate: share of responses answered 1002 ("Queued" or "Queued in burst mode"). */
  accepted: 'evkit_accepted',
  /** Rate: share of responses that were neither the case's expected code nor 7020. */
  unexpected: 'evkit_unexpected',
  /** Counter: unexpected outcomes, tagged `case` and `code`, so a report can print a curl line per case. */
  unexpectedCase: 'evkit_unexpected_case',
  /** Trend (time): latency of accepted responses. */
  latencyAccepted: 'evkit_latency_accepted',
  /** Trend (time): latency of 7020 responses. */
  latencyRejected: 'evkit_latency_rejected',
  /** Trend (time): latency of every other outcome (other codes, transport errors). */
  latencyError: 'evkit_latency_error',
  /** Trend: the planned arrival rate (req/s, whole test) at which each 7020 was answered; its min is the onset. */
  rejectedAtRate: 'evkit_7020_at_rate',
  /** Trend (time): ms since the ramp fell back below the limit, for each 7020 answered after that. */
  recoveryMs: 'evkit_recovery_ms',
} as const;

/** The latency trends, by outcome. */
export const LATENCY_METRICS = [METRIC.latencyAccepted, METRIC.latencyRejected, METRIC.latencyError] as const;

/** Tag names the scripts put on their samples. */
export const TAG = {
  code: 'code',
  burst: 'burst',
  case: 'case',
  /** rate-limit and soak: the part of the test a sample belongs to. */
  phase: 'phase',
} as const;

/** Phases of the rate-limit script's ramp. */
export const RATE_LIMIT_PHASES = ['below', 'ramp-up', 'over', 'ramp-down', 'recovery'] as const;
export type RateLimitPhase = (typeof RATE_LIMIT_PHASES)[number];

/** Parts of the soak test, to compare latency at its start and end. */
export const SOAK_PARTS = ['first', 'middle', 'last'] as const;

/** The outcome label of a response that has no parsable body code. */
export const OTHER = 'other';

/** Trend statistics every script asks for (so the summary carries what the report model needs). */
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'] as const;

/** The scripts the build produces, by name. */
export const SCRIPTS = ['throughput', 'rate-limit', 'soak'] as const;
export type ScriptName = (typeof SCRIPTS)[number];

/** The environment variables the scripts read (through k6's `__ENV`: `-e NAME=value` or the shell). */
export const ENV = {
  /** Base URL of the Event API, e.g. http://127.0.0.1:8080 (no path). Required. */
  target: 'EVKIT_TARGET',
  /** A service key, sent as the `key` header. */
  key: 'EVKIT_KEY',
  /** A JWT secret (base64, as the platform shows it); with EVKIT_SERVICE_ID the scripts sign HS256 JWTs. */
  jwtSecret: 'EVKIT_JWT_SECRET',
  /** The service id, the JWT's `iss`. */
  serviceId: 'EVKIT_SERVICE_ID',
  /** Re-sign a JWT when it is this many seconds old (default 3000, under the 3600 s validity). */
  jwtRefreshSeconds: 'EVKIT_JWT_REFRESH_S',
  /** Arrival rate in requests/s (throughput, soak); the ramp's peak for rate-limit (default: see below). */
  rate: 'EVKIT_RATE',
  /** Test duration, k6 syntax (30s, 5m, 1h30m). */
  duration: 'EVKIT_DURATION',
  /** Events per request (the corpus' events are repeated or cut to this count). */
  eventsPerRequest: 'EVKIT_EVENTS_PER_REQUEST',
  /** The provisioned TPS the target is expected to have (rate-limit thresholds, soak warning). */
  expectedTps: 'EVKIT_EXPECTED_TPS',
  /** Whether burst mode is expected on (default true): the limit is TPS + min(0.5 × TPS, 100). */
  burst: 'EVKIT_BURST',
  /** rate-limit: the ramp's peak as a multiple of TPS + burst band, when EVKIT_RATE is not set (default 2). */
  peakFactor: 'EVKIT_PEAK_FACTOR',
  /** Relative tolerance of the rate thresholds (default 0.1). */
  tolerance: 'EVKIT_TOLERANCE',
  /** Threshold on the p95 latency of accepted responses, ms (default 1000). */
  p95Ms: 'EVKIT_P95_MS',
  /** rate-limit: the longest acceptable time to recover from 7020 after backing off, ms (default 2000). */
  recoveryMs: 'EVKIT_RECOVERY_MS',
  /** Path of a generator corpus (JSON array of cases), relative to the bundle or absolute. */
  corpus: 'EVKIT_CORPUS',
  /** Pre-allocated and maximum VUs (defaults scale with the peak rate). */
  preAllocatedVus: 'EVKIT_PRE_ALLOCATED_VUS',
  maxVus: 'EVKIT_MAX_VUS',
  /** Request timeout, k6 syntax (default 10s). */
  timeout: 'EVKIT_TIMEOUT',
  /** Where handleSummary writes the k6 summary data as JSON (default k6-summary.json). */
  summaryFile: 'EVKIT_SUMMARY_FILE',
  /** The evtid of the built-in body used when no corpus is set (default 4451). */
  evtid: 'EVKIT_EVTID',
  /** throughput: an optional back-off stage after the main one: its rate and duration. */
  backoffRate: 'EVKIT_BACKOFF_RATE',
  backoffDuration: 'EVKIT_BACKOFF_DURATION',
} as const;
export type EnvName = (typeof ENV)[keyof typeof ENV];
