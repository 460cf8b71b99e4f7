import { describe, expect, it } from 'vitest';
import { generateCases } from '../../generators/index.ts';
import { textSummary } from '../../load/lib/summary.ts';
import { runReportSchema } from '../report/model.ts';
import type { LoadRecording } from './recording.ts';
import { buildLoadReport, failingCases, type LoadReportInput, MAX_FAILURE_GROUPS } from './report.ts';

const TPS = 200;
// The rate-limit plan at TPS 200 over 20 s: 100 for 3 s, up to 600 by 8 s, held to 13 s, down to 100 by 15 s.
const planned = [
  100, 100, 100, 150, 250, 350, 450, 550, 600, 600, 600, 600, 600, 475, 225, 100, 100, 100, 100, 100,
];

function recording(acceptedCap: number): LoadRecording {
  const accepted = planned.map((p) => Math.min(p, acceptedCap));
  return {
    engine: 'harness',
    startEpochMs: Date.parse('2026-01-01T00:00:00Z'),
    durationMs: 20_000,
    byCode: { '1002': accepted, '7020': planned.map((p, i) => p - (accepted[i] ?? 0)) },
    burst: accepted.map((a) => Math.max(0, Math.min(a, 300) - TPS)),
    sent: planned,
    dropped: planned.map(() => 0),
    targetRate: planned,
    latencyBySecond: planned.map(() => [1, 2, 3]),
    unexpected: [{ caseId: '1-1', code: '7004', count: 2 }],
    summary: {
      root_group: { name: '', path: '', id: '', groups: [], checks: [] },
      options: { summaryTrendStats: [], summaryTimeUnit: '', noColor: true },
      state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 20_000 },
      metrics: {
        http_req_duration: {
          type: 'trend',
          contains: 'time',
          values: { count: 6000, min: 1, avg: 2, med: 2, 'p(90)': 3, 'p(95)': 3.5, 'p(99)': 4, max: 9 },
        },
      },
    },
    thresholds: [
      {
        metric: 'evkit_accepted{phase:over}',
        expression: 'rate<=0.55',
        ok: acceptedCap <= 300,
        observed: acceptedCap / 600,
      },
    ],
    errors: { count: 0, first: [] },
    abortReason: undefined,
  };
}

const buildInput = (cap: number): LoadReportInput => ({
  runId: '20260101T000000000Z-load-test',
  script: 'rate-limit',
  target: 'http://127.0.0.1:8080',
  seed: 1,
  config: { expectedTps: TPS },
  recording: recording(cap),
  expectation: {
    expectedTps: TPS,
    burst: true,
    tolerance: 0.05,
    share: 1,
    backOffS: 14.2,
    recoveryMs: 2000,
  },
  rampsThroughLimit: true,
  cases: generateCases({ kind: 'valid', count: 2, seed: 1 }),
});
const build = (cap: number) => buildLoadReport(buildInput(cap));

