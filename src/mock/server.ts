import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { EvkitError } from '../errors.ts';
import type { Clock } from '../evaluate/index.ts';
import type { TenantFile } from '../schema/index.ts';
import { defaultTenantFile } from '../schema/index.ts';
import { isLoopbackHost } from './destination.ts';
import { createEngine, type DrainReport } from './engine.ts';
import { controlMethods, type MockControl } from './handle.ts';
import {
  createRequestListener,
  DEFAULT_MAX_BODY_BYTES,
  onClientError,
  rawHttpError,
  sendHttpError,
} from './http-handler.ts';
import { createLogger, type LogSink } from './log.ts';
import type { UnfinishedNotification } from './notifier.ts';
import { validateTenantFile } from './tenant-file.ts';
import { resolveTls, type TlsPems } from './tls.ts';

export type { MockCounters } from './counters.ts';
export type { DrainLeft, DrainReport } from './engine.ts';
export type { JournalEntry, JournalQuery } from './journal.ts';
export type { UnfinishedNotification } from './notifier.ts';

/** How to start the mock (docs/mock.md). */
export interface StartMockOptions {
  /** Parsed tenant file (src/schema/tenant.ts); default: defaultTenantFile(). */
  tenantFile?: TenantFile;
  /** 0 (default) = a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** PEM strings; true = self-signed generated at start. */
  tls?: boolean | TlsPems;
  /** Required by the control API when host is not loopback. */
  adminToken?: string;
  /** Structured log sink; default: none. Secrets are redacted before a line reaches it. */
  log?: LogSink;
  /** Log one line per event request (default false: it costs throughput). */
  logRequests?: boolean;
  /** The clock of the rate windows and their counters; default real time (tests inject one). */
  rateClock?: Clock;
  /** Event bodies above this answer HTTP 413; default 1 MiB. */
  maxBodyBytes?: number;
  /** Bodies nested deeper answer 7000; default 32. */
  maxJsonDepth?: number;
  /** Time allowed to receive a request's headers; default 10 s. */
  headersTimeoutMs?: number;
  /** Time allowed to receive a whole request; default 30 s. */
  requestTimeoutMs?: number;
  /** Open connections allowed; beyond, a new connection is closed at once and counted. Default 1024. */
  maxConnections?: number;
  /** Request journal entries kept per tenant, over the tenant file's `journalSize` (default 100); 0 = off. */
  journalSize?: number;
}

/** A running mock: its URL, the control operations as methods, and `close()`. */
export interface MockHandle extends MockControl {
  /** Base URL, e.g. 'http://127.0.0.1:43567' (no path). */
  readonly url: string;
  readonly port: number;
  /**
   * Stop listening, finish in-flight requests, drain the queue until the deadline (default 10 s) or until
   * `signal` aborts; the report counts what was left by state.
   */
  close(options?: CloseOptions): Promise<DrainReport>;
}

/** Options of {@link MockHandle.close}. */
export interface CloseOptions {
  /** Time allowed to drain; default 10 s. */
  drainDeadlineMs?: number;
  /** Aborting it ends the drain at once; the report then says `interrupted: true`. */
  signal?: AbortSignal;
  /** Called once with every notification still pending when the drain ends (`--journal-file`). */
  onUnfinished?: (list: UnfinishedNotification[]) => void;
}

/** The default drain deadline of `close()`. */
export const DEFAULT_DRAIN_DEADLINE_MS = 10_000;
/** The default cap on open connections: well below common file-descriptor limits. */
export const DEFAULT_MAX_CONNECTIONS = 1024;

