/**
 * npm run bench:find-limit — the find-limit search against the mock endpoint over real HTTP (harness engine):
 * TPS 100 and 500 with burst on and off and both window kinds, and TPS 2000 (which needs the harness to offer
 * well over 2,100 req/s). For each: the found provisioned rate and burst band against the configured ones, the
 * detected window kind, and the search's own test time (the sum of its probe runs) against its 60 s budget,
 * beside the wall time of the search (engine start-up per probe and the gaps between probes included).
 * Writes reports/bench-find-limit.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderTable } from '../src/cli/output.ts';
import { engineProbe } from '../src/limit/engine-probe.ts';
import { DEFAULT_FIND_LIMIT_OPTIONS, findLimit } from '../src/limit/search.ts';
import { burstBand } from '../src/schema/catalog.ts';
import { defaultTenantFile } from '../src/schema/default-tenant.ts';
import { startMockProcess } from './mock-process.ts';

process.env.PACT_DO_NOT_TRACK ??= 'true';
const only = process.env.BENCH_FIND_LIMIT_TPS?.split(',').map(Number);
const combos = [
  ...[100, 500].flatMap((tps) =>
    [true, false].flatMap((burst) =>
      (['fixed', 'sliding'] as const).map((window) => ({ tps, burst, window })),
    ),
  ),
  { tps: 2000, burst: true, window: 'fixed' as const },
  { tps: 2000, burst: false, window: 'sliding' as const },
].filter((c) => !only || only.includes(c.tps));

const work = mkdtempSync(join(tmpdir(), 'evkit-bench-find-limit-'));
const rows: Record<string, unknown>[] = [];
for (const combo of combos) {
  const tenantFile = defaultTenantFile();
  // The mock runs in its own process, as a real target would: the search's load does not share its core.
  const mock = await startMockProcess({ tps: combo.tps, burst: combo.burst, window: combo.window });
  try {
    const probe = await engineProbe({
      target: mock.url,
      tenantFile,
      workDir: work,
      seed: 1,
      allowRemote: false,
      maxRate: 0,
    });
    const wallStart = Date.now();
    const r = await findLimit(probe, DEFAULT_FIND_LIMIT_OPTIONS);
    const wallMs = Date.now() - wallStart;
    const band = combo.burst ? burstBand(combo.tps) : 0;
    const provErr = r.provisioned ? (r.provisioned.value - combo.tps) / combo.tps : Number.NaN;
    const bandErr = r.burstBand
      ? band === 0
        ? r.burstBand.value
        : (r.burstBand.value - band) / band
      : Number.NaN;
    const windowOk = r.window === (combo.window === 'fixed' ? 'fixed-aligned' : 'sliding-or-unaligned');
    const maxOffered = Math.max(
      ...r.probes.map((p) => p.sent / (p.plan.durationS + (p.plan.backOff?.durationS ?? 0))),
    );
    const ok =
      Math.abs(provErr) <= 0.03 &&
      (band === 0 ? Math.abs(bandErr) <= 1 : Math.abs(bandErr) <= 0.1) &&
      windowOk &&
      r.testTimeMs <= 60_000 &&
      r.consistent &&
      r.anomalies.length === 0;
    rows.push({
      tps: combo.tps,
      burst: combo.burst,
      configuredWindow: combo.window,
      provisioned: r.provisioned,
      burstBand: r.burstBand,
      provErr,
      bandErr,
      foundWindow: r.window,
      testTimeMs: r.testTimeMs,
      wallMs,
      anomalies: r.anomalies,
      maxOffered,
      ok,
    });
    process.stderr.write(`TPS ${combo.tps} burst ${combo.burst} ${combo.window}: ${ok ? 'ok' : 'MISSED'}\n`);
  } finally {
    await mock.stop();
  }
}
rmSync(work, { recursive: true, force: true });

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a');
process.stdout.write(
  `${renderTable(
    [
      'TPS',
      'burst',
      'window',
      'found rate',
      'error',
      'found band',
      'error',
      'window found',
      'test time / 60 s',
      'wall time',
      'peak offered',
      'ok',
    ],
    rows.map((r) => {
      const p = r.provisioned as { value: number; uncertainty: number } | undefined;
      const b = r.burstBand as { value: number; uncertainty: number } | undefined;
      return [
        String(r.tps),
        String(r.burst),
        String(r.configuredWindow),
        p ? `${p.value} ± ${p.uncertainty}` : 'none',
        pct(r.provErr as number),
        b ? `${b.value} ± ${b.uncertainty}` : 'none',
        r.burst ? pct(r.bandErr as number) : `${b?.value ?? 'n/a'} (want 0)`,
        String(r.foundWindow),
        `${((r.testTimeMs as number) / 1000).toFixed(1)} s (${(((r.testTimeMs as number) / 60_000) * 100).toFixed(0)}%)`,
        `${((r.wallMs as number) / 1000).toFixed(1)} s`,
        `${Math.round(r.maxOffered as number)}/s`,
        r.ok ? 'yes' : 'NO',
      ];
    }),
  )}\n`,
);
mkdirSync('reports', { recursive: true });
writeFileSync(
  'reports/bench-find-limit.json',
  `${JSON.stringify({ at: new Date().toISOString(), rows }, null, 2)}\n`,
);
process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
