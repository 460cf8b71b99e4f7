/**
 * Declared mutations of the official request examples for the mock's fuzz test. Each mutation puts exactly
 * one defect into an otherwise valid request and DECLARES the code the documentation gives for it (event-api.md,
 * docs/mock.md) — the test compares the mock's answer with this declaration, not with the evaluator.
 * (Until the generators/ package exists; then these should move there or be replaced by it.)
 */
import type { Random } from '../src/random.ts';
import type { ResponseCode } from '../src/schema/catalog.ts';
import examples from '../src/schema/official-examples.json' with { type: 'json' };

/** A request being built: a valid base, then one mutation. `text`/`bytes` override the JSON of `body`. */
export interface Draft {
  headers: Record<string, string>;
  body: Record<string, unknown>;
  text?: string;
  bytes?: Uint8Array;
  sourceIp: string;
}

/** Signed JWTs the mutations pick from (signing per case would dominate the run time). */
export interface TokenPools {
  valid: readonly string[];
  badSignature: readonly string[];
  expired: readonly string[];
  expPast: readonly string[];
  hs512: readonly string[];
  unknownIss: readonly string[];
}

/** One declared mutation: the code it must produce, the envelope form, and how it changes a draft. */
export interface Mutation {
  readonly code: ResponseCode;
  readonly form: 'object' | 'array';
  readonly apply: (draft: Draft, r: Random, tokens: TokenPools) => void;
}

/** The clock the fuzz run fixes in the mock; expiry and JWT times are relative to it. */
export const FUZZ_NOW = Date.parse('2026-06-01T00:00:00.000Z');
const DEMO_KEY = 'evkit-demo-key';
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

const word = (r: Random, min = 1, max = 16): string =>
  Array.from({ length: r.int(min, max) }, () => r.pick([...ALNUM])).join('');
const events = (d: Draft): Record<string, unknown>[] => d.body.events as Record<string, unknown>[];
const json = (d: Draft): string => JSON.stringify(d.body);
const bearer = (d: Draft, token: string, r: Random): void => {
  d.headers.authorization = `Bearer ${token}`;
  // Sometimes also a valid key: the JWT wins, so the answer must still be the JWT's.
  if (r.next() < 0.5) d.headers.key = DEMO_KEY;
  else delete d.headers.key;
};
const keyOnly = (d: Draft, value: string): void => {
  delete d.headers.authorization;
  d.headers.key = value;
};
const nest = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { a: v };
  return v;
};
const isoPast = (r: Random): string => {
  const iso = new Date(FUZZ_NOW - r.int(1_000, 10 * 365 * 86_400_000)).toISOString();
  return r.pick([iso, iso.slice(0, 19), iso.replace('.000', '')]);
};
const INVALID_UTF8: readonly (readonly number[])[] = [
  [0xff],
  [0xc3, 0x28],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xc0, 0xaf],
];

