/**
 * webex-connect-event-kit/client — the typed Event API client, for teams that adopt it: typed requests,
 * signed JWTs, both envelope forms normalised, seeded retries of the transient codes (7020, 7005).
 */
export { credentialHeaders, signServiceJwt } from './auth.ts';
export { backoffDelays, DEFAULT_RETRY, retryPolicy } from './backoff.ts';
export { createEventClient, type EventClient, resolveBaseUrl } from './client.ts';
export { parseEnvelope, toResult } from './result.ts';
export {
  type ApiError,
  type ApiErrorCode,
  type ClientClock,
  type Credentials,
  ERROR_KIND,
  type ErrorKind,
  type EventClientOptions,
  type EventEntry,
  type EventErrorsResult,
  type QueuedEntry,
  type QueuedResult,
  type RawSendOptions,
  RETRYABLE,
  type RejectedResult,
  type RetryPolicy,
  type SendOptions,
  type SendResult,
} from './types.ts';
