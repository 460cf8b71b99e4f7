import type { Chart, RunReportInput, Verdict } from '../report/model.ts';
import type { Estimate, FindLimitResult } from './types.ts';

const fmt = (e: Estimate | undefined, unit = '/s') =>
  e ? `${e.value}${unit} ± ${e.uncertainty}` : 'not found';

/** The search's timeline as a chart: offered rate and answers per second, probe after probe. */
export function findLimitChart(result: FindLimitResult): Chart {
  const x: number[] = [];
  const offered: (number | null)[] = [];
  const queued: (number | null)[] = [];
  const burst: (number | null)[] = [];
  const rejected: (number | null)[] = [];
  const markers: Chart['markers'] = [];
  let offset = 0;
  for (const p of result.probes) {
    markers.push({ x: offset, label: p.plan.label });
    const first = p.perSecond[0]?.second ?? 0;
    for (const s of p.perSecond) {
      x.push(offset + (s.second - first));
      offered.push(s.queued + s.burst + s.rejected + s.other);
      queued.push(s.queued);
      burst.push(s.burst);
      rejected.push(s.rejected);
    }
    offset += Math.max(1, p.perSecond.length) + 1;
    // A gap between probes keeps their lines apart.
    x.push(offset - 0.5);
    for (const line of [offered, queued, burst, rejected]) line.push(null);
  }
  return {
    title: 'Find-limit probes: answers per wall-clock second',
    xLabel: 'probe seconds (probes back to back)',
    yLabel: 'requests per second',
    x,
    lines: [
      { label: 'sent', values: offered },
      { label: 'Queued (1002)', values: queued },
      { label: 'burst (1002)', values: burst },
      { label: 'rejected (7020)', values: rejected },
    ],
    markers,
  };
}

/** Human text of the result, one finding a line. */
export function findLimitText(result: FindLimitResult): string {
  const lines = [
    `provisioned rate: ${fmt(result.provisioned)}`,
    `burst band: ${fmt(result.burstBand)}`,
    `7020 onset: offered rate above ${fmt(result.onset)}`,
    `counts: ${result.countsBy}`,
    `window: ${result.window}`,
    `recovery after backing off: ${result.recoveryMs === undefined ? 'not measured' : `${Math.round(result.recoveryMs)} ms`}`,
    `confidence: ${result.confident ? 'within tolerance' : 'NOT within tolerance'} (${result.stoppedBecause})`,
    `search test time: ${(result.testTimeMs / 1000).toFixed(1)} s in ${result.probes.length} probes, ${result.requests} requests`,
  ];
  for (const a of result.anomalies) lines.push(`ANOMALY ${a.kind}: ${a.detail}`);
  return lines.join('\n');
}

/** The search as a run report (same model and HTML as load runs). */
export function findLimitReport(
  result: FindLimitResult,
  meta: {
    runId: string;
    startedAt: string;
    target: string;
    engine: 'k6' | 'harness';
    seed: number;
    config: Record<string, unknown>;
  },
): RunReportInput {
  const byCode: Record<string, number> = {};
  let burst = 0;
  let dropped = 0;
  for (const p of result.probes) {
    for (const [code, n] of Object.entries(p.byCode)) byCode[code] = (byCode[code] ?? 0) + n;
    burst += p.burst;
    dropped += p.dropped;
  }
  const checks: Verdict[] = [
    { name: 'limit found', ok: result.provisioned !== undefined, detail: fmt(result.provisioned) },
    { name: 'confident', ok: result.confident, detail: result.stoppedBecause },
    ...(['rejected-below-limit', 'non-rate-errors', 'latency-collapse', 'accepted-above-limit'] as const).map(
      (kind) => {
        const found = result.anomalies.filter((a) => a.kind === kind);
        return {
          name: `no anomaly: ${kind}`,
          ok: found.length === 0,
          detail: found.map((a) => a.detail).join('; ') || 'none',
        };
      },
    ),
  ];
  return {
    version: 1,
    runId: meta.runId,
    kind: 'find-limit',
    title: `Rate-limit characterisation of ${meta.target}`,
    startedAt: meta.startedAt,
    durationMs: result.testTimeMs,
    engine: meta.engine,
    target: meta.target,
    seed: meta.seed,
    config: meta.config,
    totals: { requests: result.requests, byCode, burst, dropped },
    checks,
    findings: {
      provisioned: result.provisioned,
      burstBand: result.burstBand,
      onset: result.onset,
      countsBy: result.countsBy,
      window: result.window,
      recoveryMs: result.recoveryMs,
      confident: result.confident,
      anomalies: result.anomalies,
      testTimeMs: result.testTimeMs,
      requests: result.requests,
      stoppedBecause: result.stoppedBecause,
    },
    sections: [{ title: 'Find-limit result', text: findLimitText(result), charts: [findLimitChart(result)] }],
    ok: checks.every((c) => c.ok),
  };
}
