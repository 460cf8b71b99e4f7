import { ACCEPTED_CODE, CATALOG, DESCRIPTION, RESPONSE_CODES, type ResponseCode } from '../schema/index.ts';
import { CODE_COLOUR, LATENCY_COLOUR, PALETTE, SERIES_COLOUR } from './colours.ts';
import type { Chart, Percentiles, RunReport, Series } from './model.ts';

/** How a series is drawn: stacked area, plain line, dashed reference line, points only, or grouped bars. */
export type SeriesStyle = 'area' | 'line' | 'dashed' | 'points' | 'bars';

/** One drawn series of a chart. */
export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly colour: string;
  readonly style: SeriesStyle;
}

/** What the page's script needs to draw one chart with uPlot; built here so the logic is typed and tested. */
export interface ChartSpec {
  readonly title: string;
  /** A sentence for screen readers (the chart's aria-label). */
  readonly description: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly x: readonly number[];
  /** Category names for x = 0, 1, 2...; absent for a numeric x axis. */
  readonly categories?: readonly string[];
  readonly series: readonly ChartSeries[];
  readonly markers: readonly { readonly x: number; readonly label: string }[];
  readonly markerColour: string;
}

/** Every series key of the per-code chart: codes in catalog order, then 'other'. */
const CODE_KEYS = [...RESPONSE_CODES, 'other'] as const;

/** The label of a code in legends and tables, e.g. "7020 You have reached maximum transaction limit". */
export function codeLabel(code: ResponseCode | 'other'): string {
  return code === 'other' ? 'other (no code, transport error)' : `${code} ${CATALOG[code].message}`;
}

/** Values aligned to the x axis: uPlot needs every series as long as x, so missing seconds become gaps. */
function align(values: readonly number[] | undefined, length: number): (number | null)[] {
  return Array.from({ length }, (_, i) => values?.[i] ?? null);
}

const sum = (values: readonly (number | null)[]): number => values.reduce<number>((a, v) => a + (v ?? 0), 0);

function markersOf(report: RunReport): ChartSpec['markers'] {
  return report.markers.map((m) => ({ x: m.t, label: m.label }));
}

function markerSentence(markers: ChartSpec['markers']): string {
  return markers.length === 0 ? '' : ` Marked: ${markers.map((m) => `${m.label} at ${m.x} s`).join('; ')}.`;
}

/** Responses per second, stacked by code, with 1002 split into "Queued" and "Queued in burst mode". */
function responsesChart(report: RunReport, series: Series): ChartSpec {
  const n = series.t.length;
  const burst = align(series.burst, n);
  const stacked: ChartSeries[] = [];
  for (const code of CODE_KEYS) {
    const values = align(series.byCode[code], n);
    if (sum(values) === 0) continue;
    if (code === ACCEPTED_CODE && sum(burst) > 0) {
      const queued = values.map((v, i) => (v === null ? null : Math.max(0, v - (burst[i] ?? 0))));
      stacked.push({
        label: `${code} ${DESCRIPTION.queued}`,
        values: queued,
        colour: CODE_COLOUR[code],
        style: 'area',
      });
      stacked.push({
        label: `${code} ${DESCRIPTION.queuedInBurstMode}`,
        values: burst,
        colour: SERIES_COLOUR.burst,
        style: 'area',
      });
      continue;
    }
    stacked.push({ label: codeLabel(code), values, colour: CODE_COLOUR[code], style: 'area' });
  }
  const target = align(series.targetRate, n);
  const overlay: ChartSeries[] =
    sum(target) > 0
      ? [{ label: 'target rate', values: target, colour: SERIES_COLOUR.target, style: 'dashed' }]
      : [];
  const markers = markersOf(report);
  return {
    title: 'Responses per second by code',
    description: `Stacked responses per second by response code over ${n} seconds.${markerSentence(markers)}`,
    xLabel: 'seconds since start',
    yLabel: 'responses / s',
    x: series.t,
    series: [...stacked, ...overlay],
    markers,
    markerColour: SERIES_COLOUR.marker,
  };
}

/** What the load generator did each second: the target rate, requests sent, iterations dropped. */
function arrivalsChart(report: RunReport, series: Series): ChartSpec {
  const n = series.t.length;
  const target = align(series.targetRate, n);
  const lines: ChartSeries[] = [
    ...(sum(target) > 0
      ? [{ label: 'target rate', values: target, colour: SERIES_COLOUR.target, style: 'dashed' as const }]
      : []),
    { label: 'sent', values: align(series.sent, n), colour: SERIES_COLOUR.sent, style: 'line' },
    { label: 'dropped', values: align(series.dropped, n), colour: SERIES_COLOUR.dropped, style: 'line' },
  ];
  const markers = markersOf(report);
  return {
    title: 'Arrivals per second: target, sent, dropped',
    description: `Target arrival rate, requests sent and iterations dropped per second over ${n} seconds.${markerSentence(markers)}`,
    xLabel: 'seconds since start',
    yLabel: 'requests / s',
    x: series.t,
    series: lines,
    markers,
    markerColour: SERIES_COLOUR.marker,
  };
}

