/**
 * The Event API's plain constants: field names, headers, paths, regions and the response-code catalog.
 *
 * This module is free of zod and of Node APIs on purpose: the k6 bundles import it, and every k6 VU holds its
 * own copy of a bundle. It is the only place that spells an API field name, a code or a description string.
 */

/** Request body field names. */
export const FIELD = {
  expiry: 'expiry',
  notifyurl: 'notifyurl',
  events: 'events',
  evtid: 'evtid',
  correlationid: 'correlationid',
  parameters: 'parameters',
} as const;

/** Response envelope field names. */
export const RESPONSE_FIELD = {
  response: 'response',
  code: 'code',
  description: 'description',
  transid: 'transid',
  correlationid: 'correlationid',
} as const;

/** Request headers (lower-case, as Node and k6 present them). */
export const HEADER = {
  key: 'key',
  authorization: 'authorization',
  contentType: 'content-type',
  hubSignature: 'x-hub-signature',
  forwardedFor: 'x-forwarded-for',
} as const;

/** The scheme word that prefixes a JWT in the Authorization header. */
export const BEARER = 'Bearer';

/** The event endpoint's path; the reference shows it with and without the trailing slash, both are served. */
export const EVENT_PATH = '/resources/v1/events/externalevent';
/** Both spellings of the event path the service accepts. */
export const EVENT_PATHS = [EVENT_PATH, `${EVENT_PATH}/`] as const;

/** Regional base URLs of the real service (HTTPS only). */
export const REGION_BASE_URL = {
  us: 'https://api.us.webexconnect.io',
  us1: 'https://api.us1.webexconnect.io',
  eu: 'https://api.eu.webexconnect.io',
  uk: 'https://api.uk.webexconnect.io',
  ca: 'https://api.ca.webexconnect.io',
  in: 'https://api.in.webexconnect.io',
  au: 'https://api.au.webexconnect.io',
  'legacy-global': 'https://api.imiconnect.io',
  'legacy-us': 'https://api-us.imiconnect.io',
  'legacy-eu': 'https://api.imiconnect.eu',
  'legacy-us2': 'https://api.imiconnect.us',
  'legacy-in': 'https://api.imiconnect.in',
  'legacy-ca': 'https://api.imiconnect.ca',
  'legacy-com': 'https://api.imiconnect.com',
} as const;
export type Region = keyof typeof REGION_BASE_URL;

/** `correlationid` is limited to 50 bytes of UTF-8 (not characters). */
export const CORRELATIONID_MAX_BYTES = 50;
/** A JWT is valid for 60 minutes after its `iat`. */
export const JWT_VALIDITY_SECONDS = 3600;
/** The only JWT algorithm the service accepts. */
export const JWT_ALGORITHM = 'HS256';
/** Burst mode allows at most this many requests per second above the provisioned rate. */
export const BURST_MAX_EXTRA = 100;
/** Burst mode allows up to this factor of the provisioned rate. */
export const BURST_FACTOR = 1.5;

/** The burst band: extra requests per second answered "Queued in burst mode", `min(0.5 × TPS, 100)`. */
export function burstBand(tps: number): number {
  return Math.min(Math.floor((BURST_FACTOR - 1) * tps), BURST_MAX_EXTRA);
}

/** Every documented response code, by its meaning (the names of DESCRIPTION's defaults). */
export const CODE = {
  queued: '1002',
  invalidJson: '7000',
  authenticationFailed: '7001',
  serviceKeyMissing: '7002',
  eventsMissing: '7003',
  invalidParameters: '7004',
  internalError: '7005',
  ipNotAllowlisted: '7010',
  requestExpired: '7019',
  rateLimited: '7020',
  mandatoryParameterMissing: '7025',
} as const;

