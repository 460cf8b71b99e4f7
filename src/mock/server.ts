import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { EvkitError } from '../errors.ts';
import type { Clock } from '../evaluate/types.ts';
import { defaultTenantFile } from '../schema/default-tenant.ts';
import type { TenantFile } from '../schema/tenant.ts';
import type { MockCounters } from './counters.ts';
import { isLoopbackHost } from './destination.ts';
import { createEngine, type DrainReport } from './engine.ts';
import { createRequestListener, DEFAULT_MAX_BODY_BYTES, onClientError } from './http-handler.ts';
import type { JournalEntry, JournalQuery } from './journal.ts';
import { createLogger, type LogSink } from './log.ts';
import { validateTenantFile } from './tenant-file.ts';
import { resolveTls, type TlsPems } from './tls.ts';

export type { MockCounters } from './counters.ts';
export type { DrainReport } from './engine.ts';
export type { JournalEntry, JournalQuery } from './journal.ts';

/** How to start the mock (MOCK-API.md). */
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
  /** Request journal entries kept per tenant, over the tenant file's `journalSize` (default 1000); 0 = off. */
  journalSize?: number;
}

/** A running mock (MOCK-API.md). */
export interface MockHandle {
  /** Base URL, e.g. 'http://127.0.0.1:43567' (no path). */
  readonly url: string;
  readonly port: number;
  /** Same data as GET /__evkit/counters. */
  counters(): MockCounters;
  /** The request journal, oldest first; same data as GET /__evkit/requests. */
  requests(query?: JournalQuery): JournalEntry[];
  /** Forget the journal of one tenant, or of all (DELETE /__evkit/requests); returns how many entries. */
  clearRequests(tenantId?: string): number;
  /** Stop listening, finish in-flight requests, drain the queue until the deadline (default 10 s). */
  close(options?: { drainDeadlineMs?: number }): Promise<DrainReport>;
}

/** The default drain deadline of `close()`. */
export const DEFAULT_DRAIN_DEADLINE_MS = 10_000;

function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error & { code?: string }): void => {
      reject(
        new EvkitError('E_USAGE', `cannot listen on ${host}:${port}: ${error.message}`, {
          details: { host, port, code: error.code },
          hint:
            error.code === 'EADDRINUSE'
              ? 'choose another --port, or 0 for a free one'
              : 'check --host and --port',
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

/** Wait for the server to close, closing idle keep-alive connections as they finish, until the deadline. */
function closeServer(server: http.Server, deadlineMs: number): Promise<void> {
  return new Promise((resolve) => {
    const poll = setInterval(() => server.closeIdleConnections(), 50);
    const finish = (): void => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(
      () => {
        server.closeAllConnections();
      },
      Math.max(0, deadlineMs - Date.now()),
    );
    server.close(finish);
    server.closeIdleConnections();
  });
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
    headersTimeout: options.headersTimeoutMs ?? 10_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    keepAliveTimeout: 5_000,
    // How often Node checks the two timeouts above; its default (30 s) would let slow clients linger.
    connectionsCheckingInterval: 1_000,
  };
  const pems = await resolveTls(options.tls);
  const server: http.Server = pems
    ? https.createServer({ ...serverOptions, cert: pems.cert, key: pems.key }, listener)
    : http.createServer(serverOptions, listener);
  server.on('clientError', onClientError);
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
  const close = async (deadlineMs: number): Promise<DrainReport> => {
    const deadline = Date.now() + deadlineMs;
    lifecycle.closing = true;
    await closeServer(server, deadline);
    const report = await engine.drain(deadline);
    log.info('mock stopped', { ...report });
    return report;
  };
  return {
    url,
    port,
    counters: () => engine.counters(),
    requests: (query) => engine.requests(query),
    clearRequests: (tenantId) => engine.clearRequests(tenantId),
    close(closeOptions) {
      closing ??= close(closeOptions?.drainDeadlineMs ?? DEFAULT_DRAIN_DEADLINE_MS);
      return closing;
    },
  };
}
