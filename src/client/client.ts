import { EvkitError } from '../errors.ts';
import {
  EVENT_PATH,
  type EventRequest,
  eventRequestSchema,
  HEADER,
  REGION_BASE_URL,
} from '../schema/index.ts';
import { credentialHeaders } from './auth.ts';
import { backoffDelays, retryPolicy } from './backoff.ts';
import { parseEnvelope, toResult } from './result.ts';
import { postOnce } from './transport.ts';
import type { EventClientOptions, RawSendOptions, SendOptions, SendResult } from './types.ts';

const DEFAULT_TIMEOUT_MS = 10_000;
const JSON_CONTENT_TYPE = 'application/json';

/** A typed Event API client: the Pact consumer of the contracts. */
export interface EventClient {
  /** The URL requests go to. */
  readonly url: string;
  /** Send a request body (validated against the schema unless `validate` is off). */
  send(body: EventRequest, options?: SendOptions): Promise<SendResult>;
  /** Send any JSON value as the body, unvalidated: to provoke what the service rejects. */
  sendUnchecked(body: unknown, options?: SendOptions): Promise<SendResult>;
  /** Send raw bytes with a declared content type: the escape hatch for bodies that are not JSON (7000). */
  sendRaw(body: string | Uint8Array, options?: RawSendOptions): Promise<SendResult>;
}

/** The base URL from `baseUrl` or `region`; neither is a configuration error. */
export function resolveBaseUrl(options: Pick<EventClientOptions, 'baseUrl' | 'region'>): string {
  if (options.baseUrl !== undefined) return options.baseUrl.replace(/\/+$/, '');
  if (options.region !== undefined) return REGION_BASE_URL[options.region];
  throw new EvkitError('E_CLIENT_TARGET', 'the client needs a baseUrl or a region', {
    details: { regions: Object.keys(REGION_BASE_URL) },
  });
}

/** Create an Event API client. */
export function createEventClient(options: EventClientOptions): EventClient {
  const url = new URL(`${resolveBaseUrl(options)}${EVENT_PATH}${options.trailingSlash ? '/' : ''}`);
  const clock = options.clock ?? { now: () => Date.now() };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const encoder = new TextEncoder();

  async function exchange(body: Uint8Array, contentType: string, call: SendOptions): Promise<SendResult> {
    const policy = retryPolicy(options.retry, call.retry);
    const nextDelay = backoffDelays(policy);
    const timeoutMs = call.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    for (let attempt = 1; ; attempt++) {
      // Signed per attempt: a retry after a long backoff must not carry a stale iat.
      const headers = {
        [HEADER.contentType]: contentType,
        ...(await credentialHeaders(call.credentials ?? options.credentials, clock.now())),
      };
      const answer = await postOnce(url, headers, body, { timeoutMs, localAddress: options.localAddress });
      const result = toResult(parseEnvelope(answer.body, answer.status), {
        attempts: attempt,
        httpStatus: answer.status,
      });
      const retryable = result.outcome === 'rejected' && policy.codes.includes(result.error.code);
      if (!retryable || attempt >= policy.maxAttempts) return result;
      await sleep(nextDelay());
    }
  }

  function checked(body: unknown): unknown {
    if (options.validate === false) return body;
    const parsed = eventRequestSchema.safeParse(body);
    if (parsed.success) return body;
    throw new EvkitError('E_REQUEST_BODY', 'the request body is not a valid Event API request', {
      details: { issues: parsed.error.issues },
      cause: parsed.error,
    });
  }

  return {
    url: url.href,
    send: async (body, call = {}) =>
      exchange(encoder.encode(JSON.stringify(checked(body))), JSON_CONTENT_TYPE, call),
    sendUnchecked: async (body, call = {}) =>
      exchange(encoder.encode(JSON.stringify(body)), JSON_CONTENT_TYPE, call),
    sendRaw: async (body, call = {}) =>
      exchange(
        typeof body === 'string' ? encoder.encode(body) : body,
        call.contentType ?? JSON_CONTENT_TYPE,
        call,
      ),
  };
}
