import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEvkitError } from '../errors.ts';
import { CATALOG, DESCRIPTION, EVENT_PATH, REGION_BASE_URL, RESPONSE_CODES } from '../schema/catalog.ts';
import { DEFAULT_TENANT_FILE_INPUT } from '../schema/default-tenant.ts';
import { decodeSecret } from './auth.ts';
import { createEventClient, resolveBaseUrl } from './client.ts';
import { type ApiErrorCode, ERROR_KIND } from './types.ts';

interface Seen {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A stub endpoint that answers from a queue of (status, body) and records what it received. */
let server: Server;
let baseUrl: string;
let answers: { status: number; body: string; delayMs?: number }[] = [];
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const next = answers.shift() ?? { status: 500, body: 'no answer queued' };
      setTimeout(() => {
        res.writeHead(next.status, { 'content-type': 'application/json' });
        res.end(next.body);
      }, next.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function reply(...bodies: unknown[]): void {
  answers = bodies.map((b) => ({ status: 200, body: JSON.stringify(b) }));
  seen.length = 0;
}

const T0 = 'a3c9e1d2-5b4f-4c6a-9d8e-7f6a5b4c3d2e';
const key = { type: 'key', key: 'evkit-demo-key' } as const;
const body = { events: [{ evtid: '4451', correlationid: 'c-1' }] };

describe('createEventClient', () => {
  it('sends the key header, the JSON body and the path, and returns queued entries', async () => {
    reply({
      response: [{ code: '1002', description: DESCRIPTION.queued, transid: T0, correlationid: 'c-1' }],
    });
    const client = createEventClient({ baseUrl, credentials: key });
    const result = await client.send(body);
    expect(seen[0]?.path).toBe(EVENT_PATH);
    expect(seen[0]?.headers.key).toBe('evkit-demo-key');
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual(body);
    expect(result).toEqual({
      outcome: 'queued',
      burst: false,
      form: 'array',
      attempts: 1,
      httpStatus: 200,
      entries: [
        {
          ok: true,
          code: '1002',
          index: 0,
          description: 'Queued',
          transid: T0,
          correlationid: 'c-1',
          burst: false,
        },
      ],
    });
  });

  it('signs an HS256 JWT with the decoded secret, iss = service id and iat from the injected clock', async () => {
    reply({ response: [{ code: '1002', description: DESCRIPTION.queued, transid: T0, correlationid: '' }] });
    const service = DEFAULT_TENANT_FILE_INPUT.tenants[0]?.services[0];
    const secret = service?.jwtSecret ?? '';
    const client = createEventClient({
      baseUrl,
      credentials: { type: 'jwt', serviceId: 'svc-demo', secret },
      clock: { now: () => Date.UTC(2025, 0, 1, 12, 0, 0, 999) },
    });
    await client.send(body);
    const auth = String(seen[0]?.headers.authorization);
    expect(auth).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    const { payload, protectedHeader } = await jwtVerify(auth.slice('Bearer '.length), decodeSecret(secret), {
      currentDate: new Date(Date.UTC(2025, 0, 1, 12, 0, 1)),
    });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toEqual({ iss: 'svc-demo', iat: Date.UTC(2025, 0, 1, 12, 0, 0) / 1000 });
    expect(seen[0]?.headers.key).toBeUndefined();
  });

  it('sends no credentials for type none', async () => {
    reply({ response: { code: '7002', description: DESCRIPTION.serviceKeyMissing, transid: T0 } });
    const result = await createEventClient({ baseUrl, credentials: { type: 'none' } }).send(body);
    expect(seen[0]?.headers.key).toBeUndefined();
    expect(seen[0]?.headers.authorization).toBeUndefined();
    expect(result.outcome === 'rejected' && result.error.kind).toBe('credentials-missing');
  });

  it('normalises a lone 1002 object to a one-event answer and flags burst mode', async () => {
    reply({ response: { code: '1002', description: DESCRIPTION.queuedInBurstMode, transid: T0 } });
    const result = await createEventClient({ baseUrl, credentials: key }).send(body);
    expect(result.outcome).toBe('queued');
    if (result.outcome !== 'queued') return;
    expect(result.form).toBe('object');
    expect(result.burst).toBe(true);
    expect(result.entries.map((e) => [e.index, e.transid, e.burst])).toEqual([[0, T0, true]]);
  });

  it('reports mixed per-event outcomes in request order with typed errors', async () => {
    reply({
      response: [
        { code: '1002', description: DESCRIPTION.queued, transid: T0, correlationid: 'a' },
        { code: '7004', description: DESCRIPTION.invalidEvtid, transid: `${T0}_1`, correlationid: 'b' },
        {
          code: '7025',
          description: DESCRIPTION.mandatoryParameterMissing,
          transid: `${T0}_2`,
          correlationid: '',
        },
      ],
    });
    const result = await createEventClient({ baseUrl, credentials: key }).send(body);
    expect(result.outcome).toBe('event-errors');
    if (result.outcome !== 'event-errors') return;
    expect(result.entries.map((e) => [e.index, e.code, e.ok ? 'queued' : e.kind, e.transid])).toEqual([
      [0, '1002', 'queued', T0],
      [1, '7004', 'invalid-parameter', `${T0}_1`],
      [2, '7025', 'mandatory-parameter-missing', `${T0}_2`],
    ]);
  });

  it.each(RESPONSE_CODES.filter((c): c is ApiErrorCode => c !== '1002'))(
    'types a request-level %s as its own error kind',
    async (code) => {
      reply({ response: { code, description: CATALOG[code].descriptions[0], transid: T0 } });
      const result = await createEventClient({ baseUrl, credentials: key, retry: { maxAttempts: 1 } }).send(
        body,
      );
      expect(result.outcome).toBe('rejected');
      if (result.outcome !== 'rejected') return;
      expect(result.error).toEqual({
        ok: false,
        code,
        kind: ERROR_KIND[code],
        retryable: code === '7020' || code === '7005',
        description: CATALOG[code].descriptions[0],
        transid: T0,
        correlationid: undefined,
      });
    },
  );

  it('reads the outcome from the body, whatever the HTTP status', async () => {
    answers = [
      {
        status: 503,
        body: JSON.stringify({ response: [{ code: '1002', description: 'Queued', transid: T0 }] }),
      },
    ];
    const result = await createEventClient({ baseUrl, credentials: key }).send(body);
    expect(result.outcome).toBe('queued');
    expect(result.httpStatus).toBe(503);
  });

  it('retries 7020 and 7005 with seeded, bounded, growing delays, then returns the final answer', async () => {
    const limit = { response: { code: '7020', description: DESCRIPTION.rateLimited, transid: T0 } };
    const internal = { response: { code: '7005', description: DESCRIPTION.internalError, transid: T0 } };
    const ok = { response: [{ code: '1002', description: 'Queued', transid: T0 }] };
    const run = async () => {
      const delays: number[] = [];
      reply(limit, internal, limit, ok);
      const client = createEventClient({
        baseUrl,
        credentials: key,
        retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 300, jitter: 0.5, seed: 7 },
        sleep: async (ms) => {
          delays.push(ms);
        },
      });
      return { result: await client.send(body), delays };
    };
    const first = await run();
    expect(first.result.outcome).toBe('queued');
    expect(first.result.attempts).toBe(4);
    expect(first.delays).toHaveLength(3);
    const caps = [100, 200, 300];
    first.delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual((caps[i] ?? 0) / 2);
      expect(d).toBeLessThanOrEqual(caps[i] ?? 0);
    });
    expect((await run()).delays).toEqual(first.delays);
  });