function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error & { code?: string }): void => {
      reject(
        new EvkitError('E_LISTEN', `cannot listen on ${host}:${port}: ${error.message}`, {
          details: { host, port, code: error.code },
          cause: error,
        }),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** How long a connection's written answers may stay unflushed, with no progress, once the drain began. */
const STUCK_OUTPUT_GRACE_MS = 1_000;

/** The open connections of a server, for the drain to find the ones stuck on output. */
function trackConnections(server: http.Server): Set<Duplex> {
  const open = new Set<Duplex>();
  server.on('connection', (socket: Duplex) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return open;
}

/**
 * Wait for the server to close, closing idle keep-alive connections as they finish, until the deadline or until
 * `signal` aborts (then every connection is closed at once). A connection whose answers stay unflushed with no
 * progress for {@link STUCK_OUTPUT_GRACE_MS} (a client that does not read: the kernel cannot send them, and Node
 * keeps it active) is cut instead of waited for. Resolves with the number of connections cut, at the deadline
 * or abort included.
 */
function closeServer(
  server: http.Server,
  open: Set<Duplex>,
  deadlineMs: number,
  signal: AbortSignal | undefined,
): Promise<number> {
  return new Promise((resolve) => {
    let cut = 0;
    const unflushed = new Map<Duplex, { length: number; since: number }>();
    const cutStuck = (): void => {
      const now = Date.now();
      for (const socket of open) {
        const length = socket.writableLength;
        const seen = unflushed.get(socket);
        if (length === 0) unflushed.delete(socket);
        else if (seen === undefined || seen.length !== length) unflushed.set(socket, { length, since: now });
        else if (now - seen.since >= STUCK_OUTPUT_GRACE_MS) {
          unflushed.delete(socket);
          cut += 1;
          socket.destroy();
        }
      }
    };
    const poll = setInterval(() => {
      server.closeIdleConnections();
      cutStuck();
    }, 50);
    let closedAll = false;
    const closeAll = (): void => {
      // The deadline and an abort may both come; the sockets closed the first time are still in `open`.
      if (!closedAll) cut += open.size;
      closedAll = true;
      server.closeAllConnections();
    };
    const finish = (): void => {
      clearInterval(poll);
      clearTimeout(timer);
      signal?.removeEventListener('abort', closeAll);
      resolve(cut);
    };
    const timer = setTimeout(closeAll, Math.max(0, deadlineMs - Date.now()));
    signal?.addEventListener('abort', closeAll, { once: true });
    server.close(finish);
    server.closeIdleConnections();
    cutStuck();
    if (signal?.aborted) closeAll();
  });
}

/**
 * Answers Node would otherwise give itself, in the documented `{"error","status"}` shape: an unsupported
 * `Expect` (Node: an empty 417), a request without `Host` (Node: an empty 400), `CONNECT` (Node: dropped).
 */
function answerEarlyCases(server: http.Server): void {
  server.on('checkExpectation', (req: http.IncomingMessage, res: http.ServerResponse) => {
    sendHttpError(res, 417, `unsupported Expect: ${String(req.headers.expect)}; only 100-continue is`, [
      'connection',
      'close',
    ]);
    req.resume();
  });
  server.on('connect', (_req: http.IncomingMessage, socket: Duplex) => {
    socket.end(rawHttpError(405, 'Method Not Allowed', 'CONNECT is not supported; the Event API is POST'));
  });
}

/** The request listener behind the Host rule of HTTP/1.1 (Node's own check answers an empty 400). */
function requireHost(listener: http.RequestListener): http.RequestListener {
  return (req, res) => {
    if (req.headers.host === undefined && req.httpVersionMajor === 1 && req.httpVersionMinor >= 1) {
      sendHttpError(res, 400, 'an HTTP/1.1 request needs a Host header', ['connection', 'close']);
      req.resume();
      return;
    }
    listener(req, res);
  };
}

/** Start the mock Event API endpoint. */
export async function startMock(options: StartMockOptions = {}): Promise<MockHandle> {
  const tenantFile = validateTenantFile(options.tenantFile ?? defaultTenantFile(), 'tenantFile option');
  const host = options.host ?? '127.0.0.1';
  const log = createLogger(options.log);
  const engine = createEngine(tenantFile, {
    log,
    logRequests: options.logRequests ?? false,
    ...(options.rateClock ? { rateClock: options.rateClock } : {}),
    ...(options.maxJsonDepth !== undefined ? { maxJsonDepth: options.maxJsonDepth } : {}),
    ...(options.journalSize !== undefined ? { journalSize: options.journalSize } : {}),
  });
  const loopback = isLoopbackHost(host);
  const lifecycle = { closing: false };
  const listener = createRequestListener(engine, {
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    adminToken: options.adminToken,
    controlLocked: !loopback && options.adminToken === undefined,
    log,
    lifecycle,
  });
  const serverOptions: http.ServerOptions = {
    // Checked by `requireHost`, which answers in the documented shape.
    requireHostHeader: false,
    headersTimeout: options.headersTimeoutMs ?? 10_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    keepAliveTimeout: 5_000,
    // How often Node checks the two timeouts above; its default (30 s) would let slow clients linger.
    connectionsCheckingInterval: 1_000,
  };
  const pems = await resolveTls(options.tls);
  const server: http.Server = pems
    ? https.createServer({ ...serverOptions, cert: pems.cert, key: pems.key }, requireHost(listener))
    : http.createServer(serverOptions, requireHost(listener));
  server.on('clientError', onClientError);
  answerEarlyCases(server);
  // Over the cap Node closes a new connection before reading it; the 'drop' event lets it be counted.
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  server.on('drop', () => engine.connectionDropped());
  const open = trackConnections(server);
  await listen(server, options.port ?? 0, host);
  // After start, a server error (say, out of file descriptors) is logged, never thrown at the process.
  server.on('error', (error) => log.error('server error', { error: error.message }));
  const port = (server.address() as AddressInfo).port;
  const url = `${pems ? 'https' : 'http'}://${urlHost(host)}:${port}`;
  log.info('mock listening', {
    url,
    tenants: tenantFile.tenants.map((t) => t.id),
    controlLocked: !loopback && !options.adminToken,
  });

  let closing: Promise<DrainReport> | undefined;
  const close = async (closeOptions: CloseOptions): Promise<DrainReport> => {
    const { signal } = closeOptions;
    const deadline = Date.now() + (closeOptions.drainDeadlineMs ?? DEFAULT_DRAIN_DEADLINE_MS);
    lifecycle.closing = true;
    const connectionsCut = await closeServer(server, open, deadline, signal);
    const report = await engine.drain(deadline, {
      signal,
      onUnfinished: closeOptions.onUnfinished,
      connectionsCut,
    });
    log.info('mock stopped', { ...report });
    return report;
  };
  return {
    url,
    port,
    ...controlMethods(engine),
    close(closeOptions) {
      closing ??= close(closeOptions ?? {});
      return closing;
    },
  };
}