/** The declared mutations, by name. */
export const MUTATIONS = {
  // 7000: the body is not UTF-8 JSON (or nests deeper than the mock's documented limit of 32).
  'truncate-body': {
    code: '7000',
    form: 'object',
    apply: (d, r) => {
      d.text = json(d).slice(0, r.int(0, json(d).length - 1));
    },
  },
  'invalid-utf8': {
    code: '7000',
    form: 'object',
    apply: (d, r) => {
      const bytes = new TextEncoder().encode(json(d));
      // Right after the first quote: inside the first key's string, so only the encoding is wrong.
      d.bytes = new Uint8Array([...bytes.slice(0, 2), ...r.pick(INVALID_UTF8), ...bytes.slice(2)]);
    },
  },
  'trailing-garbage': {
    code: '7000',
    form: 'object',
    apply: (d, r) => {
      d.text = json(d) + r.pick(['x', '}', ',', ']', '{', 'null', '"', ' 1']);
    },
  },
  'single-quotes': {
    code: '7000',
    form: 'object',
    apply: (d) => {
      d.text = json(d).replaceAll('"', "'");
    },
  },
  'deep-nesting': {
    code: '7000',
    form: 'object',
    apply: (d, r) => {
      (events(d)[0] as Record<string, unknown>).parameters = { deep: nest(r.int(33, 400)) };
    },
  },
  'empty-body': {
    code: '7000',
    form: 'object',
    apply: (d, r) => {
      d.text = r.pick(['', ' ', '\n', '\t\r\n']);
    },
  },
  'not-json-text': {
    code: '7000',
    form: 'object',
    apply: (d, r) => {
      d.text = r.pick(['hello', 'undefined', 'NaN', '{events:[]}', '<xml/>', 'evtid=4451']);
    },
  },
  // 7001: bad credentials.
  'unknown-key': { code: '7001', form: 'object', apply: (d, r) => keyOnly(d, `fuzz-${word(r)}`) },
  'key-with-suffix': { code: '7001', form: 'object', apply: (d, r) => keyOnly(d, DEMO_KEY + word(r, 1, 2)) },
  'inactive-key': { code: '7001', form: 'object', apply: (d) => keyOnly(d, 'evkit-inactive-key') },
  'jwt-bad-signature': {
    code: '7001',
    form: 'object',
    apply: (d, r, t) => bearer(d, r.pick(t.badSignature), r),
  },
  'jwt-expired': { code: '7001', form: 'object', apply: (d, r, t) => bearer(d, r.pick(t.expired), r) },
  'jwt-exp-past': { code: '7001', form: 'object', apply: (d, r, t) => bearer(d, r.pick(t.expPast), r) },
  'jwt-hs512': { code: '7001', form: 'object', apply: (d, r, t) => bearer(d, r.pick(t.hs512), r) },
  'jwt-unknown-iss': { code: '7001', form: 'object', apply: (d, r, t) => bearer(d, r.pick(t.unknownIss), r) },
  'jwt-garbage': {
    code: '7001',
    form: 'object',
    apply: (d, r) => bearer(d, `${word(r)}.${word(r)}.${word(r)}`, r),
  },
  'authorization-not-bearer': {
    code: '7001',
    form: 'object',
    apply: (d, r, t) => {
      d.headers.authorization = r.pick([`Basic ${word(r)}`, r.pick(t.valid), `Token ${r.pick(t.valid)}`]);
    },
  },
  // 7002: no credentials.
  'no-credentials': {
    code: '7002',
    form: 'object',
    apply: (d) => {
      delete d.headers.key;
      delete d.headers.authorization;
    },
  },
  'empty-key': { code: '7002', form: 'object', apply: (d) => keyOnly(d, '') },
  'blank-authorization': {
    code: '7002',
    form: 'object',
    apply: (d) => {
      delete d.headers.key;
      d.headers.authorization = ' ';
    },
  },
  // 7003: no `events`.
  'events-removed': {
    code: '7003',
    form: 'object',
    apply: (d) => {
      delete d.body.events;
    },
  },
  'events-null': {
    code: '7003',
    form: 'object',
    apply: (d) => {
      d.body.events = null;
    },
  },
  'events-renamed': {
    code: '7003',
    form: 'object',
    apply: (d, r) => {
      d.body[r.pick(['Events', 'event', 'EVENTS', 'events '])] = d.body.events;
      delete d.body.events;
    },
  },
  'body-not-object': {
    code: '7003',
    form: 'object',
    apply: (d, r) => {
      d.text = JSON.stringify(r.pick([[], [d.body], 42, 'text', true, null]));
    },
  },
  // 7004 for the whole request (object).
  'events-empty': {
    code: '7004',
    form: 'object',
    apply: (d) => {
      d.body.events = [];
    },
  },
  'events-not-array': {
    code: '7004',
    form: 'object',
    apply: (d, r) => {
      d.body.events = r.pick([{}, 'x', 1, true, events(d)[0]]);
    },
  },
  'notifyurl-invalid': {
    code: '7004',
    form: 'object',
    apply: (d, r) => {
      d.body.notifyurl = r.pick(['ftp://x', 'not a url', 42, {}, 'http://', []]);
    },
  },
  'expiry-malformed': {
    code: '7004',
    form: 'object',
    apply: (d, r) => {
      d.body.expiry = r.pick([
        'tomorrow',
        '2030-02-30T00:00:00Z',
        '2030-13-01T00:00:00Z',
        12345,
        '2030-04-12 18:51:19',
        '2030-04-12T18:51:19+05:30',
        '',
        null,
      ]);
    },
  },
  // 7004 per event (array): every event gets the defect, so no entry may be 1002.
  'evtid-unknown': {
    code: '7004',
    form: 'array',
    apply: (d, r) => {
      for (const e of events(d)) e.evtid = `x${word(r)}`;
    },
  },
  'evtid-number': {
    code: '7004',
    form: 'array',
    apply: (d) => {
      for (const e of events(d)) e.evtid = Number(e.evtid);
    },
  },
  'evtid-missing': {
    code: '7004',
    form: 'array',
    apply: (d) => {
      for (const e of events(d)) delete e.evtid;
    },
  },
  'evtid-wrong-type': {
    code: '7004',
    form: 'array',
    apply: (d, r) => {
      for (const e of events(d)) e.evtid = r.pick(['', null, true, [], {}]);
    },
  },
  'correlationid-too-long': {
    code: '7004',
    form: 'array',
    apply: (d, r) =>
      events(d).forEach((e) => {
        e.correlationid = r.pick(['x'.repeat(r.int(51, 200)), 'é'.repeat(r.int(26, 60)), '€'.repeat(17)]);
      }),
  },
  'correlationid-not-string': {
    code: '7004',
    form: 'array',
    apply: (d, r) => {
      for (const e of events(d)) e.correlationid = r.pick([1, true, [], {}]);
    },
  },
  'parameters-not-object': {
    code: '7004',
    form: 'array',
    apply: (d, r) => {
      for (const e of events(d)) e.parameters = r.pick([[], 'x', 1, null, true]);
    },
  },
  'event-not-object': {
    code: '7004',
    form: 'array',
    apply: (d, r) => {
      d.body.events = events(d).map(() => r.pick([1, 'x', null, [], true]));
    },
  },
  // 7010: outside the allowlist (127.0.0.1 and ::1).
  'source-outside-allowlist': {
    code: '7010',
    form: 'object',
    apply: (d, r) => {
      d.sourceIp = r.pick([
        `127.0.0.${r.int(2, 254)}`,
        `10.${r.int(0, 255)}.0.1`,
        '192.168.1.1',
        '::2',
        '2001:db8::1',
        '::ffff:10.0.0.1',
        '',
        'garbage',
      ]);
    },
  },
  // 7019: expiry in the past.
  'expiry-past': {
    code: '7019',
    form: 'object',
    apply: (d, r) => {
      d.body.expiry = isoPast(r);
    },
  },
  // 7025: a mandatory parameter of 4460 (orderId, ContactNumber) missing, empty or null in every event.
  'mandatory-missing': {
    code: '7025',
    form: 'array',
    apply: (d, r) => {
      for (const e of events(d)) {
        e.evtid = '4460';
        const params: Record<string, unknown> = { orderId: word(r), ContactNumber: word(r), other: 1 };
        const victim = r.pick(['orderId', 'ContactNumber']);
        const how = r.int(0, 3);
        if (how === 0) delete params[victim];
        else params[victim] = how === 1 ? '' : null;
        if (how === 3) delete e.parameters;
        else e.parameters = params;
      }
    },
  },
} as const satisfies Record<string, Mutation>;

