import type { Case } from '../generators/index.ts';
import type { Credentials } from '../src/client/types.ts';
import { loadTenantFile } from '../src/mock/tenant-file.ts';
import { CATALOG, DESCRIPTION, FIELD, HEADER, type ResponseCode } from '../src/schema/catalog.ts';
import { defaultTenantFile } from '../src/schema/default-tenant.ts';
import {
  type Body,
  type BodyEvent,
  byMutation,
  eventsOf,
  everyEventCorrelated,
  jsonBody,
  pickCase,
  usesKey,
} from './cases.ts';
import type { ExpectedEntry } from './matchers.ts';
import { type ContractState, STATE } from './states.ts';

/** What the client sends: a JSON body, or raw text for the body that is not JSON. */
export type ContractRequest =
  | { readonly kind: 'json'; readonly body: Body }
  | { readonly kind: 'raw'; readonly text: string; readonly contentType: 'text/plain' };

/** What the provider answers, as far as the client reads it. */
export type ContractResponse =
  | { readonly form: 'object'; readonly entry: ExpectedEntry }
  | { readonly form: 'array'; readonly entries: readonly ExpectedEntry[] };

/** One interaction of the contract: the state, the request through the client, the answer it relies on. */
export interface InteractionSpec {
  readonly description: string;
  readonly state: ContractState;
  readonly credentials: Credentials;
  readonly request: ContractRequest;
  readonly response: ContractResponse;
  /** Seed of the example transids (distinct per interaction, fixed: the pact files stay byte-identical). */
  readonly transidSeed: number;
}

// The tenant the contract is written for: the mock's tenant file when EVKIT_MOCK_TENANT names one, else the default.
const tenantPath = process.env.EVKIT_MOCK_TENANT;
const tenant = (tenantPath ? loadTenantFile(tenantPath) : defaultTenantFile()).tenants[0];
const jwtService = tenant?.services.find((s) => s.jwtSecret !== undefined);

function keyOf(c: Case): Credentials {
  return { type: 'key', key: c.headers[HEADER.key] ?? '' };
}

function tokenOf(c: Case): Credentials {
  return { type: 'token', token: (c.headers[HEADER.authorization] ?? '').replace(/^Bearer\s+/i, '') };
}

function correlationOf(e: BodyEvent): string | undefined {
  const c = e[FIELD.correlationid];
  return typeof c === 'string' && c !== '' ? c : undefined;
}

/** One entry per event, all with the same code and description, echoing each event's correlationid. */
function perEvent(events: readonly BodyEvent[], code: ResponseCode, description: string): ContractResponse {
  return {
    form: 'array',
    entries: events.map((e) => ({ code, description, correlationid: correlationOf(e) })),
  };
}

/** A request-level answer: one object, with the catalog's description for the code. */
function requestLevel(
  code: ResponseCode,
  description: string = CATALOG[code].descriptions[0],
): ContractResponse {
  return { form: 'object', entry: { code, description } };
}

function json(c: Case): ContractRequest {
  return { kind: 'json', body: jsonBody(c) };
}

const single = (c: Case) => eventsOf(c).length === 1;

// The generated bodies each interaction sends (fixed seed, fixed clock: see cases.ts).
const oneEvent = pickCase(
  '1002',
  'one correlated event, service key, no expiry',
  (c) => usesKey(c) && single(c) && everyEventCorrelated(c) && !(FIELD.expiry in jsonBody(c)),
);
const threeEvents = pickCase('1002', 'three events', (c) => usesKey(c) && eventsOf(c).length === 3);
const withJwt = pickCase(
  '1002',
  'an event sent with a JWT',
  (c) => c.headers[HEADER.authorization] !== undefined && single(c),
);
const withExpiry = pickCase(
  '1002',
  'one event with a future expiry',
  (c) => usesKey(c) && single(c) && FIELD.expiry in jsonBody(c),
);
const notJson = byMutation('7000', 'json-trailing-comma', usesKey);
const inactiveKey = byMutation('7001', 'key-inactive');
const expiredJwt = byMutation('7001', 'jwt-expired');
const noCredentials = byMutation('7002', 'credentials-none');
const noEvents = byMutation('7003', 'events-missing', usesKey);
const unknownEvtid = byMutation('7004', 'evtid-unknown', usesKey);
const emptyEvents = byMutation('7004', 'events-empty', usesKey);
const outsideAllowlist = byMutation('7010', 'source-ip-outside-allowlist', usesKey);
const expired = byMutation('7019', 'expiry-past', usesKey);
const missingParameter = byMutation('7025', 'mandatory-parameter-missing', (c) => usesKey(c) && single(c));

