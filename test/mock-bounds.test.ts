/**
 * The mock under faults (issue 15, items 1 and 3-9): a bounded notification backlog, the connection cap, 413
 * for clients that send a whole oversized body, localhost names kept on loopback, Node's early answers and the
 * control API in the documented error shape, a control API a web page cannot drive, secrets kept out of logs,
 * and a bound on the events of one request.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loopbackLookup } from '../src/mock/destination.ts';
import { startMock } from '../src/mock/server.ts';
import { DESCRIPTION, EVENT_PATH, invalidParamDescription } from '../src/schema/catalog.ts';
import {
  closedPort,
  control,
  DEMO,
  eventually,
  postEvents,
  request,
  startReceiver,
  tenantFile,
} from './mock-helpers.ts';

type Entry = { code: string; description: string; transid: string };

/** Write raw bytes on a fresh connection and collect everything the server sends until it closes. */
function rawExchange(url: string, bytes: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let out = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      out += d;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(out));
    socket.write(bytes);
    // Nothing more comes from this client: a server that answers and keeps the socket open still ends here.
    setTimeout(() => socket.end(), 500).unref();
  });
}

/** The status and parsed JSON body of a raw HTTP/1.1 answer. */
function parseRaw(text: string): { status: number; contentType: string | undefined; json: unknown } {
  const [head = '', body = ''] = text.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  const contentType = /\r\ncontent-type: ([^\r\n]+)/i.exec(head)?.[1];
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status, contentType, json };
}

const one = { events: [{ evtid: '4451', correlationid: 'c1' }] };
const codeOf = (json: unknown): string | undefined => {
  const r = (json as { response: Entry | Entry[] }).response;
  return Array.isArray(r) ? r[0]?.code : r.code;
};

describe('item 1: the notification backlog is bounded', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('at notify.maxPending new requests answer 7005 (counted), the pending count stays at the cap', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}/notify`;
    const mock = await startMock({
      tenantFile: tenantFile(
        { rateLimit: { tps: 1000 }, notify: { retries: 3, retryDelayMs: 600_000, maxPending: 5 } },
        { notifyUrl: dead },
      ),
    });
    cleanup.push(() => mock.close({ drainDeadlineMs: 0 }));
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 12; i++) {
      codes.push(codeOf((await postEvents(mock.url, one)).json));
      // Each accepted event becomes a notification before the next request is judged.
      await eventually(() => mock.counters().queue.pending === 0);
    }
    expect(codes.slice(0, 5)).toEqual(['1002', '1002', '1002', '1002', '1002']);
    expect(codes.slice(5)).toEqual(Array(7).fill('7005'));
    expect(await eventually(() => mock.counters().notifications.pending === 5)).toBe(true);
    const counters = mock.counters();
    expect(counters.notifications).toMatchObject({ queued: 5, pending: 5, rejectedBacklog: 7, dropped: 0 });
    expect(counters.byCode['7005']).toBe(7);
  });

  it('events already accepted beyond the cap drop the oldest waiting notifications, counted', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}/notify`;
    const mock = await startMock({
      tenantFile: tenantFile(
        { rateLimit: { tps: 1000 }, notify: { retries: 3, retryDelayMs: 600_000, maxPending: 5 } },
        { notifyUrl: dead },
      ),
    });
    cleanup.push(() => mock.close({ drainDeadlineMs: 0 }));
    const events = Array.from({ length: 40 }, (_, i) => ({ evtid: '4451', correlationid: `e${i}` }));
    const answer = await postEvents(mock.url, { events });
    expect((answer.json as { response: Entry[] }).response.every((e) => e.code === '1002')).toBe(true);
    expect(await eventually(() => mock.counters().queue.processed === 40)).toBe(true);
    expect(await eventually(() => mock.counters().notifications.pending === 5)).toBe(true);
    const n = mock.counters().notifications;
    expect(n.queued).toBe(40);
    expect(n.dropped).toBe(35);
  });
});

