import type {
  AnyStageName,
  Envelope,
  EvaluatorOptions,
  ResponseCode,
  STAGE_NEEDS,
  StageName,
  Tenant,
} from '../schema/index.ts';

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
  /** Bodies nesting objects and arrays deeper than this are judged as not JSON (stage `jsonDepth`); default 32. */
  readonly maxJsonDepth?: number;
  /** A source address that replaces the request's when it returns one (the mock's "not allowlisted" state). */
  readonly sourceOverride?: () => string | undefined;
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

/**
 * A request-level outcome: the stage that returns one stops the evaluation and answers for the request. A class,
 * so the runner tells it from what a stage adds with one `instanceof`.
 */
export class RequestOutcome {
  readonly code: ResponseCode;
  readonly description: string;
  /** The correlationid the entry carries (7020 carries the first event's). */
  readonly correlationid: string | undefined;
  constructor(code: ResponseCode, description: string, correlationid?: string) {
    this.code = code;
    this.description = description;
    this.correlationid = correlationid;
  }
}

/** The per-event stage's verdict on one event; accepted ones get their description when the answer is built. */
export interface EventOutcome {
  readonly code: ResponseCode;
  readonly description: string | undefined;
  readonly correlationid: string;
  readonly evtid: string | undefined;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** A JWT's protected header and claims, decoded once per request (not verified). */
export interface DecodedJwt {
  readonly alg: unknown;
  readonly iss: unknown;
  readonly iat: unknown;
  readonly exp: unknown;
}

/**
 * The credentials a request presents, read once by stage `tenant` and judged by stage `credentials`: a JWT in
 * `Authorization` (wins; decoded here, `decoded` undefined when malformed), an `Authorization` that is not
 * `Bearer <JWT>`, a `key` header, or nothing.
 */
export type PresentedCredential =
  | {
      readonly kind: 'jwt';
      readonly token: string;
      readonly decoded: DecodedJwt | undefined;
      readonly error: string;
    }
  | { readonly kind: 'badAuthorization' }
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'none' };

/** What each stage adds to the context for later stages (a stage that adds nothing: `object`). */
export interface StageOutputs {
  readonly tenant: { readonly tenant: Tenant; readonly credential: PresentedCredential };
  readonly sourceIp: { readonly sourceIp: string };
  /** The bytes stage `json` parses: the body, or none when it nests too deep. */
  readonly jsonDepth: { readonly jsonBytes: Uint8Array };
  readonly allowlist: object;
  readonly credentials: { readonly serviceId: string };
  readonly json: { readonly body: Readonly<Record<string, unknown>> };
  readonly events: { readonly events: readonly unknown[] };
  readonly expiry: object;
  readonly fault: object;
  readonly rateLimit: { readonly admission: Admission };
  readonly perEvent: { readonly eventOutcomes: readonly EventOutcome[] };
}

/** What every stage is given: the request as it arrived, the options and the services. */
export interface StageBase {
  readonly raw: RawRequest;
  readonly options: EvaluatorOptions;
  readonly services: EvaluatorServices;
}

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void
  ? I
  : never;

/** The stages `S` needs (src/schema/options.ts, `STAGE_NEEDS`). */
export type NeedsOf<S extends AnyStageName> = (typeof STAGE_NEEDS)[S][number];

/** A stage's input: the base and what the stages it needs established, nothing else. */
export type StageInput<S extends AnyStageName> = StageBase &
  ([NeedsOf<S>] extends [never] ? unknown : UnionToIntersection<StageOutputs[NeedsOf<S>]>);

/** The context once the fixed stages have run: what the engine may look at before the ordered stages. */
export type Intake = StageBase &
  StageOutputs['tenant'] &
  StageOutputs['sourceIp'] &
  StageOutputs['jsonDepth'];

/** The context once every stage has run: what the per-event answer is built from. */
export type CompleteContext = StageBase & UnionToIntersection<StageOutputs[AnyStageName]>;

/** The one field an ordered stage adds (each adds at most one), or undefined for a stage that adds nothing. */
export type AddedField<S extends AnyStageName> = keyof StageOutputs[S] extends never
  ? undefined
  : keyof StageOutputs[S];
/** The value of that field: a stage returns it bare, so the hot path allocates no wrapper per stage. */
export type AddedValue<S extends AnyStageName> = keyof StageOutputs[S] extends never
  ? undefined
  : StageOutputs[S][keyof StageOutputs[S]];

/**
 * An ordered stage: given what it needs, it returns the value it adds (undefined for a stage that adds nothing),
 * or a {@link RequestOutcome} to stop and answer for the whole request. Only `credentials` may need a Promise
 * (JWT verification).
 */
export type Stage<S extends StageName> = (ctx: StageInput<S>) => StageResult<S> | Promise<StageResult<S>>;
export type StageResult<S extends StageName> = RequestOutcome | AddedValue<S>;

/** An ordered stage of the table: what it runs and the field its value goes in. */
export interface StageSpec<S extends StageName> {
  readonly run: Stage<S>;
  readonly adds: AddedField<S>;
}

/** A fixed stage of one field (`sourceIp`, `jsonDepth`): never answers on its own, returns the value it adds. */
export type FixedStage<S extends 'sourceIp' | 'jsonDepth'> = (ctx: StageInput<S>) => AddedValue<S>;