const mixedEvents = [
  eventsOf(oneEvent)[0],
  eventsOf(unknownEvtid)[0],
  eventsOf(missingParameter)[0],
] as BodyEvent[];
const mixedDescriptions = [
  DESCRIPTION.queued,
  DESCRIPTION.invalidEvtid,
  CATALOG['7025'].descriptions[0],
] as const;

/** The interactions, by code: the type makes every documented code have at least one. */
export const INTERACTIONS_BY_CODE = {
  '1002': [
    {
      description: '1002: one event sent with a service key is queued',
      state: STATE.clock,
      credentials: keyOf(oneEvent),
      request: json(oneEvent),
      response: perEvent(eventsOf(oneEvent), '1002', DESCRIPTION.queued),
      transidSeed: 1,
    },
    {
      description: '1002: three events are queued, each with its own transid',
      state: STATE.clock,
      credentials: keyOf(threeEvents),
      request: json(threeEvents),
      response: perEvent(eventsOf(threeEvents), '1002', DESCRIPTION.queued),
      transidSeed: 2,
    },
    {
      description: '1002: an event sent with a JWT the client signed is queued',
      state: STATE.clock,
      credentials: { type: 'jwt', serviceId: jwtService?.id ?? '', secret: jwtService?.jwtSecret ?? '' },
      request: json(withJwt),
      response: perEvent(eventsOf(withJwt), '1002', DESCRIPTION.queued),
      transidSeed: 4,
    },
    {
      description: '1002: an event whose expiry is still ahead (by the provider clock) is queued',
      state: STATE.clock,
      credentials: keyOf(withExpiry),
      request: json(withExpiry),
      response: perEvent(eventsOf(withExpiry), '1002', DESCRIPTION.queued),
      transidSeed: 5,
    },
  ],
  '7000': [
    {
      description:
        '7000: a body that is not valid JSON is refused (declared text/plain because Pact can only carry a malformed body as text; the service reads JSON whatever the content type)',
      state: STATE.clock,
      credentials: keyOf(notJson),
      request: { kind: 'raw', text: notJson.body, contentType: 'text/plain' },
      response: requestLevel('7000'),
      transidSeed: 6,
    },
  ],
  '7001': [
    {
      description: '7001: an inactive service key is refused',
      state: STATE.clock,
      credentials: keyOf(inactiveKey),
      request: json(inactiveKey),
      response: requestLevel('7001'),
      transidSeed: 7,
    },
    {
      description: '7001: a JWT older than 60 minutes (by the provider clock) is refused',
      state: STATE.clock,
      credentials: tokenOf(expiredJwt),
      request: json(expiredJwt),
      response: requestLevel('7001'),
      transidSeed: 8,
    },
  ],
  '7002': [
    {
      description: '7002: a request without credentials is refused',
      state: STATE.clock,
      credentials: { type: 'none' },
      request: json(noCredentials),
      response: requestLevel('7002'),
      transidSeed: 9,
    },
  ],
  '7003': [
    {
      description: '7003: a body without events is refused',
      state: STATE.clock,
      credentials: keyOf(noEvents),
      request: json(noEvents),
      response: requestLevel('7003'),
      transidSeed: 10,
    },
  ],
  '7004': [
    {
      description: '7004: an unknown evtid is refused for its event',
      state: STATE.clock,
      credentials: keyOf(unknownEvtid),
      request: json(unknownEvtid),
      response: perEvent(eventsOf(unknownEvtid), '7004', DESCRIPTION.invalidEvtid),
      transidSeed: 11,
    },
    {
      description: '7004: an empty events array is refused',
      state: STATE.clock,
      credentials: keyOf(emptyEvents),
      request: json(emptyEvents),
      response: requestLevel('7004', DESCRIPTION.eventsEmpty),
      transidSeed: 12,
    },
  ],
  '7005': [
    {
      description: '7005: an internal error of the service',
      state: STATE.internalError,
      credentials: keyOf(oneEvent),
      request: json(oneEvent),
      response: requestLevel('7005'),
      transidSeed: 13,
    },
  ],
  '7010': [
    {
      description: '7010: a request from a source IP outside the allowlist is refused',
      state: STATE.ipNotAllowlisted,
      credentials: keyOf(outsideAllowlist),
      request: json(outsideAllowlist),
      response: requestLevel('7010'),
      transidSeed: 14,
    },
  ],
  '7019': [
    {
      description: '7019: a request whose expiry has passed (by the provider clock) is refused',
      state: STATE.clock,
      credentials: keyOf(expired),
      request: json(expired),
      response: requestLevel('7019'),
      transidSeed: 15,
    },
  ],
  '7020': [
    {
      description: '7020: a request above the transaction limit is refused',
      state: STATE.rateLimited,
      credentials: keyOf(oneEvent),
      request: json(oneEvent),
      response: requestLevel('7020'),
      transidSeed: 16,
    },
  ],
  '7025': [
    {
      description: '7025: an event without a mandatory custom parameter is refused for that event',
      state: STATE.clock,
      credentials: keyOf(missingParameter),
      request: json(missingParameter),
      response: perEvent(eventsOf(missingParameter), '7025', CATALOG['7025'].descriptions[0]),
      transidSeed: 17,
    },
  ],
} as const satisfies Record<ResponseCode, readonly InteractionSpec[]>;

