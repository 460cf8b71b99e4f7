/**
 * Every response code and its variants through the mock over real HTTP: exact envelopes, both auth methods,
 * a multi-event request with mixed outcomes, and the HTTP-level errors around the event path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockHandle, startMock } from '../src/mock/server.ts';
import type { ProviderStateName } from '../src/mock/states.ts';
import { CATALOG, DESCRIPTION, EVENT_PATH, type ResponseCode } from '../src/schema/catalog.ts';
import { DEFAULT_TENANT_FILE_INPUT } from '../src/schema/default-tenant.ts';
import examples from '../src/schema/official-examples.json' with { type: 'json' };
import { tenantFileSchema } from '../src/schema/tenant.ts';
import { control, DEMO, keepAliveAgent, pool, postEvents, request, signJwt } from './mock-helpers.ts';

const NOW_ISO = '2026-01-15T12:00:00.000Z';
const NOW_S = Date.parse(NOW_ISO) / 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Entry = readonly [code: ResponseCode, description: string, correlationid?: string];
type Expected = { readonly object: Entry } | { readonly array: readonly Entry[] };

interface Row {
  readonly name: string;
  readonly state?: ProviderStateName;
  readonly tenantUpdate?: Record<string, unknown>;
  /** Header sets by name, because JWTs are signed in beforeAll. */
  readonly headers?: (t: Tokens) => Record<string, string>;
  readonly body: unknown;
  readonly path?: string;
  readonly localAddress?: string;
  readonly expect: Expected;
}

type Tokens = Record<
  'valid' | 'badSignature' | 'expired' | 'expPast' | 'hs512' | 'unknownIss' | 'future',
  string
>;

const D = Object.fromEntries(Object.values(CATALOG).map((c) => [c.code, c.descriptions[0]])) as Record<
  ResponseCode,
  string
>;
const key =
  (k: string = DEMO.key) =>
  () => ({ key: k, 'content-type': 'application/json' });
const bearer =
  (name: keyof Tokens, extra: Record<string, string> = {}) =>
  (t: Tokens) => ({
    authorization: `Bearer ${t[name]}`,
    ...extra,
  });
const future = (req: Record<string, unknown>) => ({ ...req, expiry: '2030-04-12T18:51:19.000Z' });
const one = (evtid: unknown, extra: Record<string, unknown> = {}) => ({ events: [{ evtid, ...extra }] });
const raw = (bytes: string | Uint8Array) => ({ raw: bytes });