/** Every documented response code, in catalog order. */
export const RESPONSE_CODES = [
  CODE.queued,
  CODE.invalidJson,
  CODE.authenticationFailed,
  CODE.serviceKeyMissing,
  CODE.eventsMissing,
  CODE.invalidParameters,
  CODE.internalError,
  CODE.ipNotAllowlisted,
  CODE.requestExpired,
  CODE.rateLimited,
  CODE.mandatoryParameterMissing,
] as const;
export type ResponseCode = (typeof RESPONSE_CODES)[number];
/** The code that means accepted ("Queued" or "Queued in burst mode"). */
export const ACCEPTED_CODE = CODE.queued satisfies ResponseCode;
/** The code that means rejected by the rate limit. */
export const RATE_LIMIT_CODE = CODE.rateLimited satisfies ResponseCode;
/** Every code that is not "accepted": the client types each as an error of its own kind. */
export type ErrorCode = Exclude<ResponseCode, typeof ACCEPTED_CODE>;

/** Whether a code is answered once for the whole request or once per event. */
export type Level = 'request' | 'event' | 'request-or-event';
/** The envelope form: `{response: {...}}` (object) or `{response: [...]}` (array). */
export type EnvelopeForm = 'object' | 'array';

/** Every description string the toolkit answers with; the first of each code is its default. */
export const DESCRIPTION = {
  queued: 'Queued',
  queuedInBurstMode: 'Queued in burst mode',
  invalidJson: 'Invalid JSON',
  authenticationFailed: 'Authentication failed',
  serviceKeyMissing: 'Service Key Missing',
  eventsMissing: "Mandatory parameter 'events' missing",
  invalidParameters: 'Invalid parameters/values',
  invalidEvtid: 'invalid value for param evtid',
  eventsEmpty: "'events' array shouldn't be empty",
  internalError: 'Internal error occurred',
  ipNotAllowlisted: 'Source IP is not allowlisted',
  requestExpired: 'Request expired',
  rateLimited: 'You have reached maximum transaction limit (rate).',
  mandatoryParameterMissing: 'mandatory parameter name missing',
} as const;
export type Description = (typeof DESCRIPTION)[keyof typeof DESCRIPTION];

/** "invalid value for param <name>": the official example names `evtid`; other fields follow its pattern. */
export function invalidParamDescription(name: string): string {
  return `invalid value for param ${name}`;
}

/**
 * 7025's official description reads "mandatory parameter name missing"; it may be a template in which the
 * parameter's name replaces `name`. Used only when the evaluator's `mandatoryParamDescription` is `template`.
 */
export function mandatoryParamDescription(name: string): string {
  return `mandatory parameter ${name} missing`;
}

/** One row of the response-code catalog. */
export interface CodeInfo {
  readonly code: ResponseCode;
  /** The message column of the reference's code table. */
  readonly message: string;
  /** Description strings this code is answered with (from the official examples), default first. */
  readonly descriptions: readonly string[];
  readonly level: Level;
  /** The envelope form of the default description. */
  readonly form: EnvelopeForm;
  /** What triggers the code. */
  readonly trigger: string;
  /** Whether one request can provoke it (false: a server state or a load shape). */
  readonly requestTriggered: boolean;
  /** Where the form or description comes from: `doc`, `example` or `guess`. */
  readonly source: 'doc' | 'example' | 'guess';
  /** The client's typed name of the outcome (an error's `kind`; `queued` for 1002). */
  readonly kind: string;
  /** Whether a later identical request may succeed: only the rate limit and internal errors are transient. */
  readonly retryable: boolean;
}

