import type { ResponseCode } from '../schema/catalog.ts';
import type { EvaluatorOptions, StageName } from '../schema/options.ts';
import type { Envelope } from '../schema/response.ts';
import type { Tenant } from '../schema/tenant.ts';

/** A request as it arrived: lower-case header names, the raw body bytes, the source IP. */
export interface RawRequest {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: Uint8Array;
  readonly sourceIp: string;
}

/** What the rate limiter answers for one request. */
export type Admission = 'queued' | 'burst' | 'rejected';

/** A rate limiter asked at the rate-limit stage; `weight` is 1 or the number of events. */
export interface RateLimiter {
  admit(tenantId: string, weight: number): Admission;
}

/** A clock in epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** A source of base transids (UUIDs); later entries of one answer get `_1`, `_2`, ... suffixes. */
export interface IdSource {
  next(): string;
}

/** Fault injection asked at the fault stage. */
export interface FaultInjector {
  internalError(tenantId: string): boolean;
}

/** The stateful services the evaluator is given. */
export interface EvaluatorServices {
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly rateLimiter: RateLimiter;
  readonly faults?: FaultInjector;
}

/** One accepted event, for the mock's processing queue and notifications. */
export interface AcceptedEvent {
  readonly index: number;
  readonly evtid: string;
  readonly correlationid: string;
  readonly transid: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly burst: boolean;
}

/** The evaluator's answer: the exact envelope plus what the adapters need to act on it. */
export interface Evaluation {
  readonly envelope: Envelope;
  /** The stage that decided a request-level outcome, or `perEvent`. */
  readonly decidedBy: StageName;
  /** The request-level code, or the codes per event. */
  readonly codes: readonly ResponseCode[];
  readonly tenantId: string;
  readonly serviceId: string | undefined;
  readonly accepted: readonly AcceptedEvent[];
  /** The request's non-empty `notifyurl`, if any. */
  readonly notifyUrl: string | undefined;
  /** Whether the rate limiter admitted the request (it was asked and did not reject). */
  readonly admitted: boolean;
}

/** A request-level outcome a stage may return. */
export interface RequestOutcome {
  readonly code: ResponseCode;
  readonly description: string;
}

/** State passed along the stages. */
export interface StageContext {
  readonly raw: RawRequest;
  readonly tenant: Tenant;
  readonly options: EvaluatorOptions;
  readonly services: EvaluatorServices;
  serviceId: string | undefined;
  body: Record<string, unknown> | undefined;
  events: readonly unknown[] | undefined;
  admission: Admission | undefined;
  eventOutcomes: EventOutcome[] | undefined;
}

/** The per-event stage's verdict on one event; accepted ones get their description when the answer is built. */
export interface EventOutcome {
  readonly code: ResponseCode;
  readonly description: string | undefined;
  readonly correlationid: string;
  readonly evtid: string | undefined;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** A stage returns a request-level outcome to stop, or nothing to pass on (`perEvent` records per-event outcomes). */
export type Stage = (ctx: StageContext) => RequestOutcome | undefined | Promise<RequestOutcome | undefined>;