describe('item 1: no receiver can hold the sending slots', () => {
  it('a receiver that answers 200 and then trickles its body for ever: each attempt ends at timeoutMs, all 100 are delivered', async () => {
    const timers = new Set<NodeJS.Timeout>();
    const receiver = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-length': '1000000' });
      const t = setInterval(() => res.write('x'), 20);
      timers.add(t);
      res.on('close', () => {
        clearInterval(t);
        timers.delete(t);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/n`;
    const mock = await startMock({
      tenantFile: tenantFile({ rateLimit: { tps: 1000 }, notify: { timeoutMs: 300 } }, { notifyUrl: url }),
    });
    try {
      const events = Array.from({ length: 100 }, (_, i) => ({ evtid: '4451', correlationid: `t${i}` }));
      await postEvents(mock.url, { events });
      // 64 sending slots: without a whole-attempt deadline the first 64 trickling answers hold them all.
      expect(await eventually(() => mock.counters().notifications.delivered === 100, 20_000)).toBe(true);
      expect(mock.counters().notifications).toMatchObject({ failed: 0, pending: 0 });
    } finally {
      await mock.close({ drainDeadlineMs: 500 });
      for (const t of timers) clearInterval(t);
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});

describe('outbound-webhook delivery rules', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('a documented no-retry status (404) ends the job after one attempt; 201 is not a delivery and is retried', async () => {
    for (const [status, attempts] of [
      [404, 1],
      [201, 3],
    ] as const) {
      const receiver = await startReceiver(() => status);
      cleanup.push(receiver.close);
      const mock = await startMock({
        tenantFile: tenantFile({ notify: { retries: 2, retryDelayMs: 5 } }, { notifyUrl: receiver.url }),
      });
      cleanup.push(() => mock.close());
      await postEvents(mock.url, one);
      expect(await eventually(() => mock.counters().notifications.failed === 1)).toBe(true);
      expect(receiver.deliveries).toHaveLength(attempts);
      expect(mock.counters().notifications.delivered).toBe(0);
    }
  });

  it('x-hub-signature is the bare hex HMAC of the raw body, SHA-256 by default and SHA-512 when set', async () => {
    const { createHmac } = await import('node:crypto');
    for (const algorithm of ['sha256', 'sha512'] as const) {
      const receiver = await startReceiver();
      cleanup.push(receiver.close);
      const mock = await startMock({
        tenantFile: tenantFile(
          { notify: algorithm === 'sha256' ? {} : { signature: algorithm } },
          { notifyUrl: receiver.url, notifySecret: 'hook-secret' },
        ),
      });
      cleanup.push(() => mock.close());
      await postEvents(mock.url, one);
      expect(await eventually(() => receiver.deliveries.length === 1)).toBe(true);
      const d = receiver.deliveries[0] as (typeof receiver.deliveries)[number];
      expect(d.headers['x-hub-signature']).toBe(
        createHmac(algorithm, 'hook-secret').update(d.body).digest('hex'),
      );
    }
  });
});

describe('item 3: the control API cannot be driven from a web page', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  const state = JSON.stringify({ state: 'the service has an internal error' });

  it('refuses a text/plain POST, a foreign Origin and a foreign Host (from a source outside the allowlist); the mock keeps answering 1002', async () => {
    const mock = await startMock();
    cleanup.push(() => mock.close());
    const path = '/__evkit/state';
    const attempts = [
      { headers: { 'content-type': 'text/plain' }, status: 415 },
      { headers: {}, status: 415 },
      {
        headers: { 'content-type': 'text/plain', origin: 'http://attacker.example' },
        status: 403,
      },
      { headers: { 'content-type': 'application/json', origin: 'http://attacker.example' }, status: 403 },
      { headers: { 'content-type': 'application/json', host: 'attacker.example' }, status: 403 },
      {
        headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
        status: 403,
      },
    ];
    for (const a of attempts) {
      const answer = await request(mock.url, {
        path,
        headers: a.headers,
        body: state,
        localAddress: '127.0.0.2',
      });
      expect(answer.status).toBe(a.status);
      expect(answer.json).toEqual({ error: expect.any(String), status: a.status });
    }
    expect(codeOf((await postEvents(mock.url, one)).json)).toBe('1002');
    // The mock's own origin and a JSON body still work.
    const { host } = new URL(mock.url);
    const own = await request(mock.url, {
      path,
      headers: { 'content-type': 'application/json', origin: mock.url, host },
      body: state,
    });
    expect(own.status).toBe(200);
    expect(codeOf((await postEvents(mock.url, one)).json)).toBe('7005');
  });
});

describe('item 4: connections are capped', () => {
  it('beyond maxConnections a new connection is closed at once and counted; a freed slot serves again', async () => {
    const mock = await startMock({ maxConnections: 2 });
    const { port } = new URL(mock.url);
    const open = async (): Promise<net.Socket> => {
      const s = net.connect(Number(port), '127.0.0.1');
      await new Promise<void>((resolve, reject) => {
        s.once('connect', resolve);
        s.once('error', reject);
      });
      return s;
    };
    const held = [await open(), await open()];
    try {
      // Each held connection is known to the server once it answers a request on it.
      for (const s of held) {
        const answered = new Promise<void>((resolve) => s.once('data', () => resolve()));
        s.write(`GET /nothing HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`);
        await answered;
      }
      const third = net.connect(Number(port), '127.0.0.1');
      let received = '';
      third.on('data', (d: Buffer) => {
        received += d.toString();
      });
      third.on('error', () => {});
      third.on('connect', () => third.write(`GET /nothing HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`));
      await new Promise<void>((resolve) => third.once('close', () => resolve()));
      expect(received).toBe('');
      expect(await eventually(() => mock.counters().connections.dropped === 1)).toBe(true);
      (held.shift() as net.Socket).destroy();
      // Once the server has seen the close, the freed slot takes a new client.
      expect(
        await eventually(async () => {
          try {
            return (await request(mock.url, { method: 'GET', path: '/nothing' })).status === 404;
          } catch {
            return false;
          }
        }),
      ).toBe(true);
    } finally {
      for (const s of held) s.destroy();
      await mock.close({ drainDeadlineMs: 500 });
    }
  });
});

describe('item 5: 413 reaches a client that sends its whole oversized body first', () => {
  /** Send headers and the whole body before reading; what came back and any socket error (EPIPE, reset). */
  function sendWholeBody(url: string, size: number): Promise<{ answer: string; error: string | undefined }> {
    return new Promise((resolve) => {
      const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
      let answer = '';
      let error: string | undefined;
      socket.on('data', (d: Buffer) => {
        answer += d.toString();
      });
      socket.on('error', (e: NodeJS.ErrnoException) => {
        error = e.code ?? e.message;
      });
      socket.on('close', () => resolve({ answer, error }));
      socket.write(
        `POST ${EVENT_PATH} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nkey: ${DEMO.key}\r\ncontent-length: ${size}\r\n\r\n`,
      );
      socket.write(Buffer.alloc(size, 0x20), () => socket.end());
    });
  }

  it('a raw client writing 4 MB and 10 MB bodies in full sees no EPIPE or reset and reads the 413 JSON; fetch too', async () => {
    const mock = await startMock();
    try {
      for (const size of [4 * 1024 * 1024, 10 * 1024 * 1024]) {
        for (let i = 0; i < 3; i++) {
          const { answer, error } = await sendWholeBody(mock.url, size);
          expect(error).toBeUndefined();
          const parsed = parseRaw(answer);
          expect(parsed.status).toBe(413);
          expect(parsed.json).toEqual({ error: expect.stringContaining('larger than'), status: 413 });
        }
      }
      for (const size of [10 * 1024 * 1024, 1024 * 1024 + 1]) {
        const res = await fetch(`${mock.url}${EVENT_PATH}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', key: DEMO.key },
          body: new Uint8Array(size).fill(0x20),
        });
        expect(res.status).toBe(413);
        expect(await res.json()).toEqual({ error: expect.stringContaining('larger than'), status: 413 });
      }
    } finally {
      await mock.close();
    }
  });
});

