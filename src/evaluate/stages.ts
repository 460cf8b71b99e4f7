import type { FixedStageName, StageName, Tenant } from '../schema/index.ts';
import {
  CATALOG,
  CODE,
  correlationIdSchema,
  DESCRIPTION,
  FIELD,
  HEADER,
  invalidParamDescription,
  mandatoryParamDescription,
  notifyUrlSchema,
  parseExpiry,
  type ResponseCode,
} from '../schema/index.ts';
import { headerValue, judgeCredential, presentedCredential } from './credentials.ts';
import { type AllowlistMatcher, compileAllowlist } from './ip.ts';
import { exceedsJsonDepth } from './json-depth.ts';
import type { TenantResolver } from './tenant.ts';
import {
  type EventOutcome,
  type FixedStage,
  RequestOutcome,
  type Stage,
  type StageInput,
  type StageOutputs,
  type StageSpec,
} from './types.ts';

const outcome = (code: ResponseCode, description: string = CATALOG[code].descriptions[0]): RequestOutcome =>
  new RequestOutcome(code, description);

// ---------------------------------------------------------------------------------------------------------
// The fixed stages: always first, in this order; none answers on its own.

/** The tenant of a request: the given one, or the one a resolver finds from its credentials. */
export type TenantSource = Tenant | TenantResolver;

/**
 * tenant: read the credentials once (a JWT decoded here) and find the tenant they name. The first stage needs
 * nothing but the request, its options and where tenants come from.
 */
export function tenantStage(
  raw: StageInput<'tenant'>['raw'],
  options: StageInput<'tenant'>['options'],
  tenants: TenantSource,
): StageOutputs['tenant'] {
  const credential = presentedCredential(raw, options);
  const tenant = 'resolvePresented' in tenants ? tenants.resolvePresented(raw, credential) : tenants;
  return { tenant, credential };
}

/** sourceIp: the socket's address, or X-Forwarded-For's left-most entry (the client) when the tenant trusts it. */
const sourceIp: FixedStage<'sourceIp'> = (ctx) => {
  const override = ctx.services.sourceOverride?.();
  if (override !== undefined) return override;
  if (ctx.tenant.trustProxy) {
    const forwarded = headerValue(ctx.raw, HEADER.forwardedFor);
    // The left-most entry is the client; proxies append themselves to the right.
    if (forwarded) return (forwarded.split(',')[0] as string).trim();
  }
  return ctx.raw.sourceIp;
};

/** The default nesting limit of request bodies; real requests nest 4 deep. */
export const DEFAULT_MAX_JSON_DEPTH = 32;
const EMPTY_BODY = new Uint8Array(0);

/** jsonDepth: a body nested too deep is handed on empty, so stage `json` answers 7000 for it in its place. */
const jsonDepth: FixedStage<'jsonDepth'> = (ctx) =>
  exceedsJsonDepth(ctx.raw.body, ctx.services.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH)
    ? EMPTY_BODY
    : ctx.raw.body;

/** The fixed stages by name, in the order they run (`tenant` needs its tenant source: {@link tenantStage}). */
export const FIXED_STAGES = {
  tenant: tenantStage,
  sourceIp,
  jsonDepth,
} as const satisfies Record<FixedStageName, unknown>;

// ---------------------------------------------------------------------------------------------------------
// The ordered stages (evaluator option `stageOrder`).

/** A compiled allowlist and its verdicts by source address (few sources send most requests). */
interface CachedAllowlist {
  readonly matcher: AllowlistMatcher;
  readonly verdicts: Map<string, boolean>;
}
const allowlists = new WeakMap<readonly string[], CachedAllowlist>();
const VERDICT_CACHE_LIMIT = 10_000;

/** allowlist: once the tenant lists any address, other sources get 7010. */
const allowlist: Stage<'allowlist'> = (ctx) => {
  const entries = ctx.tenant.allowlist;
  if (entries.length === 0) return undefined;
  let cached = allowlists.get(entries);
  if (!cached) {
    cached = { matcher: compileAllowlist(entries), verdicts: new Map() };
    allowlists.set(entries, cached);
  }
  const ip = ctx.sourceIp;
  let allowed = cached.verdicts.get(ip);
  if (allowed === undefined) {
    allowed = cached.matcher.matches(ip);
    if (cached.verdicts.size >= VERDICT_CACHE_LIMIT) cached.verdicts.clear();
    cached.verdicts.set(ip, allowed);
  }
  return allowed ? undefined : outcome(CODE.ipNotAllowlisted);
};