/**
 * "Queued in burst mode": only for a tenant that enables burst mode, which is documented for the Messaging API
 * and not for custom events (docs/fidelity.md), so the default contract does not assert it.
 */
export const BURST_INTERACTION: InteractionSpec = {
  description: '1002: an event within the burst band is queued in burst mode',
  state: STATE.burst,
  credentials: keyOf(oneEvent),
  request: json(oneEvent),
  response: perEvent(eventsOf(oneEvent), '1002', DESCRIPTION.queuedInBurstMode),
  transidSeed: 3,
};

/** Interactions whose answer mixes codes. */
export const MIXED_INTERACTIONS: readonly InteractionSpec[] = [
  {
    description: 'mixed: each event gets its own outcome, in request order (1002, 7004, 7025)',
    state: STATE.clock,
    credentials: keyOf(oneEvent),
    request: { kind: 'json', body: { [FIELD.events]: mixedEvents } },
    response: {
      form: 'array',
      entries: (['1002', '7004', '7025'] as const).map((code, i) => ({
        code,
        description: mixedDescriptions[i] ?? '',
        correlationid: correlationOf(mixedEvents[i] ?? {}),
      })),
    },
    transidSeed: 18,
  },
];

/** Every interaction of the contract for a tenant with or without burst mode, in a stable order. */
export function interactionsFor(burst: boolean): readonly InteractionSpec[] {
  return [
    ...Object.values(INTERACTIONS_BY_CODE).flat(),
    ...(burst ? [BURST_INTERACTION] : []),
    ...MIXED_INTERACTIONS,
  ];
}

/** Every interaction of the contract, for the tenant it is written for. */
export const INTERACTIONS: readonly InteractionSpec[] = interactionsFor(tenant?.rateLimit.burst ?? false);
