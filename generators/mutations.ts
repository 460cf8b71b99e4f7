/**
 * Invalid requests as named mutations of valid ones. Each mutation breaks one thing, declares the code and
 * envelope form the evaluator must answer, and returns `undefined` when it does not apply to a base (the
 * tenant has no inactive key, no allowlist, no event with mandatory parameters, ...). mutations.test.ts runs
 * every generated case through the real evaluator and fails when an answer differs from the declaration.
 */

import {
  bearer,
  CREDENTIAL_HEADER_NAMES,
  credentialHeaders,
  type HmacAlgorithm,
  nodeJwtCrypto,
  signJwt as signWith,
  unsecuredJwt as unsecuredWith,
} from '../src/auth/index.ts';
import type { Random } from '../src/random.ts';
import { randomUuid } from '../src/random.ts';
import type { EvaluatorOptions, StageName } from '../src/schema/index.ts';
import {
  ACCEPTED_CODE,
  CATALOG,
  CODE,
  DESCRIPTION,
  type EnvelopeForm,
  FIELD,
  HEADER,
  invalidParamDescription,
  JWT_VALIDITY_SECONDS,
  mandatoryParamDescription,
  RESPONSE_CODES,
  type ResponseCode,
} from '../src/schema/index.ts';
import type { EventBody, ValidBase } from './base.ts';
import type { FileContext, JwtService } from './context.ts';
import { alnum, correlationIdOverLimit, digits, formatExpiry, futureExpiry, pastExpiry } from './values.ts';

/** Codes one request can provoke (the catalog's `requestTriggered` column). */
export type RequestTriggeredCode = {
  [K in ResponseCode]: (typeof CATALOG)[K]['requestTriggered'] extends true ? K : never;
}[ResponseCode];
/** The codes mutations provoke: every request-triggered code but acceptance. */
export type MutationCode = Exclude<RequestTriggeredCode, typeof ACCEPTED_CODE>;
/** Every mutation code, in catalog order. */
export const MUTATION_CODES = RESPONSE_CODES.filter(
  (c): c is MutationCode => CATALOG[c].requestTriggered && c !== ACCEPTED_CODE,
);

/** What a mutation may read besides its base. */
export interface MutationContext {
  readonly random: Random;
  readonly nowMs: number;
  readonly file: FileContext;
}

/** A mutation's changes to its base; fields left out keep the base's value. */
export interface Mutated {
  /** Replaces the base's headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A value serialised as the body. */
  readonly json?: unknown;
  /** A raw body text. */
  readonly text?: string;
  /** Raw body bytes that are not UTF-8. */
  readonly bytes?: Uint8Array;
  readonly sourceIp?: string;
  /** The expected description, when it depends on the mutation's choices. */
  readonly description?: string;
}

/** Evaluator options a mutation needs (it follows the option for cases the reference leaves open). */
export type OptionRequirement = Partial<
  Pick<
    EvaluatorOptions,
    'emptyKey' | 'nullEvents' | 'unknownFields' | 'evtidAsNumber' | 'expiryOffsets' | 'bearerPrefix'
  >
>;

/** One named mutation. */
export interface Mutation {
  readonly name: string;
  readonly code: MutationCode;
  readonly form: EnvelopeForm;
  readonly summary: string;
  /** The expected description when it is fixed; `apply` may refine it. */
  readonly description: string | undefined;
  readonly requires: OptionRequirement;
  /** Stages that must run in this order for the declared code to win (two things are broken). */
  readonly stagesBefore: readonly (readonly [StageName, StageName])[];
  readonly apply: (base: ValidBase, ctx: MutationContext) => Mutated | undefined;
}

type Spec = Pick<Mutation, 'name' | 'summary' | 'apply'> &
  Partial<Pick<Mutation, 'form' | 'description' | 'requires' | 'stagesBefore'>>;

// ---------------------------------------------------------------------------------------------------------
// Helpers: every change is a shallow copy of the base, so a base can serve many mutations.

function headersWith(base: ValidBase, extra: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(base.headers))
    if (!CREDENTIAL_HEADER_NAMES.includes(name)) out[name] = value;
  return Object.assign(out, extra);
}

