import http from 'node:http';
import { isIP } from 'node:net';
import { type Dispatcher, Pool } from 'undici';
import { parseDuration } from '../../../load/lib/index.ts';
import { loopbackLookup } from '../../mock/index.ts';
import type { Runtime } from '../runtime.ts';
import { toArrayBuffer } from './bytes.ts';

type Body = string | ArrayBuffer | null | undefined;
interface Params {
  headers?: Record<string, string>;
  tags?: Record<string, string>;
  timeout?: string | number;
  responseType?: 'text' | 'binary' | 'none';
  responseCallback?: (status: number) => boolean;
}
type Timings = {
  blocked: number;
  connecting: number;
  tls_handshaking: number;
  sending: number;
  waiting: number;
  receiving: number;
  duration: number;
};

/** What a response keeps to build its headers and request echo on demand. */
interface RawExchange {
  headers: Readonly<Record<string, string | string[] | undefined>>;
  method: string;
  body: string;
  reqHeaders: Record<string, string>;
}

/** k6 error codes the harness maps Node errors to (approximate; see docs/load.md). */
const ERROR_CODES = {
  ECONNREFUSED: 1212,
  ECONNRESET: 1220,
  UND_ERR_SOCKET: 1220,
  UND_ERR_CLOSED: 1220,
  UND_ERR_CONNECT_TIMEOUT: 1050,
  TIMEOUT: 1050,
  ETIMEDOUT: 1050,
  EPIPE: 1220,
} as const;

