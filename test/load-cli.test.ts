/** `evkit load` through the CLI: refusals (exit 2), the embedded mock with JWTs, and the k6 engine path. */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLoadScripts } from '../src/load/build.ts';
import { startMock } from '../src/mock/server.ts';
import type { RunReport } from '../src/report/model.ts';
import { ROOT, runEvkit } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'evkit-load-cli-'));
const reports = join(dir, 'reports');
const noK6Path = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((d) => !d.includes('evkit-fake-k6'))
  .join(delimiter);

function runDir(stderr: string): string {
  const found = /(?:passed|failed): (.+)$/m.exec(stderr)?.[1];
  if (!found) throw new Error(`no run folder in:\n${stderr}`);
  return found;
}
const report = (stderr: string) =>
  JSON.parse(readFileSync(join(runDir(stderr), 'summary.json'), 'utf8')) as RunReport;

beforeAll(async () => {
  await buildLoadScripts();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('evkit load refuses', () => {
  const load = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runEvkit(['load', ...args, '--reports-dir', reports], { env: { PATH: noK6Path, ...env } });

  it('a target outside loopback without --allow-remote and --max-rate (exit 2, nothing sent)', async () => {
    const r = await load(['throughput', '--target', 'http://192.0.2.10:8080', '--engine', 'harness']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[E_REMOTE_TARGET]');
    const allowed = await load([
      'throughput',
      '--target',
      'http://192.0.2.10:8080',
      '--engine',
      'harness',
      '--allow-remote',
    ]);
    expect(allowed.code).toBe(2);
    expect(allowed.stderr).toContain('[E_REMOTE_TARGET]');
  });

  it('a plan above --max-rate (exit 2)', async () => {
    const r = await load([
      'rate-limit',
      '--target',
      'http://192.0.2.10',
      '--allow-remote',
      '--max-rate',
      '100',
      '--expected-tps',
      '200',
      '--engine',
      'harness',
    ]);
    expect(r.code).toBe(2);
    // 2 × TPS 200 (burst mode is off unless the target is said to have it).
    expect(r.stderr).toMatch(/plans up to 400 req\/s, above --max-rate 100/);
  });

  it('an unknown script, a bad engine, or --engine k6 without k6 (exit 2)', async () => {
    expect((await load(['nope', '--engine', 'harness'])).code).toBe(2);
    expect((await load(['throughput', '--engine', 'jmeter'])).stderr).toContain('--engine must be');
    const k6 = await load(['throughput', '--engine', 'k6']);
    expect(k6.code).toBe(2);
    expect(k6.stderr).toContain('k6 is not on PATH');
  });
});

describe('evkit load against the embedded mock', () => {
  it('soak signs JWTs with k6/crypto that the mock accepts (re-signed every second here)', async () => {
    const r = await runEvkit(['load', 'soak', '--rate', '20', '--duration', '3s', '--reports-dir', reports], {
      env: {
        PATH: noK6Path,
        EVKIT_JWT_SECRET: 'ZXZraXQtZGVtby1qd3Qtc2VjcmV0LTAxMjM0NTY3ODk=',
        EVKIT_SERVICE_ID: 'svc-demo',
        EVKIT_JWT_REFRESH_S: '1',
      },
    });
    expect(r.stderr).toContain('target: the embedded mock endpoint');
    expect(r.stderr).toContain('engine: harness (k6 is not on PATH)');
    expect(r.code, r.stderr).toBe(0);
    const rep = report(r.stderr);
    expect(rep.totals.byCode).toEqual({ '1002': 60 });
    expect(rep.config.signIn).toBe('jwt');
    expect(JSON.stringify(rep)).not.toContain('ZXZraXQtZGVtby1qd3Qtc2VjcmV0');
  });
});

describe('evkit load --target <name>.localhost', () => {
  it('reaches a mock on loopback through the name itself, no DNS resolver asked (RFC 6761)', async () => {
    const mock = await startMock();
    try {
      const port = new URL(mock.url).port;
      const r = await runEvkit(
        [
          'load',
          'throughput',
          '--target',
          `http://evkit-check.localhost:${port}`,
          '--duration',
          '1s',
          '--engine',
          'harness',
          '--reports-dir',
          reports,
        ],
        { env: { PATH: noK6Path, EVKIT_KEY: 'evkit-demo-key' } },
      );
      expect(r.stderr).not.toMatch(/ENOTFOUND|EAI_AGAIN/);
      expect(r.code).toBe(0);
      expect(mock.counters().byCode['1002']).toBeGreaterThan(0);
    } finally {
      await mock.close({ drainDeadlineMs: 500 });
    }
  });
});

describe('the k6 engine (a stand-in k6 binary on PATH)', () => {
  let pathWithK6 = '';
  beforeAll(() => {
    const bin = join(dir, 'evkit-fake-k6');
    mkdirSync(bin, { recursive: true });
    const k6 = join(bin, 'k6');
    writeFileSync(k6, `#!/bin/sh\nexec "${process.execPath}" "${ROOT}test/fixtures/fake-k6.ts" "$@"\n`);
    chmodSync(k6, 0o755);
    pathWithK6 = `${bin}${delimiter}${process.env.PATH ?? ''}`;
  });

  it('is chosen when k6 is on PATH; its NDJSON points and summary make the same report', async () => {
    const r = await runEvkit(
      ['load', 'throughput', '--rate', '30', '--duration', '2s', '--reports-dir', reports],
      {
        env: { PATH: pathWithK6 },
      },
    );
    expect(r.stderr).toMatch(/engine: k6 \(k6 found at .*evkit-fake-k6/);
    expect(r.code, r.stderr).toBe(0);
    const rep = report(r.stderr);
    expect(rep.engine).toBe('k6');
    expect(rep.totals.requests).toBe(60);
    expect(rep.totals.byCode).toEqual({ '1002': 60 });
    expect(rep.series?.targetRate.reduce((a, b) => a + b, 0)).toBe(60);
    expect(rep.thresholds.length).toBeGreaterThan(3);
    expect(rep.thresholds.every((t) => t.ok && t.detail.startsWith('observed'))).toBe(true);
    expect(readFileSync(join(runDir(r.stderr), 'k6-points.ndjson'), 'utf8')).toContain('"type":"Point"');
  });

  it('maps k6 exit 99 (thresholds crossed) to exit 1', async () => {
    // 200 req/s against the default tenant (TPS 100, burst off) trips 7020: the throughput thresholds fail.
    const r = await runEvkit(
      ['load', 'throughput', '--rate', '200', '--duration', '2s', '--reports-dir', reports],
      {
        env: { PATH: pathWithK6 },
      },
    );
    expect(r.code, r.stderr).toBe(1);
    const rep = report(r.stderr);
    expect(rep.thresholds.find((t) => t.name === 'evkit_rate_limited: rate<0.01')?.ok).toBe(false);
    expect(rep.totals.byCode['7020']).toBeGreaterThan(0);
  });
});
