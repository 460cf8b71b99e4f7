import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHarness } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'evkit-harness-'));
let server: http.Server;
let target = '';

function bundle(name: string, code: string): string {
  const file = join(dir, name);
  writeFileSync(file, code);
  return file;
}

const API = `
import http from 'k6/http';
import exec from 'k6/execution';
import { check } from 'k6';
import { Counter, Rate, Trend } from 'k6/metrics';
import { SharedArray } from 'k6/data';
import { hmac } from 'k6/crypto';
import { b64decode, b64encode } from 'k6/encoding';
const rows = new SharedArray('rows', () => JSON.parse(open('./rows.json')));
const seen = new Counter('seen');
const lat = new Trend('lat', true);
const okRate = new Rate('ok_rate');
export const options = {
  scenarios: { s: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '1s', preAllocatedVUs: 2, maxVUs: 20, tags: { team: 'core' } } },
  thresholds: { 'seen{parity:even}': ['count==10'], lat: ['p(95)<5000'], ok_rate: ['rate==1'], checks: ['rate==1'], 'seen{parity:odd}': ['count>10'] },
  summaryTrendStats: ['avg', 'p(95)', 'count'],
};
export function setup() {
  return { mac: hmac('sha256', b64decode('c2VjcmV0'), 'abc', 'base64rawurl'), raw: b64encode('\\u00e4?>', 'rawurl'), url: b64encode('ab', 'url'), env: __ENV.MARK };
}
export default async function (data) {
  const i = exec.scenario.iterationInTest;
  const res = await http.asyncRequest('POST', __ENV.TARGET + '/echo', JSON.stringify({ i }), { headers: { 'content-type': 'application/json' }, responseType: 'text' });
  seen.add(1, { parity: i % 2 === 0 ? 'even' : 'odd', it: String(i) });
  lat.add(res.timings.duration);
  okRate.add(res.status === 200 && data.env === 'm' && rows.length === 2 && Object.isFrozen(rows[0]) && exec.scenario.name === 's');
  check(res, { 'status is 200': (r) => r.status === 200, 'echoes the iteration': (r) => r.json().i === i });
}
export function handleSummary(data) { return { stdout: 'summary text', [__ENV.OUT]: JSON.stringify(data) }; }
`;

