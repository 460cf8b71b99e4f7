import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  CATALOG,
  DEFAULT_TENANT_FILE_INPUT,
  DESCRIPTION,
  type EvaluatorOptions,
  envelopeSchema,
  type ResponseCode,
  STAGE_NAMES,
  tenantFileSchema,
} from '../schema/index.ts';
import { base64ToBytes } from './credentials.ts';
import { evaluateRequest, fixedServices } from './evaluate.ts';
import type { Admission, EvaluatorServices, RawRequest } from './types.ts';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const file = tenantFileSchema.parse(structuredClone(DEFAULT_TENANT_FILE_INPUT));
/** The value, or a test failure that says what was missing. */
function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`test setup: no ${what}`);
  return value;
}
const tenant = must(file.tenants[0], 'tenant');
const service = must(tenant.services[0], 'service');
const SECRET = must(service.jwtSecret, 'JWT secret');
const KEY = 'evkit-demo-key';

async function jwt(claims: { iss?: string; iat?: number; exp?: number }, secret = SECRET, alg = 'HS256') {
  const token = new SignJWT({ ...claims }).setProtectedHeader({ alg });
  return token.sign(base64ToBytes(secret));
}

interface Row {
  name: string;
  headers?: Record<string, string>;
  body?: unknown;
  rawBody?: string | Uint8Array;
  ip?: string;
  admission?: Admission;
  fault?: boolean;
  options?: Partial<EvaluatorOptions>;
  expect: {
    code: ResponseCode | ResponseCode[];
    form: 'object' | 'array';
    description: string | string[];
    correlationid?: string | string[];
  };
}

const event = (evtid: unknown, extra: Record<string, unknown> = {}) => ({ evtid, ...extra });