/** credentials: a JWT (wins) or a service key; none is 7002, a bad one 7001. */
const credentials: Stage<'credentials'> = (ctx) => {
  const verdict = judgeCredential(ctx.credential, ctx.tenant, ctx.options, ctx.services.clock.now());
  return verdict instanceof Promise ? verdict.then(credentialsDecision) : credentialsDecision(verdict);
};

function credentialsDecision(
  v: Exclude<ReturnType<typeof judgeCredential>, Promise<unknown>>,
): string | RequestOutcome {
  if (v.ok) return v.serviceId;
  return outcome(v.reason === 'missing' ? CODE.serviceKeyMissing : CODE.authenticationFailed);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** json: the body must be UTF-8 JSON, whatever the declared content type; otherwise 7000. */
const json: Stage<'json'> = (ctx) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(ctx.jsonBytes));
  } catch {
    return outcome(CODE.invalidJson);
  }
  // A JSON value that is not an object has no `events`: the events stage answers 7003 for it.
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : {};
};

const KNOWN_BODY_FIELDS = new Set<string>([FIELD.expiry, FIELD.notifyurl, FIELD.events]);
const KNOWN_EVENT_FIELDS = new Set<string>([FIELD.evtid, FIELD.correlationid, FIELD.parameters]);

/** events: present (7003), an array (7004), not empty and at most maxEventsPerRequest (7004); also `notifyurl` and unknown fields. */
const events: Stage<'events'> = (ctx) => {
  const body = ctx.body;
  const value = body[FIELD.events];
  if (value === undefined || (value === null && ctx.options.nullEvents === 'missing'))
    return outcome(CODE.eventsMissing);
  if (!Array.isArray(value)) return outcome(CODE.invalidParameters, invalidParamDescription(FIELD.events));
  if (value.length === 0) return outcome(CODE.invalidParameters, DESCRIPTION.eventsEmpty);
  // A bound on the work of one request (guess: the reference documents no limit), checked before any event is.
  if (value.length > ctx.tenant.maxEventsPerRequest)
    return outcome(CODE.invalidParameters, invalidParamDescription(FIELD.events));
  const notifyurl = body[FIELD.notifyurl];
  if (notifyurl !== undefined && !notifyUrlSchema.safeParse(notifyurl).success) {
    return outcome(CODE.invalidParameters, invalidParamDescription(FIELD.notifyurl));
  }
  if (ctx.options.unknownFields === 'reject') {
    const unknown = Object.keys(body).find((k) => !KNOWN_BODY_FIELDS.has(k));
    if (unknown !== undefined) return outcome(CODE.invalidParameters, invalidParamDescription(unknown));
  }
  return value;
};

/** expiry: malformed is 7004, in the past is 7019. */
const expiry: Stage<'expiry'> = (ctx) => {
  const value = ctx.body[FIELD.expiry];
  if (value === undefined) return undefined;
  const at =
    typeof value === 'string' ? parseExpiry(value, ctx.options.expiryOffsets === 'accept') : undefined;
  if (at === undefined) return outcome(CODE.invalidParameters, invalidParamDescription(FIELD.expiry));
  return at < ctx.services.clock.now() ? outcome(CODE.requestExpired) : undefined;
};

/** fault: an injected internal error answers 7005. */
const fault: Stage<'fault'> = (ctx) =>
  ctx.services.faults?.internalError(ctx.tenant.id) ? outcome(CODE.internalError) : undefined;

function firstCorrelationId(events: readonly unknown[]): string | undefined {
  const first = events[0];
  if (first === null || typeof first !== 'object') return undefined;
  const c = (first as Record<string, unknown>)[FIELD.correlationid];
  return typeof c === 'string' && c !== '' ? c : undefined;
}

/**
 * rateLimit: ask the limiter with weight 1 (requests) or the number of events; rejected is 7020, carrying the
 * first event's correlationid as its official example does.
 */
