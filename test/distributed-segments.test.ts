/**
 * `evkit load --segments`: two harness instances of one script at once against one mock, counted by the mock
 * itself; the merged report adds the instances up; crossed thresholds of the merged run exit 1.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSegments, segmentReportFile } from '../src/distributed/run-segments.ts';
import { buildLoadScripts } from '../src/load/build.ts';
import type { MockCounters } from '../src/mock/counters.ts';
import { type MockHandle, startMock } from '../src/mock/server.ts';
import { type RunReport, runReportSchema } from '../src/report/model.ts';
import { RATE_LIMIT_CODE } from '../src/schema/catalog.ts';
import { defaultTenantFile } from '../src/schema/default-tenant.ts';
import type { TenantFile } from '../src/schema/tenant.ts';
import { ROOT, runEvkit } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'evkit-segments-'));
const RATE = 200;
const DURATION_S = 8;

/** The built-in tenant with room for the whole rate, so every request is answered 1002. */
function roomyTenant(tps: number): TenantFile {
  const file = defaultTenantFile();
  const [first, ...rest] = file.tenants;
  if (!first) throw new Error('the built-in tenant file has no tenant');
  return { ...file, tenants: [{ ...first, rateLimit: { ...first.rateLimit, tps } }, ...rest] };
}

const windowTotal = (w: MockCounters['windows'][number]) => w.queued + w.burst + w.rejected;