const ROWS: readonly Row[] = [
  // 1002
  {
    name: '1002 official single-event example',
    body: examples.requests['single-event'],
    expect: { array: [['1002', 'Queued', 'ABC123']] },
  },
  {
    name: '1002 path with trailing slash',
    path: `${EVENT_PATH}/`,
    body: one('4451'),
    expect: { array: [['1002', 'Queued', '']] },
  },
  {
    name: '1002 path with a query string',
    path: `${EVENT_PATH}?src=test`,
    body: one('4451'),
    expect: { array: [['1002', 'Queued', '']] },
  },
  {
    name: '1002 body read as JSON whatever the content type',
    headers: () => ({ key: DEMO.key, 'content-type': 'text/plain' }),
    body: one('4451'),
    expect: { array: [['1002', 'Queued', '']] },
  },
  {
    name: '1002 without a content type',
    headers: () => ({ key: DEMO.key }),
    body: one('4451'),
    expect: { array: [['1002', 'Queued', '']] },
  },
  {
    name: '1002 official two-events example, future expiry',
    body: future(examples.requests['two-events']),
    expect: {
      array: [
        ['1002', 'Queued', 'c1'],
        ['1002', 'Queued', 'c2'],
      ],
    },
  },
  {
    name: '1002 expiry without zone (future)',
    body: { ...examples.requests['expiry-without-zone'], expiry: '2030-04-12T18:51:19' },
    expect: { array: [['1002', 'Queued', '']] },
  },
  {
    name: '1002 JWT (HS256, iss = service id, base64-decoded secret)',
    headers: bearer('valid'),
    body: one('4451', { correlationid: 'jwt' }),
    expect: { array: [['1002', 'Queued', 'jwt']] },
  },
  {
    name: '1002 JWT wins over an invalid key',
    headers: bearer('valid', { key: 'wrong-key' }),
    body: one('4451'),
    expect: { array: [['1002', 'Queued', '']] },
  },
  {
    name: '1002 Queued in burst mode',
    state: 'the tenant is in burst mode',
    body: one('4451', { correlationid: 'b' }),
    expect: { array: [['1002', 'Queued in burst mode', 'b']] },
  },
  {
    name: 'multi-event request with mixed outcomes, in request order',
    body: {
      events: [
        { evtid: '4451', correlationid: 'c1', parameters: { a: '1' } },
        { evtid: '9999', correlationid: 'c2' },
        { evtid: '4460', correlationid: 'c3', parameters: { orderId: '1' } },
        { evtid: '4460', correlationid: 'c4', parameters: { orderId: '1', ContactNumber: '2' } },
        { evtid: 4452, correlationid: 'c5' },
        { evtid: '4452' },
      ],
    },
    expect: {
      array: [
        ['1002', 'Queued', 'c1'],
        ['7004', 'invalid value for param evtid', 'c2'],
        ['7025', D['7025'], 'c3'],
        ['1002', 'Queued', 'c4'],
        ['7004', 'invalid value for param evtid', 'c5'],
        ['1002', 'Queued', ''],
      ],
    },
  },
  // 7000
  {
    name: '7000 invalid JSON',
    body: raw('{"events": [{"evtid": "4451"}'),
    expect: { object: ['7000', D['7000']] },
  },
  { name: '7000 empty body', body: raw(''), expect: { object: ['7000', D['7000']] } },
  {
    name: '7000 invalid UTF-8',
    body: raw(new Uint8Array([0x7b, 0x22, 0x65, 0xff, 0x22, 0x3a, 0x31, 0x7d])),
    expect: { object: ['7000', D['7000']] },
  },
  {
    name: '7000 nesting deeper than 32',
    body: raw(`{"events":[{"evtid":"4451","parameters":{"a":${'['.repeat(40)}${']'.repeat(40)}}}]}`),
    expect: { object: ['7000', D['7000']] },
  },
  // 7001
  {
    name: '7001 unknown key',
    headers: key('no-such-key'),
    body: one('4451'),
    expect: { object: ['7001', D['7001']] },
  },
  {
    name: '7001 inactive key',
    headers: key(DEMO.inactiveKey),
    body: one('4451'),
    expect: { object: ['7001', D['7001']] },
  },
  {
    name: '7001 JWT wins over a valid key: bad signature',
    headers: bearer('badSignature', { key: DEMO.key }),
    body: one('4451'),
    expect: { object: ['7001', D['7001']] },
  },
  {
    name: '7001 JWT older than 60 minutes',
    headers: bearer('expired'),
    body: one('4451'),
    expect: { object: ['7001', D['7001']] },
  },
  {
    name: '7001 JWT exp in the past',
    headers: bearer('expPast'),
    body: one('4451'),
    expect: { object: ['7001', D['7001']] },
  },
  {
    name: '7001 JWT iat in the future',
    headers: bearer('future'),
    body: one('4451'),
    expect: { object: ['7001', D['7001']] },
  },
  {
    name: '7001 JWT with HS512 (algorithm pinned)',
    headers: bearer('hs512'),
    body: one('4451'),
    expect: { object: ['7001', D['7001']] },
  },
  {
    name: '7001 JWT of an unknown service',
    headers: bearer('unknownIss'),
    body: one('4451'),
    expect: { object: ['7001', D['7001']] },
  },
  {
    name: '7001 Authorization without Bearer',
    headers: (t) => ({ authorization: t.valid }),
    body: one('4451'),
    expect: { object: ['7001', D['7001']] },
  },
  {
    name: '7001 Bearer with garbage',
    headers: () => ({ authorization: 'Bearer not.a.jwt' }),
    body: one('4451'),
    expect: { object: ['7001', D['7001']] },
  },
  // 7002
  {
    name: '7002 no credentials',
    headers: () => ({ 'content-type': 'application/json' }),
    body: one('4451'),
    expect: { object: ['7002', D['7002']] },
  },
  {
    name: '7002 empty key header',
    headers: key(''),
    body: one('4451'),
    expect: { object: ['7002', D['7002']] },
  },
  // 7003
  { name: '7003 events missing', body: { notifyurl: '' }, expect: { object: ['7003', D['7003']] } },
  { name: '7003 events null', body: { events: null }, expect: { object: ['7003', D['7003']] } },
  { name: '7003 a JSON array body', body: [{ evtid: '4451' }], expect: { object: ['7003', D['7003']] } },
  // 7004
  {
    name: "7004 empty events (object, \"'events' array shouldn't be empty\")",
    body: { events: [] },
    expect: { object: ['7004', "'events' array shouldn't be empty"] },
  },
  {
    name: '7004 events not an array',
    body: { events: { evtid: '4451' } },
    expect: { object: ['7004', 'invalid value for param events'] },
  },
  {
    name: '7004 unknown evtid (array, as the official example)',
    body: one('9999', { correlationid: '890789' }),
    expect: { array: [['7004', 'invalid value for param evtid', '890789']] },
  },
  {
    name: '7004 evtid as a number',
    body: one(4451),
    expect: { array: [['7004', 'invalid value for param evtid', '']] },
  },
  {
    name: '7004 correlationid over 50 bytes',
    body: one('4451', { correlationid: 'é'.repeat(26) }),
    expect: { array: [['7004', 'invalid value for param correlationid', 'é'.repeat(26)]] },
  },
  {
    name: '7004 parameters not an object',
    body: one('4451', { parameters: ['a'] }),
    expect: { array: [['7004', 'invalid value for param parameters', '']] },
  },
  {
    name: '7004 notifyurl not a URL',
    body: { notifyurl: 'ftp://x', ...one('4451') },
    expect: { object: ['7004', 'invalid value for param notifyurl'] },
  },
  {
    name: '7004 malformed expiry',
    body: { expiry: '2015-02-30T00:00:00Z', ...one('4451') },
    expect: { object: ['7004', 'invalid value for param expiry'] },
  },
  // 7005
  {
    name: '7005 provider state: internal error',
    state: 'the service has an internal error',
    body: one('4451'),
    expect: { object: ['7005', D['7005']] },
  },
  {
    name: '7005 tenant faults: the next request fails',
    tenantUpdate: { faults: { internalErrorNext: 1 } },
    body: one('4451'),
    expect: { object: ['7005', D['7005']] },
  },
  // 7010
  {
    name: '7010 from 127.0.0.2 (outside the allowlist)',
    localAddress: '127.0.0.2',
    body: one('4451'),
    expect: { object: ['7010', D['7010']] },
  },
  {
    name: '7010 wins over missing credentials',
    localAddress: '127.0.0.2',
    headers: () => ({}),
    body: one('4451'),
    expect: { object: ['7010', D['7010']] },
  },
  {
    name: '7010 provider state: source IP not allowlisted',
    state: 'the source IP is not allowlisted',
    body: one('4451'),
    expect: { object: ['7010', D['7010']] },
  },
  // 7019
  {
    name: '7019 official two-events example (expiry 2015)',
    body: examples.requests['two-events'],
    expect: { object: ['7019', D['7019']] },
  },
  {
    name: '7019 expiry without zone in the past',
    body: examples.requests['expiry-without-zone'],
    expect: { object: ['7019', D['7019']] },
  },
  // 7020
  {
    name: '7020 provider state, carries the first correlationid',
    state: 'the transaction limit is reached',
    body: {
      events: [
        { evtid: '4451', correlationid: 'ABC12' },
        { evtid: '4452', correlationid: 'x' },
      ],
    },
    expect: { object: ['7020', D['7020'], 'ABC12'] },
  },
  {
    name: '7020 provider state, no correlationid',
    state: 'the transaction limit is reached',
    body: one('4451'),
    expect: { object: ['7020', D['7020']] },
  },
  // 7025
  {
    name: '7025 mandatory parameter missing',
    body: one('4460', { correlationid: '890789', parameters: { orderId: '1' } }),
    expect: { array: [['7025', D['7025'], '890789']] },
  },
  {
    name: '7025 mandatory parameter empty',
    body: one('4460', { parameters: { orderId: '', ContactNumber: '2' } }),
    expect: { array: [['7025', D['7025'], '']] },
  },
  { name: '7025 no parameters at all', body: one('4460'), expect: { array: [['7025', D['7025'], '']] } },
];

