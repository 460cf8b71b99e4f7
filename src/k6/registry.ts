import { createSink, type MetricType, type Sink } from './sinks.ts';
import type { MetricSelector } from './thresholds.ts';

/** Sample tags. */
export type Tags = Readonly<Record<string, string>>;

/** Bucket a metric per second of the run, summing values, optionally grouped by tag values. */
export interface SeriesSpec {
  /** Key of the result. */
  name: string;
  /** The metrics whose samples feed this series. */
  metrics: readonly string[];
  /** Tag names whose values (joined by a space) name the group; none: one group ''. */
  groupBy?: readonly string[];
  /** Add 1 per sample instead of its value. */
  count?: boolean;
  /** For time trends of a request: bucket at the request's start (sample time minus the value). */
  atSendTime?: boolean;
  /** Also keep every value per second (for per-second percentiles). */
  keepValues?: boolean;
}

/** Keep every sample of some metrics, with some tag values (e.g. per-request records for find-limit). */
export interface CaptureSpec {
  name: string;
  metrics: readonly string[];
  tags: readonly string[];
}

/** One captured sample: epoch ms, value, the requested tag values in order ('' when absent). */
export interface CapturedSample {
  t: number;
  v: number;
  tags: string[];
}

/** Per-second sums by group, and optionally the raw values per second. */
export interface SeriesData {
  byGroup: Record<string, number[]>;
  values?: number[][];
}

interface SeriesRecorder {
  spec: SeriesSpec;
  byGroup: Map<string, number[]>;
  values: number[][] | undefined;
  totals: Map<string, number>;
}

interface CaptureRecorder {
  spec: CaptureSpec;
  samples: CapturedSample[];
}

/** One metric: its sink, the sub-metrics thresholds asked for, and what records it. */
export interface Metric {
  readonly name: string;
  readonly type: MetricType;
  readonly contains: 'default' | 'time' | 'data';
  readonly sink: Sink;
  readonly subs: { selector: MetricSelector; sink: Sink }[];
  readonly series: SeriesRecorder[];
  readonly captures: CaptureRecorder[];
}

/** Every metric of a run; `add` is the hot path of the harness. */
export class MetricRegistry {
  readonly metrics = new Map<string, Metric>();
  private readonly seriesRecorders: SeriesRecorder[];
  private readonly captureRecorders: CaptureRecorder[];
  private readonly out: ((line: string) => void) | undefined;
  private start = Date.now();

  constructor(options: {
    series?: readonly SeriesSpec[];
    captures?: readonly CaptureSpec[];
    out?: (line: string) => void;
  }) {
    this.seriesRecorders = (options.series ?? []).map((spec) => ({
      spec,
      byGroup: new Map(),
      values: spec.keepValues ? [] : undefined,
      totals: new Map(),
    }));
    this.captureRecorders = (options.captures ?? []).map((spec) => ({ spec, samples: [] }));
    this.out = options.out;
  }

  /** Set t=0 of the per-second series (epoch ms). */
  setStart(ms: number): void {
    this.start = ms;
  }

  /** Define a metric (idempotent); redefining a name with another type is an error, as in k6. */
  define(name: string, type: MetricType, contains: Metric['contains'] = 'default'): Metric {
    const known = this.metrics.get(name);
    if (known) {
      if (known.type !== type)
        throw new TypeError(`metric "${name}" is already a ${known.type}, not a ${type}`);
      return known;
    }
    if (!/^[A-Za-z0-9_]{1,128}$/.test(name)) throw new TypeError(`invalid metric name "${name}"`);
    const metric: Metric = {
      name,
      type,
      contains,
      sink: createSink(type),
      subs: [],
      series: this.seriesRecorders.filter((r) => r.spec.metrics.includes(name)),
      captures: this.captureRecorders.filter((r) => r.spec.metrics.includes(name)),
    };
    this.metrics.set(name, metric);
    this.out?.(
      JSON.stringify({
        type: 'Metric',
        data: { name, type, contains, thresholds: [], submetrics: null },
        metric: name,
      }),
    );
    return metric;
  }

  /** A sink for a sub-metric (`name{tag:value}`), created on first use. */
  submetric(selector: MetricSelector, type: MetricType): Sink {
    const metric = this.metrics.get(selector.metric) ?? this.define(selector.metric, type);
    const known = metric.subs.find((s) => s.selector.key === selector.key);
    if (known) return known.sink;
    const sink = createSink(metric.type);
    metric.subs.push({ selector, sink });
    return sink;
  }

  /** Record one sample. */
  add(metric: Metric, value: number, tags: Tags, time: number): void {
    metric.sink.add(value);
    for (const sub of metric.subs) {
      let match = true;
      for (const k in sub.selector.tags) {
        if (tags[k] !== sub.selector.tags[k]) {
          match = false;
          break;
        }
      }
      if (match) sub.sink.add(value);
    }
    if (metric.series.length > 0) {
      for (const r of metric.series) {
        const at = r.spec.atSendTime ? time - value : time;
        const second = Math.max(0, Math.floor((at - this.start) / 1000));
        const amount = r.spec.count ? 1 : value;
        const group = r.spec.groupBy ? r.spec.groupBy.map((g) => tags[g] ?? '').join(' ') : '';
        let arr = r.byGroup.get(group);
        if (!arr) {
          arr = [];
          r.byGroup.set(group, arr);
        }
        while (arr.length <= second) arr.push(0);
        arr[second] = (arr[second] ?? 0) + amount;
        r.totals.set(group, (r.totals.get(group) ?? 0) + amount);
        if (r.values) {
          while (r.values.length <= second) r.values.push([]);
          r.values[second]?.push(value);
        }
      }
    }
    for (const c of metric.captures) {
      c.samples.push({ t: time, v: value, tags: c.spec.tags.map((t) => tags[t] ?? '') });
    }
    if (this.out) {
      this.out(
        JSON.stringify({
          type: 'Point',
          metric: metric.name,
          data: { time: new Date(time).toISOString(), value, tags },
        }),
      );
    }
  }

  /** Running totals of every series, by group (for progress lines). */
  totals(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const r of this.seriesRecorders) out[r.spec.name] = Object.fromEntries(r.totals);
    return out;
  }

  /** The recorded series, each group padded to `seconds` buckets. */
  series(seconds: number): Record<string, SeriesData> {
    const out: Record<string, SeriesData> = {};
    for (const r of this.seriesRecorders) {
      const byGroup: Record<string, number[]> = {};
      for (const [group, arr] of r.byGroup) {
        byGroup[group] = Array.from({ length: Math.max(seconds, arr.length) }, (_, i) => arr[i] ?? 0);
      }
      const data: SeriesData = { byGroup };
      if (r.values)
        data.values = Array.from(
          { length: Math.max(seconds, r.values.length) },
          (_, i) => r.values?.[i] ?? [],
        );
      out[r.spec.name] = data;
    }
    return out;
  }

  /** The captured samples by capture name. */
  captures(): Record<string, CapturedSample[]> {
    return Object.fromEntries(this.captureRecorders.map((c) => [c.spec.name, c.samples]));
  }
}
