/**
 * `npm run bench:mock`: the mock endpoint against a bare node:http server answering a fixed 1002 envelope, both
 * on loopback in one child process, measured in the same run from this (separate) process:
 *   1. maximum req/s with wrk (-t1 -c50, a Lua POST script of a valid single-event request);
 *   2. latency at a fixed overall rate of half the bare server's maximum with autocannon's CLI (p50, p99; its
 *      histogram has 1 ms resolution).
 * The mock sends its answers once per event-loop turn (src/mock/http-handler.ts), which the plain baseline does
 * not; a third server, the bare one with the same batching, is measured with wrk too (informational, no goal) so
 * the report shows what the batching gives and what the evaluation costs.
 *   3. memory under a notify receiver that is down: the mock (`evkit mock`, its own process, documented webhook
 *      timing) under wrk for --notify-duration seconds with every event notified, once to a healthy receiver
 *      (another process answering 200) and once to a closed loopback port; its RSS is read at --notify-sample
 *      seconds and at the end of the load. Goal: RSS with the dead receiver <= 1.2x RSS with the healthy one, at
 *      both points (the notification backlog is capped by notify.maxPending).
 * Goals: mock req/s >= 0.7x bare; mock p99 <= 2x bare; the RSS ratios above. Results: a table on stdout,
 * reports/bench-mock.json.
 * Flags: --duration <s> (default 10), --rounds <n> (runs per server and tool, best kept; default 2),
 * --notify-duration <s> (default 60), --notify-sample <s> (default 10), --notify-only (only part 3),
 * --skip-notify (parts 1 and 2 only), --check (exit 1 when a goal is missed). A benchmark, not a test: figures vary
 * with the machine and its load.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnMock } from '../src/mock/child.ts';
import type { MockCounters } from '../src/mock/server.ts';
import { startMock } from '../src/mock/server.ts';
import { CODE, DESCRIPTION, EVENT_PATH } from '../src/schema/catalog.ts';
import { DEFAULT_TENANT_FILE_INPUT } from '../src/schema/default-tenant.ts';
import { tenantFileSchema } from '../src/schema/tenant.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const REQUEST_BODY = JSON.stringify({ events: [{ evtid: '4451', correlationid: 'bench' }] });
const REQUEST_HEADERS = { 'content-type': 'application/json', key: 'evkit-demo-key' };
const GOALS = { throughputRatio: 0.7, p99Ratio: 2, deadReceiverRssRatio: 1.2 } as const;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i === -1 ? undefined : Number(process.argv[i + 1]);
  return v !== undefined && Number.isFinite(v) && v > 0 ? v : fallback;
}

/** The child: a bare server and the mock, on loopback; prints their URLs as one JSON line, stops on SIGTERM. */
async function serve(): Promise<void> {
  const fixed = JSON.stringify({
    response: [
      {
        code: CODE.queued,
        description: DESCRIPTION.queued,
        transid: '9f2b2d79-1684-4ca5-addb-9d6d18fd9a70',
        correlationid: 'bench',
      },
    ],
  });
  const length = String(Buffer.byteLength(fixed));
  // The baseline reads the body too, as any real endpoint must, then answers the fixed envelope.
  const bare = http.createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(200, ['content-type', 'application/json', 'content-length', length]);
      res.end(fixed);
    });
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  // The same baseline, answering once per event-loop turn as the mock does.
  let batch: http.ServerResponse[] = [];
  const sendBatch = () => {
    const responses = batch;
    batch = [];
    for (const res of responses) {
      res.writeHead(200, ['content-type', 'application/json', 'content-length', length]);
      res.end(fixed);
    }
  };
  const batched = http.createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      if (batch.length === 0) setImmediate(sendBatch);
      batch.push(res);
    });
  });
  await new Promise<void>((resolve) => batched.listen(0, '127.0.0.1', resolve));
  const base = DEFAULT_TENANT_FILE_INPUT.tenants[0] as Record<string, unknown>;
  // A limit far above what one core can serve, so no request is rejected: the benchmark measures 1002s.
  const mock = await startMock({
    tenantFile: tenantFileSchema.parse({
      version: 1,
      tenants: [{ ...base, rateLimit: { tps: 1_000_000_000 } }],
    }),
    // BENCH_JOURNAL_SIZE=0 measures the mock without its request journal (default: the tenant's, 1000).
    ...(process.env.BENCH_JOURNAL_SIZE === undefined
      ? {}
      : { journalSize: Number(process.env.BENCH_JOURNAL_SIZE) }),
  });
  process.stdout.write(
    `${JSON.stringify({
      bare: `http://127.0.0.1:${(bare.address() as AddressInfo).port}`,
      batched: `http://127.0.0.1:${(batched.address() as AddressInfo).port}`,
      mock: mock.url,
    })}\n`,
  );
  process.once('SIGTERM', () => {
    for (const server of [bare, batched]) {
      server.closeAllConnections();
      server.close();
    }
    void mock.close({ drainDeadlineMs: 1000 }).then(() => process.exit(0));
  });
}

/** Run this script again in a child process in `mode`; resolves once the child prints its first line. */
function spawnSelf(mode: string): Promise<{ child: ChildProcess; firstLine: string }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve({ child, firstLine: line.trim() });
    });
    child.on('exit', (code) => reject(new Error(`${mode} child exited with ${code}`)));
  });
}

async function startServers(): Promise<{ child: ChildProcess; bare: string; batched: string; mock: string }> {
  const { child, firstLine } = await spawnSelf('--serve');
  return { child, ...(JSON.parse(firstLine) as { bare: string; batched: string; mock: string }) };
}

interface WrkResult {
  requestsPerSecond: number;
  requests: number;
  non2xx: number;
  socketErrors: string | undefined;
}

function wrk(url: string, script: string, seconds: number): WrkResult {
  const out = execFileSync('wrk', ['-t1', '-c50', `-d${seconds}s`, '-s', script, `${url}${EVENT_PATH}`], {
    encoding: 'utf8',
    timeout: (seconds + 30) * 1000,
  });
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? 0);
  return {
    requestsPerSecond: num(/Requests\/sec:\s+([\d.]+)/),
    requests: num(/(\d+) requests in/),
    non2xx: num(/Non-2xx or 3xx responses:\s+(\d+)/),
    socketErrors: /Socket errors:[^\n]*/.exec(out)?.[0],
  };
}

interface LatencyResult {
  rate: number;
  requests: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** autocannon's CLI in its own process (its JSON output), at a fixed overall rate. */
function fixedRate(url: string, rate: number, seconds: number): LatencyResult {
  const args = [
    join(ROOT, 'node_modules', 'autocannon', 'autocannon.js'),
    '--json',
    '-m',
    'POST',
    '-c',
    '20',
  ];
  for (const [k, v] of Object.entries(REQUEST_HEADERS)) args.push('-H', `${k}=${v}`);
  args.push('-b', REQUEST_BODY, '-R', String(rate), '-d', String(seconds), `${url}${EVENT_PATH}`);
  const out = execFileSync(process.execPath, args, {
    encoding: 'utf8',
    timeout: (seconds + 30) * 1000,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const result = JSON.parse(out) as {
    requests: { total: number };
    latency: { p50: number; p99: number };
    errors: number;
    timeouts: number;
    non2xx: number;
  };
  return {
    rate,
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

async function mockCounts(url: string): Promise<Record<string, number>> {
  const res = await fetch(`${url}/__evkit/counters`);
  return ((await res.json()) as { byCode: Record<string, number> }).byCode;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const seconds = flag('duration', 10);
  const rounds = flag('rounds', 2);
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (error) {
    // wrk prints its version and exits 1; only a missing binary throws ENOENT.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write('error [E_TOOL_MISSING]: wrk is not installed (Debian: apt-get install wrk)\n');
      process.exit(2);
    }
  }
  const dir = mkdtempSync(join(os.tmpdir(), 'evkit-bench-mock-'));
  const script = join(dir, 'post.lua');
  writeFileSync(
    script,
    [
      'wrk.method = "POST"',
      `wrk.body = '${REQUEST_BODY}'`,
      ...Object.entries(REQUEST_HEADERS).map(([k, v]) => `wrk.headers["${k}"] = "${v}"`),
      '',
    ].join('\n'),
  );
  const notifyOnly = process.argv.includes('--notify-only');
  const skipNotify = process.argv.includes('--skip-notify');
  const report: Record<string, unknown> = {
    benchmark: 'bench:mock',
    generatedAt: new Date().toISOString(),
    machine: {
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      loadavg: os.loadavg(),
    },
    goals: GOALS,
  };
  let met = true;
  try {
    if (!notifyOnly) {
      const part = await throughputAndLatency(seconds, rounds, script);
      Object.assign(report, part.report);
      met &&= part.met;
    }
    if (!skipNotify) {
      const part = await notifyMemory(script, flag('notify-duration', 60), flag('notify-sample', 10));
      report.notifyMemory = part;
      met &&= part.met;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(join(ROOT, 'reports'), { recursive: true });
  writeFileSync(join(ROOT, 'reports', 'bench-mock.json'), `${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write('bench:mock: wrote reports/bench-mock.json\n');
  if (process.argv.includes('--check') && !met) process.exitCode = 1;
}

