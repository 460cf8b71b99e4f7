import http from 'node:http';
import https from 'node:https';
import { parseDuration } from '../../../../load/lib/duration.ts';
import type { Runtime } from '../runtime.ts';
import { toArrayBuffer } from './bytes.ts';

type Body = string | ArrayBuffer | null | undefined;
interface Params {
  headers?: Record<string, string>;
  tags?: Record<string, string>;
  timeout?: string | number;
  responseType?: 'text' | 'binary' | 'none';
  responseCallback?: StatusCallback;
}
type StatusCallback = ((status: number) => boolean) & { readonly evkitStatuses: true };

/** k6 error codes the harness maps Node errors to (approximate; see docs/load.md). */
const ERROR_CODES = {
  ECONNREFUSED: 1212,
  ECONNRESET: 1220,
  ETIMEDOUT: 1050,
  TIMEOUT: 1050,
  EPIPE: 1220,
} as const;

function canonicalHeader(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

/** A k6-shaped response. */
class Response {
  readonly status: number;
  readonly status_text: string;
  readonly body: string | ArrayBuffer | null;
  readonly error: string;
  readonly error_code: number;
  readonly url: string;
  readonly proto = 'HTTP/1.1';
  readonly remote_ip: string;
  readonly remote_port: number;
  readonly timings: {
    blocked: number;
    connecting: number;
    tls_handshaking: number;
    sending: number;
    waiting: number;
    receiving: number;
    duration: number;
  };
  readonly request: {
    method: string;
    url: string;
    body: string;
    headers: Record<string, string[]>;
    cookies: object;
  };
  readonly cookies = {};
  private readonly rawHeaders: http.IncomingHttpHeaders;
  private headerCache: Record<string, string> | undefined;

  constructor(init: {
    status: number;
    statusText: string;
    body: string | ArrayBuffer | null;
    error: string;
    errorCode: number;
    url: string;
    headers: http.IncomingHttpHeaders;
    timings: Response['timings'];
    method: string;
    requestBody: string;
    requestHeaders: Record<string, string>;
    remoteIp: string;
    remotePort: number;
  }) {
    this.status = init.status;
    this.status_text = init.statusText;
    this.body = init.body;
    this.error = init.error;
    this.error_code = init.errorCode;
    this.url = init.url;
    this.rawHeaders = init.headers;
    this.timings = init.timings;
    this.remote_ip = init.remoteIp;
    this.remote_port = init.remotePort;
    const reqHeaders: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(init.requestHeaders)) reqHeaders[canonicalHeader(k)] = [v];
    this.request = {
      method: init.method,
      url: init.url,
      body: init.requestBody,
      headers: reqHeaders,
      cookies: {},
    };
  }

  /** Response headers with canonical names, as k6 presents them. */
  get headers(): Record<string, string> {
    if (!this.headerCache) {
      this.headerCache = {};
      for (const [k, v] of Object.entries(this.rawHeaders)) {
        if (v !== undefined) this.headerCache[canonicalHeader(k)] = Array.isArray(v) ? v.join(', ') : v;
      }
    }
    return this.headerCache;
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

/** The `k6/http` module over node:http(s) with keep-alive agents. */
export function createHttpModule(rt: Runtime): Record<string, unknown> {
  const agentOptions = { keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, scheduling: 'lifo' as const };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent({
    ...agentOptions,
    rejectUnauthorized: rt.options.insecureSkipTLSVerify !== true,
  });
  rt.stop.signal.addEventListener('abort', () => {
    httpAgent.destroy();
    httpsAgent.destroy();
  });
  let defaultCallback: ((status: number) => boolean) | undefined = (s) => s >= 200 && s < 400;
  const b = rt.builtin;
  const reg = rt.registry;

  function asyncRequest(method: string, url: string, body?: Body, params?: Params | null): Promise<Response> {
    const u = parseUrl(String(url));
    const m = method.toUpperCase();
    const headers: Record<string, string> = { 'user-agent': 'evkit-harness (k6 API)' };
    if (params?.headers) for (const k in params.headers) headers[k] = String(params.headers[k]);
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
    const tags = rt.tags(params?.tags);
    const sentBytes =
      (payload?.length ?? 0) +
      m.length +
      u.pathname.length +
      u.search.length +
      32 +
      Object.keys(headers).length * 24;

    return new Promise<Response>((resolve) => {
      const t0 = performance.now();
      let tConnect = t0;
      let tFirstByte = 0;
      let settled = false;
      const lib = u.protocol === 'https:' ? https : http;
      const req = lib.request({
        protocol: u.protocol,
        hostname: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: m,
        headers,
        // At the end of the test the agents are destroyed, which ends requests still in flight.
        agent: u.protocol === 'https:' ? httpsAgent : httpAgent,
      });

      const finish = (res: Response, receivedBytes: number) => {
        if (settled) return;
        settled = true;
        const now = Date.now();
        const t = res.status === 0 ? { ...tags, error_code: String(res.error_code) } : tags;
        const expected = res.status !== 0 && (callback ? callback(res.status) : true);
        const sampleTags = {
          ...t,
          method: m,
          url: u.href,
          name: params?.tags?.name ?? u.href,
          status: String(res.status),
          expected_response: String(expected),
          proto: 'HTTP/1.1',
        };
        reg.add(b.httpReqs, 1, sampleTags, now);
        reg.add(b.httpReqFailed, expected ? 0 : 1, sampleTags, now);
        reg.add(b.httpReqDuration, res.timings.duration, sampleTags, now);
        reg.add(b.httpReqWaiting, res.timings.waiting, sampleTags, now);
        reg.add(b.httpReqReceiving, res.timings.receiving, sampleTags, now);
        reg.add(b.dataSent, sentBytes, sampleTags, now);
        reg.add(b.dataReceived, receivedBytes, sampleTags, now);
        resolve(res);
      };

      const fail = (error: Error & { code?: string }) => {
        const now = performance.now();
        const code = ERROR_CODES[(error.code ?? '') as keyof typeof ERROR_CODES] ?? 1000;
        finish(
          new Response({
            status: 0,
            statusText: '',
            body: null,
            error: error.message,
            errorCode: code,
            url: u.href,
            headers: {},
            timings: {
              blocked: 0,
              connecting: tConnect - t0,
              tls_handshaking: 0,
              sending: 0,
              waiting: now - tConnect,
              receiving: 0,
              duration: now - tConnect,
            },
            method: m,
            requestBody: typeof body === 'string' ? body : '',
            requestHeaders: headers,
            remoteIp: '',
            remotePort: 0,
          }),
          0,
        );
      };

      req.setTimeout(timeoutMs, () => {
        const e = new Error(`request timeout after ${timeoutMs} ms`) as Error & { code: string };
        e.code = 'TIMEOUT';
        req.destroy(e);
      });
      req.on('socket', (socket) => {
        if (socket.connecting) socket.once('connect', () => (tConnect = performance.now()));
      });
      req.on('error', fail);
      req.on('response', (res) => {
        tFirstByte = performance.now();
        const chunks: Buffer[] = [];
        let received = 0;
        const keep = responseType !== 'none';
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (keep) chunks.push(chunk);
        });
        res.on('error', fail);
        res.on('end', () => {
          const tEnd = performance.now();
          const raw = keep
            ? chunks.length === 1
              ? (chunks[0] as Buffer)
              : Buffer.concat(chunks)
            : undefined;
          const bodyOut =
            raw === undefined ? null : responseType === 'binary' ? toArrayBuffer(raw) : raw.toString('utf8');
          const waiting = tFirstByte - tConnect;
          const receiving = tEnd - tFirstByte;
          const headerBytes = res.rawHeaders.reduce((n, h) => n + h.length + 2, 17);
          finish(
            new Response({
              status: res.statusCode ?? 0,
              statusText: `${res.statusCode} ${res.statusMessage ?? ''}`.trim(),
              body: bodyOut,
              error: '',
              errorCode: 0,
              url: u.href,
              headers: res.headers,
              timings: {
                blocked: 0,
                connecting: tConnect - t0,
                tls_handshaking: 0,
                sending: 0,
                waiting,
                receiving,
                duration: waiting + receiving,
              },
              method: m,
              requestBody: typeof body === 'string' ? body : '',
              requestHeaders: headers,
              remoteIp: res.socket?.remoteAddress ?? '',
              remotePort: res.socket?.remotePort ?? 0,
            }),
            received + headerBytes,
          );
        });
      });
      req.end(payload);
    });
  }

  const expectedStatuses = (...specs: (number | { min: number; max: number })[]): StatusCallback => {
    const fn = (status: number) =>
      specs.some((s) => (typeof s === 'number' ? s === status : status >= s.min && status <= s.max));
    return Object.assign(fn, { evkitStatuses: true as const });
  };

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