function canonicalHeader(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

function canonicalHeaders(
  raw: Readonly<Record<string, string | string[] | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in raw) {
    const v = raw[k];
    if (v !== undefined) out[canonicalHeader(k)] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** A k6-shaped response; headers and the request echo are built only when read. */
class Response {
  readonly proto = 'HTTP/1.1';
  readonly cookies = {};
  readonly tls_version = '';
  readonly status: number;
  readonly body: string | ArrayBuffer | null;
  readonly error: string;
  readonly error_code: number;
  readonly url: string;
  readonly timings: Timings;
  readonly remote_ip: string;
  readonly remote_port: number;
  private readonly raw: RawExchange;

  constructor(init: {
    status: number;
    body: string | ArrayBuffer | null;
    error: string;
    errorCode: number;
    url: string;
    timings: Timings;
    remoteIp: string;
    remotePort: number;
    raw: RawExchange;
  }) {
    this.status = init.status;
    this.body = init.body;
    this.error = init.error;
    this.error_code = init.errorCode;
    this.url = init.url;
    this.timings = init.timings;
    this.remote_ip = init.remoteIp;
    this.remote_port = init.remotePort;
    this.raw = init.raw;
  }

  get status_text(): string {
    return this.status === 0 ? '' : `${this.status} ${http.STATUS_CODES[this.status] ?? ''}`.trim();
  }

  get headers(): Record<string, string> {
    return canonicalHeaders(this.raw.headers);
  }

  get request(): {
    method: string;
    url: string;
    body: string;
    headers: Record<string, string[]>;
    cookies: object;
  } {
    const headers: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(canonicalHeaders(this.raw.reqHeaders))) headers[k] = [v];
    return { method: this.raw.method, url: this.url, body: this.raw.body, headers, cookies: {} };
  }

  json(selector?: string): unknown {
    if (selector !== undefined) throw new Error('the harness does not implement json(selector)');
    if (typeof this.body !== 'string')
      throw new Error('the response body is not text (set responseType: "text")');
    return JSON.parse(this.body);
  }

  html(): never {
    throw new Error('the harness does not implement Response.html()');
  }
}

const urlCache = new Map<string, URL>();
function parseUrl(url: string): URL {
  let u = urlCache.get(url);
  if (!u) {
    u = new URL(url);
    if (urlCache.size > 1000) urlCache.clear();
    urlCache.set(url, u);
  }
  return u;
}

function syncUnsupported(name: string): never {
  throw new Error(
    `http.${name}() blocks its VU; the harness runs every VU in one event loop and implements only http.asyncRequest (await it in an async default function)`,
  );
}

/** One connection pool per origin, and the address its connections reach (k6's `remote_ip`). */
interface Origin {
  readonly pool: Pool;
  remoteIp: string;
  readonly remotePort: number;
}

/**
 * The `k6/http` module over undici connection pools (keep-alive, one request per connection at a time, as
 * HTTP/1.1 clients do). undici's dispatcher costs about half of node:http's client per request, which is most of
 * what the harness spends on a request.
 */
export function createHttpModule(rt: Runtime): Record<string, unknown> {
  // Every connection made is kept: after a stall, a burst of iterations must not pay for new handshakes again,
  // and no cap queues requests inside the pool. Timeouts are the harness's own (one sweep below).
  const origins = new Map<string, Origin>();
  const originOf = (u: URL): Origin => {
    let o = origins.get(u.origin);
    if (o === undefined) {
      const pool = new Pool(u.origin, {
        connections: null,
        pipelining: 1,
        headersTimeout: 0,
        bodyTimeout: 0,
        // `localhost` and `*.localhost` connect to loopback without asking a DNS resolver (RFC 6761).
        connect: {
          lookup: loopbackLookup,
          ...(u.protocol === 'https:'
            ? { rejectUnauthorized: rt.options.insecureSkipTLSVerify !== true }
            : {}),
        },
      });
      const host = u.hostname.replace(/^\[|\]$/g, '');
      const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
      const origin: Origin = { pool, remoteIp: isIP(host) ? host : '', remotePort: port };
      if (origin.remoteIp === '')
        loopbackLookup(host, {}, (error, address) => {
          if (!error && typeof address === 'string') origin.remoteIp = address;
        });
      origins.set(u.origin, origin);
      o = origin;
    }
    return o;
  };
  // One sweep enforces every request's timeout: cheaper than a timer per request.
  const inflight = new Set<{ deadline: number; timeoutMs: number; expire: (error: Error) => void }>();
  const sweep = setInterval(() => {
    const now = performance.now();
    for (const f of inflight) {
      if (f.deadline <= now) {
        inflight.delete(f);
        f.expire(Object.assign(new Error(`request timeout after ${f.timeoutMs} ms`), { code: 'TIMEOUT' }));
      }
    }
  }, 100);
  sweep.unref();
  rt.stop.signal.addEventListener('abort', () => {
    clearInterval(sweep);
    // Destroying the pools ends requests still in flight at the end of the test.
    for (const o of origins.values()) void o.pool.destroy().catch(() => {});
  });
  let defaultCallback: ((status: number) => boolean) | undefined = (s) => s >= 200 && s < 400;
  const b = rt.builtin;
  const reg = rt.registry;

  function asyncRequest(method: string, url: string, body?: Body, params?: Params | null): Promise<Response> {
    const u = parseUrl(String(url));
    const m = method.toUpperCase();
    const headers: Record<string, string> = { 'user-agent': 'evkit-harness (k6 API)' };
    const given = params?.headers;
    if (given) for (const k in given) headers[k] = String(given[k]);
    let payload: Buffer | undefined;
    if (typeof body === 'string') payload = Buffer.from(body);
    else if (body instanceof ArrayBuffer) payload = Buffer.from(body);
    else if (body !== null && body !== undefined)
      throw new Error('the harness sends string or ArrayBuffer bodies only');
    if (payload) headers['content-length'] = String(payload.length);
    // k6 reads a numeric timeout as milliseconds and a string as a duration.
    const timeout = params?.timeout;
    const timeoutMs =
      timeout === undefined ? 60_000 : typeof timeout === 'number' ? timeout : parseDuration(timeout);
    const responseType =
      params?.responseType ?? (rt.options.discardResponseBodies === true ? 'none' : 'text');
    const callback = params?.responseCallback ?? defaultCallback;
    const userTags = params?.tags;
    const scenarioTags = rt.context()?.scenario.tags ?? rt.globalTags;
    const requestBody = typeof body === 'string' ? body : '';
    const sentBytes =
      (payload?.length ?? 0) +
      m.length +
      u.pathname.length +
      u.search.length +
      40 +
      24 * Object.keys(headers).length;

    return new Promise<Response>((resolve) => {
      const t0 = performance.now();
      const origin = originOf(u);
      let settled = false;
      let controller: Dispatcher.DispatchController | undefined;
      let expired: Error | undefined;
      const flight = {
        deadline: t0 + timeoutMs,
        timeoutMs,
        expire: (error: Error) => {
          expired = error;
          // Not started yet: it is aborted when it starts; the answer is given now.
          controller?.abort(error);
          fail(error);
        },
      };
      inflight.add(flight);

      const finish = (res: Response, receivedBytes: number) => {
        if (settled) return;
        settled = true;
        inflight.delete(flight);
        const now = Date.now();
        const expected = res.status !== 0 && (callback ? callback(res.status) : true);
        const tags: Record<string, string> = {
          ...scenarioTags,
          ...userTags,
          method: m,
          url: u.href,
          name: userTags?.name ?? u.href,
          status: String(res.status),
          expected_response: expected ? 'true' : 'false',
          proto: 'HTTP/1.1',
        };
        if (res.status === 0) tags.error_code = String(res.error_code);
        reg.add(b.httpReqs, 1, tags, now);
        reg.add(b.httpReqFailed, expected ? 0 : 1, tags, now);
        reg.add(b.httpReqDuration, res.timings.duration, tags, now);
        reg.add(b.httpReqWaiting, res.timings.waiting, tags, now);
        reg.add(b.httpReqReceiving, res.timings.receiving, tags, now);
        reg.add(b.dataSent, sentBytes, tags, now);
        reg.add(b.dataReceived, receivedBytes, tags, now);
        resolve(res);
      };
      const raw: RawExchange = { headers: {}, method: m, body: requestBody, reqHeaders: headers };

      const fail = (error: Error & { code?: string }) => {
        if (settled) return;
        const duration = performance.now() - t0;
        const code = ERROR_CODES[(error.code ?? '') as keyof typeof ERROR_CODES] ?? 1000;
        const timings = {
          blocked: 0,
          connecting: 0,
          tls_handshaking: 0,
          sending: 0,
          waiting: duration,
          receiving: 0,
          duration,
        };
        finish(
          new Response({
            status: 0,
            body: null,
            error: error.message,
            errorCode: code,
            url: u.href,
            timings,
            remoteIp: '',
            remotePort: 0,
            raw,
          }),
          0,
        );
      };

      let tFirstByte = 0;
      let status = 0;
      let responseHeaders: RawExchange['headers'] = {};
      let received = 0;
      const chunks: Buffer[] = [];
      const keep = responseType !== 'none';
      origin.pool.dispatch(
        {
          origin: u.origin,
          path: u.pathname + u.search,
          method: m as Dispatcher.HttpMethod,
          headers,
          body: payload ?? null,
        },
        {
          onRequestStart(c) {
            controller = c;
            if (expired) c.abort(expired);
          },
          onResponseStart(_c, statusCode, h) {
            tFirstByte = performance.now();
            status = statusCode;
            responseHeaders = h;
          },
          onResponseData(_c, chunk) {
            received += chunk.length;
            if (keep) chunks.push(chunk);
          },
          onResponseEnd() {
            const tEnd = performance.now();
            const whole = keep
              ? chunks.length === 1
                ? (chunks[0] as Buffer)
                : Buffer.concat(chunks)
              : undefined;
            const out =
              whole === undefined
                ? null
                : responseType === 'binary'
                  ? toArrayBuffer(whole)
                  : whole.toString('utf8');
            // Connection set-up is not measured separately: waiting includes it on a new connection.
            const waiting = tFirstByte - t0;
            const receiving = tEnd - tFirstByte;
            const timings = {
              blocked: 0,
              connecting: 0,
              tls_handshaking: 0,
              sending: 0,
              waiting,
              receiving,
              duration: waiting + receiving,
            };
            let headerBytes = 17;
            for (const k in responseHeaders) {
              const v = responseHeaders[k];
              if (v !== undefined)
                headerBytes += k.length + 4 + (Array.isArray(v) ? v.join(', ').length : v.length);
            }
            finish(
              new Response({
                status,
                body: out,
                error: '',
                errorCode: 0,
                url: u.href,
                timings,
                remoteIp: origin.remoteIp,
                remotePort: origin.remotePort,
                raw: { ...raw, headers: responseHeaders },
              }),
              received + headerBytes,
            );
          },
          onResponseError(_c, error) {
            fail(error);
          },
        },
      );
    });
  }

  const expectedStatuses =
    (...specs: (number | { min: number; max: number })[]) =>
    (status: number) =>
      specs.some((s) => (typeof s === 'number' ? s === status : status >= s.min && status <= s.max));

  return {
    asyncRequest,
    expectedStatuses,
    setResponseCallback(cb: ((status: number) => boolean) | null) {
      defaultCallback = cb ?? undefined;
    },
    request: () => syncUnsupported('request'),
    get: () => syncUnsupported('get'),
    post: () => syncUnsupported('post'),
    put: () => syncUnsupported('put'),
    patch: () => syncUnsupported('patch'),
    del: () => syncUnsupported('del'),
    head: () => syncUnsupported('head'),
    options: () => syncUnsupported('options'),
    batch: () => syncUnsupported('batch'),
  };
}