/** Parts 1 and 2: maximum req/s (wrk) and latency at a fixed rate (autocannon), bare server against the mock. */
async function throughputAndLatency(
  seconds: number,
  rounds: number,
  script: string,
): Promise<{ report: Record<string, unknown>; met: boolean }> {
  const servers = await startServers();
  try {
    process.stderr.write(
      `bench:mock: bare ${servers.bare}, mock ${servers.mock}; wrk ${rounds} x ${seconds}s each, then autocannon\n`,
    );
    // Warm both up (JIT, sockets) before measuring.
    wrk(servers.bare, script, 2);
    wrk(servers.batched, script, 2);
    wrk(servers.mock, script, 2);
    await fetch(`${servers.mock}/__evkit/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    const bareRuns: WrkResult[] = [];
    const batchedRuns: WrkResult[] = [];
    const mockRuns: WrkResult[] = [];
    for (let r = 0; r < rounds; r++) {
      // Interleaved, so a noisy neighbour hurts all alike.
      bareRuns.push(wrk(servers.bare, script, seconds));
      batchedRuns.push(wrk(servers.batched, script, seconds));
      mockRuns.push(wrk(servers.mock, script, seconds));
      process.stderr.write(
        `  round ${r + 1}: bare ${fmt(bareRuns.at(-1)?.requestsPerSecond ?? 0)} req/s, bare batched ${fmt(batchedRuns.at(-1)?.requestsPerSecond ?? 0)} req/s, mock ${fmt(mockRuns.at(-1)?.requestsPerSecond ?? 0)} req/s\n`,
      );
    }
    const best = (runs: WrkResult[]) =>
      runs.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
    const bareMax = best(bareRuns);
    const mockMax = best(mockRuns);
    const batchedMax = best(batchedRuns);
    const counted = await mockCounts(servers.mock);
    const mockRequests = mockRuns.reduce((n, r) => n + r.requests, 0);
    const rejected = Object.entries(counted).filter(([code, n]) => code !== CODE.queued && n > 0);

    const rate = Math.max(1, Math.round(bareMax.requestsPerSecond / 2));
    process.stderr.write(
      `  autocannon at ${fmt(rate)} req/s (half the bare maximum), ${rounds} x ${seconds}s each\n`,
    );
    const bareLatencies: LatencyResult[] = [];
    const mockLatencies: LatencyResult[] = [];
    for (let r = 0; r < rounds; r++) {
      bareLatencies.push(fixedRate(servers.bare, rate, seconds));
      mockLatencies.push(fixedRate(servers.mock, rate, seconds));
      process.stderr.write(
        `  round ${r + 1}: p99 bare ${bareLatencies.at(-1)?.p99} ms, mock ${mockLatencies.at(-1)?.p99} ms\n`,
      );
    }
    // The least disturbed run of each (lowest p99), as for throughput the best run.
    const calmest = (runs: LatencyResult[]) => runs.reduce((a, b) => (b.p99 < a.p99 ? b : a));
    const bareLatency = calmest(bareLatencies);
    const mockLatency = calmest(mockLatencies);

    const throughputRatio = mockMax.requestsPerSecond / bareMax.requestsPerSecond;
    const p99Ratio = mockLatency.p99 / Math.max(bareLatency.p99, 0.001);
    const batchedRatio = mockMax.requestsPerSecond / batchedMax.requestsPerSecond;
    const met = { throughput: throughputRatio >= GOALS.throughputRatio, p99: p99Ratio <= GOALS.p99Ratio };
    const rows = [
      ['server', 'wrk max req/s', `p50 ms @${fmt(rate)}/s`, `p99 ms @${fmt(rate)}/s`, 'errors'],
      [
        'bare node:http',
        fmt(bareMax.requestsPerSecond),
        fmt(bareLatency.p50, 2),
        fmt(bareLatency.p99, 2),
        String(bareLatency.errors + bareLatency.non2xx + bareMax.non2xx),
      ],
      ['bare, batched answers', fmt(batchedMax.requestsPerSecond), '-', '-', String(batchedMax.non2xx)],
      [
        'evkit mock',
        fmt(mockMax.requestsPerSecond),
        fmt(mockLatency.p50, 2),
        fmt(mockLatency.p99, 2),
        String(mockLatency.errors + mockLatency.non2xx + mockMax.non2xx),
      ],
    ];
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
    for (const row of rows)
      process.stdout.write(`${row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')}\n`);
    process.stdout.write(
      `\nthroughput ratio mock/bare: ${throughputRatio.toFixed(2)} (goal >= ${GOALS.throughputRatio}) ${met.throughput ? 'met' : 'MISSED'}\n` +
        `p99 ratio mock/bare:        ${p99Ratio.toFixed(2)} (goal <= ${GOALS.p99Ratio}) ${met.p99 ? 'met' : 'MISSED'}\n` +
        `throughput ratio mock/bare batched: ${batchedRatio.toFixed(2)} (informational: the cost of evaluating)\n`,
    );
    if (rejected.length > 0)
      process.stdout.write(
        `warning: the mock answered other codes than 1002: ${JSON.stringify(Object.fromEntries(rejected))}\n`,
      );

    const report = {
      request: { path: EVENT_PATH, headers: Object.keys(REQUEST_HEADERS), body: REQUEST_BODY },
      wrk: {
        threads: 1,
        connections: 50,
        seconds,
        rounds,
        bare: bareRuns,
        bareBatched: batchedRuns,
        mock: mockRuns,
        best: {
          bare: bareMax.requestsPerSecond,
          bareBatched: batchedMax.requestsPerSecond,
          mock: mockMax.requestsPerSecond,
        },
      },
      autocannon: {
        connections: 20,
        overallRate: rate,
        seconds,
        rounds,
        bare: bareLatencies,
        mock: mockLatencies,
        best: { bare: bareLatency, mock: mockLatency },
      },
      mockCodes: counted,
      mockRequestsMeasured: mockRequests,
      ratios: { throughput: throughputRatio, p99: p99Ratio, throughputVsBatched: batchedRatio },
      met,
    };
    return { report, met: met.throughput && met.p99 };
  } finally {
    servers.child.removeAllListeners('exit');
    servers.child.kill('SIGTERM');
  }
}

/** A child that answers every POST 200 after reading it: the healthy notify receiver. Prints its URL. */
async function serveReceiver(): Promise<void> {
  const server = http.createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(200, ['content-length', '2']);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}/notify\n`);
  process.once('SIGTERM', () => process.exit(0));
}

async function startReceiverProcess(): Promise<{ child: ChildProcess; url: string }> {
  const { child, firstLine } = await spawnSelf('--serve-receiver');
  return { child, url: firstLine };
}

/** A loopback port nobody listens on: bound, then closed, so connections to it are refused. */
async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/notify`;
}

/** Resident set size of a process in MB, from /proc (Linux). */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** wrk in the background (the event loop stays free to sample RSS), resolving with its parsed output. */
function wrkAsync(url: string, script: string, seconds: number): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t1', '-c50', `-d${seconds}s`, '-s', script, `${url}${EVENT_PATH}`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('close', () => {
      const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? 0);
      resolve({
        requestsPerSecond: num(/Requests\/sec:\s+([\d.]+)/),
        requests: num(/(\d+) requests in/),
        non2xx: num(/Non-2xx or 3xx responses:\s+(\d+)/),
        socketErrors: /Socket errors:[^\n]*/.exec(out)?.[0],
      });
    });
  });
}