/** The response-code catalog: all 11 documented codes. */
export const CATALOG = {
  [CODE.queued]: {
    code: CODE.queued,
    message: 'Queued',
    descriptions: [DESCRIPTION.queued, DESCRIPTION.queuedInBurstMode],
    level: 'event',
    form: 'array',
    trigger: 'the request is accepted; within the burst band it reads "Queued in burst mode"',
    requestTriggered: true,
    source: 'example',
    kind: 'queued',
    retryable: false,
  },
  [CODE.invalidJson]: {
    code: CODE.invalidJson,
    message: 'Invalid JSON',
    descriptions: [DESCRIPTION.invalidJson],
    level: 'request',
    form: 'object',
    trigger: 'the body is not valid JSON (or not valid UTF-8)',
    requestTriggered: true,
    source: 'example',
    kind: 'invalid-json',
    retryable: false,
  },
  [CODE.authenticationFailed]: {
    code: CODE.authenticationFailed,
    message: 'Authentication failed',
    descriptions: [DESCRIPTION.authenticationFailed],
    level: 'request',
    form: 'object',
    trigger:
      'an unknown or inactive service key, or a JWT that is malformed, badly signed, expired or of an unknown service',
    requestTriggered: true,
    source: 'example',
    kind: 'authentication-failed',
    retryable: false,
  },
  [CODE.serviceKeyMissing]: {
    code: CODE.serviceKeyMissing,
    message: 'Service Key Missing',
    descriptions: [DESCRIPTION.serviceKeyMissing],
    level: 'request',
    form: 'object',
    trigger: 'neither a `key` header nor an `Authorization: Bearer` JWT',
    requestTriggered: true,
    source: 'example',
    kind: 'credentials-missing',
    retryable: false,
  },
  [CODE.eventsMissing]: {
    code: CODE.eventsMissing,
    message: "Mandatory parameter 'events' missing",
    descriptions: [DESCRIPTION.eventsMissing],
    level: 'request',
    form: 'object',
    trigger: 'the body has no `events` field',
    requestTriggered: true,
    source: 'example',
    kind: 'events-missing',
    retryable: false,
  },
  [CODE.invalidParameters]: {
    code: CODE.invalidParameters,
    message: 'Invalid parameters/values',
    descriptions: [DESCRIPTION.invalidEvtid, DESCRIPTION.eventsEmpty, DESCRIPTION.invalidParameters],
    level: 'request-or-event',
    form: 'array',
    trigger:
      'an invalid value: per event (unknown, missing or non-string `evtid`, bad `correlationid` or `parameters`) as an array entry; for the request (empty or non-array `events`, bad `expiry` or `notifyurl`) as an object',
    requestTriggered: true,
    source: 'example',
    kind: 'invalid-parameter',
    retryable: false,
  },
  [CODE.internalError]: {
    code: CODE.internalError,
    message: 'Internal error occurred',
    descriptions: [DESCRIPTION.internalError],
    level: 'request',
    form: 'object',
    trigger: 'a fault of the service (the mock injects it on demand)',
    requestTriggered: false,
    source: 'guess',
    kind: 'internal-error',
    retryable: true,
  },
  [CODE.ipNotAllowlisted]: {
    code: CODE.ipNotAllowlisted,
    message: 'Source IP is not allowlisted',
    descriptions: [DESCRIPTION.ipNotAllowlisted],
    level: 'request',
    form: 'object',
    trigger: "the source IP is outside the tenant's allowlist (once any entry is set)",
    requestTriggered: true,
    source: 'example',
    kind: 'ip-not-allowlisted',
    retryable: false,
  },
  [CODE.requestExpired]: {
    code: CODE.requestExpired,
    message: 'Request expired',
    descriptions: [DESCRIPTION.requestExpired],
    level: 'request',
    form: 'object',
    trigger: '`expiry` is in the past',
    requestTriggered: true,
    source: 'example',
    kind: 'request-expired',
    retryable: false,
  },
  [CODE.rateLimited]: {
    code: CODE.rateLimited,
    message: 'You have reached maximum transaction limit',
    descriptions: [DESCRIPTION.rateLimited],
    level: 'request',
    form: 'object',
    trigger: 'the tenant is above its provisioned rate plus the burst band in the current window',
    requestTriggered: false,
    source: 'example',
    kind: 'rate-limited',
    retryable: true,
  },
  [CODE.mandatoryParameterMissing]: {
    code: CODE.mandatoryParameterMissing,
    message: 'Mandatory custom parameters missing',
    descriptions: [DESCRIPTION.mandatoryParameterMissing],
    level: 'event',
    form: 'array',
    trigger: 'a mandatory custom parameter of the event is missing from `parameters`',
    requestTriggered: true,
    source: 'example',
    kind: 'mandatory-parameter-missing',
    retryable: false,
  },
} as const satisfies Record<ResponseCode, CodeInfo>;

/** Whether a string is one of the documented response codes. */
export function isResponseCode(value: unknown): value is ResponseCode {
  return typeof value === 'string' && (RESPONSE_CODES as readonly string[]).includes(value);
}