const rows = (): Row[] => [
  {
    name: '1002 single event',
    body: { events: [event('4451', { correlationid: 'ABC123' })] },
    expect: { code: '1002', form: 'array', description: 'Queued', correlationid: 'ABC123' },
  },
  {
    name: '1002 multi-event, correlationid defaults to ""',
    body: { events: [event('4451', { correlationid: 'c1' }), event('4452')] },
    expect: {
      code: ['1002', '1002'],
      form: 'array',
      description: ['Queued', 'Queued'],
      correlationid: ['c1', ''],
    },
  },
  {
    name: '1002 burst',
    admission: 'burst',
    body: { events: [event('4451')] },
    expect: { code: '1002', form: 'array', description: 'Queued in burst mode' },
  },
  {
    name: '1002 with future expiry (ms + Z)',
    body: { expiry: '2030-04-12T18:51:19.000Z', events: [event('4451')] },
    expect: { code: '1002', form: 'array', description: 'Queued' },
  },
  {
    name: '1002 with future expiry (no zone)',
    body: { expiry: '2030-04-12T18:51:19', events: [event('4451')] },
    expect: { code: '1002', form: 'array', description: 'Queued' },
  },
  {
    name: '1002 with JWT',
    headers: {},
    body: { events: [event('4451')] },
    expect: { code: '1002', form: 'array', description: 'Queued' },
  },
  {
    name: '7000 truncated JSON',
    rawBody: '{"events":[{"evtid":"4451"}',
    expect: { code: '7000', form: 'object', description: 'Invalid JSON' },
  },
  {
    name: '7000 empty body',
    rawBody: '',
    expect: { code: '7000', form: 'object', description: 'Invalid JSON' },
  },
  {
    name: '7000 invalid UTF-8',
    rawBody: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
    expect: { code: '7000', form: 'object', description: 'Invalid JSON' },
  },
  {
    name: '7001 unknown key',
    headers: { key: 'nope' },
    body: { events: [event('4451')] },
    expect: { code: '7001', form: 'object', description: 'Authentication failed' },
  },
  {
    name: '7001 inactive key',
    headers: { key: 'evkit-inactive-key' },
    body: { events: [event('4451')] },
    expect: { code: '7001', form: 'object', description: 'Authentication failed' },
  },
  {
    name: '7002 no credentials',
    headers: {},
    body: { events: [event('4451')] },
    expect: { code: '7002', form: 'object', description: 'Service Key Missing' },
  },
  {
    name: '7002 empty key (emptyKey=missing)',
    headers: { key: '' },
    body: { events: [event('4451')] },
    expect: { code: '7002', form: 'object', description: 'Service Key Missing' },
  },
  {
    name: '7001 empty key (emptyKey=invalid)',
    headers: { key: '' },
    options: { emptyKey: 'invalid' },
    body: { events: [event('4451')] },
    expect: { code: '7001', form: 'object', description: 'Authentication failed' },
  },
  {
    name: '7003 events missing',
    body: { notifyurl: '' },
    expect: { code: '7003', form: 'object', description: "Mandatory parameter 'events' missing" },
  },
  {
    name: '7003 events null (nullEvents=missing)',
    body: { events: null },
    expect: { code: '7003', form: 'object', description: "Mandatory parameter 'events' missing" },
  },
  {
    name: '7004 events null (nullEvents=invalid)',
    options: { nullEvents: 'invalid' },
    body: { events: null },
    expect: { code: '7004', form: 'object', description: 'invalid value for param events' },
  },
  {
    name: '7004 empty events',
    body: { events: [] },
    expect: { code: '7004', form: 'object', description: "'events' array shouldn't be empty" },
  },
  {
    name: '7004 unknown evtid',
    body: { events: [event('9999', { correlationid: '890789' })] },
    expect: {
      code: '7004',
      form: 'array',
      description: 'invalid value for param evtid',
      correlationid: '890789',
    },
  },
  {
    name: '7004 evtid as number (reject)',
    body: { events: [event(4451)] },
    expect: { code: '7004', form: 'array', description: 'invalid value for param evtid' },
  },
  {
    name: '1002 evtid as number (coerce)',
    options: { evtidAsNumber: 'coerce' },
    body: { events: [event(4451)] },
    expect: { code: '1002', form: 'array', description: 'Queued' },
  },
  {
    name: '7004 correlationid over 50 bytes',
    body: { events: [event('4451', { correlationid: 'é'.repeat(26) })] },
    expect: { code: '7004', form: 'array', description: 'invalid value for param correlationid' },
  },
  {
    name: '7004 malformed expiry',
    body: { expiry: 'tomorrow', events: [event('4451')] },
    expect: { code: '7004', form: 'object', description: 'invalid value for param expiry' },
  },
  {
    name: '7004 unknown field (unknownFields=reject)',
    options: { unknownFields: 'reject' },
    body: { extra: 1, events: [event('4451')] },
    expect: { code: '7004', form: 'object', description: 'invalid value for param extra' },
  },
  {
    name: '1002 unknown field ignored (default)',
    body: { extra: 1, events: [event('4451')] },
    expect: { code: '1002', form: 'array', description: 'Queued' },
  },
  {
    name: '7005 internal error',
    fault: true,
    body: { events: [event('4451')] },
    expect: { code: '7005', form: 'object', description: 'Internal error occurred' },
  },
  {
    name: '7010 source IP outside allowlist',
    ip: '127.0.0.2',
    body: { events: [event('4451')] },
    expect: { code: '7010', form: 'object', description: 'Source IP is not allowlisted' },
  },
  {
    name: '7010 wins over bad credentials',
    ip: '10.1.2.3',
    headers: {},
    body: { events: [event('4451')] },
    expect: { code: '7010', form: 'object', description: 'Source IP is not allowlisted' },
  },
  {
    name: 'IPv6 ::1 and mapped 127.0.0.1 are allowed',
    ip: '::ffff:127.0.0.1',
    body: { events: [event('4451')] },
    expect: { code: '1002', form: 'array', description: 'Queued' },
  },
  {
    name: '7019 past expiry',
    body: { expiry: '2015-04-12T18:51:19.000Z', events: [event('4451')] },
    expect: { code: '7019', form: 'object', description: 'Request expired' },
  },
  {
    name: '7019 past expiry (no zone)',
    body: { expiry: '2015-04-12T18:51:19', events: [event('4451')] },
    expect: { code: '7019', form: 'object', description: 'Request expired' },
  },
  {
    name: '7020 carries the first correlationid',
    admission: 'rejected',
    body: { events: [event('4451', { correlationid: 'ABC12' })] },
    expect: {
      code: '7020',
      form: 'object',
      description: 'You have reached maximum transaction limit (rate).',
      correlationid: 'ABC12',
    },
  },
  {
    name: '7025 mandatory parameter missing',
    body: { events: [event('4460', { correlationid: '890789', parameters: { orderId: '1' } })] },
    expect: {
      code: '7025',
      form: 'array',
      description: 'mandatory parameter name missing',
      correlationid: '890789',
    },
  },
  {
    name: '7025 templated description',
    options: { mandatoryParamDescription: 'template' },
    body: { events: [event('4460', { parameters: { orderId: '1' } })] },
    expect: { code: '7025', form: 'array', description: 'mandatory parameter ContactNumber missing' },
  },
  {
    name: 'mixed per-event outcomes in request order',
    body: {
      events: [
        event('4451', { correlationid: 'a' }),
        event('nope', { correlationid: 'b' }),
        event('4460', { correlationid: 'c' }),
      ],
    },
    expect: {
      code: ['1002', '7004', '7025'],
      form: 'array',
      description: ['Queued', 'invalid value for param evtid', 'mandatory parameter name missing'],
      correlationid: ['a', 'b', 'c'],
    },
  },
];

