/**
 * The k6 lib's face for evkit's Node side: its pure modules (settings, plans, names, durations, the summary),
 * which need no k6 module. Bundles use k6.ts, which adds what runs only under k6; the package's face for a
 * team's own k6 scripts is public.ts.
 */
export {
  ACCEPTED_CODE,
  DESCRIPTION,
  EVENT_PATH,
  HEADER,
  RATE_LIMIT_CODE,
  RESPONSE_CODES,
  type ResponseCode,
} from '../../src/schema/catalog.ts';
export { builtinBody, withEventCount } from './body.ts';
export { classifyBody, type Outcome } from './classify.ts';
export type { ConfigValues } from './config.ts';
export { type Credentials, configOf, type LoadConfig, readConfig, valuesEnv } from './config.ts';
export { formatDuration, parseDuration } from './duration.ts';
export {
  ENV,
  type EnvName,
  LATENCY_METRICS,
  METRIC,
  OTHER,
  SCRIPTS,
  type ScriptName,
  SOAK_PARTS,
  SUMMARY_TREND_STATS,
  TAG,
} from './names.ts';
export type { RateLimitPlan } from './plan.ts';
export { phaseAt, rateAt, rateLimitPlan, scriptScenarios, soakScenario } from './plan.ts';
export { summaryOutputs, textSummary } from './summary.ts';
export type { SummaryData, SummaryMetric, SummaryValues } from './summary-data.ts';
