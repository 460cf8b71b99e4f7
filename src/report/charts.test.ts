import { describe, expect, it } from 'vitest';
import { sampleLoadReport } from '../../test/helpers/sample-report.ts';
import { DESCRIPTION } from '../schema/catalog.ts';
import { drawnSeconds, latencyChart, sectionChart, timelineCharts } from './charts.ts';
import { CODE_COLOUR, SERIES_COLOUR } from './colours.ts';
import { runReportSchema } from './model.ts';

describe('timeline charts', () => {
  const report = sampleLoadReport();
  const [responses, arrivals] = timelineCharts(report);

  it('stacks every code that occurred, with 1002 split into Queued and the burst band, then the target', () => {
    expect(responses?.series.map((s) => [s.label, s.style, s.colour])).toEqual([
      [`1002 ${DESCRIPTION.queued}`, 'area', CODE_COLOUR['1002']],
      [`1002 ${DESCRIPTION.queuedInBurstMode}`, 'area', SERIES_COLOUR.burst],
      ['7004 Invalid parameters/values', 'area', CODE_COLOUR['7004']],
      ['7020 You have reached maximum transaction limit', 'area', CODE_COLOUR['7020']],
      ['other (no code, transport error)', 'area', CODE_COLOUR.other],
      ['target rate', 'dashed', SERIES_COLOUR.target],
    ]);
  });

  it('keeps the stacked parts summing to the responses of each second', () => {
    const series = report.series;
    if (series === undefined || responses === undefined) throw new Error('the sample has a series');
    series.t.forEach((_, i) => {
      const stacked = responses.series
        .filter((s) => s.style === 'area')
        .reduce((a, s) => a + (s.values[i] ?? 0), 0);
      const answered = Object.values(series.byCode).reduce((a, v) => a + (v[i] ?? 0), 0);
      expect(stacked).toBe(answered);
    });
  });

  it('carries the report markers, e.g. the 7020 onset', () => {
    expect(responses?.markers).toEqual(report.markers.map((m) => ({ x: m.t, label: m.label })));
    expect(responses?.markers[0]?.label).toBe('7020 onset');
    expect(responses?.description).toContain('7020 onset at');
    expect(arrivals?.series.map((s) => s.label)).toEqual(['target rate', 'sent', 'dropped']);
  });

  it('pads short series with gaps so every series is as long as the x axis', () => {
    const base = sampleLoadReport({ seconds: 10 });
    const short = runReportSchema.parse({
      ...base,
      series: { ...base.series, byCode: { '1002': [5, 5], '7001': [0, 1] }, burst: [], targetRate: [] },
    });
    const [chart] = timelineCharts(short);
    expect(chart?.series.map((s) => s.label)).toEqual(['1002 Queued', '7001 Authentication failed']);
    for (const s of chart?.series ?? []) expect(s.values).toHaveLength(10);
    expect(chart?.series[0]?.values.slice(0, 3)).toEqual([5, 5, null]);
  });

  it('draws no timeline without a series', () => {
    expect(timelineCharts(runReportSchema.parse({ ...sampleLoadReport(), series: undefined }))).toEqual([]);
  });
});

describe('latency chart', () => {
  it('groups bars by percentile, one bar per outcome with samples', () => {
    const report = sampleLoadReport();
    const chart = latencyChart(report);
    expect(chart?.categories).toEqual(['min', 'p50', 'p90', 'p95', 'p99', 'max']);
    expect(chart?.series.map((s) => [s.label, s.style])).toEqual([
      ['overall', 'bars'],
      ['accepted', 'bars'],
      ['rejected', 'bars'],
      ['error', 'bars'],
    ]);
    expect(chart?.series[1]?.values[1]).toBe(report.latency?.accepted?.p50);
  });

  it('skips outcomes without samples and the chart without latency', () => {
    const base = sampleLoadReport();
    const overall = base.latency?.overall;
    if (overall === undefined) throw new Error('the sample has latency');
    const onlyOverall = { ...base, latency: { overall, rejected: { ...overall, count: 0 } } };
    expect(latencyChart(onlyOverall)?.series.map((s) => s.label)).toEqual(['overall']);
    expect(latencyChart({ ...base, latency: undefined })).toBeUndefined();
  });
});

describe('section chart', () => {
  it('orders points by x and keeps each line with its values', () => {
    const chart = sectionChart({
      title: 't',
      xLabel: 'offered',
      yLabel: 'accepted',
      x: [300, 100, 200],
      lines: [{ label: 'a', values: [3, 1, null] }],
      markers: [{ x: 250, label: 'knee' }],
    });
    expect(chart.x).toEqual([100, 200, 300]);
    expect(chart.series[0]?.values).toEqual([1, null, 3]);
    expect(chart.markers).toEqual([{ x: 250, label: 'knee' }]);
  });
});

describe('a partial last second (issue 14, item 10)', () => {
  // A constant 50/s run of 10 s: series seconds 0..9 hold 50 each; second 10 holds the 3 ms after the end.
  const constant = (): ReturnType<typeof sampleLoadReport> => {
    const t = Array.from({ length: 11 }, (_, i) => i);
    const fifty = t.map((i) => (i < 10 ? 50 : 0));
    return runReportSchema.parse({
      ...sampleLoadReport(),
      durationMs: 10_003,
      markers: [],
      series: {
        t,
        byCode: { '1002': fifty },
        burst: t.map(() => 0),
        sent: fifty,
        dropped: t.map(() => 0),
        targetRate: fifty,
      },
    });
  };

  it('is left out of the timeline charts, so a constant run does not end in a ramp to zero', () => {
    const [responses, arrivals] = timelineCharts(constant());
    expect(responses?.x).toHaveLength(10);
    for (const chart of [responses, arrivals]) {
      for (const s of chart?.series ?? [])
        expect(s.values.at(-1), s.label).toBe(s.label === 'dropped' ? 0 : 50);
    }
    // The data keeps it: only the charts drop it.
    expect(constant().series?.t).toHaveLength(11);
  });

  it('drawnSeconds keeps seconds the run covered for 90% or more', () => {
    expect(drawnSeconds(11, 10_003)).toBe(10);
    expect(drawnSeconds(11, 10_950)).toBe(11);
    expect(drawnSeconds(10, 10_000)).toBe(10);
    expect(drawnSeconds(0, 0)).toBe(0);
  });
});

describe('section chart line styles', () => {
  it('carries a line’s own style and colour, else a plain line in the palette’s colour', () => {
    const spec = sectionChart({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      x: [2, 1],
      lines: [
        { label: 'points', values: [20, 10], style: 'points', colour: '#123456' },
        { label: 'plain', values: [2, 1] },
      ],
      markers: [],
    });
    expect(spec.series.map((s) => [s.label, s.style, s.colour])).toEqual([
      ['points', 'points', '#123456'],
      ['plain', 'line', '#1a7f37'],
    ]);
    expect(spec.x).toEqual([1, 2]);
    expect(spec.series[0]?.values).toEqual([10, 20]);
  });
});
