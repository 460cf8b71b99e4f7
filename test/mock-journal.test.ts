/**
 * The mock as a test double: the request journal, "the next N requests answer X", per-tenant reset and the
 * health route — used the way a team's integration test uses them (plain fetch, then assertions on the journal).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../src/mock/engine.ts';
import { createRequestListener } from '../src/mock/http-handler.ts';
import type { JournalEntry } from '../src/mock/journal.ts';
import { JOURNAL_BODY_BYTES } from '../src/mock/journal.ts';
import { createLogger } from '../src/mock/log.ts';
import { FORCED_ANSWER, REQUEST_LEVEL_CODES } from '../src/mock/next-answers.ts';
import { type MockHandle, startMock } from '../src/mock/server.ts';
import { EVENT_PATH, RESPONSE_CODES } from '../src/schema/catalog.ts';
import { DEFAULT_TENANT_FILE_INPUT, defaultTenantFile } from '../src/schema/default-tenant.ts';
import { type TenantFile, tenantFileSchema } from '../src/schema/tenant.ts';
import { runEvkit } from './helpers/cli.ts';

const base = DEFAULT_TENANT_FILE_INPUT.tenants[0] as Record<string, unknown>;

/** Two tenants, told apart by their service key, so parallel tests can each own one. */
function twoTenants(extra: Record<string, unknown> = {}): TenantFile {
  return tenantFileSchema.parse({
    version: 1,
    tenants: [
      { ...base, ...extra },
      {
        ...base,
        ...extra,
        id: 'team-b',
        services: [{ id: 'svc-b', keys: [{ value: 'team-b-key' }] }],
      },
    ],
  });
}

/** What a team's service does: POST its events with fetch. */
async function send(url: string, key: string, body: unknown, path = EVENT_PATH): Promise<unknown> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', key },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return res.json();
}

