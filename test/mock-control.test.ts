/** The control API under /__evkit: counters, reset, clock, tenant updates, provider states, admin token. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockCounters } from '../src/mock/counters.ts';
import { createEngine } from '../src/mock/engine.ts';
import { createRequestListener } from '../src/mock/http-handler.ts';
import { createLogger } from '../src/mock/log.ts';
import { type MockHandle, startMock } from '../src/mock/server.ts';
import { PROVIDER_STATE_NAMES } from '../src/mock/states.ts';
import { RESPONSE_CODES } from '../src/schema/catalog.ts';
import { defaultTenantFile } from '../src/schema/default-tenant.ts';
import examples from '../src/schema/official-examples.json' with { type: 'json' };
import { control, postEvents, request, signJwt } from './mock-helpers.ts';

type Json = Record<string, unknown>;
const codeOf = (json: unknown): string => {
  const r = (json as { response: { code: string } | { code: string }[] }).response;
  return Array.isArray(r) ? (r[0]?.code ?? '') : r.code;
};
const one = { events: [{ evtid: '4451' }] };

describe('control API', () => {
  let mock: MockHandle;
  beforeAll(async () => {
    mock = await startMock();
  });
  afterAll(async () => {
    await mock.close();
  });

  it('GET /counters: every code, burst, windows, notifications, queue; the same as handle.counters()', async () => {
    await control(mock.url, '/reset');
    await postEvents(mock.url, { events: [{ evtid: '4451' }, { evtid: 'nope' }] });
    await postEvents(mock.url, '{');
    const over = (await control(mock.url, '/counters', undefined, 'GET')).json as MockCounters;
    expect(Object.keys(over.byCode).sort()).toEqual([...RESPONSE_CODES].sort());
    expect(over.byCode).toMatchObject({ '1002': 1, '7004': 1, '7000': 1, '7001': 0 });
    expect(over.windows).toHaveLength(1);
    expect(over.windows[0]).toMatchObject({ tenantId: 'default', queued: 1, burst: 0, rejected: 0 });
    expect(over.notifications).toEqual({
      queued: 0,
      delivered: 0,
      failed: 0,
      dropped: 0,
      rejectedBacklog: 0,
      pending: 0,
    });
    expect(over.queue.accepted).toBe(1);
    expect({ ...mock.counters(), queue: undefined }).toEqual({ ...over, queue: undefined });
  });

  it('POST /reset: counters, forced states and clock back to the tenant file', async () => {
    await control(mock.url, '/state', {
      state: 'the transaction limit is reached',
      params: { now: '2015-01-01T00:00:00Z' },
    });
    expect(codeOf((await postEvents(mock.url, one)).json)).toBe('7020');
    expect((await control(mock.url, '/reset')).json).toEqual({ ok: true });
    expect(codeOf((await postEvents(mock.url, one)).json)).toBe('1002');
    expect(mock.counters().byCode).toMatchObject({ '1002': 1, '7020': 0 });
    // The clock is real again: the official 2015 expiry is in the past.
    expect(codeOf((await postEvents(mock.url, examples.requests['two-events'])).json)).toBe('7019');
  });

  it('POST /clock fixes the evaluator clock for expiry and JWT times; null returns to real time', async () => {
    await control(mock.url, '/reset');
    const set = await control(mock.url, '/clock', { now: '2015-04-12T18:51:18Z' });
    expect(set.json).toEqual({
      ok: true,
      now: '2015-04-12T18:51:18.000Z',
      nowMs: Date.parse('2015-04-12T18:51:18Z'),
    });
    expect(codeOf((await postEvents(mock.url, examples.requests['two-events'])).json)).toBe('1002');
    const jwt2015 = await signJwt({ iatSeconds: Date.parse('2015-04-12T18:50:00Z') / 1000 });
    expect(codeOf((await postEvents(mock.url, one, { authorization: `Bearer ${jwt2015}` })).json)).toBe(
      '1002',
    );
    expect((await control(mock.url, '/clock', { now: null })).status).toBe(200);
    expect(codeOf((await postEvents(mock.url, examples.requests['two-events'])).json)).toBe('7019');
    expect(codeOf((await postEvents(mock.url, one, { authorization: `Bearer ${jwt2015}` })).json)).toBe(
      '7001',
    );
    for (const bad of [{}, { now: 'yesterday' }, { now: '2015-04-12T18:51:18' }, { now: 5 }]) {
      expect((await control(mock.url, '/clock', bad)).status).toBe(400);
    }
  });

  it('POST /tenant merges a rate limit or faults into a tenant and validates it', async () => {
    await control(mock.url, '/reset');
    const ok = await control(mock.url, '/tenant', { rateLimit: { tps: 7, window: 'sliding' } });
    expect(ok.status).toBe(200);
    expect((ok.json as Json).tenant).toMatchObject({
      id: 'default',
      rateLimit: { tps: 7, burst: false, window: 'sliding', countBy: 'requests' },
    });
    const faults = await control(mock.url, '/tenant', {
      tenantId: 'default',
      faults: { internalErrorNext: 2 },
    });
    expect((faults.json as Json).tenant).toMatchObject({ faults: { internalErrorNext: 2, seed: 1 } });
    expect([
      codeOf((await postEvents(mock.url, one)).json),
      codeOf((await postEvents(mock.url, one)).json),
    ]).toEqual(['7005', '7005']);
    expect(codeOf((await postEvents(mock.url, one)).json)).toBe('1002');

    const bad = await control(mock.url, '/tenant', { rateLimit: { tps: -1, window: 'rolling' } });
    expect(bad.status).toBe(400);
    expect((bad.json as { problems: unknown[] }).problems).toEqual([
      { path: 'rateLimit.tps', expected: 'a number > 0', got: '-1 (number)' },
      { path: 'rateLimit.window', expected: 'one of "fixed", "sliding"', got: '"rolling" (string)' },
    ]);
    expect((await control(mock.url, '/tenant', { tenantId: 'nobody' })).status).toBe(400);
    expect((await control(mock.url, '/tenant', { allowlist: [] })).status).toBe(400);
  });

  it('POST /state applies each named state after a reset and returns values for Pact', async () => {
    const expected: Record<string, string> = {
      'the default tenant': '1002',
      'the clock reads': '1002',
      'the transaction limit is reached': '7020',
      'the tenant is in burst mode': '1002',
      'the service has an internal error': '7005',
      'the source IP is not allowlisted': '7010',
    };
    expect(Object.keys(expected).sort()).toEqual([...PROVIDER_STATE_NAMES].sort());
    for (const state of PROVIDER_STATE_NAMES) {
      const now = '2026-03-01T10:00:00.000Z';
      const answer = await control(mock.url, '/state', { state, params: { now } });
      expect(answer.status).toBe(200);
      const values = (answer.json as { ok: boolean; values: Json }).values;
      expect(values).toMatchObject({
        tenantId: 'default',
        serviceId: 'svc-demo',
        key: 'evkit-demo-key',
        evtid: '4451',
        now,
        nowMs: Date.parse(now),
      });
      // The JWT of the values is signed for the state's clock: the same request with it gets the same code.
      const viaJwt = await postEvents(
        mock.url,
        { events: [{ evtid: String(values.evtid) }] },
        { authorization: `Bearer ${String(values.jwt)}` },
      );
      expect(codeOf(viaJwt.json)).toBe(expected[state]);
      // Each state starts from a reset: only this request is counted.
      const counted = mock.counters().byCode;
      expect(Object.values(counted).reduce((a, b) => a + b, 0)).toBe(1);
    }
    // The last state stays in force until the next reset or state.
    expect(codeOf((await postEvents(mock.url, one)).json)).toBe('7010');
  });

  it('POST /state rejects unknown names and bad params with HTTP 400', async () => {
    const unknown = await control(mock.url, '/state', { state: 'the moon is full' });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual({
      error: expect.stringContaining('unknown provider state'),
      status: 400,
    });
    expect((await control(mock.url, '/state', { state: 'the clock reads' })).status).toBe(400);
    expect(
      (await control(mock.url, '/state', { state: 'the default tenant', params: { now: 'soon' } })).status,
    ).toBe(400);
    expect(
      (await control(mock.url, '/state', { state: 'the default tenant', params: { other: 1 } })).status,
    ).toBe(400);
  });

  it('GET /states lists the states; unknown routes are 404, wrong methods 405, non-JSON bodies 400', async () => {
    const states = (await control(mock.url, '/states', undefined, 'GET')).json as {
      states: { name: string }[];
    };
    expect(states.states.map((s) => s.name)).toEqual(PROVIDER_STATE_NAMES);
    expect((await control(mock.url, '/nothing', {})).status).toBe(404);
    expect((await control(mock.url, '/counters', {})).status).toBe(405);
    expect((await control(mock.url, '/reset', undefined, 'GET')).status).toBe(405);
    const notJson = await request(mock.url, {
      path: '/__evkit/clock',
      headers: { 'content-type': 'application/json' },
      body: 'now=1',
    });
    expect(notJson.status).toBe(400);
  });
});

describe('control API admin token', () => {
  it('with an admin token every control call needs Authorization: Bearer <token>; the event path does not', async () => {
    const mock = await startMock({ adminToken: 's3cret-admin' });
    try {
      expect((await request(mock.url, { method: 'GET', path: '/__evkit/counters' })).status).toBe(401);
      const wrong = await request(mock.url, {
        method: 'GET',
        path: '/__evkit/counters',
        headers: { authorization: 'Bearer nope' },
      });
      expect(wrong.status).toBe(401);
      const right = await request(mock.url, {
        method: 'GET',
        path: '/__evkit/counters',
        headers: { authorization: 'Bearer s3cret-admin' },
      });
      expect(right.status).toBe(200);
      expect(codeOf((await postEvents(mock.url, one)).json)).toBe('1002');
    } finally {
      await mock.close();
    }
  });

  it('beyond loopback without a token the control API is closed (403)', async () => {
    // Tests bind loopback only, so this drives the listener the mock uses with the flag it sets for such hosts.
    const engine = createEngine(defaultTenantFile(), { log: createLogger(undefined) });
    const listener = createRequestListener(engine, {
      maxBodyBytes: 1024,
      adminToken: undefined,
      controlLocked: true,
      log: createLogger(undefined),
      lifecycle: { closing: false },
    });
    const server = http.createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const locked = await request(url, { method: 'POST', path: '/__evkit/reset' });
      expect(locked.status).toBe(403);
      expect(locked.json).toMatchObject({ error: expect.stringContaining('EVKIT_ADMIN_TOKEN') });
      expect(codeOf((await postEvents(url, one)).json)).toBe('1002');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await engine.drain(Date.now());
    }
  });
});
