import type { Case } from '../../generators/index.ts';
import { caseToCurl } from '../../generators/index.ts';
import type { SummaryMetric } from '../../load/lib/index.ts';
import { LATENCY_METRICS, METRIC } from '../../load/lib/index.ts';
import type { Percentiles, RunReportInput, Verdict } from '../report/index.ts';
import { drawnSeconds } from '../report/index.ts';
import { DESCRIPTION, RATE_LIMIT_CODE } from '../schema/index.ts';
import { percentileOfSorted } from '../stats/index.ts';
import { analyseLimit, type LimitAnalysis, type LimitExpectation } from './analysis.ts';
import type { LoadRecording } from './recording.ts';

/** Everything the load report is made of. */
export interface LoadReportInput {
  runId: string;
  script: string;
  target: string;
  /** How the title names the target ("the embedded mock" rather than its random port); default the URL. */
  targetLabel?: string;
  seed: number;
  /** Non-secret settings of the run. */
  config: Record<string, unknown>;
  recording: LoadRecording;
  expectation: LimitExpectation;
  /** Whether the script ramps through the limit (rate-limit), so limit checks apply. */
  rampsThroughLimit: boolean;
  /** The corpus the script sent, to print a curl line per failing case. */
  cases: readonly Case[];
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Percentiles from a summary trend (needs the count, med, p(90), p(95), p(99) trend stats). */
function percentiles(metric: SummaryMetric | undefined): Percentiles | undefined {
  const v = metric?.values;
  if (v === undefined || !((v.count ?? 0) > 0)) return undefined;
  const p95 = v['p(95)'] ?? 0;
  return {
    count: v.count ?? 0,
    min: round(v.min ?? 0),
    avg: round(v.avg ?? 0),
    p50: round(v.med ?? 0),
    p90: round(v['p(90)'] ?? 0),
    p95: round(p95),
    p99: round(v['p(99)'] ?? p95),
    max: round(v.max ?? 0),
  };
}

function quantile(sorted: readonly number[], p: number): number | null {
  const v = percentileOfSorted(sorted, p * 100);
  return v === undefined ? null : round(v);
}

function limitChecks(a: LimitAnalysis, exp: LimitExpectation): Verdict[] {
  const tol = exp.tolerance;
  const out: Verdict[] = [];
  const within = (v: number | undefined, want: number) =>
    v !== undefined && Math.abs(v - want) <= tol * a.limit;
  out.push({
    name: 'accepted per second while limited is TPS + burst band',
    ok: within(a.acceptedPerSecond, a.limit),
    detail: `median ${a.acceptedPerSecond ?? 'n/a'}/s over ${a.limitedSeconds.length} limited seconds; expected ${a.limit} ± ${round(tol * a.limit)}`,
  });
  if (exp.burst) {
    out.push({
      name: 'burst answers per second while limited are the burst band',
      ok: within(a.burstPerSecond, a.band),
      detail: `median ${a.burstPerSecond ?? 'n/a'}/s "${DESCRIPTION.queuedInBurstMode}"; expected ${a.band} ± ${round(tol * a.limit)}`,
    });
  }
  out.push({
    name: '7020 starts only once the ramp is above TPS + burst band',
    ok: a.onset !== undefined && a.onset.plannedRate >= a.limit * (1 - tol),
    detail:
      a.onset === undefined
        ? 'no 7020 at all'
        : `first 7020 at ${a.onset.t} s, planned ${round(a.onset.plannedRate)} req/s; limit ${a.limit}`,
  });
  if (exp.backOffS !== undefined) {
    out.push({
      name: 'the tenant recovers after backing off',
      ok: a.recoveryS !== undefined && a.recoveryS * 1000 <= exp.recoveryMs,
      detail:
        a.recoveryS === undefined
          ? 'still rejected at the end of the run'
          : `no 7020 ${round(a.recoveryS, 1)} s after backing off (at ${round(exp.backOffS, 1)} s); allowed ${exp.recoveryMs} ms`,
    });
  }
  return out;
}

/** At most this many failing-case groups are listed; the rest are counted in one last entry. */
export const MAX_FAILURE_GROUPS = 20;

/**
 * Failing cases, one entry per kind of failure (mutation, expected code, code answered) with the curl line of
 * its first case: a dead target or a wrong code answers every case alike, and a hundred near-identical curl
 * lines say no more than one. Capped at MAX_FAILURE_GROUPS entries.
 */
export function failingCases(
  unexpected: LoadRecording['unexpected'],
  cases: readonly Case[],
  target: string,
): { description: string; curl: string }[] {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const groups = new Map<
    string,
    { ids: string[]; responses: number; first: Case | undefined; what: string; code: string }
  >();
  for (const u of unexpected) {
    const c = byId.get(u.caseId);
    const what = c ? `${c.mutation}, expected ${c.expected.code}` : 'not in the corpus';
    const key = `${what}|${u.code}`;
    const g = groups.get(key) ?? { ids: [], responses: 0, first: c, what, code: u.code };
    g.ids.push(u.caseId);
    g.responses += u.count;
    groups.set(key, g);
  }
  const all = [...groups.values()].sort((a, b) => b.responses - a.responses);
  const shown = all.slice(0, MAX_FAILURE_GROUPS).map((g) => {
    const [id = ''] = g.ids;
    const cases =
      g.ids.length === 1
        ? `case ${id}`
        : `${g.ids.length} cases (${g.ids.slice(0, 5).join(', ')}${g.ids.length > 5 ? ', …' : ''})`;
    return {
      description: `${cases} (${g.what}) answered ${g.code} ${g.responses} time(s)${g.ids.length > 1 ? `; the curl line is case ${id}'s` : ''}`,
      curl: g.first ? caseToCurl(g.first, target) : `# case ${id} is not in the corpus`,
    };
  });
  const rest = all.slice(MAX_FAILURE_GROUPS);
  if (rest.length > 0) {
    shown.push({
      description: `… and ${rest.length} more kinds of failure (${rest.reduce((a, g) => a + g.ids.length, 0)} cases) not listed`,
      curl: '# see the codes table and the thresholds for the whole run',
    });
  }
  return shown;
}

/** Turn a recording into the versioned report model (validated and written by src/report/write.ts). */
export function buildLoadReport(input: LoadReportInput): RunReportInput {
  const rec = input.recording;
  const seconds = rec.sent.length;
  const sum = (values: readonly number[] | undefined) => (values ?? []).reduce((a, b) => a + b, 0);
  const byCodeTotals = Object.fromEntries(Object.entries(rec.byCode).map(([code, arr]) => [code, sum(arr)]));
  const thresholds: Verdict[] = rec.thresholds.map((t) => ({
    name: `${t.metric}: ${t.expression}`,
    ok: t.ok,
    detail: Number.isNaN(t.observed) ? (t.ok ? 'held' : 'crossed') : `observed ${round(t.observed, 4)}`,
  }));
  const analysis = analyseLimit(rec, input.expectation);
  const checks: Verdict[] = [
    {
      name: 'the engine kept the planned arrival rate (no dropped iterations)',
      ok: sum(rec.dropped) === 0,
      detail: `${sum(rec.dropped)} dropped of ${sum(rec.targetRate)} planned`,
    },
    {
      name: 'no script errors',
      ok: rec.errors.count === 0 && rec.abortReason === undefined,
      detail:
        rec.abortReason ??
        (rec.errors.count === 0 ? 'none' : `${rec.errors.count}: ${rec.errors.first[0]?.split('\n')[0]}`),
    },
    ...(input.rampsThroughLimit ? limitChecks(analysis, input.expectation) : []),
  ];
  const markers: { t: number; label: string }[] = [];
  if (analysis.onset) {
    markers.push({
      t: analysis.onset.t,
      label: `7020 onset (planned ${round(analysis.onset.plannedRate)} req/s)`,
    });
  }
  if (input.rampsThroughLimit && input.expectation.backOffS !== undefined) {
    markers.push({ t: round(input.expectation.backOffS, 1), label: 'backed off below the limit' });
  }
  const failures = failingCases(rec.unexpected, input.cases, input.target);
  // The latency chart leaves out a partial last second, as the timeline charts do.
  const sorted = rec.latencyBySecond
    .slice(0, drawnSeconds(seconds, rec.durationMs))
    .map((v) => [...v].sort((a, b) => a - b));
  const t = Array.from({ length: seconds }, (_, i) => i);
  const text = [
    `accepted per second while limited: ${analysis.acceptedPerSecond ?? 'n/a'} (TPS + burst band: ${analysis.limit})`,
    `"${DESCRIPTION.queuedInBurstMode}" per second while limited: ${analysis.burstPerSecond ?? 'n/a'} (band ${analysis.band})`,
    `7020 onset: ${analysis.onset ? `${analysis.onset.t} s at a planned ${round(analysis.onset.plannedRate)} req/s` : 'none'}`,
    `7020 share: ${round(analysis.rejectedShare * 100, 1)}% of ${sum(rec.sent)} requests`,
    `recovery after backing off: ${analysis.recoveryS === undefined ? 'n/a' : `${round(analysis.recoveryS, 1)} s`}`,
  ].join('\n');
  const overall = percentiles(rec.summary.metrics.http_req_duration);
  const [acceptedM, rejectedM, errorM] = LATENCY_METRICS.map((m) => percentiles(rec.summary.metrics[m]));
  return {
    version: 1,
    runId: input.runId,
    kind: 'load',
    title: `${input.script} against ${input.targetLabel ?? input.target}`,
    // Second 0 of the series: the aligned test start, so series seconds map to the target's rate windows.
    startedAt: new Date(rec.startEpochMs).toISOString(),
    durationMs: rec.durationMs,
    engine: rec.engine,
    script: input.script,
    target: input.target,
    seed: input.seed,
    config: input.config,
    totals: {
      requests: sum(rec.sent),
      byCode: byCodeTotals,
      burst: sum(rec.burst),
      dropped: sum(rec.dropped),
    },
    series: {
      t,
      byCode: rec.byCode,
      burst: rec.burst,
      sent: rec.sent,
      dropped: rec.dropped,
      targetRate: Array.from({ length: seconds }, (_, i) => rec.targetRate[i] ?? 0),
    },
    ...(overall
      ? {
          latency: {
            overall,
            ...(acceptedM ? { accepted: acceptedM } : {}),
            ...(rejectedM ? { rejected: rejectedM } : {}),
            ...(errorM ? { error: errorM } : {}),
          },
        }
      : {}),
    markers,
    thresholds,
    checks,
    sections: [
      ...(input.rampsThroughLimit || (byCodeTotals[RATE_LIMIT_CODE] ?? 0) > 0
        ? [{ title: 'Rate limit', text, charts: [] }]
        : []),
      {
        title: 'Latency per second',
        text: `Latency of the requests sent in each second (all outcomes); ${METRIC.latencyAccepted} and the other trends split it by outcome.`,
        charts: [
          {
            title: 'Latency per second',
            xLabel: 'seconds since start',
            yLabel: 'ms',
            x: t.slice(0, sorted.length),
            lines: [
              { label: 'p50', values: sorted.map((v) => quantile(v, 0.5)) },
              { label: 'p95', values: sorted.map((v) => quantile(v, 0.95)) },
              { label: 'max', values: sorted.map((v) => quantile(v, 1)) },
            ],
            markers: markers.map((m) => ({ x: m.t, label: m.label })),
          },
        ],
      },
    ],
    failures,
    ok: thresholds.every((v) => v.ok) && checks.every((v) => v.ok),
  };
}
