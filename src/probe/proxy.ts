import { appendFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EvkitError } from '../errors.ts';
import type { RawRequest } from '../evaluate/index.ts';
import { CONTROL_PREFIX, eventFields, type JournalQuery, parseJournalQuery } from '../mock/index.ts';
import type { TenantFile } from '../schema/index.ts';
import { EVENT_PATHS, HEADER } from '../schema/index.ts';
import { createMockJudge, credentialsValid, type ProxyRecord, proxyRecord } from './recording.ts';
import { guardProbeTarget } from './run.ts';

/** How to start `evkit mock --proxy`. */
export interface ProxyOptions {
  /** The real (or any) Event API base URL; non-loopback needs allowRemote. */
  readonly upstream: string;
  readonly allowRemote: boolean;
  /** Requests per second forwarded at most; above it requests wait their turn. */
  readonly rate: number;
  /** The tenant file whose evaluator the real answers are compared with. */
  readonly tenantFile: TenantFile;
  readonly port?: number;
  readonly host?: string;
  /** Append one NDJSON line per exchange to this file (truncated at start). */
  readonly recordFile?: string;
  /** Records kept in memory (the oldest go first); default 1000. */
  readonly maxRecords?: number;
  /** A request that would wait longer than this for its turn is answered 503, not forwarded; default 10 s. */
  readonly maxWaitMs?: number;
}

/** A running proxy. */
export interface ProxyHandle {
  readonly url: string;
  readonly port: number;
  /** The kept records, oldest first (also at GET /__evkit/proxy/records). */
  records(): readonly ProxyRecord[];
  /** How many requests were forwarded upstream. */
  forwarded(): number;
  close(): Promise<void>;
}

/** The path of the proxy's own record list. */
export const PROXY_RECORDS_PATH = '/__evkit/proxy/records';
/** The mock's journal route: in proxy mode it lists the recorded exchanges, with the journal's query. */
export const PROXY_JOURNAL_PATH = `${CONTROL_PREFIX}/requests`;

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The codes of a real answer's envelope entries (none when it is not an envelope). */
function answerCodes(body: string): string[] {
  const response = (parsedJson(body) as { response?: unknown } | undefined)?.response;
  return (Array.isArray(response) ? response : [response])
    .map((e) => (e as { code?: unknown } | undefined)?.code)
    .filter((c): c is string => typeof c === 'string');
}

/** The records a journal query selects (the real answer's codes; the tenant is the proxy's one upstream). */
export function queryRecords(records: readonly ProxyRecord[], query: JournalQuery): ProxyRecord[] {
  return records.filter(
    (r) =>
      (query.code === undefined || answerCodes(r.real.body).includes(query.code)) &&
      (query.evtid === undefined || eventFields(r.request.body).evtids.includes(query.evtid)) &&
      (query.correlationid === undefined ||
        eventFields(r.request.body).correlationids.includes(query.correlationid)) &&
      (query.sinceMs === undefined || Date.parse(r.at) >= query.sinceMs),
  );
}
/** Headers forwarded upstream: the credentials and the content type, nothing else of the caller's. */
const FORWARDED = [HEADER.key, HEADER.authorization, HEADER.contentType] as const;
const MAX_BODY = 1 << 20;
/** How long the upstream may take to answer before the caller gets 502. */
const UPSTREAM_TIMEOUT_MS = 30_000;

function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const json = (res: http.ServerResponse, status: number, value: unknown): void => {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

/**
 * Start the validating recorder: each event request is forwarded upstream (paced at `rate`), the real answer
 * goes back to the caller unchanged, and is checked against the response schema and catalog and against the
 * mock's own evaluation of the same request; every exchange is recorded with its disagreements.
 */
export async function startProxy(options: ProxyOptions): Promise<ProxyHandle> {
  guardProbeTarget(options.upstream, options.allowRemote, options.rate, 'proxy to');
  const upstream = new URL(options.upstream);
  const interval = 1000 / options.rate;
  const maxWait = options.maxWaitMs ?? 10_000;
  const maxRecords = options.maxRecords ?? 1000;
  const records: ProxyRecord[] = [];
  const judgeOf = createMockJudge(options.tenantFile, { now: Date.now });
  let nextSlot = 0;
  let forwarded = 0;
  if (options.recordFile) writeFileSync(options.recordFile, '');

  const keep = (r: ProxyRecord): void => {
    records.push(r);
    if (records.length > maxRecords) records.shift();
    if (options.recordFile) appendFileSync(options.recordFile, `${JSON.stringify(r)}\n`);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const path = url.pathname;
    if (req.method === 'GET' && path === PROXY_RECORDS_PATH) return json(res, 200, { records });
    if (path === PROXY_JOURNAL_PATH && (req.method === 'GET' || req.method === 'DELETE')) {
      const query = parseJournalQuery(url.searchParams);
      if ('error' in query) return json(res, 400, { error: query.error, status: 400 });
      const selected = queryRecords(records, query);
      if (req.method === 'GET') return json(res, 200, { count: selected.length, requests: selected });
      const kept = records.filter((r) => !selected.includes(r));
      records.splice(0, records.length, ...kept);
      return json(res, 200, { ok: true, cleared: selected.length });
    }
    if (req.method !== 'POST' || !(EVENT_PATHS as readonly string[]).includes(path)) {
      return json(res, 404, { error: `evkit mock --proxy forwards POST ${EVENT_PATHS[0]} only` });
    }
    const body = await readBody(req);
    if (body === undefined) return json(res, 413, { error: `body above ${MAX_BODY} bytes, not forwarded` });
    const now = Date.now();
    const slot = Math.max(now, nextSlot);
    if (slot - now > maxWait) {
      return json(res, 503, { error: `above the proxy's rate cap (${options.rate} req/s): not forwarded` });
    }
    nextSlot = slot + interval;
    await new Promise((r) => setTimeout(r, slot - now));
    const headers: Record<string, string> = {};
    for (const name of FORWARDED) {
      const v = req.headers[name];
      if (typeof v === 'string') headers[name] = v;
    }
    const raw: RawRequest = { headers, body: new Uint8Array(body), sourceIp: req.socket.remoteAddress ?? '' };
    const at = Date.now();
    const target = new URL(path, upstream);
    let real: { status: number; body: string };
    try {
      forwarded += 1;
      const answer = await fetch(target, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
      });
      real = { status: answer.status, body: await answer.text() };
    } catch (cause) {
      const error = new EvkitError('E_NETWORK', `upstream ${upstream.origin} did not answer`, {
        details: { url: upstream.origin },
        cause,
      });
      return json(res, 502, { error: error.message });
    }
    // Recorded before the caller gets its answer, so that a caller reading the records next sees this one.
    const evaluation = await judgeOf(raw);
    keep(
      proxyRecord({
        at,
        headers,
        credentialValid: await credentialsValid(raw, options.tenantFile, at),
        body: body.toString('utf8'),
        real,
        mock: evaluation.envelope,
      }),
    );
    res.writeHead(real.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(real.body),
    });
    res.end(real.body);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: String(error) });
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    records: () => records,
    forwarded: () => forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