interface NotifyRun {
  receiver: 'healthy' | 'dead';
  rssStartMb: number;
  /** RSS after `sampleSeconds` of load, and at the end of the load. */
  rssSampleMb: number;
  rssEndMb: number;
  wrk: WrkResult;
  byCode: Record<string, number>;
  notifications: MockCounters['notifications'];
}

/** One mock process under wrk with every event notified to `notifyUrl`; RSS sampled during the load. */
async function notifyRun(
  receiver: NotifyRun['receiver'],
  notifyUrl: string,
  script: string,
  seconds: number,
  sampleSeconds: number,
): Promise<NotifyRun> {
  const tenantFile = tenantFileSchema.parse({
    version: 1,
    tenants: [
      {
        ...(DEFAULT_TENANT_FILE_INPUT.tenants[0] as Record<string, unknown>),
        rateLimit: { tps: 1_000_000_000 },
        services: [
          {
            ...((DEFAULT_TENANT_FILE_INPUT.tenants[0] as { services: Record<string, unknown>[] })
              .services[0] as Record<string, unknown>),
            notifyUrl,
          },
        ],
        // The documented webhook timing (3 retries 60 s apart, 10 s timeout) and the default backlog cap.
      },
    ],
  });
  const dir = mkdtempSync(join(os.tmpdir(), 'evkit-bench-notify-'));
  const mock = await spawnMock(tenantFile, dir);
  try {
    const pid = mock.child.pid as number;
    const rssStartMb = rssMb(pid);
    const load = wrkAsync(mock.url, script, seconds);
    await new Promise((r) => setTimeout(r, sampleSeconds * 1000));
    const rssSampleMb = rssMb(pid);
    await new Promise((r) => setTimeout(r, Math.max(0, (seconds - sampleSeconds) * 1000 - 500)));
    const rssEndMb = rssMb(pid);
    const wrkResult = await load;
    const counters = (await (await fetch(`${mock.url}/__evkit/counters`)).json()) as MockCounters;
    return {
      receiver,
      rssStartMb,
      rssSampleMb,
      rssEndMb,
      wrk: wrkResult,
      byCode: Object.fromEntries(Object.entries(counters.byCode).filter(([, n]) => n > 0)),
      notifications: counters.notifications,
    };
  } finally {
    mock.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Part 3: the mock's RSS with a dead notify receiver against a healthy one, measured in the same run. */
async function notifyMemory(
  script: string,
  seconds: number,
  sampleSeconds: number,
): Promise<Record<string, unknown> & { met: boolean }> {
  const sample = Math.min(sampleSeconds, seconds);
  process.stderr.write(
    `bench:mock: notify memory, wrk ${seconds}s per receiver (RSS at ${sample}s and at the end)\n`,
  );
  const healthyReceiver = await startReceiverProcess();
  let healthy: NotifyRun;
  try {
    healthy = await notifyRun('healthy', healthyReceiver.url, script, seconds, sample);
  } finally {
    healthyReceiver.child.removeAllListeners('exit');
    healthyReceiver.child.kill('SIGTERM');
  }
  const dead = await notifyRun('dead', await closedPortUrl(), script, seconds, sample);
  const ratios = {
    atSample: dead.rssSampleMb / healthy.rssSampleMb,
    atEnd: dead.rssEndMb / healthy.rssEndMb,
  };
  const met = ratios.atSample <= GOALS.deadReceiverRssRatio && ratios.atEnd <= GOALS.deadReceiverRssRatio;
  const rows = [
    [
      'receiver',
      'RSS start MB',
      `RSS @${sample}s MB`,
      `RSS @${seconds}s MB`,
      'wrk req/s',
      'codes',
      'notifications',
    ],
    ...[healthy, dead].map((r) => [
      r.receiver,
      fmt(r.rssStartMb, 1),
      fmt(r.rssSampleMb, 1),
      fmt(r.rssEndMb, 1),
      fmt(r.wrk.requestsPerSecond),
      JSON.stringify(r.byCode),
      `delivered ${r.notifications.delivered}, pending ${r.notifications.pending}, dropped ${r.notifications.dropped}, 7005 for backlog ${r.notifications.rejectedBacklog}`,
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  process.stdout.write('\n');
  for (const row of rows) process.stdout.write(`${row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')}\n`);
  process.stdout.write(
    `RSS ratio dead/healthy receiver: ${ratios.atSample.toFixed(2)} at ${sample}s, ${ratios.atEnd.toFixed(2)} at ${seconds}s (goal <= ${GOALS.deadReceiverRssRatio}) ${met ? 'met' : 'MISSED'}\n`,
  );
  return { seconds, sampleSeconds: sample, healthy, dead, ratios, met };
}

if (process.argv.includes('--serve')) await serve();
else if (process.argv.includes('--serve-receiver')) await serveReceiver();
else await main();
