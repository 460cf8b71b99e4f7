import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { constantTimeEqual } from '../evaluate/index.ts';
import { BEARER, EVENT_PATH, HEADER } from '../schema/index.ts';
import { CONTROL_PREFIX, HEALTH_PATH, handleControl, healthAnswer } from './control.ts';
import { isLoopbackHost } from './destination.ts';
import type { EngineAnswer, MockEngine } from './engine.ts';
import type { Logger } from './log.ts';

/** HTTP settings of the mock. */
export interface HttpSettings {
  /** Larger event bodies are answered HTTP 413. */
  readonly maxBodyBytes: number;
  /** When set, every control call needs `Authorization: Bearer <adminToken>`. */
  readonly adminToken: string | undefined;
  /** Whether the control API is closed for lack of a token (listening beyond loopback without one). */
  readonly controlLocked: boolean;
  readonly log: Logger;
  /** Set when the server closes: answers then carry `connection: close` so keep-alive clients let go. */
  readonly lifecycle: { closing: boolean };
}

/** The default event body limit: 1 MiB, far above any real request. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/**
 * After a 413 an oversized body up to this size is read and discarded before the connection closes, so a client
 * that sends its whole body before reading sees the answer rather than a reset.
 */
export const MAX_DISCARD_BYTES = 16 * 1024 * 1024;
const CONTROL_MAX_BODY_BYTES = 64 * 1024;
const EVENT_PATH_SLASH = `${EVENT_PATH}/`;
const JSON_TYPE = 'application/json';

/** Send a JSON answer with an exact Content-Length. */
function sendJson(res: ServerResponse, status: number, body: string, extra?: readonly string[]): void {
  const headers = ['content-type', JSON_TYPE, 'content-length', String(Buffer.byteLength(body))];
  if (extra) headers.push(...extra);
  res.writeHead(status, headers);
  res.end(body);
}

/** A clean HTTP error (not an Event API outcome): `{"error": ..., "status": ...}`. */
export function sendHttpError(
  res: ServerResponse,
  status: number,
  error: string,
  extra?: readonly string[],
): void {
  sendJson(res, status, JSON.stringify({ error, status }), extra);
}

