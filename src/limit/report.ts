import type { Chart, RunReportInput, Verdict } from '../report/index.ts';
import { median } from '../stats/index.ts';
import {
  ANOMALY_KINDS,
  type AnomalyKind,
  type Estimate,
  type FindLimitResult,
  type ProbeRecord,
} from './types.ts';

const fmt = (e: Estimate | undefined, unit = '/s') =>
  e ? `${e.value}${unit} ± ${e.uncertainty}` : 'not found';

/** A wall-clock second counts as measured when the probe covered this much of it. */
const FULL_SECOND = 0.9;

/** The share (0..1) of a wall-clock second that lies inside a probe's run (main stage and back-off). */
export function coverage(p: ProbeRecord, second: number): number {
  const from = Math.max(second * 1000, p.startedAt);
  const to = Math.min((second + 1) * 1000, p.startedAt + p.durationMs);
  return Math.max(0, to - from) / 1000;
}

/**
 * Per probe, the offered and accepted rates of its main (constant-rate) stage: the median over the wall-clock
 * seconds it covered fully, or its average when it covered none (short probes).
 */
export function probeRates(p: ProbeRecord): { offered: number; accepted: number; queued: number } {
  const end = p.startedAt + p.plan.durationS * 1000;
  const inMain = p.perSecond.filter((s) => s.second * 1000 >= p.startedAt && (s.second + 1) * 1000 <= end);
  if (inMain.length > 0) {
    return {
      offered: median(inMain.map((s) => s.queued + s.burst + s.rejected + s.other)) ?? 0,
      accepted: median(inMain.map((s) => s.queued + s.burst)) ?? 0,
      queued: median(inMain.map((s) => s.queued)) ?? 0,
    };
  }
  const main = p.perSecond.filter((s) => s.second * 1000 < end);
  const total = (f: (s: ProbeRecord['perSecond'][number]) => number) =>
    Math.round((main.reduce((a, s) => a + f(s), 0) / p.plan.durationS) * 10) / 10;
  return {
    offered: total((s) => s.queued + s.burst + s.rejected + s.other),
    accepted: total((s) => s.queued + s.burst),
    queued: total((s) => s.queued),
  };
}

/**
 * What a person expects of a limiter: accepted per second against offered per second, one point per probe
 * (the several-events probe left out: it counts differently). Below the limit the points follow the diagonal;
 * above it they level off at the provisioned rate plus the burst band (queued levels off at the provisioned
 * rate). Reference lines show the found values and their uncertainty.
 */
export function acceptedVsOfferedChart(result: FindLimitResult): Chart {
  const points = result.probes
    .filter((p) => p.plan.eventsPerRequest === 1)
    .map((p) => ({ label: p.plan.label, ...probeRates(p) }))
    .sort((a, b) => a.offered - b.offered);
  const x = points.map((p) => p.offered);
  const constant = (v: number) => x.map(() => v);
  const lines: Chart['lines'] = [
    {
      label: 'accepted (1002) per second',
      values: points.map((p) => p.accepted),
      style: 'points',
      colour: '#1a7f37',
    },
    { label: 'of which Queued', values: points.map((p) => p.queued), style: 'points', colour: '#6fcf7f' },
    { label: 'accepted = offered (no rejections)', values: x, style: 'dashed', colour: '#8c959f' },
  ];
  const p = result.provisioned;
  const b = result.burstBand;
  if (p) {
    lines.push({
      label: `found provisioned rate ${fmt(p)}`,
      values: constant(p.value),
      style: 'line',
      colour: '#2a6fdb',
    });
    lines.push({
      label: `provisioned − ${p.uncertainty}`,
      values: constant(p.value - p.uncertainty),
      style: 'dashed',
      colour: '#2a6fdb',
    });
    lines.push({
      label: `provisioned + ${p.uncertainty}`,
      values: constant(p.value + p.uncertainty),
      style: 'dashed',
      colour: '#2a6fdb',
    });
    if (b && b.value > 0) {
      const limit = p.value + b.value;
      const u = p.uncertainty + b.uncertainty;
      lines.push({
        label: `found limit (provisioned + burst band) ${limit}/s ± ${u}`,
        values: constant(limit),
        style: 'line',
        colour: '#7b4fbf',
      });
      lines.push({ label: `limit − ${u}`, values: constant(limit - u), style: 'dashed', colour: '#7b4fbf' });
      lines.push({ label: `limit + ${u}`, values: constant(limit + u), style: 'dashed', colour: '#7b4fbf' });
    }
  }
  return {
    title: result.consistent
      ? 'Accepted per second against offered per second, one point per probe'
      : 'Accepted per second against offered per second, one point per probe (no consistent limit)',
    xLabel: 'offered req/s',
    yLabel: 'accepted req/s',
    x,
    lines,
    markers: [],
  };
}

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
      // A second the probe covered only in part would be drawn as a fall (or rise) that never happened.
      if (coverage(p, s.second) < FULL_SECOND) continue;
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

