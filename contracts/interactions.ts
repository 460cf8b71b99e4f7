import type { Case } from '../generators/index.ts';
import type { Credentials } from '../src/client/index.ts';
import { EvkitError, isEvkitError } from '../src/errors.ts';
import type { TenantFile } from '../src/schema/index.ts';
import {
  CATALOG,
  CODE,
  DESCRIPTION,
  defaultTenantFile,
  FIELD,
  HEADER,
  RESPONSE_CODES,
  type ResponseCode,
} from '../src/schema/index.ts';
import {
  type Body,
  type BodyEvent,
  CONTRACT_SEED,
  createCasePicker,
  eventsOf,
  everyEventCorrelated,
  jsonBody,
  usesKey,
} from './cases.ts';
import type { ExpectedEntry } from './matchers.ts';
import { CONTRACT_NOW_MS, type ContractState, STATE } from './states.ts';

/** What the client sends: a JSON body, or raw text for the body that is not JSON. */
export type ContractRequest =
  | { readonly kind: 'json'; readonly body: Body }
  | { readonly kind: 'raw'; readonly text: string; readonly contentType: 'text/plain' };

/** What the provider answers, as far as a client reads it. */
export type ContractResponse =
  | { readonly form: 'object'; readonly entry: ExpectedEntry }
  | { readonly form: 'array'; readonly entries: readonly ExpectedEntry[] };

/**
 * One interaction of the Event API contract: the provider state (a name the mock knows, so `evkit verify` can
 * set it), the credentials and request a client sends, and the answer it gets.
 */
export interface EventApiInteraction {
  /** A stable identifier, e.g. `1002-three-events` or `7020` (also handy as a test name). */
  readonly id: string;
  /** The code the interaction is about (mixed answers: the first entry's). */
  readonly code: ResponseCode;
  readonly description: string;
  readonly state: ContractState;
  /** The params of the state: the fixed provider clock, so the pact verifies on any later day. */
  readonly stateParams: { readonly now: string };
  /** What the client authenticates with (a JWT is signed by the client; the pact matches it by shape). */
  readonly credentials: Credentials;
  readonly request: ContractRequest;
  readonly response: ContractResponse;
  /** Seed of the example transids (distinct per interaction, fixed: the pact files stay byte-identical). */
  readonly transidSeed: number;
}

/** Options of `eventApiInteractions`. */
export interface EventApiInteractionOptions {
  /**
   * The tenant file the pacts will be verified against (`evkit verify --tenant`): keys, JWT services, events
   * and allowlist come from it. Default: evkit's default tenant file.
   */
  readonly tenantFile?: TenantFile | undefined;
  /** The seed of the generated bodies (default fixed, so the pacts are byte-identical between runs). */
  readonly seed?: number | undefined;
  /**
   * Include "Queued in burst mode". Default: whether the tenant's rate limit enables burst — burst mode is
   * documented for the Messaging API; nothing public applies it to the Event API (docs/fidelity.md).
   */
  readonly burst?: boolean | undefined;
  /** Only these codes (default: all 11 documented codes, plus the mixed answer). */
  readonly codes?: readonly ResponseCode[] | undefined;
}

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

/** An interaction without its id, code, state params and transid seed (filled in by position). */
type Draft = Omit<EventApiInteraction, 'id' | 'code' | 'stateParams' | 'transidSeed'> & {
  readonly slug?: string;
};

/** A variant whose request the tenant cannot provide (say, no JWT service) is left out, not an error. */
function optional(make: () => Draft): Draft[] {
  try {
    return [make()];
  } catch (error) {
    if (isEvkitError(error) && error.code === 'E_USAGE') return [];
    throw error;
  }
}