function servicesFor(row: Row): EvaluatorServices {
  const base = fixedServices(NOW, row.admission ?? 'queued');
  return row.fault ? { ...base, faults: { internalError: () => true } } : base;
}

describe('evaluateRequest: one row per code and variant', () => {
  it.each(rows())('$name', async (row) => {
    const headers = row.headers ?? { key: KEY };
    if (row.name.includes('JWT'))
      headers.authorization = `Bearer ${await jwt({ iss: service.id, iat: NOW / 1000 })}`;
    const body =
      row.rawBody instanceof Uint8Array
        ? row.rawBody
        : new TextEncoder().encode(row.rawBody ?? JSON.stringify(row.body));
    const raw: RawRequest = { headers, body, sourceIp: row.ip ?? '127.0.0.1' };
    const result = await evaluateRequest(
      raw,
      tenant,
      { ...file.evaluator, ...row.options },
      servicesFor(row),
    );
    const envelope = envelopeSchema.parse(result.envelope);
    const codes = [row.expect.code].flat();
    const descriptions = [row.expect.description].flat();
    if (row.expect.form === 'object') {
      expect(Array.isArray(envelope.response)).toBe(false);
      expect(envelope.response).toMatchObject({ code: codes[0], description: descriptions[0] });
      const entry = envelope.response as { correlationid?: string };
      expect(entry.correlationid).toBe(row.expect.correlationid);
    } else {
      expect(Array.isArray(envelope.response)).toBe(true);
      const entries = envelope.response as {
        code: string;
        description: string;
        transid: string;
        correlationid?: string;
      }[];
      expect(entries.map((e) => e.code)).toEqual(codes);
      expect(entries.map((e) => e.description)).toEqual(descriptions);
      if (row.expect.correlationid !== undefined) {
        expect(entries.map((e) => e.correlationid)).toEqual([row.expect.correlationid].flat());
      }
      // transid: one base UUID, later entries _1, _2, ...
      const base = must(entries[0], 'entry').transid;
      expect(base).toMatch(/^[0-9a-f-]{36}$/);
      expect(entries.map((e) => e.transid)).toEqual(entries.map((_, i) => (i === 0 ? base : `${base}_${i}`)));
    }
  });

  it('covers every code of the catalog with its default description', () => {
    const covered = new Set(rows().flatMap((r) => [r.expect.code].flat()));
    for (const code of Object.keys(CATALOG)) expect(covered.has(code as ResponseCode), code).toBe(true);
    expect(
      Object.values(DESCRIPTION).every(
        (d) =>
          rows().some((r) => [r.expect.description].flat().includes(d)) ||
          d === DESCRIPTION.invalidParameters,
      ),
    ).toBe(true);
  });
});