/** A second of a run counts as measured when the run covered at least this much of it (ms). */
const FULL_SECOND_MS = 900;

/**
 * How many leading seconds of a run's per-second series to draw: trailing seconds the run covered for less
 * than 90% are left out, since a second with a few ms of the run in it would be drawn as a fall to zero (a
 * constant 50/s run of 10 s has an 11th, nearly empty, second). The data keeps them; only charts drop them.
 */
export function drawnSeconds(length: number, durationMs: number): number {
  let n = length;
  while (n > 0 && durationMs - (n - 1) * 1000 < FULL_SECOND_MS) n--;
  return n;
}

function firstSeconds(series: Series, n: number): Series {
  const cut = (values: readonly number[]) => values.slice(0, n);
  const byCode: Series['byCode'] = {};
  for (const [code, values] of Object.entries(series.byCode) as [keyof Series['byCode'], number[]][])
    byCode[code] = cut(values);
  return {
    t: cut(series.t),
    byCode,
    burst: cut(series.burst),
    sent: cut(series.sent),
    dropped: cut(series.dropped),
    targetRate: cut(series.targetRate),
  };
}

/** The charts over time of a run with a per-second series (none without one), without a partial last second. */
export function timelineCharts(report: RunReport): ChartSpec[] {
  if (report.series === undefined) return [];
  const series = firstSeconds(report.series, drawnSeconds(report.series.t.length, report.durationMs));
  return [responsesChart(report, series), arrivalsChart(report, series)];
}

/** The latency outcomes of the model, in display order. */
export const LATENCY_OUTCOMES = [
  'overall',
  'accepted',
  'rejected',
  'error',
] as const satisfies readonly (keyof NonNullable<RunReport['latency']>)[];

/** The percentiles a latency chart shows, in order. */
export const LATENCY_POINTS = [
  'min',
  'p50',
  'p90',
  'p95',
  'p99',
  'max',
] as const satisfies readonly (keyof Percentiles)[];

/** Latency percentiles as grouped bars, one group per percentile and one bar per outcome (none without data). */
export function latencyChart(report: RunReport): ChartSpec | undefined {
  const latency = report.latency;
  if (latency === undefined) return undefined;
  const outcomes = LATENCY_OUTCOMES.flatMap((name) => {
    const p = latency[name];
    return p === undefined || p.count === 0 ? [] : [{ name, p }];
  });
  if (outcomes.length === 0) return undefined;
  return {
    title: 'Latency percentiles',
    description: `Latency in milliseconds at ${LATENCY_POINTS.join(', ')} for ${outcomes.map((o) => o.name).join(', ')} responses.`,
    xLabel: 'percentile',
    yLabel: 'ms',
    x: LATENCY_POINTS.map((_, i) => i),
    categories: LATENCY_POINTS,
    series: outcomes.map(({ name, p }) => ({
      label: name,
      values: LATENCY_POINTS.map((k) => p[k]),
      colour: LATENCY_COLOUR[name],
      style: 'bars' as const,
    })),
    markers: [],
    markerColour: SERIES_COLOUR.marker,
  };
}

/** A section's generic chart as lines in the palette's colours. */
export function sectionChart(chart: Chart): ChartSpec {
  const n = chart.x.length;
  // uPlot draws lines between points in array order, so points go left to right whatever order they came in.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (chart.x[a] ?? 0) - (chart.x[b] ?? 0));
  return {
    title: chart.title,
    description: `${chart.lines.map((l) => l.label).join(', ')} by ${chart.xLabel}.${markerSentence(chart.markers)}`,
    xLabel: chart.xLabel,
    yLabel: chart.yLabel,
    x: order.map((i) => chart.x[i] ?? 0),
    series: chart.lines.map((line, i) => ({
      label: line.label,
      values: order.map((j) => line.values[j] ?? null),
      colour: line.colour ?? PALETTE[i % PALETTE.length] ?? SERIES_COLOUR.target,
      style: line.style ?? 'line',
    })),
    markers: chart.markers,
    markerColour: SERIES_COLOUR.marker,
  };
}