function drafts(
  tenantFile: TenantFile,
  seed: number,
  burst: boolean,
): Record<ResponseCode | 'mixed', Draft[]> {
  const cases = createCasePicker({ tenantFile, seed, now: CONTRACT_NOW_MS });
  const oneEvent = cases.pick(
    CODE.queued,
    'one correlated event, service key, no expiry',
    (c) => usesKey(c) && single(c) && everyEventCorrelated(c) && !(FIELD.expiry in jsonBody(c)),
  );
  const unknownEvtid = cases.byMutation(CODE.invalidParameters, 'evtid-unknown', usesKey);
  const missingParameter = cases.byMutation(
    CODE.mandatoryParameterMissing,
    'mandatory-parameter-missing',
    (c) => usesKey(c) && single(c),
  );
  const jwtService = tenantFile.tenants[0]?.services.find((s) => s.jwtSecret !== undefined);
  const mixedEvents = [
    eventsOf(oneEvent)[0],
    eventsOf(unknownEvtid)[0],
    eventsOf(missingParameter)[0],
  ] as BodyEvent[];
  const mixedDescriptions = [
    DESCRIPTION.queued,
    DESCRIPTION.invalidEvtid,
    CATALOG[CODE.mandatoryParameterMissing].descriptions[0],
  ] as const;
  const keyed = (
    c: Case,
    response: ContractResponse,
    description: string,
    state: ContractState = STATE.clock,
  ): Draft => ({
    description,
    state,
    credentials: keyOf(c),
    request: json(c),
    response,
  });
  return {
    [CODE.queued]: [
      keyed(
        oneEvent,
        perEvent(eventsOf(oneEvent), CODE.queued, DESCRIPTION.queued),
        '1002: one event sent with a service key is queued',
      ),
      ...optional(() => {
        const c = cases.pick(CODE.queued, 'three events', (x) => usesKey(x) && eventsOf(x).length === 3);
        return {
          ...keyed(
            c,
            perEvent(eventsOf(c), CODE.queued, DESCRIPTION.queued),
            '1002: three events are queued, each with its own transid',
          ),
          slug: 'three-events',
        };
      }),
      ...(burst
        ? [
            {
              ...keyed(
                oneEvent,
                perEvent(eventsOf(oneEvent), CODE.queued, DESCRIPTION.queuedInBurstMode),
                '1002: an event within the burst band is queued in burst mode',
                STATE.burst,
              ),
              slug: 'burst',
            },
          ]
        : []),
      ...optional(() => {
        const secret = jwtService?.jwtSecret;
        if (jwtService === undefined || secret === undefined)
          throw new EvkitError('E_TENANT_LACKS', 'the tenant file has no JWT service', {
            details: { need: 'jwt-service' },
          });
        const c = cases.pick(
          CODE.queued,
          'an event sent with a JWT',
          (x) => x.headers[HEADER.authorization] !== undefined && single(x),
        );
        return {
          description: '1002: an event sent with a JWT the client signed is queued',
          state: STATE.clock,
          credentials: { type: 'jwt', serviceId: jwtService.id, secret },
          request: json(c),
          response: perEvent(eventsOf(c), CODE.queued, DESCRIPTION.queued),
          slug: 'jwt',
        };
      }),
      ...optional(() => {
        const c = cases.pick(
          CODE.queued,
          'one event with a future expiry',
          (x) => usesKey(x) && single(x) && FIELD.expiry in jsonBody(x),
        );
        return {
          ...keyed(
            c,
            perEvent(eventsOf(c), CODE.queued, DESCRIPTION.queued),
            '1002: an event whose expiry is still ahead (by the provider clock) is queued',
          ),
          slug: 'expiry-ahead',
        };
      }),
    ],
    [CODE.invalidJson]: [
      (() => {
        const c = cases.byMutation(CODE.invalidJson, 'json-trailing-comma', usesKey);
        return {
          description:
            '7000: a body that is not valid JSON is refused (declared text/plain because Pact can only carry a malformed body as text; the service reads JSON whatever the content type)',
          state: STATE.clock,
          credentials: keyOf(c),
          request: { kind: 'raw', text: c.body, contentType: 'text/plain' },
          response: requestLevel(CODE.invalidJson),
        } satisfies Draft;
      })(),
    ],
    [CODE.authenticationFailed]: [
      ...optional(() => {
        const c = cases.byMutation(CODE.authenticationFailed, 'key-inactive');
        return {
          ...keyed(c, requestLevel(CODE.authenticationFailed), '7001: an inactive service key is refused'),
          slug: 'inactive-key',
        };
      }),
      ...optional(() => {
        const c = cases.byMutation(CODE.authenticationFailed, 'jwt-expired');
        return {
          description: '7001: a JWT older than 60 minutes (by the provider clock) is refused',
          state: STATE.clock,
          credentials: tokenOf(c),
          request: json(c),
          response: requestLevel(CODE.authenticationFailed),
          slug: 'jwt-expired',
        };
      }),
    ],
    [CODE.serviceKeyMissing]: [
      (() => {
        const c = cases.byMutation(CODE.serviceKeyMissing, 'credentials-none');
        return {
          description: '7002: a request without credentials is refused',
          state: STATE.clock,
          credentials: { type: 'none' },
          request: json(c),
          response: requestLevel(CODE.serviceKeyMissing),
        } satisfies Draft;
      })(),
    ],
    [CODE.eventsMissing]: [
      keyed(
        cases.byMutation(CODE.eventsMissing, 'events-missing', usesKey),
        requestLevel(CODE.eventsMissing),
        '7003: a body without events is refused',
      ),
    ],
    [CODE.invalidParameters]: [
      keyed(
        unknownEvtid,
        perEvent(eventsOf(unknownEvtid), CODE.invalidParameters, DESCRIPTION.invalidEvtid),
        '7004: an unknown evtid is refused for its event',
      ),
      ...optional(() => ({
        ...keyed(
          cases.byMutation(CODE.invalidParameters, 'events-empty', usesKey),
          requestLevel(CODE.invalidParameters, DESCRIPTION.eventsEmpty),
          '7004: an empty events array is refused',
        ),
        slug: 'events-empty',
      })),
    ],
    [CODE.internalError]: [
      keyed(
        oneEvent,
        requestLevel(CODE.internalError),
        '7005: an internal error of the service',
        STATE.internalError,
      ),
    ],
    [CODE.ipNotAllowlisted]: [
      keyed(
        cases.byMutation(CODE.ipNotAllowlisted, 'source-ip-outside-allowlist', usesKey),
        requestLevel(CODE.ipNotAllowlisted),
        '7010: a request from a source IP outside the allowlist is refused',
        STATE.ipNotAllowlisted,
      ),
    ],
    [CODE.requestExpired]: [
      keyed(
        cases.byMutation(CODE.requestExpired, 'expiry-past', usesKey),
        requestLevel(CODE.requestExpired),
        '7019: a request whose expiry has passed (by the provider clock) is refused',
      ),
    ],
    [CODE.rateLimited]: [
      keyed(
        oneEvent,
        requestLevel(CODE.rateLimited),
        '7020: a request above the transaction limit is refused',
        STATE.rateLimited,
      ),
    ],
    [CODE.mandatoryParameterMissing]: [
      keyed(
        missingParameter,
        perEvent(
          eventsOf(missingParameter),
          CODE.mandatoryParameterMissing,
          CATALOG[CODE.mandatoryParameterMissing].descriptions[0],
        ),
        '7025: an event without a mandatory custom parameter is refused for that event',
      ),
    ],
    mixed: [
      {
        description: 'mixed: each event gets its own outcome, in request order (1002, 7004, 7025)',
        state: STATE.clock,
        credentials: keyOf(oneEvent),
        request: { kind: 'json', body: { [FIELD.events]: mixedEvents } },
        response: {
          form: 'array',
          entries: ([CODE.queued, CODE.invalidParameters, CODE.mandatoryParameterMissing] as const).map(
            (code, i) => ({
              code,
              description: mixedDescriptions[i] ?? '',
              correlationid: correlationOf(mixedEvents[i] ?? {}),
            }),
          ),
        },
      },
    ],
  };
}