function checkEnvelope(json: unknown, expected: Expected): void {
  expect(Object.keys(json as object)).toEqual(['response']);
  const response = (json as { response: unknown }).response;
  if ('object' in expected) {
    const [code, description, correlationid] = expected.object;
    expect(Array.isArray(response)).toBe(false);
    const entry = response as Record<string, string>;
    expect(entry).toEqual({
      code,
      description,
      transid: entry.transid,
      ...(correlationid === undefined ? {} : { correlationid }),
    });
    expect(entry.transid).toMatch(UUID);
    return;
  }
  expect(Array.isArray(response)).toBe(true);
  const entries = response as Record<string, string>[];
  expect(entries.map((e) => [e.code, e.description, e.correlationid])).toEqual(
    expected.array.map((e) => [...e]),
  );
  const base = entries[0]?.transid ?? '';
  expect(base).toMatch(UUID);
  entries.forEach((e, i) => {
    expect(Object.keys(e).sort()).toEqual(['code', 'correlationid', 'description', 'transid']);
    expect(e.transid).toBe(i === 0 ? base : `${base}_${i}`);
  });
}

describe('mock endpoint over HTTP: every code and variant', () => {
  let mock: MockHandle;
  let tokens: Tokens;

  beforeAll(async () => {
    mock = await startMock();
    tokens = {
      valid: await signJwt({ iatSeconds: NOW_S - 60 }),
      badSignature: await signJwt(
        { iatSeconds: NOW_S - 60 },
        { secret: 'b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA==' },
      ),
      expired: await signJwt({ iatSeconds: NOW_S - 3601 }),
      expPast: await signJwt({ iatSeconds: NOW_S - 60, expSeconds: NOW_S - 1 }),
      future: await signJwt({ iatSeconds: NOW_S + 600 }),
      hs512: await signJwt({ iatSeconds: NOW_S - 60 }, { alg: 'HS512' }),
      unknownIss: await signJwt({ iss: 'svc-other', iatSeconds: NOW_S - 60 }),
    };
  });
  afterAll(async () => {
    await mock.close();
  });

  it.each(ROWS.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    const state = await control(mock.url, '/state', {
      state: row.state ?? 'the default tenant',
      params: { now: NOW_ISO },
    });
    expect(state.status).toBe(200);
    if (row.tenantUpdate) expect((await control(mock.url, '/tenant', row.tenantUpdate)).status).toBe(200);
    const body = row.body as { raw?: string | Uint8Array };
    const answer = await request(mock.url, {
      path: row.path ?? EVENT_PATH,
      headers: (row.headers ?? key())(tokens),
      body:
        body !== null && typeof body === 'object' && 'raw' in body && body.raw !== undefined
          ? body.raw
          : JSON.stringify(row.body),
      ...(row.localAddress ? { localAddress: row.localAddress } : {}),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    checkEnvelope(answer.json, row.expect);
    // The counters saw exactly these codes.
    const counters = (await control(mock.url, '/counters', undefined, 'GET')).json as {
      byCode: Record<string, number>;
    };
    const entries = 'object' in row.expect ? [row.expect.object] : row.expect.array;
    const expected: Record<string, number> = {};
    for (const [code] of entries) expected[code] = (expected[code] ?? 0) + 1;
    expect(Object.fromEntries(Object.entries(counters.byCode).filter(([, n]) => n > 0))).toEqual(expected);
  });

  it('7020 from the limiter itself: TPS 1 without burst answers the second request 7020', async () => {
    await control(mock.url, '/state', { state: 'the default tenant' });
    await control(mock.url, '/tenant', { rateLimit: { tps: 1, burst: false } });
    const answers = [];
    // Two requests in one second are likely but not certain; retry the pair until they share a window.
    for (let attempt = 0; attempt < 5; attempt++) {
      await control(mock.url, '/tenant', { rateLimit: { tps: 1, burst: false } });
      const a = await postEvents(mock.url, one('4451', { correlationid: 'first' }));
      const b = await postEvents(mock.url, one('4451', { correlationid: 'second' }));
      answers.push([a.json, b.json]);
      if ((b.json as { response: { code: string } }).response.code === '7020') break;
    }
    const [first, second] = answers[answers.length - 1] as [unknown, unknown];
    checkEnvelope(first, { array: [['1002', 'Queued', 'first']] });
    checkEnvelope(second, { object: ['7020', D['7020'], 'second'] });
  });

  it('answers sent together in one event-loop turn each reach their own request', async () => {
    await control(mock.url, '/state', { state: 'the default tenant' });
    await control(mock.url, '/tenant', { rateLimit: { tps: 100_000 } });
    const agent = keepAliveAgent(50);
    // Even requests are accepted, odd ones name an unknown evtid: a crossed answer shows in code or echo.
    const answers = await pool(
      Array.from({ length: 400 }, (_, i) => i),
      50,
      (i) =>
        postEvents(mock.url, one(i % 2 === 0 ? '4451' : '9999', { correlationid: `c${i}` }), undefined, {
          agent,
        }),
    );
    agent.destroy();
    answers.forEach((answer, i) => {
      checkEnvelope(
        answer.json,
        i % 2 === 0
          ? { array: [['1002', 'Queued', `c${i}`]] }
          : { array: [['7004', DESCRIPTION.invalidEvtid, `c${i}`]] },
      );
    });
  });

  it('answers clean JSON HTTP errors around the event path: 404, 405, 413', async () => {
    await control(mock.url, '/reset');
    const notFound = await request(mock.url, {
      method: 'POST',
      path: '/resources/v1/events/other',
      body: '{}',
    });
    expect([notFound.status, notFound.headers['content-type']]).toEqual([404, 'application/json']);
    expect(notFound.json).toMatchObject({ status: 404 });
    const get = await request(mock.url, { method: 'GET' });
    expect([get.status, get.headers.allow]).toEqual([405, 'POST']);
    expect(get.json).toMatchObject({ status: 405 });
    const put = await request(mock.url, { method: 'PUT', body: '{}' });
    expect(put.status).toBe(405);
    const big = await postEvents(
      mock.url,
      JSON.stringify({ events: [{ evtid: '4451', parameters: { a: 'x'.repeat(1_100_000) } }] }),
    );
    expect(big.status).toBe(413);
    expect(big.json).toMatchObject({ status: 413 });
    // Still serving.
    checkEnvelope((await postEvents(mock.url, one('4451'))).json, { array: [['1002', 'Queued', '']] });
  });
});

describe('mock endpoint: source IP and tenants', () => {
  const base = DEFAULT_TENANT_FILE_INPUT.tenants[0] as Record<string, unknown>;
  let mock: MockHandle;
  beforeAll(async () => {
    mock = await startMock({
      tenantFile: tenantFileSchema.parse({
        version: 1,
        tenants: [
          { ...base, id: 'proxied', trustProxy: true, allowlist: ['10.0.0.0/8', '2001:db8::/32'] },
          {
            id: 'second',
            services: [
              {
                id: 'svc-second',
                keys: [{ value: 'second-key' }],
                jwtSecret: 'c2Vjb25kLXNlY3JldC1zZWNvbmQtc2VjcmV0',
              },
            ],
            events: [{ evtid: '5000' }],
            allowlist: ['127.0.0.1'],
          },
        ],
      }),
    });
  });
  afterAll(async () => {
    await mock.close();
  });

  it.each([
    ['10.1.2.3', '1002'],
    ['10.1.2.3, 127.0.0.1', '1002'],
    ['11.0.0.1', '7010'],
    ['2001:db8::7', '1002'],
    ['not-an-ip', '7010'],
  ])('trustProxy: X-Forwarded-For %s -> %s', async (forwarded, code) => {
    const answer = await postEvents(mock.url, one('4451'), { key: DEMO.key, 'x-forwarded-for': forwarded });
    const response = (answer.json as { response: unknown }).response;
    expect((Array.isArray(response) ? response[0] : response).code).toBe(code);
  });

  it('without trustProxy X-Forwarded-For is ignored: the socket address decides', async () => {
    const own = await postEvents(mock.url, one('5000'), { key: 'second-key', 'x-forwarded-for': '10.1.2.3' });
    checkEnvelope(own.json, { array: [['1002', 'Queued', '']] });
    const other = await postEvents(
      mock.url,
      one('5000'),
      { key: 'second-key', 'x-forwarded-for': '127.0.0.1' },
      { localAddress: '127.0.0.2' },
    );
    checkEnvelope(other.json, { object: ['7010', D['7010']] });
  });

  it("routes by credentials: each tenant's own events and allowlist apply", async () => {
    // The first tenant allows only 10/8 (via the proxy header): from the socket 127.0.0.1 its key gets 7010.
    checkEnvelope((await postEvents(mock.url, one('4451'))).json, { object: ['7010', D['7010']] });
    // The second tenant knows 5000 but not 4451.
    checkEnvelope((await postEvents(mock.url, one('4451'), { key: 'second-key' })).json, {
      array: [['7004', 'invalid value for param evtid', '']],
    });
    const jwt = await signJwt(
      { iss: 'svc-second', iatSeconds: Math.floor(Date.now() / 1000) },
      { secret: 'c2Vjb25kLXNlY3JldC1zZWNvbmQtc2VjcmV0' },
    );
    checkEnvelope((await postEvents(mock.url, one('5000'), { authorization: `Bearer ${jwt}` })).json, {
      array: [['1002', 'Queued', '']],
    });
  });
});