describe('item 6: localhost names stay on loopback', () => {
  it('loopbackLookup answers *.localhost with the loopback addresses without a DNS query', async () => {
    const all = await new Promise<unknown>((resolve, reject) =>
      loopbackLookup('hooks.evkit-test.localhost', { all: true }, (error, addresses) =>
        error ? reject(error) : resolve(addresses),
      ),
    );
    expect(all).toEqual([
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
    const v6 = await new Promise<unknown>((resolve, reject) =>
      loopbackLookup('LOCALHOST', { family: 6 }, (error, address) =>
        error ? reject(error) : resolve(address),
      ),
    );
    expect(v6).toBe('::1');
  });

  it('a notification to http://<name>.localhost:<port> reaches the receiver on 127.0.0.1', async () => {
    const receiver = await startReceiver();
    const port = new URL(receiver.url).port;
    const mock = await startMock({ tenantFile: tenantFile({ notify: { retries: 0 } }) });
    try {
      await postEvents(mock.url, { notifyurl: `http://hooks.evkit-test.localhost:${port}/notify`, ...one });
      expect(
        await eventually(() => {
          const n = mock.counters().notifications;
          return n.delivered + n.failed === 1;
        }),
      ).toBe(true);
      expect(mock.counters().notifications).toMatchObject({ delivered: 1, failed: 0 });
      expect(receiver.deliveries).toHaveLength(1);
    } finally {
      await mock.close();
      await receiver.close();
    }
  });
});

describe('item 7: every answer in the documented shape', () => {
  it('an unknown Expect, a request without Host, CONNECT and control-API errors answer {"error","status"}', async () => {
    const mock = await startMock();
    try {
      const body = JSON.stringify(one);
      const cases = [
        {
          bytes: `POST ${EVENT_PATH} HTTP/1.1\r\nhost: x\r\nexpect: 200-ok\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
          status: 417,
        },
        {
          bytes: `POST ${EVENT_PATH} HTTP/1.1\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
          status: 400,
        },
        { bytes: 'CONNECT 127.0.0.1:22 HTTP/1.1\r\nhost: 127.0.0.1:22\r\n\r\n', status: 405 },
      ];
      for (const c of cases) {
        const answer = parseRaw(await rawExchange(mock.url, c.bytes));
        expect(answer.status).toBe(c.status);
        expect(answer.contentType).toBe('application/json');
        expect(answer.json).toEqual({ error: expect.any(String), status: c.status });
      }
      for (const [path, method, status] of [
        ['/nothing', 'POST', 404],
        ['/counters', 'POST', 405],
      ] as const) {
        const answer = await control(mock.url, path, {}, method);
        expect(answer.status).toBe(status);
        expect(answer.json).toEqual({ error: expect.any(String), status });
      }
      const badClock = await control(mock.url, '/clock', { now: 'soon' });
      expect(badClock.json).toEqual({ error: expect.any(String), status: 400 });
    } finally {
      await mock.close();
    }
  });
});

describe('item 8: secrets stay out of logs', () => {
  it('the notification warning hides URL userinfo and query values; --log-requests redacts x-api-key and proxy-authorization', async () => {
    const lines: Record<string, unknown>[] = [];
    const port = await closedPort();
    const mock = await startMock({
      tenantFile: tenantFile({ notify: { retries: 0 } }),
      log: (l) => lines.push(l),
      logRequests: true,
    });
    try {
      await postEvents(
        mock.url,
        { notifyurl: `http://hookuser:hookPa55word@127.0.0.1:${port}/n?token=tok-12345&sig=s1g-678`, ...one },
        {
          key: DEMO.key,
          'content-type': 'application/json',
          'x-api-key': 'apikey-abcdef',
          'proxy-authorization': 'Basic cHJveHk6c2VjcmV0',
        },
      );
      expect(await eventually(() => lines.some((l) => l.msg === 'notification failed'))).toBe(true);
      const text = JSON.stringify(lines);
      for (const secret of [
        'hookuser',
        'hookPa55word',
        'tok-12345',
        's1g-678',
        'apikey-abcdef',
        'cHJveHk6c2VjcmV0',
        DEMO.key,
      ]) {
        expect(text).not.toContain(secret);
      }
      const warning = lines.find((l) => l.msg === 'notification failed');
      expect(warning?.url).toBe(`http://[redacted]@127.0.0.1:${port}/n?token=[redacted]&sig=[redacted]`);
    } finally {
      await mock.close();
    }
  });
});

describe('item 9: the events of one request are bounded', () => {
  it('a 1 MiB request of ~75k events answers 7004 at request level before any event is evaluated and before the rate stage (no rate unit)', async () => {
    const mock = await startMock({ tenantFile: tenantFile({ rateLimit: { tps: 1000, countBy: 'events' } }) });
    try {
      const event = '{"evtid":"4451"}';
      const count = Math.floor((1024 * 1024 - 20) / (event.length + 1));
      const body = `{"events":[${Array(count).fill(event).join(',')}]}`;
      expect(count).toBeGreaterThan(60_000);
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(1024 * 1024);
      const answer = await postEvents(mock.url, body);
      expect((answer.json as { response: Entry }).response).toEqual({
        code: '7004',
        description: invalidParamDescription('events'),
        transid: expect.any(String),
      });
      const counters = mock.counters();
      expect(counters.byCode['7004']).toBe(1);
      expect(counters.byCode['1002']).toBe(0);
      // Refused before the rate stage: the limiter counted nothing for it.
      expect(counters.windows).toEqual([]);
      // At the cap (default 1000) a request is evaluated per event as before.
      const atCap = `{"events":[${Array(1000).fill(event).join(',')}]}`;
      const entries = (await postEvents(mock.url, atCap)).json as { response: Entry[] };
      expect(entries.response).toHaveLength(1000);
      expect(entries.response.every((e) => e.code === '1002' && e.description === DESCRIPTION.queued)).toBe(
        true,
      );
    } finally {
      await mock.close();
    }
  });
});