describe('buildLoadReport', () => {
  it('measures the limit, marks the 7020 onset and passes a correct limiter', () => {
    const report = runReportSchema.parse(build(300));
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ['the engine kept the planned arrival rate (no dropped iterations)', true],
      ['no script errors', true],
      ['accepted per second while limited is TPS + burst band', true],
      ['burst answers per second while limited are the burst band', true],
      ['7020 starts only once the ramp is above TPS + burst band', true],
      ['the tenant recovers after backing off', true],
    ]);
    expect(report.markers[0]).toEqual({ t: 5, label: '7020 onset (planned 350 req/s)' });
    expect(report.totals).toMatchObject({ requests: planned.reduce((a, b) => a + b, 0), dropped: 0 });
    expect(report.latency?.overall).toMatchObject({ count: 6000, p50: 2, p99: 4 });
    expect(report.sections.find((s) => s.title === 'Rate limit')?.text).toContain(
      'accepted per second while limited: 300',
    );
    // A failing case is listed with a curl line that reproduces it.
    expect(report.failures).toHaveLength(1);
    expect(report.failures[0]?.description).toContain('case 1-1');
    expect(report.failures[0]?.curl).toMatch(
      /^curl .*http:\/\/127\.0\.0\.1:8080\/resources\/v1\/events\/externalevent/,
    );
    expect(report.ok).toBe(true);
  });

  it('fails a leaky limiter on accepted per second and its threshold', () => {
    const report = runReportSchema.parse(build(450));
    expect(report.checks.find((c) => c.name.startsWith('accepted per second'))).toMatchObject({ ok: false });
    expect(report.checks.find((c) => c.name.startsWith('7020 starts'))).toMatchObject({ ok: true });
    expect(report.thresholds).toEqual([
      { name: 'evkit_accepted{phase:over}: rate<=0.55', ok: false, detail: 'observed 0.75' },
    ]);
    expect(report.ok).toBe(false);
  });

  it('fails a limiter that rejects below the limit', () => {
    const report = runReportSchema.parse(build(150));
    expect(report.checks.find((c) => c.name.startsWith('7020 starts'))).toMatchObject({ ok: false });
  });
});

describe('load reports a person can read (issue 14, item 10)', () => {
  it('groups failing cases by kind: a dead target answering 100 cases alike gives one curl line', () => {
    const cases = generateCases({ kind: 'valid', count: 100, seed: 3 });
    const unexpected = cases.map((c) => ({ caseId: c.id, code: 'other', count: 2 }));
    const failures = failingCases(unexpected, cases, 'http://127.0.0.1:9');
    expect(failures).toHaveLength(1);
    expect(failures[0]?.description).toMatch(
      /^100 cases \(.*, …\) \(valid, expected 1002\) answered other 200 time\(s\)/,
    );
    expect(failures[0]?.curl).toMatch(/^curl .*http:\/\/127\.0\.0\.1:9\//);
  });

  it('lists at most MAX_FAILURE_GROUPS kinds of failure and counts the rest', () => {
    const cases = generateCases({ kind: 'valid', count: 30, seed: 3 });
    // A different code per case: 30 kinds.
    const unexpected = cases.map((c, i) => ({
      caseId: c.id,
      code: `9${String(i).padStart(3, '0')}`,
      count: 1,
    }));
    const failures = failingCases(unexpected, cases, 'http://127.0.0.1:9');
    expect(failures).toHaveLength(MAX_FAILURE_GROUPS + 1);
    expect(failures.at(-1)?.description).toBe('… and 10 more kinds of failure (10 cases) not listed');
  });

  it('names the embedded mock in the title instead of its random port', () => {
    const input = { ...buildInput(300), targetLabel: 'the embedded mock' };
    expect(buildLoadReport(input).title).toBe('rate-limit against the embedded mock');
    expect(buildLoadReport(buildInput(300)).title).toBe('rate-limit against http://127.0.0.1:8080');
  });

  it('leaves a partial last second out of the latency chart', () => {
    const rec = { ...recording(300), durationMs: 19_004 };
    const report = buildLoadReport({ ...buildInput(300), recording: rec });
    const chart = report.sections?.find((s) => s.title === 'Latency per second')?.charts?.[0];
    // 20 series seconds, the run covered 4 ms of the last one.
    expect(chart?.x).toHaveLength(19);
    expect(chart?.lines[0]?.values).toHaveLength(19);
  });
});

describe('the load summary on stdout (issue 14, item 10)', () => {
  it('prints the observed 7020 onset', () => {
    const data = recording(300).summary;
    const text = textSummary({
      ...data,
      metrics: {
        ...data.metrics,
        evkit_7020_at_rate: {
          type: 'trend',
          contains: 'default',
          values: { count: 1234, min: 301.5, avg: 480, med: 500, max: 600 },
        },
      },
    });
    expect(text).toContain('7020 onset: first 7020 at a planned 301.5 req/s (1234 × 7020 in all)');
    expect(textSummary(data)).not.toContain('7020 onset');
  });
});