beforeAll(async () => {
  await buildLoadScripts({ scripts: ['throughput'] });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('two segments of throughput against the embedded mock', () => {
  it('total the requested rate as the mock counted it, run at the same time, and merge into one report', async () => {
    const reportsDir = join(dir, 'embedded');
    const result = await runSegments({
      script: 'throughput',
      segments: 2,
      rate: RATE,
      duration: `${DURATION_S}s`,
      engine: 'harness',
      tenantFile: roomyTenant(1000),
      reportsDir,
    });
    expect(result.segments.map((s) => s.segment)).toEqual(['0:1/2', '1/2:1']);
    expect(result.exitCode, JSON.stringify(result.report.thresholds)).toBe(0);
    const [a, b] = result.parts;
    if (!a || !b || !result.mockCounters) throw new Error('missing parts or mock counters');

    // Both instances ran at once: their test intervals overlap (one after the other they would not).
    const start = (p: RunReport) => Date.parse(p.startedAt);
    expect(Math.max(start(a), start(b))).toBeLessThan(
      Math.min(start(a) + a.durationMs, start(b) + b.durationMs),
    );
    // Each ran its half.
    expect(a.totals.requests).toBe((RATE * DURATION_S) / 2);
    expect(b.totals.requests).toBe((RATE * DURATION_S) / 2);

    // The mock's one-second windows over the run's whole seconds: the rate it saw per second.
    const t0 = Math.min(start(a), start(b));
    const windows = result.mockCounters.windows;
    const full = windows.filter((w) => w.start >= t0 && w.start < t0 + DURATION_S * 1000);
    expect(full.length).toBe(DURATION_S);
    const perSecond = full.reduce((n, w) => n + windowTotal(w), 0) / DURATION_S;
    expect(Math.abs(perSecond / RATE - 1), `mock counted ${perSecond} req/s`).toBeLessThanOrEqual(0.03);
    // Everything sent was counted by the mock, and nothing else.
    const counted = windows.reduce((n, w) => n + windowTotal(w), 0);
    expect(counted).toBe(result.report.totals.requests);

    // The merged report adds the parts up.
    const merged = result.report;
    expect(merged.totals.requests).toBe(a.totals.requests + b.totals.requests);
    expect(merged.totals.byCode['1002']).toBe(
      (a.totals.byCode['1002'] ?? 0) + (b.totals.byCode['1002'] ?? 0),
    );
    expect(merged.totals.dropped).toBe(a.totals.dropped + b.totals.dropped);
    expect(merged.series?.sent.reduce((n, v) => n + v, 0)).toBe(merged.totals.requests);
    expect(merged.series?.targetRate.slice(0, DURATION_S)).toEqual(
      Array.from({ length: DURATION_S }, () => RATE),
    );
    expect(merged.latency?.overall.count).toBe(
      (a.latency?.overall.count ?? 0) + (b.latency?.overall.count ?? 0),
    );
    expect(merged.config.segments).toEqual(['0:1/2', '1/2:1']);
    expect(merged.config.embeddedMock).toBe(true);

    // One run folder: the merged report, the shared corpus, each instance's own summary.
    if (!result.runDir) throw new Error('no run folder');
    expect(readdirSync(result.runDir).sort()).toEqual(
      [
        'corpus.json',
        'junit.xml',
        'report.html',
        segmentReportFile(0),
        segmentReportFile(1),
        'summary.json',
      ].sort(),
    );
    const summary = runReportSchema.parse(
      JSON.parse(readFileSync(join(result.runDir, 'summary.json'), 'utf8')),
    );
    expect(summary.totals).toEqual(merged.totals);
    const part2 = runReportSchema.parse(
      JSON.parse(readFileSync(join(result.runDir, segmentReportFile(1)), 'utf8')),
    );
    expect(part2.totals).toEqual(b.totals);
  }, 60_000);
});

describe('evkit load --segments 2 against a mock over HTTP', () => {
  let mock: MockHandle;
  beforeAll(async () => {
    mock = await startMock(); // the built-in tenant: TPS 100, burst off, limit 100 req/s
  });
  afterAll(async () => {
    await mock.close({ drainDeadlineMs: 500 });
  });

  it('exits 1 when the merged thresholds fail, and its totals are what the mock counted', async () => {
    const reportsDir = join(dir, 'cli');
    const run = await runEvkit(
      [
        'load',
        'throughput',
        '--segments',
        '2',
        '--target',
        mock.url,
        '--rate',
        '300',
        '--duration',
        '3s',
        '--engine',
        'harness',
        '--reports-dir',
        reportsDir,
      ],
      { env: { EVKIT_KEY: 'evkit-demo-key' }, timeoutMs: 60_000 },
    );
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/^\[harness\] \d+s\/3s \d+ req\/s sent=\d+ .*\(2 instances\)$/m);
    expect(run.stderr).toContain('[segment 2/2 1/2:1] engine: harness');
    expect(run.stderr).toMatch(
      /^FAILED evkit_rate_limited: rate<0\.01: segment 1: FAILED .*; segment 2: FAILED /m,
    );
    const runDir = /^failed: (.+)$/m.exec(run.stderr)?.[1];
    if (!runDir) throw new Error(`no run folder in:\n${run.stderr}`);
    const report = runReportSchema.parse(JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')));
    expect(report.ok).toBe(false);
    expect(report.title).toContain('2 segments merged');
    expect(report.thresholds.find((t) => t.name === 'evkit_rate_limited: rate<0.01')?.detail).toMatch(
      /^segment 1: FAILED .*; segment 2: FAILED /,
    );

    const counters = (await (await fetch(`${mock.url}/__evkit/counters`)).json()) as MockCounters;
    const counted = counters.windows.reduce((n, w) => n + windowTotal(w), 0);
    expect(counted).toBe(report.totals.requests);
    expect(counters.windows.reduce((n, w) => n + w.rejected, 0)).toBe(report.totals.byCode[RATE_LIMIT_CODE]);
  }, 60_000);

  it('refuses --segments with an explicit execution segment, and a fractional count (exit 2)', async () => {
    const both = await runEvkit(['load', 'throughput', '--segments', '2', '--execution-segment', '0:1/2']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--segments sets each instance');
    const half = await runEvkit(['load', 'throughput', '--segments', '1.5']);
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('--segments must be a whole number');
  });
});

describe('evkit load --segments 2 with the k6 engine (a stand-in k6 binary on PATH)', () => {
  it('runs one k6 process per segment, with its segment flags, and merges them', async () => {
    const bin = join(dir, 'evkit-fake-k6');
    mkdirSync(bin, { recursive: true });
    const k6 = join(bin, 'k6');
    writeFileSync(k6, `#!/bin/sh\nexec "${process.execPath}" "${ROOT}test/fixtures/fake-k6.ts" "$@"\n`);
    chmodSync(k6, 0o755);
    const run = await runEvkit(
      ['load', 'throughput', '--segments', '2', '--rate', '30', '--duration', '2s'],
      {
        env: { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, EVKIT_REPORTS_DIR: join(dir, 'k6') },
        timeoutMs: 60_000,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/\[segment 1\/2 0:1\/2\] engine: k6/);
    const runDir = /^passed: (.+)$/m.exec(run.stderr)?.[1];
    if (!runDir) throw new Error(`no run folder in:\n${run.stderr}`);
    const report = runReportSchema.parse(JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')));
    expect(report.engine).toBe('k6');
    expect(report.totals.requests).toBe(60);
    for (const i of [0, 1]) {
      const part = runReportSchema.parse(
        JSON.parse(readFileSync(join(runDir, segmentReportFile(i)), 'utf8')),
      );
      expect(part.totals.requests).toBe(30);
      expect(part.config.executionSegment).toBe(i === 0 ? '0:1/2' : '1/2:1');
    }
  }, 60_000);
});