async function controlJson(
  url: string,
  path: string,
  init: RequestInit = {},
): Promise<[number, Record<string, unknown>]> {
  const res = await fetch(`${url}/__evkit${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
  return [res.status, (await res.json()) as Record<string, unknown>];
}

const codesOf = (json: unknown): string[] => {
  const r = (json as { response: { code: string } | { code: string }[] }).response;
  return (Array.isArray(r) ? r : [r]).map((e) => e.code);
};

describe('the request journal', () => {
  let mock: MockHandle;
  beforeAll(async () => {
    mock = await startMock({ tenantFile: twoTenants() });
  });
  afterAll(async () => {
    await mock.close({ drainDeadlineMs: 0 });
  });

  it('a team test: send with fetch, then assert exactly the events and codes the mock recorded', async () => {
    mock.clearRequests();
    const before = Date.now();
    const answer = await send(mock.url, 'evkit-demo-key', {
      events: [
        { evtid: '4451', correlationid: 'order-1', parameters: { a: '1' } },
        { evtid: '4460', correlationid: 'order-2', parameters: {} },
      ],
    });
    await send(
      mock.url,
      'wrong-key',
      { events: [{ evtid: '4451', correlationid: 'order-3' }] },
      `${EVENT_PATH}/`,
    );

    const all = mock.requests();
    expect(all.map((e) => [e.path, e.tenantId, e.codes, e.evtids, e.correlationids])).toEqual([
      [EVENT_PATH, 'default', ['1002', '7025'], ['4451', '4460'], ['order-1', 'order-2']],
      [`${EVENT_PATH}/`, 'default', ['7001'], ['4451'], ['order-3']],
    ]);
    const first = all[0] as JournalEntry;
    // The journal's transids are the ones the client was answered with.
    const answered = (answer as { response: { transid: string }[] }).response.map((e) => e.transid);
    expect(first.transids).toEqual(answered);
    expect(first).toMatchObject({
      method: 'POST',
      sourceIp: '127.0.0.1',
      serviceId: 'svc-demo',
      decidedBy: 'perEvent',
    });
    expect(Date.parse(first.time)).toBeGreaterThanOrEqual(before - 1000);
    expect(JSON.parse(first.body).events[0].parameters).toEqual({ a: '1' });
    // The service key is not shown in the journal.
    expect(first.headers.key).toBe('[redacted]');
    expect(first.headers['content-type']).toBe('application/json');
  });

  it('GET /__evkit/requests filters by code, evtid, correlationid, since and tenant; DELETE clears', async () => {
    await controlJson(mock.url, '/reset', { method: 'POST', body: '{}' });
    await send(mock.url, 'evkit-demo-key', { events: [{ evtid: '4451', correlationid: 'c-1' }] });
    await send(mock.url, 'evkit-demo-key', '{not json');
    await new Promise((r) => setTimeout(r, 5));
    const mid = Date.now();
    await new Promise((r) => setTimeout(r, 5));
    await send(mock.url, 'team-b-key', { events: [{ evtid: '4452', correlationid: 'c-2' }] });

    const query = async (q: string) => {
      const [status, json] = await controlJson(mock.url, `/requests${q}`);
      expect(status).toBe(200);
      const requests = json.requests as JournalEntry[];
      expect(json.count).toBe(requests.length);
      return requests.map((e) => e.codes.join('+') + (e.evtids[0] ? `:${e.evtids[0]}` : ''));
    };
    expect(await query('')).toEqual(['1002:4451', '7000', '1002:4452']);
    expect(await query('?code=7000')).toEqual(['7000']);
    expect(await query('?code=1002&evtid=4452')).toEqual(['1002:4452']);
    expect(await query('?correlationid=c-1')).toEqual(['1002:4451']);
    expect(await query(`?since=${mid}`)).toEqual(['1002:4452']);
    expect(await query(`?since=${new Date(mid).toISOString()}`)).toEqual(['1002:4452']);
    expect(await query('?tenantId=team-b')).toEqual(['1002:4452']);
    expect((await controlJson(mock.url, '/requests?code=9999'))[0]).toBe(400);
    expect((await controlJson(mock.url, '/requests?since=yesterday'))[0]).toBe(400);
    expect((await controlJson(mock.url, '/requests?colour=red'))[0]).toBe(400);

    expect(await controlJson(mock.url, '/requests?tenantId=default', { method: 'DELETE' })).toEqual([
      200,
      { ok: true, cleared: 2 },
    ]);
    expect(await query('')).toEqual(['1002:4452']);
    expect(mock.clearRequests()).toBe(1);
    expect(mock.requests()).toEqual([]);
  });

  it('keeps a large body in part only, and says so', async () => {
    mock.clearRequests();
    const big = JSON.stringify({
      events: [{ evtid: '4451', parameters: { pad: 'x'.repeat(JOURNAL_BODY_BYTES) } }],
    });
    await send(mock.url, 'evkit-demo-key', big);
    const [entry] = mock.requests();
    expect(entry).toMatchObject({ bodyBytes: big.length, bodyTruncated: true, codes: ['1002'] });
    expect(entry?.body.length).toBe(JOURNAL_BODY_BYTES);
  });
});

describe('the journal is a bounded ring per tenant', () => {
  it('keeps the newest journalSize entries of each tenant; one tenant does not evict another', async () => {
    const mock = await startMock({ tenantFile: twoTenants({ journalSize: 3 }) });
    try {
      await send(mock.url, 'team-b-key', { events: [{ evtid: '4451', correlationid: 'b' }] });
      for (let i = 0; i < 5; i++)
        await send(mock.url, 'evkit-demo-key', { events: [{ evtid: '4451', correlationid: `a${i}` }] });
      expect(mock.requests({ tenantId: 'default' }).map((e) => e.correlationids[0])).toEqual([
        'a2',
        'a3',
        'a4',
      ]);
      expect(mock.requests({ tenantId: 'team-b' }).map((e) => e.correlationids[0])).toEqual(['b']);
      // Across tenants in arrival order.
      expect(mock.requests().map((e) => e.correlationids[0])).toEqual(['b', 'a2', 'a3', 'a4']);
    } finally {
      await mock.close({ drainDeadlineMs: 0 });
    }
  });

  it('the journalSize option (flag) overrides the tenant file; 0 records nothing', async () => {
    const mock = await startMock({ tenantFile: twoTenants({ journalSize: 3 }), journalSize: 0 });
    try {
      await send(mock.url, 'evkit-demo-key', { events: [{ evtid: '4451' }] });
      expect(mock.requests()).toEqual([]);
      expect(mock.counters().byCode['1002']).toBe(1);
    } finally {
      await mock.close({ drainDeadlineMs: 0 });
    }
  });
});

describe('evkit mock --journal-size', () => {
  it('refuses a size that is not an integer >= 0 (exit 2), from the flag or EVKIT_MOCK_JOURNAL_SIZE', async () => {
    const flag = await runEvkit(['mock', '--journal-size', '-1'], { timeoutMs: 30_000 });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--journal-size must be a whole number from 0 to 10000000, got "-1"');
    const env = await runEvkit(['mock'], { env: { EVKIT_MOCK_JOURNAL_SIZE: 'lots' }, timeoutMs: 30_000 });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain(
      'EVKIT_MOCK_JOURNAL_SIZE must be a whole number from 0 to 10000000, got "lots"',
    );
  });
});

describe('the next N requests answer a chosen code', () => {
  let mock: MockHandle;
  beforeAll(async () => {
    mock = await startMock({ tenantFile: twoTenants() });
  });
  afterAll(async () => {
    await mock.close({ drainDeadlineMs: 0 });
  });

  it('covers every request-level code of the catalog', () => {
    expect(REQUEST_LEVEL_CODES).toEqual(RESPONSE_CODES.filter((c) => c !== '1002' && c !== '7025'));
  });

  for (const code of REQUEST_LEVEL_CODES) {
    it(`POST /__evkit/next {"code": "${code}", "count": 2}: two answers of ${code}, then evaluation again`, async () => {
      await controlJson(mock.url, '/reset', { method: 'POST', body: '{}' });
      expect(
        await controlJson(mock.url, '/next', { method: 'POST', body: JSON.stringify({ code, count: 2 }) }),
      ).toEqual([200, { ok: true, tenantId: 'default', code, count: 2 }]);
      const body = { events: [{ evtid: '4451', correlationid: 'k-1' }] };
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await send(mock.url, 'evkit-demo-key', body));
      expect(answers.map(codesOf)).toEqual([[code], [code], ['1002']]);
      const forced = (answers[0] as { response: Record<string, string> }).response;
      expect(forced.description).toBe(FORCED_ANSWER[code].description);
      expect(typeof forced.transid).toBe('string');
      // 7020 carries the first event's correlationid, as the evaluator's 7020 does.
      expect(forced.correlationid).toBe(code === '7020' ? 'k-1' : undefined);
      expect(mock.requests().map((e) => e.decidedBy)).toEqual(['forced', 'forced', 'perEvent']);
      expect(mock.counters().byCode[code]).toBe(2);
    });
  }

  it('plans are per tenant and queue up in order; bad plans are refused', async () => {
    await controlJson(mock.url, '/reset', { method: 'POST', body: '{}' });
    const plan = (body: unknown) =>
      controlJson(mock.url, '/next', { method: 'POST', body: JSON.stringify(body) });
    await plan({ code: '7005', tenantId: 'team-b' });
    await plan({ code: '7020', tenantId: 'team-b' });
    expect((await controlJson(mock.url, '/next'))[1]).toEqual({
      planned: {
        'team-b': [
          { code: '7005', remaining: 1 },
          { code: '7020', remaining: 1 },
        ],
      },
    });
    const event = { events: [{ evtid: '4451' }] };
    expect(codesOf(await send(mock.url, 'evkit-demo-key', event))).toEqual(['1002']);
    expect(codesOf(await send(mock.url, 'team-b-key', event))).toEqual(['7005']);
    expect(codesOf(await send(mock.url, 'team-b-key', event))).toEqual(['7020']);
    expect(codesOf(await send(mock.url, 'team-b-key', event))).toEqual(['1002']);
    for (const bad of [
      { code: '1002' },
      { code: '7025' },
      { code: '7001', count: 0 },
      { code: '7001', tenantId: 'nobody' },
    ])
      expect((await plan(bad))[0]).toBe(400);
  });
});

describe('per-tenant reset', () => {
  it('POST /__evkit/reset {"tenantId"} resets that tenant only: settings, plans, journal', async () => {
    const mock = await startMock({ tenantFile: twoTenants() });
    try {
      const event = { events: [{ evtid: '4451' }] };
      await send(mock.url, 'evkit-demo-key', event);
      await send(mock.url, 'team-b-key', event);
      await controlJson(mock.url, '/next', {
        method: 'POST',
        body: JSON.stringify({ code: '7001', count: 5 }),
      });
      await controlJson(mock.url, '/next', {
        method: 'POST',
        body: JSON.stringify({ code: '7001', count: 5, tenantId: 'team-b' }),
      });
      await controlJson(mock.url, '/tenant', {
        method: 'POST',
        body: JSON.stringify({ tenantId: 'team-b', faults: { internalErrorNext: 3 } }),
      });

      expect(
        await controlJson(mock.url, '/reset', {
          method: 'POST',
          body: JSON.stringify({ tenantId: 'team-b' }),
        }),
      ).toEqual([200, { ok: true, tenantId: 'team-b' }]);
      expect(mock.requests({ tenantId: 'team-b' })).toEqual([]);
      expect(mock.requests({ tenantId: 'default' })).toHaveLength(1);
      // team-b: no plan and no fault left; default: its plan still stands.
      expect(codesOf(await send(mock.url, 'team-b-key', event))).toEqual(['1002']);
      expect(codesOf(await send(mock.url, 'evkit-demo-key', event))).toEqual(['7001']);
      expect(
        (
          await controlJson(mock.url, '/reset', {
            method: 'POST',
            body: JSON.stringify({ tenantId: 'nobody' }),
          })
        )[0],
      ).toBe(400);
    } finally {
      await mock.close({ drainDeadlineMs: 0 });
    }
  });
});

describe('health and readiness', () => {
  it('GET /__evkit/health is 200 while serving and open without the admin token', async () => {
    const mock = await startMock({ adminToken: 'a-token-for-this-test' });
    try {
      expect(await controlJson(mock.url, '/health')).toEqual([200, { status: 'ok', ready: true }]);
      // The rest of the control API still needs the token.
      expect((await controlJson(mock.url, '/requests'))[0]).toBe(401);
    } finally {
      await mock.close({ drainDeadlineMs: 0 });
    }
  });

  it('answers 503 "draining" once the mock closes, and is open even when the control API is locked', async () => {
    const engine = createEngine(defaultTenantFile(), { log: createLogger(undefined) });
    const lifecycle = { closing: false };
    const server = http.createServer(
      createRequestListener(engine, {
        maxBodyBytes: 1024,
        adminToken: undefined,
        controlLocked: true,
        log: createLogger(undefined),
        lifecycle,
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await controlJson(url, '/health')).toEqual([200, { status: 'ok', ready: true }]);
      expect((await controlJson(url, '/counters'))[0]).toBe(403);
      lifecycle.closing = true;
      expect(await controlJson(url, '/health')).toEqual([503, { status: 'draining', ready: false }]);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
