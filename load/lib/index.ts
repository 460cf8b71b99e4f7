/**
 * webex-connect-event-kit/k6 — helpers for teams writing their own k6 scripts against the Event API:
 * classify an answer by its body code, load a generated corpus as payloads, send one, the metric and tag
 * names evkit's scripts and reports use, and the response codes. Imports only k6 modules and the zod-free
 * catalog: bundle it with esbuild (k6 external) or import it from a k6 script directly.
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
export { credentialHeaders, signJwt } from './auth.ts';
export { builtinBody, withEventCount } from './body.ts';
export { classifyBody, type Outcome } from './classify.ts';
export { type Credentials, type LoadConfig, readConfig } from './config.ts';
export { formatDuration, parseDuration } from './duration.ts';
export { recordOutcome, recordRecovery, recordRejectedAtRate } from './metrics.ts';
export { ENV, type EnvName, METRIC, OTHER, SCRIPTS, type ScriptName, TAG } from './names.ts';
export { loadPayloads, type Payload } from './payload.ts';
export { pick, send } from './request.ts';