const withKey = (base: ValidBase, key: string) => headersWith(base, credentialHeaders({ type: 'key', key }));
const withBearer = (base: ValidBase, token: string) =>
  headersWith(base, credentialHeaders({ type: 'token', token }));
/** The one signer over node:crypto (src/auth/jwt.ts). */
const signJwt = (
  payload: Record<string, unknown>,
  key: JwtService['secret'],
  header?: Record<string, unknown>,
  algorithm?: HmacAlgorithm,
) => signWith(nodeJwtCrypto, payload, key, header, algorithm);
const unsecuredJwt = (payload: Record<string, unknown>) => unsecuredWith(nodeJwtCrypto, payload);

/** The body with some top-level fields replaced; `undefined` drops a field. */
function bodyWith(base: ValidBase, changes: Record<string, unknown>): Record<string, unknown> {
  return { ...base.body, ...changes };
}

/** The body with every event replaced: every entry of the answer then carries the same code. */
function eachEvent(
  base: ValidBase,
  change: (event: EventBody, index: number) => unknown,
): Record<string, unknown> {
  return bodyWith(base, { [FIELD.events]: base.body.events.map(change) });
}

function eventWith(event: EventBody, changes: Record<string, unknown>): Record<string, unknown> {
  return { ...event, ...changes };
}

/** A value that is none of `known` (tries random ones, then a counter). */
function unknownOf(known: ReadonlySet<string> | readonly string[], make: () => string): string {
  const has = (v: string) =>
    Array.isArray(known) ? known.includes(v) : (known as ReadonlySet<string>).has(v);
  for (let i = 0; i < 20; i++) {
    const v = make();
    if (!has(v)) return v;
  }
  let n = 0;
  while (has(`unknown-${n}`)) n += 1;
  return `unknown-${n}`;
}

const nowSeconds = (ctx: MutationContext) => Math.floor(ctx.nowMs / 1000);

/** The JWT service of the base, or the tenant's first; JWT mutations need one. */
function jwtServiceOf(base: ValidBase): JwtService | undefined {
  const { credential } = base;
  return credential.type === 'jwt'
    ? base.tenant.jwtServices.find((s) => s.service.id === credential.serviceId)
    : base.tenant.jwtServices[0];
}

/** Credentials that name no tenant are judged by the first tenant: only then is the declared code certain. */
const fallbackAdmits = (base: ValidBase, ctx: MutationContext) => ctx.file.fallbackAdmits(base.sourceIp);

function truncated(base: ValidBase, random: Random): string {
  // A strict prefix of an object's text lacks its closing brace, so it never parses.
  return base.text.slice(0, random.int(1, base.text.length - 1));
}

// ---------------------------------------------------------------------------------------------------------
// The table: at least two mutations per code under the default options (mutations.test.ts checks it).