describe('credentials', () => {
  const send = async (authorization: string, extra: Record<string, string> = {}) => {
    const r = await evaluateRequest(
      {
        headers: { authorization, ...extra },
        body: new TextEncoder().encode('{"events":[{"evtid":"4451"}]}'),
        sourceIp: '127.0.0.1',
      },
      tenant,
      file.evaluator,
      fixedServices(NOW),
    );
    return r.codes[0];
  };
  it('a valid JWT wins over a bad key', async () => {
    expect(await send(`Bearer ${await jwt({ iss: service.id, iat: NOW / 1000 })}`, { key: 'wrong' })).toBe(
      '1002',
    );
  });
  it('a bad JWT fails even with a good key', async () => {
    expect(await send('Bearer not.a.jwt', { key: KEY })).toBe('7001');
  });
  it.each([
    ['expired (iat over 60 minutes ago)', { iss: 'svc-demo', iat: NOW / 1000 - 3601 }],
    ['exp in the past', { iss: 'svc-demo', iat: NOW / 1000 - 10, exp: NOW / 1000 - 1 }],
    ['wrong iss', { iss: 'someone-else', iat: NOW / 1000 }],
    ['no iat', { iss: 'svc-demo' }],
  ])('rejects a JWT: %s', async (_, claims) => {
    expect(await send(`Bearer ${await jwt(claims)}`)).toBe('7001');
  });
  it('accepts a JWT 59 minutes old', async () => {
    expect(await send(`Bearer ${await jwt({ iss: 'svc-demo', iat: NOW / 1000 - 59 * 60 })}`)).toBe('1002');
  });
  it('rejects a JWT signed with another secret, alg none, or without Bearer', async () => {
    expect(
      await send(`Bearer ${await jwt({ iss: 'svc-demo', iat: NOW / 1000 }, btoa('other-secret'))}`),
    ).toBe('7001');
    const none = `${btoa('{"alg":"none","typ":"JWT"}').replace(/=+$/, '')}.${btoa(JSON.stringify({ iss: 'svc-demo', iat: NOW / 1000 })).replace(/=+$/, '')}.`;
    expect(await send(`Bearer ${none}`)).toBe('7001');
    const token = await jwt({ iss: 'svc-demo', iat: NOW / 1000 });
    expect(await send(token)).toBe('7001');
  });
  it('signs with the base64-decoded secret, not the secret text', async () => {
    const wrong = await new SignJWT({ iss: 'svc-demo', iat: NOW / 1000 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET));
    expect(await send(`Bearer ${wrong}`)).toBe('7001');
  });
});

describe('stage order is data', () => {
  it('with credentials before allowlist, a keyless request from outside gets 7002', async () => {
    // The default order with its first two stages swapped.
    const [first, second, ...rest] = STAGE_NAMES;
    const order = [second, first, ...rest] as (typeof STAGE_NAMES)[number][];
    expect(order.slice(0, 2)).toEqual(['credentials', 'allowlist']);
    const r = await evaluateRequest(
      { headers: {}, body: new Uint8Array(), sourceIp: '127.0.0.2' },
      tenant,
      { ...file.evaluator, stageOrder: [...order] },
      fixedServices(NOW),
    );
    expect(r.codes).toEqual(['7002']);
    expect(r.decidedBy).toBe('credentials');
  });
  it('counts events as the rate-limit weight when the tenant says so', async () => {
    const weights: number[] = [];
    const eventsTenant = { ...tenant, rateLimit: { ...tenant.rateLimit, countBy: 'events' as const } };
    await evaluateRequest(
      {
        headers: { key: KEY },
        body: new TextEncoder().encode('{"events":[{"evtid":"4451"},{"evtid":"4452"},{"evtid":"x"}]}'),
        sourceIp: '127.0.0.1',
      },
      eventsTenant,
      file.evaluator,
      {
        ...fixedServices(NOW),
        rateLimiter: {
          admit: (_t, w) => {
            weights.push(w);
            return 'queued';
          },
        },
      },
    );
    expect(weights).toEqual([3]);
  });
});

describe('constantTimeEqual', () => {
  it('is equality, whatever the lengths', async () => {
    const { constantTimeEqual } = await import('./credentials.ts');
    expect(constantTimeEqual('evkit-demo-key', 'evkit-demo-key')).toBe(true);
    expect(constantTimeEqual('evkit-demo-key', 'evkit-demo-kez')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('abcd', 'abc')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('é', 'e')).toBe(false);
  });
});
