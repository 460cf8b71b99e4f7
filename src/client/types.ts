import type { Credentials } from '../auth/index.ts';
import {
  ACCEPTED_CODE,
  CATALOG,
  type EnvelopeForm,
  type ErrorCode,
  RESPONSE_CODES,
  type Region,
} from '../schema/index.ts';

/** Every code that is not "accepted": each has its own typed error kind. */
export type ApiErrorCode = ErrorCode;

/** The typed error kind of each non-accepted code, as the catalog names it (`CATALOG[code].kind`). */
export type ErrorKind = (typeof CATALOG)[ApiErrorCode]['kind'];

/** The catalog's column `column` for the error codes, as a table by code. */
function errorColumn<F extends 'kind' | 'retryable'>(
  column: F,
): { readonly [K in ApiErrorCode]: (typeof CATALOG)[K][F] } {
  const out: Partial<Record<ApiErrorCode, unknown>> = {};
  for (const code of RESPONSE_CODES) if (code !== ACCEPTED_CODE) out[code] = CATALOG[code][column];
  return out as { readonly [K in ApiErrorCode]: (typeof CATALOG)[K][F] };
}

/** The typed error kind of each non-accepted code (read from the catalog). */
export const ERROR_KIND = errorColumn('kind');

/** Whether a later identical request may succeed (read from the catalog): 7020 and 7005 are transient. */
export const RETRYABLE = errorColumn('retryable');

/** An error answered by the service, typed by its code. */
export type ApiError<C extends ApiErrorCode = ApiErrorCode> = {
  [K in C]: {
    readonly ok: false;
    readonly code: K;
    readonly kind: (typeof CATALOG)[K]['kind'];
    readonly retryable: (typeof CATALOG)[K]['retryable'];
    readonly description: string;
    readonly transid: string;
    readonly correlationid: string | undefined;
  };
}[C];

/** One accepted event: its transid and whether it was queued in burst mode. */
export interface QueuedEntry {
  readonly ok: true;
  readonly code: typeof ACCEPTED_CODE;
  readonly index: number;
  readonly description: string;
  readonly transid: string;
  readonly correlationid: string | undefined;
  /** True when the service answered "Queued in burst mode". */
  readonly burst: boolean;
}

/** One entry of a per-event answer: accepted, or an error for that event (in request order). */
export type EventEntry = QueuedEntry | (ApiError & { readonly index: number });

/** What every result carries about the exchange itself. */
interface Exchange {
  /** The envelope form the service answered with (the client normalises both). */
  readonly form: EnvelopeForm;
  /** How many requests were sent (more than 1 after retries of 7020 or 7005). */
  readonly attempts: number;
  /** The HTTP status, for diagnostics only: the outcome is read from the body. */
  readonly httpStatus: number;
}

/** Every event was accepted. */
export interface QueuedResult extends Exchange {
  readonly outcome: 'queued';
  readonly entries: readonly QueuedEntry[];
  /** True when at least one event was queued in burst mode. */
  readonly burst: boolean;
}

/** The service answered per event and at least one event was not accepted. */
export interface EventErrorsResult extends Exchange {
  readonly outcome: 'event-errors';
  readonly entries: readonly EventEntry[];
}

/** The service rejected the whole request. */
export interface RejectedResult extends Exchange {
  readonly outcome: 'rejected';
  readonly error: ApiError;
}

/** The client's result: discriminated by `outcome`, then by each error's `code`. */
export type SendResult = QueuedResult | EventErrorsResult | RejectedResult;

/** How the client authenticates: the one credentials union (src/auth/credentials.ts). */
export type { Credentials };

/** Bounded exponential backoff with seeded jitter, for the transient codes. */
export interface RetryPolicy {
  /** Total attempts including the first; 1 disables retries. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor: number;
  /** Fraction of each delay that is random: 0 = none, 1 = full jitter. */
  readonly jitter: number;
  /** Seed of the jitter, so a run's delays can be reproduced. */
  readonly seed: number;
  /** The codes that are retried. */
  readonly codes: readonly ApiErrorCode[];
}

/** A clock in epoch milliseconds (injected so JWT `iat` is reproducible). */
export interface ClientClock {
  now(): number;
}

/** Options of `createEventClient`. */
export interface EventClientOptions {
  /** Base URL without path; wins over `region`. */
  readonly baseUrl?: string;
  /** A region of the real service (REGION_BASE_URL). */
  readonly region?: Region;
  readonly credentials: Credentials;
  /** Validate request bodies against the schema before sending (default true). */
  readonly validate?: boolean;
  /** Per-attempt timeout (default 10 s). */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly clock?: ClientClock;
  /** Waits between retries; injected by tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Bind outgoing connections to this local address (e.g. a 127.x address). */
  readonly localAddress?: string;
  /** Use the event path with its trailing slash (both are served). */
  readonly trailingSlash?: boolean;
}

/** Per-call options of `send`. */
export interface SendOptions {
  readonly credentials?: Credentials;
  readonly retry?: Partial<RetryPolicy>;
  readonly timeoutMs?: number;
}

/** Per-call options of `sendRaw`. */
export interface RawSendOptions extends SendOptions {
  /** The declared content type (default application/json); the contract's 7000 case sends text/plain. */
  readonly contentType?: string;
}