/** The bytes of an HTTP error written straight to a socket (for errors before a request exists). */
export function rawHttpError(status: number, reason: string, error: string): string {
  const body = JSON.stringify({ error, status });
  return `HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\ncontent-type: ${JSON_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/**
 * Read a body up to `limit` bytes. Over the limit: answer 413 (see {@link tooLarge}), close the connection, and
 * never call `done`. The usual single-chunk body is handed on without a copy.
 */
function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  done: (body: Buffer) => void,
): void {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    tooLarge(req, res, limit, 0);
    return;
  }
  let first: Buffer | undefined;
  let chunks: Buffer[] | undefined;
  let size = 0;
  let over = false;
  const onData = (chunk: Buffer): void => {
    size += chunk.length;
    if (size > limit) {
      over = true;
      first = undefined;
      chunks = undefined;
      req.off('data', onData);
      tooLarge(req, res, limit, size);
    } else if (first === undefined) first = chunk;
    else if (chunks === undefined) chunks = [first, chunk];
    else chunks.push(chunk);
  };
  req.on('data', onData);
  req.on('end', () => {
    if (over) return;
    done(chunks ? Buffer.concat(chunks, size) : (first ?? Buffer.alloc(0)));
  });
}

/** After a 413, how long the mock keeps discarding a body whose client has gone quiet before it closes. */
export const DISCARD_LINGER_MS = 500;

/**
 * Answer 413 and close. The answer goes out at once, but the connection closes only once the body has been read
 * and dropped: closing a socket with unread data resets it, and a client still sending would see the reset
 * instead of the answer. The discarding ends at the body's end, after {@link MAX_DISCARD_BYTES}, or when the
 * client sends nothing for {@link DISCARD_LINGER_MS}; beyond the byte bound a client may still see a reset.
 */
function tooLarge(req: IncomingMessage, res: ServerResponse, limit: number, alreadyRead: number): void {
  if (res.headersSent) return;
  const body = JSON.stringify({ error: `request body larger than ${limit} bytes`, status: 413 });
  res.writeHead(413, [
    'content-type',
    JSON_TYPE,
    'content-length',
    String(Buffer.byteLength(body)),
    'connection',
    'close',
  ]);
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (req.complete || declared > MAX_DISCARD_BYTES) {
    res.end(body);
    req.resume();
    return;
  }
  // The whole answer now; `end` (and the close it brings) once the body is gone.
  res.write(body);
  let discarded = alreadyRead;
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    clearTimeout(idle);
    req.off('data', onData);
    res.end();
  };
  const idle = setTimeout(end, DISCARD_LINGER_MS);
  idle.unref();
  const onData = (chunk: Buffer): void => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARD_BYTES) end();
    else idle.refresh();
  };
  req.on('data', onData);
  req.once('end', end);
  req.once('close', end);
  req.resume();
}

/** The `host` of a Host header (`127.0.0.1:8080`, `[::1]:80`), or undefined when it is not one. */
function hostnameOf(hostHeader: string): string | undefined {
  try {
    return new URL(`http://${hostHeader}`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * Why a control request looks cross-site, or undefined. Without an admin token only a loopback `Host` is served
 * (a page on another name that resolves to loopback, DNS rebinding, is refused); an `Origin` must be the mock's
 * own; a browser's `Sec-Fetch-Site: cross-site` is refused.
 */
function crossSiteReason(req: IncomingMessage, tokenRequired: boolean): string | undefined {
  const host = req.headers.host;
  if (!tokenRequired) {
    const name = host === undefined ? undefined : hostnameOf(host);
    if (name === undefined || !isLoopbackHost(name)) {
      return `the control API without an admin token answers only to a loopback Host, not ${JSON.stringify(host ?? '')}`;
    }
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (originHost === undefined || host === undefined || originHost.toLowerCase() !== host.toLowerCase()) {
      return `the control API refuses cross-origin calls (Origin ${JSON.stringify(origin)})`;
    }
  }
  if (req.headers['sec-fetch-site'] === 'cross-site') return 'the control API refuses cross-site calls';
  return undefined;
}

/** Whether a request declares a JSON body (`application/json`, any parameters). */
function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const semi = value.indexOf(';');
  return (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase() === JSON_TYPE;
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** Create the request listener: the event path, the control API, and clean 404/405 for everything else. */
export function createRequestListener(engine: MockEngine, settings: HttpSettings): RequestListener {
  const { log } = settings;

  // Answers go out together once per event-loop turn (setImmediate runs right after the poll phase that read
  // the requests): a client waiting on many connections is then woken once per batch instead of once per answer,
  // which on loopback costs more than evaluating the request. The delay is the rest of the current turn.
  let batch: ServerResponse[] = [];
  let batchJson: string[] = [];
  const sendBatch = (): void => {
    const responses = batch;
    const bodies = batchJson;
    batch = [];
    batchJson = [];
    for (let i = 0; i < responses.length; i++) {
      try {
        sendJson(responses[i] as ServerResponse, 200, bodies[i] as string);
      } catch (error) {
        log.error('event answer failed', { error: (error as Error)?.stack ?? String(error) });
      }
    }
  };

  const answerEvent = (req: IncomingMessage, res: ServerResponse, sourceIp: string, body: Buffer): void => {
    const send = (answer: EngineAnswer): void => {
      if (answer.latencyMs > 0) {
        setTimeout(() => sendJson(res, 200, answer.json), answer.latencyMs);
        return;
      }
      if (batch.length === 0) setImmediate(sendBatch);
      batch.push(res);
      batchJson.push(answer.json);
    };
    const fail = (error: unknown): void => {
      log.error('event request failed', { error: (error as Error)?.stack ?? String(error) });
      if (!res.headersSent) sendHttpError(res, 500, 'internal error of the mock (see its log)');
    };
    if (sourceIp === '') {
      // The client reset before the request was read: nobody is left to answer, and judging the request
      // without a source would count a 7010 that no client sent.
      engine.abandoned();
      res.destroy();
      return;
    }
    try {
      const answer = engine.answer(req.headers, body, sourceIp, req.url);
      if (answer instanceof Promise) answer.then(send, fail);
      else send(answer);
    } catch (error) {
      fail(error);
    }
  };

  const event = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'POST') {
      sendHttpError(res, 405, `use POST on ${EVENT_PATH}`, ['allow', 'POST']);
      req.resume();
      return;
    }
    // Empty when the client has already reset: the socket no longer knows its peer.
    const sourceIp = req.socket.remoteAddress ?? '';
    readBody(req, res, settings.maxBodyBytes, (body) => answerEvent(req, res, sourceIp, body));
  };

  const authorized = (req: IncomingMessage): boolean => {
    if (settings.adminToken === undefined) return !settings.controlLocked;
    const auth = req.headers[HEADER.authorization] ?? '';
    const expected = `${BEARER} ${settings.adminToken}`;
    return constantTimeEqual(auth, expected);
  };

  const control = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    const crossSite = crossSiteReason(req, settings.adminToken !== undefined);
    if (crossSite !== undefined) {
      sendHttpError(res, 403, crossSite);
      req.resume();
      return;
    }
    if (!authorized(req)) {
      sendHttpError(
        res,
        settings.controlLocked ? 403 : 401,
        settings.controlLocked
          ? 'the control API is closed: the mock listens beyond loopback without an admin token (set EVKIT_ADMIN_TOKEN)'
          : `the control API needs Authorization: ${BEARER} <admin token>`,
      );
      req.resume();
      return;
    }
    // A browser sends a text/plain or form body cross-site without asking first; a JSON one it cannot.
    if (req.method === 'POST' && !isJsonContentType(req.headers[HEADER.contentType])) {
      sendHttpError(res, 415, `the control API takes Content-Type: ${JSON_TYPE}`);
      req.resume();
      return;
    }
    readBody(req, res, CONTROL_MAX_BODY_BYTES, (raw) => {
      let body: unknown;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          sendHttpError(res, 400, 'the control API takes a JSON body');
          return;
        }
      }
      const url = req.url ?? '';
      const q = url.indexOf('?');
      const query = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
      handleControl(engine, req.method ?? 'GET', path, body, query).then(
        (answer) => sendJson(res, answer.status, JSON.stringify(answer.payload)),
        (error: unknown) => {
          log.error('control request failed', { path, error: (error as Error)?.stack ?? String(error) });
          sendHttpError(res, 500, 'internal error of the mock (see its log)');
        },
      );
    });
  };

  const { lifecycle } = settings;
  return (req, res) => {
    if (lifecycle.closing) res.shouldKeepAlive = false;
    const url = req.url ?? '/';
    // The hot path: the exact event path, without parsing the URL.
    if (url === EVENT_PATH || url === EVENT_PATH_SLASH) {
      event(req, res);
      return;
    }
    const path = pathOf(url);
    if (path === EVENT_PATH || path === EVENT_PATH_SLASH) event(req, res);
    else if (path === HEALTH_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
      // Open without the admin token: a container's health check carries none, and it tells nothing else.
      const answer = healthAnswer(lifecycle.closing);
      sendJson(res, answer.status, JSON.stringify(answer.payload));
      req.resume();
    } else if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) control(req, res, path);
    else {
      sendHttpError(res, 404, `no such path; the Event API is POST ${EVENT_PATH}`);
      req.resume();
    }
  };
}

/** What a parse or timeout error of the HTTP server answers: a clean status and reason, then close. */
const CLIENT_ERRORS: Readonly<Record<string, readonly [number, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
};

/** Handle the server's `clientError`: answer a clean JSON error when the socket is still writable. */
export function onClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'Bad Request'];
  socket.end(rawHttpError(status, reason, `${reason.toLowerCase()} (${error.code ?? 'parse error'})`));
}