/**
 * The Event API interactions a consumer's own client must handle: at least one per documented response code
 * (11), with the variants (several events, a JWT, an expiry ahead, burst when enabled, 7000 as text, 7004
 * twice, a mixed answer). Requests come from the generators for the tenant file's keys, services and events.
 */
export function eventApiInteractions(options: EventApiInteractionOptions = {}): EventApiInteraction[] {
  const tenantFile = options.tenantFile ?? defaultTenantFile();
  const burst = options.burst ?? tenantFile.tenants[0]?.rateLimit.burst ?? false;
  const byCode = drafts(tenantFile, options.seed ?? CONTRACT_SEED, burst);
  const wanted = new Set<ResponseCode>(options.codes ?? RESPONSE_CODES);
  const all: EventApiInteraction[] = [];
  let transidSeed = 0;
  for (const key of [...RESPONSE_CODES, 'mixed'] as const) {
    for (const { slug, ...draft } of byCode[key]) {
      transidSeed += 1;
      const code = key === 'mixed' ? CODE.queued : key;
      if (!wanted.has(code) || (key === 'mixed' && options.codes !== undefined)) continue;
      all.push({
        ...draft,
        id: key === 'mixed' ? 'mixed' : slug ? `${key}-${slug}` : key,
        code,
        stateParams: { now: new Date(CONTRACT_NOW_MS).toISOString() },
        transidSeed,
      });
    }
  }
  return all;
}
