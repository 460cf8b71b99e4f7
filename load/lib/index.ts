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
export { type Credentials, type LoadConfig, readConfig } from './config.ts';
export { formatDuration, parseDuration } from './duration.ts';
export { recordOutcome, recordRecovery, recordRejectedAtRate } from './metrics.ts';
export { ENV, type EnvName, METRIC, OTHER, SCRIPTS, type ScriptName, TAG } from './names.ts';
export { loadPayloads, type Payload } from './payload.ts';
export { pick, send } from './request.ts';