const TABLE = {
  [CODE.invalidJson]: [
    {
      name: 'json-truncated',
      summary: 'the body cut off mid-way',
      apply: (b, c) => ({ text: truncated(b, c.random) }),
    },
    {
      name: 'json-trailing-comma',
      summary: 'a comma before the closing brace',
      apply: (b) => {
        const end = b.text.lastIndexOf('}');
        return { text: `${b.text.slice(0, end)},${b.text.slice(end)}` };
      },
    },
    {
      name: 'json-single-quotes',
      summary: "strings and names in 'single quotes'",
      apply: (b) => ({ text: b.text.replaceAll('"', "'") }),
    },
    { name: 'json-empty-body', summary: 'an empty body', apply: () => ({ text: '' }) },
    {
      name: 'json-invalid-utf8',
      summary: 'a byte that is not UTF-8 inside a string',
      apply: (b, c) => {
        const bytes = new TextEncoder().encode(b.text);
        const at = b.text.indexOf('"') + 1;
        const bad = c.random.pick([[0xff], [0xc3, 0x28], [0x80], [0xed, 0xa0, 0x80]]);
        const out = new Uint8Array(bytes.length + bad.length);
        out.set(bytes.subarray(0, at));
        out.set(bad, at);
        out.set(bytes.subarray(at), at + bad.length);
        return { bytes: out };
      },
    },
    {
      name: 'json-unquoted-names',
      summary: 'field names without quotes (JavaScript, not JSON)',
      apply: (b) => ({ text: b.text.replaceAll(/"([A-Za-z]+)":/g, '$1:') }),
    },
    {
      name: 'json-concatenated',
      summary: 'two JSON documents in one body',
      apply: (b) => ({ text: `${b.text}\n${b.text}` }),
    },
    {
      name: 'body-form-encoded',
      summary: 'a form-encoded body instead of JSON',
      apply: (b) => ({
        text: b.body.events.map((e) => `${FIELD.evtid}=${encodeURIComponent(e.evtid)}`).join('&'),
      }),
    },
  ],
  [CODE.authenticationFailed]: [
    {
      name: 'key-unknown',
      summary: 'a service key no tenant has',
      apply: (b, c) =>
        fallbackAdmits(b, c)
          ? {
              headers: withKey(
                b,
                unknownOf(c.file.knownKeys, () => `evk-${alnum(c.random, 24)}`),
              ),
            }
          : undefined,
    },
    {
      name: 'key-inactive',
      summary: "one of the tenant's inactive keys",
      apply: (b, c) =>
        b.tenant.inactiveKeys.length > 0
          ? { headers: withKey(b, c.random.pick(b.tenant.inactiveKeys)) }
          : undefined,
    },
    {
      name: 'key-wrong-case',
      summary: 'an active key with its letter case changed (keys are case-sensitive)',
      apply: (b, c) => {
        if (!fallbackAdmits(b, c) || b.tenant.activeKeys.length === 0) return undefined;
        const key = c.random.pick(b.tenant.activeKeys);
        const changed = key === key.toUpperCase() ? key.toLowerCase() : key.toUpperCase();
        return changed === key || c.file.knownKeys.has(changed)
          ? undefined
          : { headers: withKey(b, changed) };
      },
    },
    {
      name: 'jwt-bad-signature',
      summary: 'a JWT signed with another secret',
      apply: (b, c) => {
        const s = jwtServiceOf(b);
        if (!s) return undefined;
        return {
          headers: withBearer(b, signJwt({ iss: s.service.id, iat: nowSeconds(c) }, c.file.wrongKey)),
        };
      },
    },
    {
      name: 'jwt-expired',
      summary: `a JWT issued more than ${JWT_VALIDITY_SECONDS / 60} minutes ago`,
      apply: (b, c) => {
        const s = jwtServiceOf(b);
        if (!s) return undefined;
        const iat = nowSeconds(c) - JWT_VALIDITY_SECONDS - c.random.int(1, 86_400);
        return { headers: withBearer(b, signJwt({ iss: s.service.id, iat }, s.secret)) };
      },
    },
    {
      name: 'jwt-exp-passed',
      summary: 'a recent JWT whose exp claim has passed',
      apply: (b, c) => {
        const s = jwtServiceOf(b);
        if (!s) return undefined;
        const now = nowSeconds(c);
        return {
          headers: withBearer(
            b,
            signJwt({ iss: s.service.id, iat: now - 120, exp: now - c.random.int(1, 60) }, s.secret),
          ),
        };
      },
    },
    {
      name: 'jwt-iat-future',
      summary: 'a JWT issued in the future (beyond the 60 s leeway)',
      apply: (b, c) => {
        const s = jwtServiceOf(b);
        if (!s) return undefined;
        const iat = nowSeconds(c) + c.random.int(120, 7200);
        return { headers: withBearer(b, signJwt({ iss: s.service.id, iat }, s.secret)) };
      },
    },
    {
      name: 'jwt-wrong-iss',
      summary: 'a JWT whose iss names no service',
      apply: (b, c) => {
        const s = jwtServiceOf(b);
        if (!s || !fallbackAdmits(b, c)) return undefined;
        const iss = unknownOf(c.file.knownServiceIds, () => `svc-${alnum(c.random, 8)}`);
        return { headers: withBearer(b, signJwt({ iss, iat: nowSeconds(c) }, s.secret)) };
      },
    },
    {
      name: 'jwt-alg-none',
      summary: 'an unsecured JWT (alg: none, no signature)',
      apply: (b, c) => {
        const s = jwtServiceOf(b);
        return s
          ? { headers: withBearer(b, unsecuredJwt({ iss: s.service.id, iat: nowSeconds(c) })) }
          : undefined;
      },
    },
    {
      name: 'jwt-alg-hs512',
      summary: 'a JWT signed with the right secret but HS512',
      apply: (b, c) => {
        const s = jwtServiceOf(b);
        if (!s) return undefined;
        return {
          headers: withBearer(b, signJwt({ iss: s.service.id, iat: nowSeconds(c) }, s.secret, {}, 'HS512')),
        };
      },
    },
    {
      name: 'jwt-malformed',
      summary: 'a bearer token that is not a JWT',
      apply: (b, c) =>
        fallbackAdmits(b, c)
          ? {
              headers: withBearer(
                b,
                c.random.pick([
                  alnum(c.random, 32),
                  `${alnum(c.random, 10)}.${alnum(c.random, 10)}`,
                  randomUuid(c.random),
                ]),
              ),
            }
          : undefined,
    },
    {
      name: 'jwt-without-bearer',
      summary: 'a valid JWT in Authorization without the "Bearer" word',
      requires: { bearerPrefix: 'required' },
      apply: (b, c) => {
        const s = jwtServiceOf(b);
        if (!s || !fallbackAdmits(b, c)) return undefined;
        return {
          headers: headersWith(b, {
            [HEADER.authorization]: signJwt({ iss: s.service.id, iat: nowSeconds(c) }, s.secret),
          }),
        };
      },
    },
    {
      name: 'jwt-bad-with-good-key',
      summary: 'a badly signed JWT next to an active key (the JWT wins)',
      apply: (b, c) => {
        const s = jwtServiceOf(b);
        if (!s || b.tenant.activeKeys.length === 0) return undefined;
        return {
          headers: headersWith(b, {
            [HEADER.key]: c.random.pick(b.tenant.activeKeys),
            [HEADER.authorization]: bearer(
              signJwt({ iss: s.service.id, iat: nowSeconds(c) }, c.file.wrongKey),
            ),
          }),
        };
      },
    },
    {
      name: 'key-empty-as-invalid',
      summary: 'an empty key header, read as an invalid key',
      requires: { emptyKey: 'invalid' },
      apply: (b, c) => (fallbackAdmits(b, c) ? { headers: withKey(b, '') } : undefined),
    },
  ],
  [CODE.serviceKeyMissing]: [
    {
      name: 'credentials-none',
      summary: 'neither a key header nor an Authorization header',
      apply: (b, c) => (fallbackAdmits(b, c) ? { headers: headersWith(b, {}) } : undefined),
    },
    {
      name: 'key-empty',
      summary: 'an empty key header, read as missing',
      requires: { emptyKey: 'missing' },
      apply: (b, c) => (fallbackAdmits(b, c) ? { headers: withKey(b, '') } : undefined),
    },
    {
      name: 'authorization-blank',
      summary: 'an Authorization header of blanks and no key',
      apply: (b, c) =>
        fallbackAdmits(b, c) ? { headers: headersWith(b, { [HEADER.authorization]: '   ' }) } : undefined,
    },
    {
      name: 'key-header-misnamed',
      summary: 'the key sent under another header name (x-api-key, apikey, ...)',
      apply: (b, c) => {
        if (!fallbackAdmits(b, c) || b.tenant.activeKeys.length === 0) return undefined;
        const name = c.random.pick(['x-api-key', 'apikey', 'api-key', 'service-key', 'keys']);
        return { headers: headersWith(b, { [name]: c.random.pick(b.tenant.activeKeys) }) };
      },
    },
  ],
  [CODE.eventsMissing]: [
    {
      name: 'events-missing',
      summary: 'no events field',
      apply: (b) => ({ json: bodyWith(b, { [FIELD.events]: undefined }) }),
    },
    {
      name: 'events-null',
      summary: 'events: null, read as missing',
      requires: { nullEvents: 'missing' },
      apply: (b) => ({ json: bodyWith(b, { [FIELD.events]: null }) }),
    },
    {
      name: 'events-misspelled',
      summary: 'the events under another name (Events, event, evts)',
      apply: (b, c) => {
        const { [FIELD.events]: events, ...rest } = b.body;
        return { json: { ...rest, [c.random.pick(['Events', 'event', 'evts', 'EVENTS'])]: events } };
      },
    },
    {
      name: 'body-not-object',
      summary: 'a JSON array, string or number instead of an object',
      apply: (b, c) => ({ json: c.random.pick<unknown>([[b.body], b.body.events, 'events', 4451, true]) }),
    },
  ],
  [CODE.invalidParameters]: [
    {
      name: 'events-empty',
      summary: 'events: []',
      form: 'object',
      description: DESCRIPTION.eventsEmpty,
      apply: (b) => ({ json: bodyWith(b, { [FIELD.events]: [] }) }),
    },
    {
      name: 'events-not-array',
      summary: 'events as an object, string or number',
      form: 'object',
      description: invalidParamDescription(FIELD.events),
      apply: (b, c) => ({
        json: bodyWith(b, { [FIELD.events]: c.random.pick<unknown>([b.body.events[0], 'events', 1, {}]) }),
      }),
    },
    {
      name: 'events-null-as-invalid',
      summary: 'events: null, read as an invalid value',
      form: 'object',
      requires: { nullEvents: 'invalid' },
      description: invalidParamDescription(FIELD.events),
      apply: (b) => ({ json: bodyWith(b, { [FIELD.events]: null }) }),
    },
    {
      name: 'notifyurl-invalid',
      summary: 'a notifyurl that is not an http(s) URL',
      form: 'object',
      description: invalidParamDescription(FIELD.notifyurl),
      apply: (b, c) => ({
        json: bodyWith(b, {
          [FIELD.notifyurl]: c.random.pick<unknown>([
            'ftp://127.0.0.1/notify',
            'not a url',
            'http://',
            'mailto:ops@example.com',
            42,
            false,
          ]),
        }),
      }),
    },
    {
      name: 'expiry-malformed',
      summary: 'an expiry in no documented form',
      form: 'object',
      description: invalidParamDescription(FIELD.expiry),
      apply: (b, c) => {
        const future = futureExpiry(c.nowMs, c.random).slice(0, 19);
        return {
          json: bodyWith(b, {
            [FIELD.expiry]: c.random.pick<unknown>([
              'tomorrow',
              future.replace('T', ' '),
              future.slice(0, 10),
              `${future.slice(0, 5)}02-30${future.slice(10)}`,
              Math.floor(c.nowMs / 1000) + 3600,
              '',
            ]),
          }),
        };
      },
    },
    {
      name: 'expiry-offset',
      summary: 'a future expiry with a +hh:mm offset, which the reference does not document',
      form: 'object',
      requires: { expiryOffsets: 'reject' },
      description: invalidParamDescription(FIELD.expiry),
      apply: (b, c) => ({
        json: bodyWith(b, {
          [FIELD.expiry]: `${futureExpiry(c.nowMs, c.random).slice(0, 19)}${c.random.pick(['+05:30', '-08:00', '+00:00'])}`,
        }),
      }),
    },
    {
      name: 'body-unknown-field',
      summary: 'an extra top-level field, rejected by the unknownFields option',
      form: 'object',
      requires: { unknownFields: 'reject' },
      description: undefined,
      apply: (b, c) => {
        const name = c.random.pick(['priority', 'callbackUrl', 'Expiry', FIELD.evtid]);
        return { json: { ...b.body, [name]: 1 }, description: invalidParamDescription(name) };
      },
    },
    {
      name: 'evtid-unknown',
      summary: 'evtids the tenant does not have',
      apply: (b, c) => ({
        json: eachEvent(b, (e) =>
          eventWith(e, {
            [FIELD.evtid]: unknownOf(b.tenant.evtids, () => digits(c.random, c.random.int(4, 6))),
          }),
        ),
      }),
    },
    {
      name: 'evtid-missing',
      summary: 'events without an evtid',
      apply: (b) => ({ json: eachEvent(b, (e) => eventWith(e, { [FIELD.evtid]: undefined })) }),
    },
    {
      name: 'evtid-empty',
      summary: 'evtid: ""',
      apply: (b) => ({ json: eachEvent(b, (e) => eventWith(e, { [FIELD.evtid]: '' })) }),
    },
    {
      name: 'evtid-number',
      summary: 'evtid as a JSON number',
      requires: { evtidAsNumber: 'reject' },
      apply: (b, c) => ({
        json: eachEvent(b, (e) =>
          eventWith(e, {
            [FIELD.evtid]: /^\d{1,15}$/.test(e.evtid) ? Number(e.evtid) : c.random.int(1000, 9999),
          }),
        ),
      }),
    },
    {
      name: 'evtid-wrong-type',
      summary: 'evtid as null, a boolean, an object or an array',
      apply: (b, c) => ({
        json: eachEvent(b, (e) =>
          eventWith(e, { [FIELD.evtid]: c.random.pick<unknown>([null, true, {}, [e.evtid]]) }),
        ),
      }),
    },
    {
      name: 'correlationid-over-limit',
      summary: 'a correlationid over 50 bytes of UTF-8 yet within 50 characters',
      description: invalidParamDescription(FIELD.correlationid),
      apply: (b, c) => ({
        json: eachEvent(b, (e) => eventWith(e, { [FIELD.correlationid]: correlationIdOverLimit(c.random) })),
      }),
    },
    {
      name: 'correlationid-wrong-type',
      summary: 'a correlationid that is not a string',
      description: invalidParamDescription(FIELD.correlationid),
      apply: (b, c) => ({
        json: eachEvent(b, (e) =>
          eventWith(e, { [FIELD.correlationid]: c.random.pick<unknown>([12345, true, null, { id: 1 }]) }),
        ),
      }),
    },
    {
      name: 'parameters-wrong-type',
      summary: 'parameters that are not an object',
      description: invalidParamDescription(FIELD.parameters),
      apply: (b, c) => ({
        json: eachEvent(b, (e) =>
          eventWith(e, { [FIELD.parameters]: c.random.pick<unknown>([[], 'orderId=1', 42, null]) }),
        ),
      }),
    },
    {
      name: 'event-not-object',
      summary: 'events given as bare values instead of objects',
      description: DESCRIPTION.invalidParameters,
      apply: (b, c) => ({
        json: eachEvent(b, (e) => c.random.pick<unknown>([e.evtid, Number(e.evtid) || 0, null, [e.evtid]])),
      }),
    },
    {
      name: 'event-unknown-field',
      summary: 'an extra event field, rejected by the unknownFields option',
      requires: { unknownFields: 'reject' },
      description: undefined,
      apply: (b, c) => {
        const name = c.random.pick(['priority', 'eventId', 'params']);
        return {
          json: eachEvent(b, (e) => eventWith(e, { [name]: 1 })),
          description: invalidParamDescription(name),
        };
      },
    },
  ],
  [CODE.ipNotAllowlisted]: [
    {
      name: 'source-ip-outside-allowlist',
      summary: "a loopback source address outside the tenant's allowlist",
      apply: (b) => (b.tenant.outsideIp ? { sourceIp: b.tenant.outsideIp } : undefined),
    },
    {
      name: 'source-ip-outside-without-credentials',
      summary: 'outside the allowlist and no credentials (the allowlist is checked first)',
      stagesBefore: [['allowlist', 'credentials']],
      apply: (b, c) => {
        const ip = b.tenant.outsideIp;
        return ip && !c.file.fallbackAdmits(ip) ? { sourceIp: ip, headers: headersWith(b, {}) } : undefined;
      },
    },
    {
      name: 'source-ip-outside-with-bad-json',
      summary: 'outside the allowlist with a truncated body (the allowlist is checked first)',
      stagesBefore: [['allowlist', 'json']],
      apply: (b, c) =>
        b.tenant.outsideIp ? { sourceIp: b.tenant.outsideIp, text: truncated(b, c.random) } : undefined,
    },
  ],
  [CODE.requestExpired]: [
    {
      name: 'expiry-past',
      summary: 'an expiry between a second and five years ago',
      apply: (b, c) => ({ json: bodyWith(b, { [FIELD.expiry]: pastExpiry(c.nowMs, c.random) }) }),
    },
    {
      name: 'expiry-just-passed',
      summary: 'an expiry one to five seconds ago',
      apply: (b, c) => ({
        json: bodyWith(b, { [FIELD.expiry]: formatExpiry(c.nowMs - c.random.int(1000, 5000), c.random) }),
      }),
    },
    {
      name: 'expiry-epoch',
      summary: 'an expiry at the Unix epoch',
      apply: (b, c) => ({ json: bodyWith(b, { [FIELD.expiry]: formatExpiry(0, c.random) }) }),
    },
  ],
  [CODE.mandatoryParameterMissing]: [
    {
      name: 'mandatory-parameter-missing',
      summary: 'a mandatory custom parameter left out',
      apply: mandatory('absent'),
    },
    {
      name: 'mandatory-parameter-empty',
      summary: 'a mandatory custom parameter set to ""',
      apply: mandatory(''),
    },
    {
      name: 'mandatory-parameter-null',
      summary: 'a mandatory custom parameter set to null',
      apply: mandatory(null),
    },
    {
      name: 'parameters-absent',
      summary: 'no parameters for an event that has mandatory ones',
      apply: mandatory('no-parameters'),
    },
  ],
} as const satisfies Record<MutationCode, readonly Spec[]>;

