/**
 * webex-connect-event-kit/k6 — helpers for teams writing their own k6 scripts against the Event API:
 * classify an answer by its body code, load a generated corpus as payloads, send one, the metric and tag
 * names evkit's scripts and reports use, and the response codes. Imports only k6 modules and the zod-free
 * catalog: bundle it with esbuild (k6 external) or import it from a k6 script directly.
 */
export {
  ACCEPTED_CODE,
  builtinBody,
  type Credentials,
  classifyBody,
  credentialHeaders,
  DESCRIPTION,
  ENV,
  type EnvName,
  EVENT_PATH,
  formatDuration,
  HEADER,
  type LoadConfig,
  loadPayloads,
  METRIC,
  OTHER,
  type Outcome,
  type Payload,
  parseDuration,
  pick,
  RATE_LIMIT_CODE,
  RESPONSE_CODES,
  type ResponseCode,
  readConfig,
  recordOutcome,
  recordRecovery,
  recordRejectedAtRate,
  SCRIPTS,
  type ScriptName,
  send,
  signJwt,
  TAG,
  withEventCount,
} from './k6.ts';