/** What the text and the report add to the search's own result. */
export interface FindLimitExtras {
  /** From the command's start to its end: mock start, engine start-up and gaps between probes included. */
  readonly wallTimeMs?: number;
  /** The finding against a contracted TPS (--expected-tps), when one was given. */
  readonly contract?: readonly Verdict[];
}

/** The verdict line: never "confident" for a value the search's own anomalies contradict. */
function confidenceLine(result: FindLimitResult): string {
  if (!result.consistent) return `confidence: none — ${result.stoppedBecause}`;
  return `confidence: ${result.confident ? 'within tolerance' : 'NOT within tolerance'} (${result.stoppedBecause})`;
}

/** Human text of the result, one finding a line. */
export function findLimitText(result: FindLimitResult, extras: FindLimitExtras = {}): string {
  const trust = result.consistent ? '' : ' (not a consistent limit: see the anomalies)';
  const lines = [
    `provisioned rate: ${fmt(result.provisioned)}${result.provisioned ? trust : ''}`,
    `burst band: ${fmt(result.burstBand)}`,
    `7020 onset: ${result.onset ? `offered rate above ${fmt(result.onset)}` : `not found (${result.stoppedBecause})`}`,
    `counts: ${result.countsBy}`,
    `window: ${result.window}`,
    `recovery after backing off: ${result.recoveryMs === undefined ? 'not measured' : `${Math.round(result.recoveryMs)} ms`}`,
    confidenceLine(result),
    `search test time: ${(result.testTimeMs / 1000).toFixed(1)} s in ${result.probes.length} probes, ${result.requests} requests (the probes' own run time)`,
  ];
  if (extras.wallTimeMs !== undefined) {
    lines.push(
      `wall time: ${(extras.wallTimeMs / 1000).toFixed(1)} s (with mock start, engine start-up and the gaps between probes)`,
    );
  }
  for (const v of extras.contract ?? [])
    lines.push(`${v.ok ? 'contract ok' : 'CONTRACT FAILED'}: ${v.name} — ${v.detail}`);
  for (const a of result.anomalies) lines.push(`ANOMALY ${a.kind}: ${a.detail}`);
  return lines.join('\n');
}

/** The search as a run report (same model and HTML as load runs). */
export function findLimitReport(
  result: FindLimitResult,
  meta: FindLimitExtras & {
    runId: string;
    startedAt: string;
    target: string;
    /** How the title names the target ("the embedded mock" rather than its random port). */
    targetLabel?: string;
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
    ...(meta.contract ?? []),
    ...(Object.keys(ANOMALY_KINDS) as AnomalyKind[]).map((kind) => {
      const found = result.anomalies.filter((a) => a.kind === kind);
      return {
        name: `no anomaly: ${kind}`,
        ok: found.length === 0,
        detail: found.map((a) => a.detail).join('; ') || 'none',
      };
    }),
  ];
  return {
    version: 1,
    runId: meta.runId,
    kind: 'find-limit',
    title: `Rate-limit characterisation of ${meta.targetLabel ?? meta.target}`,
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
      consistent: result.consistent,
      anomalies: result.anomalies,
      testTimeMs: result.testTimeMs,
      ...(meta.wallTimeMs === undefined ? {} : { wallTimeMs: meta.wallTimeMs }),
      requests: result.requests,
      stoppedBecause: result.stoppedBecause,
    },
    sections: [
      {
        title: 'Find-limit result',
        text: findLimitText(result, meta),
        charts: [acceptedVsOfferedChart(result), findLimitChart(result)],
      },
    ],
    ok: checks.every((c) => c.ok),
  };
}