beforeAll(async () => {
  writeFileSync(join(dir, 'rows.json'), JSON.stringify([{ a: 1 }, { a: 2 }]));
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(Buffer.concat(chunks).toString() || '{}');
      };
      if (req.url === '/slow') setTimeout(reply, 400);
      else if (req.url === '/hang') return;
      else if (req.url === '/reset') req.socket.destroy();
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('the k6 API harness', () => {
  it('runs a bundle with k6 modules, thresholds on sub-metrics, checks and handleSummary', async () => {
    const out = join(dir, 'summary.json');
    const r = await runHarness({
      bundle: bundle('api.js', API),
      env: { TARGET: target, OUT: out, MARK: 'm' },
    });
    expect(r.errors).toEqual({ count: 0, first: [] });
    expect(r.thresholds.map((t) => [t.metric, t.expression, t.ok])).toEqual([
      ['seen{parity:even}', 'count==10', true],
      ['lat', 'p(95)<5000', true],
      ['ok_rate', 'rate==1', true],
      ['checks', 'rate==1', true],
      ['seen{parity:odd}', 'count>10', false],
    ]);
    expect(r.thresholdsOk).toBe(false);
    const s = r.summary;
    expect(s.metrics.http_reqs?.values.count).toBe(20);
    expect(s.metrics.iterations?.values.count).toBe(20);
    expect(s.metrics['seen{parity:even}']).toMatchObject({
      type: 'counter',
      contains: 'default',
      values: { count: 10 },
    });
    expect(s.metrics.lat).toMatchObject({
      type: 'trend',
      contains: 'time',
      thresholds: { 'p(95)<5000': { ok: true } },
    });
    expect(Object.keys(s.metrics.lat?.values ?? {})).toEqual(['avg', 'p(95)', 'count']);
    expect(s.metrics.ok_rate?.values).toEqual({ rate: 1, passes: 20, fails: 0 });
    expect(s.root_group.checks.map((c) => [c.name, c.passes, c.fails])).toEqual([
      ['status is 200', 20, 0],
      ['echoes the iteration', 20, 0],
    ]);
    expect(s.state.testRunDurationMs).toBeGreaterThanOrEqual(1000);
    expect(r.summaryOutputs.stdout).toBe('summary text');
    expect(JSON.parse(String(r.summaryOutputs[out])).metrics.http_reqs.values.count).toBe(20);
    const mac = createHmac('sha256', 'secret').update('abc').digest('base64url');
    expect(s.setup_data).toEqual({
      mac,
      raw: Buffer.from('\u00e4?>').toString('base64url'),
      url: 'YWI=',
      env: 'm',
    });
    expect(r.planned.reduce((a, b) => a + b, 0)).toBe(20);
  });

  it('drops iterations when no VU is free, and counts them', async () => {
    const code = `
      import http from 'k6/http';
      export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '1s', preAllocatedVUs: 1, maxVUs: 2 } } };
      export default async function () { await http.asyncRequest('GET', __ENV.TARGET + '/slow'); }`;
    const r = await runHarness({ bundle: bundle('dropped.js', code), env: { TARGET: target } });
    const started = r.summary.metrics.http_reqs?.values.count ?? 0;
    expect(r.dropped).toBeGreaterThan(0);
    expect(r.summary.metrics.dropped_iterations?.values.count).toBe(r.dropped);
    expect(started + r.dropped).toBe(20);
    expect(r.summary.metrics.vus_max?.values.max).toBe(2);
  });

  it('splits iterations between execution segments', async () => {
    const seg = async (s: string) => {
      const r = await runHarness({
        bundle: join(dir, 'api.js'),
        env: { TARGET: target, OUT: join(dir, `seg-${s}.json`), MARK: 'm' },
        executionSegment: s,
        executionSegmentSequence: '0,1/2,1',
        series: [{ name: 'it', metrics: ['seen'], groupBy: ['it'] }],
      });
      return Object.keys(r.series.it?.byGroup ?? {}).map(Number);
    };
    const [a, b] = [await seg('0:1/2'), await seg('1/2:1')];
    expect(a).toHaveLength(10);
    expect(b).toHaveLength(10);
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('maps transport failures to k6 error codes, and fills remote_ip, remote_port and headers', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const code = `
      import http from 'k6/http';
      import { check } from 'k6';
      export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 1, timeUnit: '1s', duration: '1s', preAllocatedVUs: 1 } } };
      export default async function () {
        const ok = await http.asyncRequest('POST', __ENV.TARGET + '/echo', '{"a":1}', { headers: { 'content-type': 'application/json' } });
        check(ok, { ok: (r) => r.status === 200 && r.json().a === 1 && r.remote_ip === '127.0.0.1' && r.remote_port === Number(__ENV.PORT) && r.headers['Content-Type'] === 'application/json' && r.error_code === 0 });
        const refused = await http.asyncRequest('GET', __ENV.CLOSED);
        check(refused, { refused: (r) => r.status === 0 && r.error_code === 1212 && r.error !== '' });
        const timedOut = await http.asyncRequest('GET', __ENV.TARGET + '/hang', null, { timeout: '300ms' });
        check(timedOut, { timeout: (r) => r.status === 0 && r.error_code === 1050 && r.timings.duration < 2000 });
        const reset = await http.asyncRequest('GET', __ENV.TARGET + '/reset');
        check(reset, { reset: (r) => r.status === 0 && r.error_code === 1220 });
        const refusedHeader = await http.asyncRequest('GET', __ENV.TARGET + '/echo', null, { headers: { 'keep-alive': 'timeout=5' } });
        check(refusedHeader, { 'hop-by-hop header': (r) => r.status === 0 && r.error_code === 1000 && r.error.includes('keep-alive') });
      }`;
    const r = await runHarness({
      bundle: bundle('transport.js', code),
      env: {
        TARGET: target,
        PORT: new URL(target).port,
        CLOSED: `http://127.0.0.1:${closedPort}/`,
      },
    });
    expect(r.errors).toEqual({ count: 0, first: [] });
    expect(r.summary.root_group.checks.map((c) => [c.name, c.passes, c.fails])).toEqual([
      ['ok', 1, 0],
      ['refused', 1, 0],
      ['timeout', 1, 0],
      ['reset', 1, 0],
      ['hop-by-hop header', 1, 0],
    ]);
    expect(r.summary.metrics.http_req_failed?.values).toMatchObject({ passes: 4, fails: 1 });
  });

  it('records iteration errors: sync http is refused, open() only in init', async () => {
    const code = `
      import http from 'k6/http';
      import exec from 'k6/execution';
      export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 4, timeUnit: '1s', duration: '1s', preAllocatedVUs: 1 } } };
      export default function () { if (exec.scenario.iterationInTest % 2) http.post(__ENV.TARGET); else open('./rows.json'); }`;
    const r = await runHarness({ bundle: bundle('errors.js', code), env: { TARGET: target } });
    expect(r.errors.count).toBe(4);
    expect(r.errors.first.join('\n')).toMatch(/implements only http.asyncRequest/);
    expect(r.errors.first.join('\n')).toMatch(/open\(\) is only available in the init context/);
  });

  it('stops early on an abortOnFail threshold', async () => {
    const code = `
      import { Counter } from 'k6/metrics';
      const c = new Counter('c');
      export const options = {
        scenarios: { s: { executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '20s', preAllocatedVUs: 2 } },
        thresholds: { c: [{ threshold: 'count<10', abortOnFail: true }] },
      };
      export default function () { c.add(1); }`;
    const r = await runHarness({ bundle: bundle('abort.js', code), env: {} });
    expect(r.abortReason).toMatch(/threshold c: count<10/);
    expect(r.summary.metrics.c?.values.count).toBeLessThan(500);
    expect(r.thresholdsOk).toBe(false);
  });

  it('reports an exception in init code as a configuration error', async () => {
    const code = `throw new Error('EVKIT_TARGET is missing'); export default function () {}`;
    await expect(runHarness({ bundle: bundle('init.js', code), env: {} })).rejects.toMatchObject({
      code: 'E_SCRIPT_SETTING',
      message: expect.stringMatching(/failed in init: EVKIT_TARGET is missing/),
    });
  });

  it('writes k6-style --out json points', async () => {
    const points = join(dir, 'points.ndjson');
    await runHarness({
      bundle: join(dir, 'api.js'),
      env: { TARGET: target, OUT: join(dir, 'o.json'), MARK: 'm' },
      outJson: points,
    });
    const lines = readFileSync(points, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.find((l) => l.type === 'Metric' && l.metric === 'seen')).toMatchObject({
      data: { type: 'counter' },
    });
    const p = lines.filter((l) => l.type === 'Point' && l.metric === 'http_reqs');
    expect(p).toHaveLength(20);
    expect(p[0].data.tags).toMatchObject({ scenario: 's', team: 'core', method: 'POST', status: '200' });
  });
});