/** A mutation's name. */
export type MutationName = keyof typeof MUTATIONS;
/** Every mutation name. */
export const MUTATION_NAMES = Object.keys(MUTATIONS) as MutationName[];

/** The official request examples, made valid against the default tenant at FUZZ_NOW (future expiry). */
export function validBase(name: keyof typeof examples.requests): Record<string, unknown> {
  const body = structuredClone(examples.requests[name]) as Record<string, unknown>;
  if (typeof body.expiry === 'string') body.expiry = body.expiry.replace('2015', '2030');
  return body;
}

/** The official example names. */
export const EXAMPLE_NAMES = Object.keys(examples.requests) as (keyof typeof examples.requests)[];

/** One fuzz case. */
export interface FuzzCase {
  readonly example: string;
  readonly mutation: MutationName;
  readonly code: ResponseCode;
  readonly form: 'object' | 'array';
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
  readonly sourceIp: string;
  /** How many events the request carries (the length an array answer must have). */
  readonly eventCount: number;
}

const encoder = new TextEncoder();

/** Build one case: a valid base (key or JWT), then the mutation. */
export function buildCase(
  r: Random,
  tokens: TokenPools,
  example = r.pick(EXAMPLE_NAMES),
  mutation = r.pick(MUTATION_NAMES),
): FuzzCase {
  const draft: Draft = {
    headers: r.next() < 0.5 ? { key: DEMO_KEY } : { authorization: `Bearer ${r.pick(tokens.valid)}` },
    body: validBase(example),
    sourceIp: r.pick(['127.0.0.1', '::1', '::ffff:127.0.0.1']),
  };
  draft.headers['content-type'] = r.pick([
    'application/json',
    'text/plain',
    'application/x-www-form-urlencoded',
  ]);
  const m: Mutation = MUTATIONS[mutation];
  m.apply(draft, r, tokens);
  const body = draft.bytes ?? encoder.encode(draft.text ?? json(draft));
  const list = draft.body.events;
  return {
    example,
    mutation,
    code: m.code,
    form: m.form,
    headers: draft.headers,
    body,
    sourceIp: draft.sourceIp,
    eventCount: Array.isArray(list) ? list.length : 0,
  };
}
