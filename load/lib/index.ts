/** The load/lib room's face for the other rooms of evkit; the package's own face is public.ts. */
export {
  ACCEPTED_CODE,
  DESCRIPTION,
  EVENT_PATH,
  HEADER,
  RATE_LIMIT_CODE,
  RESPONSE_CODES,
  type ResponseCode,
} from '../../src/schema/catalog.ts';
export { credentialHeaders, signJwt } from './auth.ts';
export { builtinBody, withEventCount } from './body.ts';
export { classifyBody, type Outcome } from './classify.ts';
export type { ConfigValues } from './config.ts';
export { type Credentials, configOf, type LoadConfig, readConfig, valuesEnv } from './config.ts';
export { formatDuration, parseDuration } from './duration.ts';
export { recordOutcome, recordRecovery, recordRejectedAtRate } from './metrics.ts';
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
export { loadPayloads, type Payload } from './payload.ts';
export type { RateLimitPlan } from './plan.ts';
export { phaseAt, rateAt, rateLimitPlan, scriptScenarios, soakScenario } from './plan.ts';
export { pick, send } from './request.ts';
export { summaryOutputs, textSummary } from './summary.ts';
export type { SummaryData, SummaryMetric, SummaryValues } from './summary-data.ts';