/**
 * 7025 for every event: each event becomes one of the tenant's events with mandatory parameters, all of them
 * given but one (absent, "" or null), or no parameters at all. All events miss the same parameter, so every
 * entry carries the same description.
 */
function mandatory(how: 'absent' | '' | null | 'no-parameters'): Spec['apply'] {
  return (b, c) => {
    if (b.tenant.mandatoryEvents.length === 0) return undefined;
    const event = c.random.pick(b.tenant.mandatoryEvents);
    const names = event.mandatoryParameters;
    const missing = how === 'no-parameters' ? names[0] : c.random.pick(names);
    if (missing === undefined) return undefined;
    const json = eachEvent(b, (e) => {
      if (how === 'no-parameters')
        return eventWith(e, { [FIELD.evtid]: event.evtid, [FIELD.parameters]: undefined });
      const parameters: Record<string, unknown> = { ...e.parameters };
      for (const [name, make] of b.tenant.mandatoryOf.get(event.evtid) ?? [])
        parameters[name] = make(c.random);
      parameters[missing] = how === 'absent' ? undefined : how;
      return eventWith(e, { [FIELD.evtid]: event.evtid, [FIELD.parameters]: parameters });
    });
    const description =
      c.file.options.mandatoryParamDescription === 'template'
        ? mandatoryParamDescription(missing)
        : DESCRIPTION.mandatoryParameterMissing;
    return { json, description };
  };
}

/** The named mutation table, flattened, with each mutation's code, form and default description. */
export const MUTATIONS: readonly Mutation[] = MUTATION_CODES.flatMap((code) =>
  (TABLE[code] as readonly Spec[]).map(
    (spec): Mutation => ({
      code,
      form: spec.form ?? CATALOG[code].form,
      description: 'description' in spec ? spec.description : CATALOG[code].descriptions[0],
      requires: spec.requires ?? {},
      stagesBefore: spec.stagesBefore ?? [],
      name: spec.name,
      summary: spec.summary,
      apply: spec.apply,
    }),
  ),
);

/** Whether a mutation's declared code holds under a set of evaluator options. */
export function holdsUnder(mutation: Mutation, options: EvaluatorOptions): boolean {
  for (const [name, value] of Object.entries(mutation.requires)) {
    if (options[name as keyof OptionRequirement] !== value) return false;
  }
  return mutation.stagesBefore.every(
    ([a, b]) => options.stageOrder.indexOf(a) < options.stageOrder.indexOf(b),
  );
}