const rateLimit: Stage<'rateLimit'> = (ctx) => {
  const weight = ctx.tenant.rateLimit.countBy === 'events' ? Math.max(1, ctx.events.length) : 1;
  const admission = ctx.services.rateLimiter.admit(ctx.tenant.id, weight);
  if (admission !== 'rejected') return admission;
  const rejected = CATALOG[CODE.rateLimited].descriptions[0];
  return new RequestOutcome(CODE.rateLimited, rejected, firstCorrelationId(ctx.events));
};

function evaluateEvent(ctx: StageInput<'perEvent'>, event: unknown): EventOutcome {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    return {
      code: CODE.invalidParameters,
      description: DESCRIPTION.invalidParameters,
      correlationid: '',
      evtid: undefined,
      parameters: {},
    };
  }
  const e = event as Record<string, unknown>;
  const rawCorrelation = e[FIELD.correlationid];
  const correlationid = typeof rawCorrelation === 'string' ? rawCorrelation : '';
  const fail = (code: ResponseCode, description: string): EventOutcome => ({
    code,
    description,
    correlationid,
    evtid: undefined,
    parameters: {},
  });
  let evtid = e[FIELD.evtid];
  if (typeof evtid === 'number' && ctx.options.evtidAsNumber === 'coerce' && Number.isFinite(evtid))
    evtid = String(evtid);
  if (typeof evtid !== 'string' || evtid === '')
    return fail(CODE.invalidParameters, DESCRIPTION.invalidEvtid);
  const known = ctx.tenant.events.find((te) => te.evtid === evtid);
  if (!known) return fail(CODE.invalidParameters, DESCRIPTION.invalidEvtid);
  // Up to 16 UTF-16 units cannot exceed 50 bytes of UTF-8 (at most 3 bytes a unit): skip the schema then.
  const shortString = typeof rawCorrelation === 'string' && rawCorrelation.length <= 16;
  if (
    rawCorrelation !== undefined &&
    !shortString &&
    !correlationIdSchema.safeParse(rawCorrelation).success
  ) {
    return fail(CODE.invalidParameters, invalidParamDescription(FIELD.correlationid));
  }
  const params = e[FIELD.parameters];
  if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) {
    return fail(CODE.invalidParameters, invalidParamDescription(FIELD.parameters));
  }
  if (ctx.options.unknownFields === 'reject') {
    const unknown = Object.keys(e).find((k) => !KNOWN_EVENT_FIELDS.has(k));
    if (unknown !== undefined) return fail(CODE.invalidParameters, invalidParamDescription(unknown));
  }
  const parameters = (params ?? {}) as Record<string, unknown>;
  // A mandatory parameter counts as missing when absent, null or the empty string.
  const missing = known.mandatoryParameters.find(
    (p) => parameters[p] === undefined || parameters[p] === null || parameters[p] === '',
  );
  if (missing !== undefined) {
    return fail(
      CODE.mandatoryParameterMissing,
      ctx.options.mandatoryParamDescription === 'template'
        ? mandatoryParamDescription(missing)
        : DESCRIPTION.mandatoryParameterMissing,
    );
  }
  return { code: CODE.queued, description: undefined, correlationid, evtid, parameters };
}

/** perEvent: each event in order: bad or unknown `evtid` 7004, missing mandatory parameter 7025, else 1002. */
const perEvent: Stage<'perEvent'> = (ctx) => ctx.events.map((event) => evaluateEvent(ctx, event));

/**
 * The ordered stages by name, each with the field it adds (its input is typed by `STAGE_NEEDS`); the order they
 * run in is the evaluator option `stageOrder`.
 */
export const STAGES: { readonly [S in StageName]: StageSpec<S> } = {
  allowlist: { run: allowlist, adds: undefined },
  credentials: { run: credentials, adds: 'serviceId' },
  json: { run: json, adds: 'body' },
  events: { run: events, adds: 'events' },
  expiry: { run: expiry, adds: undefined },
  fault: { run: fault, adds: undefined },
  rateLimit: { run: rateLimit, adds: 'admission' },
  perEvent: { run: perEvent, adds: 'eventOutcomes' },
};
