/** The Event API client: typed requests, signed JWTs, normalised envelopes, retries of transient codes. */
export { credentialHeaders, signServiceJwt } from './auth.ts';
export { backoffDelays, DEFAULT_RETRY, retryPolicy } from './backoff.ts';
export { createEventClient, type EventClient, resolveBaseUrl } from './client.ts';
export { parseEnvelope, toResult } from './result.ts';
export * from './types.ts';