  it('stops after maxAttempts and returns the last rejection; never retries other codes', async () => {
    const limit = { response: { code: '7020', description: DESCRIPTION.rateLimited, transid: T0 } };
    reply(limit, limit, limit);
    const sleep = async () => {};
    const client = createEventClient({ baseUrl, credentials: key, retry: { maxAttempts: 2 }, sleep });
    const result = await client.send(body);
    expect(result.outcome === 'rejected' && [result.error.code, result.attempts]).toEqual(['7020', 2]);
    reply({ response: { code: '7001', description: DESCRIPTION.authenticationFailed, transid: T0 } });
    const auth = await client.send(body);
    expect(auth.attempts).toBe(1);
    expect(seen).toHaveLength(1);
  });

  it('validates bodies unless told not to', async () => {
    const client = createEventClient({ baseUrl, credentials: key });
    await expect(client.send({ events: [] })).rejects.toMatchObject({ code: 'E_REQUEST_BODY' });
    reply({ response: { code: '7004', description: DESCRIPTION.eventsEmpty, transid: T0 } });
    const loose = createEventClient({ baseUrl, credentials: key, validate: false });
    const result = await loose.send({ events: [] });
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ events: [] });
    expect(result.outcome === 'rejected' && result.error.description).toBe(DESCRIPTION.eventsEmpty);
  });

  it('sends raw bytes with the declared content type (the 7000 escape hatch)', async () => {
    reply({ response: { code: '7000', description: DESCRIPTION.invalidJson, transid: T0 } });
    const raw = '{"events": [{"evtid": "4451",}]}';
    const result = await createEventClient({ baseUrl, credentials: key }).sendRaw(raw, {
      contentType: 'text/plain',
    });
    expect(seen[0]?.headers['content-type']).toBe('text/plain');
    expect(seen[0]?.body).toBe(raw);
    expect(result.outcome === 'rejected' && result.error.kind).toBe('invalid-json');
  });

  it('fails with E_CONTRACT on a body that is not an envelope, E_NETWORK on a timeout', async () => {
    answers = [{ status: 200, body: '{"code":"1002"}' }];
    const client = createEventClient({ baseUrl, credentials: key, timeoutMs: 50 });
    await expect(client.send(body)).rejects.toMatchObject({ code: 'E_CONTRACT' });
    answers = [{ status: 200, body: '{}', delayMs: 1_000 }];
    const error: unknown = await client.send(body).catch((e: unknown) => e);
    expect(isEvkitError(error) && [error.code, error.message]).toEqual([
      'E_NETWORK',
      `no answer from ${baseUrl} within 50 ms`,
    ]);
  });

  it('maps a region to its base URL and requires one of baseUrl or region', () => {
    expect(resolveBaseUrl({ region: 'eu' })).toBe(REGION_BASE_URL.eu);
    expect(createEventClient({ region: 'legacy-com', credentials: key, trailingSlash: true }).url).toBe(
      `${REGION_BASE_URL['legacy-com']}${EVENT_PATH}/`,
    );
    expect(() => resolveBaseUrl({})).toThrow(/baseUrl or a region/);
  });
});
