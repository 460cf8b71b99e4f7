/** The src/client room's face for the other rooms of evkit; the package's own face is public.ts. */
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
