import {
  CATALOG,
  CODE,
  DESCRIPTION,
  FIELD,
  invalidParamDescription,
  mandatoryParamDescription,
  type ResponseCode,
} from '../schema/catalog.ts';
import type { StageName } from '../schema/options.ts';
import { correlationIdSchema, notifyUrlSchema, parseExpiry } from '../schema/request.ts';
import { checkCredentials } from './credentials.ts';
import { type AllowlistMatcher, compileAllowlist } from './ip.ts';
import type { EventOutcome, RequestOutcome, Stage, StageContext } from './types.ts';

const outcome = (
  code: ResponseCode,
  description: string = CATALOG[code].descriptions[0],
): RequestOutcome => ({
  code,
  description,
});

/** A compiled allowlist and its verdicts by source address (few sources send most requests). */
interface CachedAllowlist {
  readonly matcher: AllowlistMatcher;
  readonly verdicts: Map<string, boolean>;
}
const allowlists = new WeakMap<readonly string[], CachedAllowlist>();
const VERDICT_CACHE_LIMIT = 10_000;

/** allowlist: once the tenant lists any address, other sources get 7010. */
const allowlist: Stage = (ctx) => {
  const entries = ctx.tenant.allowlist;
  if (entries.length === 0) return undefined;
  let cached = allowlists.get(entries);
  if (!cached) {
    cached = { matcher: compileAllowlist(entries), verdicts: new Map() };
    allowlists.set(entries, cached);
  }
  const ip = ctx.raw.sourceIp;
  let allowed = cached.verdicts.get(ip);
  if (allowed === undefined) {
    allowed = cached.matcher.matches(ip);
    if (cached.verdicts.size >= VERDICT_CACHE_LIMIT) cached.verdicts.clear();
    cached.verdicts.set(ip, allowed);
  }
  return allowed ? undefined : outcome(CODE.ipNotAllowlisted);
};

/** credentials: a JWT (wins) or a service key; none is 7002, a bad one 7001. */
const credentials: Stage = (ctx) => {
  const verdict = checkCredentials(ctx.raw, ctx.tenant, ctx.options, ctx.services.clock.now());
  const decide = (v: Awaited<typeof verdict>): RequestOutcome | undefined => {
    if (v.ok) {
      ctx.serviceId = v.serviceId;
      return undefined;
    }
    return outcome(v.reason === 'missing' ? CODE.serviceKeyMissing : CODE.authenticationFailed);
  };
  return verdict instanceof Promise ? verdict.then(decide) : decide(verdict);
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** json: the body must be UTF-8 JSON, whatever the declared content type; otherwise 7000. */
const json: Stage = (ctx) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(ctx.raw.body));
  } catch {
    return outcome(CODE.invalidJson);
  }
  // A JSON value that is not an object has no `events`: the events stage answers 7003 for it.
  ctx.body =
    parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  return undefined;
};

const KNOWN_BODY_FIELDS = new Set<string>([FIELD.expiry, FIELD.notifyurl, FIELD.events]);
const KNOWN_EVENT_FIELDS = new Set<string>([FIELD.evtid, FIELD.correlationid, FIELD.parameters]);

/** events: present (7003), an array (7004), not empty and at most maxEventsPerRequest (7004); also `notifyurl` and unknown fields. */
const events: Stage = (ctx) => {
  const body = ctx.body ?? {};
  const value = body[FIELD.events];
  if (value === undefined || (value === null && ctx.options.nullEvents === 'missing'))
    return outcome(CODE.eventsMissing);
  if (!Array.isArray(value)) return outcome(CODE.invalidParameters, invalidParamDescription(FIELD.events));
  if (value.length === 0) return outcome(CODE.invalidParameters, DESCRIPTION.eventsEmpty);
  // A bound on the work of one request (guess: the reference documents no limit), checked before any event is.
  if (value.length > ctx.tenant.maxEventsPerRequest)
    return outcome(CODE.invalidParameters, invalidParamDescription(FIELD.events));
  ctx.events = value;
  const notifyurl = body[FIELD.notifyurl];
  if (notifyurl !== undefined && !notifyUrlSchema.safeParse(notifyurl).success) {
    return outcome(CODE.invalidParameters, invalidParamDescription(FIELD.notifyurl));
  }
  if (ctx.options.unknownFields === 'reject') {
    const unknown = Object.keys(body).find((k) => !KNOWN_BODY_FIELDS.has(k));
    if (unknown !== undefined) return outcome(CODE.invalidParameters, invalidParamDescription(unknown));
  }
  return undefined;
};

/** expiry: malformed is 7004, in the past is 7019. */
const expiry: Stage = (ctx) => {
  const value = ctx.body?.[FIELD.expiry];
  if (value === undefined) return undefined;
  const at =
    typeof value === 'string' ? parseExpiry(value, ctx.options.expiryOffsets === 'accept') : undefined;
  if (at === undefined) return outcome(CODE.invalidParameters, invalidParamDescription(FIELD.expiry));
  return at < ctx.services.clock.now() ? outcome(CODE.requestExpired) : undefined;
};

/** fault: an injected internal error answers 7005. */
const fault: Stage = (ctx) =>
  ctx.services.faults?.internalError(ctx.tenant.id) ? outcome(CODE.internalError) : undefined;

/** rateLimit: ask the limiter with weight 1 (requests) or the number of events; rejected is 7020. */
const rateLimit: Stage = (ctx) => {
  const weight = ctx.tenant.rateLimit.countBy === 'events' ? Math.max(1, ctx.events?.length ?? 1) : 1;
  const admission = ctx.services.rateLimiter.admit(ctx.tenant.id, weight);
  ctx.admission = admission;
  return admission === 'rejected' ? outcome(CODE.rateLimited) : undefined;
};

function evaluateEvent(ctx: StageContext, event: unknown): EventOutcome {
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
const perEvent: Stage = (ctx) => {
  ctx.eventOutcomes = (ctx.events ?? []).map((event) => evaluateEvent(ctx, event));
  return undefined;
};

/** The stages by name; the order they run in is the evaluator option `stageOrder`. */
export const STAGES = {
  allowlist,
  credentials,
  json,
  events,
  expiry,
  fault,
  rateLimit,
  perEvent,
} as const satisfies Record<StageName, Stage>;
