import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engineProbe } from '../src/limit/engine-probe.ts';
import { DEFAULT_FIND_LIMIT_OPTIONS, findLimit } from '../src/limit/search.ts';
import { burstBand } from '../src/schema/catalog.ts';
import { defaultTenantFile } from '../src/schema/default-tenant.ts';
import { faultyLimiter, startLeakyProvider } from './fixtures/leaky-limiter.ts';
import { runEvkit } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'evkit-find-limit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function reportOf(stdout: string): {
  findings: Record<string, { value: number } | unknown>;
  ok: boolean;
  durationMs: number;
} {
  const html = /report: (.*report\.html)/.exec(stdout)?.[1];
  if (!html) throw new Error(`no report path in:\n${stdout}`);
  return JSON.parse(readFileSync(html.replace(/report\.html$/, 'summary.json'), 'utf8'));
}

describe('evkit find-limit against the mock endpoint (real HTTP, harness engine)', () => {
  it.each([
    { tps: 100, burst: true, window: 'fixed' },
    { tps: 500, burst: false, window: 'sliding' },
  ])('TPS $tps, burst $burst, $window window', async ({ tps, burst, window }) => {
    const args = [
      'find-limit',
      '--tps',
      String(tps),
      '--window',
      window,
      '--reports-dir',
      dir,
      burst ? '--burst' : '--no-burst',
    ];
    const r = await runEvkit(args, { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const report = reportOf(r.stdout);
    const f = report.findings as {
      provisioned: { value: number };
      burstBand: { value: number };
      window: string;
      testTimeMs: number;
    };
    const band = burst ? burstBand(tps) : 0;
    expect(Math.abs(f.provisioned.value - tps)).toBeLessThanOrEqual(tps * 0.03);
    expect(Math.abs(f.burstBand.value - band)).toBeLessThanOrEqual(band * 0.1 + 1);
    expect(f.window).toBe(window === 'fixed' ? 'fixed-aligned' : 'sliding-or-unaligned');
    // The search's own test time, from its report: the sum of its runs.
    expect(report.durationMs).toBe(f.testTimeMs);
    expect(f.testTimeMs).toBeLessThanOrEqual(60_000);
  });
});

describe('find-limit reports a faulty limiter instead of a limit', () => {
  it.each([
    ['overflow', 'accepted-above-limit'],
    ['random', 'rejected-below-limit'],
  ] as const)('%s limiter -> %s', async (kind, anomaly) => {
    const provider = await startLeakyProvider({
      tps: 200,
      leak: 1,
      limiter: () => faultyLimiter(kind, 200, kind === 'random' ? 0.05 : 0.3),
    });
    try {
      const probe = await engineProbe({
        target: provider.url,
        tenantFile: defaultTenantFile(),
        workDir: dir,
        seed: 1,
        allowRemote: false,
        maxRate: 0,
      });
      const result = await findLimit(probe, { ...DEFAULT_FIND_LIMIT_OPTIONS, maxRate: 1500 });
      expect(result.anomalies.map((a) => a.kind)).toContain(anomaly);
    } finally {
      await provider.close();
    }
  });

  it('the CLI exits 1 on an anomaly', async () => {
    const r = await runEvkit([
      'find-limit',
      '--tps',
      '50',
      '--max-rate',
      '10',
      '--start-rate',
      '5',
      '--reports-dir',
      dir,
    ]);
    // At most 10 req/s never reaches a 50 TPS limit: no limit found is a failed check, not a pass.
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/provisioned rate: not found/);
  });
});
