/** Metric sinks with k6's aggregation semantics (counter, gauge, rate, trend). */

import { percentileOfSorted } from '../stats/index.ts';

/** The metric types of k6. */
export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

/** Aggregates the samples of one metric or sub-metric. */
export interface Sink {
  add(value: number): void;
  /** The value of an aggregation; `p` is a percentile in [0, 100]. `durationMs` is the test run time. */
  read(kind: string, durationMs: number, p?: number): number;
  readonly count: number;
}

function counter(): Sink {
  let count = 0;
  let sum = 0;
  return {
    add(v) {
      count += 1;
      sum += v;
    },
    read(kind, durationMs) {
      if (kind === 'rate') return durationMs > 0 ? sum / (durationMs / 1000) : 0;
      return sum;
    },
    get count() {
      return count;
    },
  };
}

function gauge(): Sink {
  let count = 0;
  let value = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  return {
    add(v) {
      count += 1;
      value = v;
      if (v < min) min = v;
      if (v > max) max = v;
    },
    read(kind) {
      if (count === 0) return 0;
      return kind === 'min' ? min : kind === 'max' ? max : value;
    },
    get count() {
      return count;
    },
  };
}

function rate(): Sink {
  let passes = 0;
  let total = 0;
  return {
    add(v) {
      total += 1;
      if (v !== 0) passes += 1;
    },
    read(kind) {
      if (kind === 'passes') return passes;
      if (kind === 'fails') return total - passes;
      return total === 0 ? 0 : passes / total;
    },
    get count() {
      return total;
    },
  };
}

/** A trend keeps every value, like k6, so percentiles are exact. */
function trend(): Sink {
  let values = new Float64Array(1024);
  let count = 0;
  let sum = 0;
  let min = 0;
  let max = 0;
  let sorted = true;
  const percentile = (p: number): number => {
    if (count === 0) return 0;
    if (!sorted) {
      values.subarray(0, count).sort();
      sorted = true;
    }
    // k6's TrendSink.P: linear interpolation between the closest ranks (the one definition).
    return percentileOfSorted(values.subarray(0, count), p) ?? 0;
  };
  return {
    add(v) {
      if (count === values.length) {
        const next = new Float64Array(values.length * 2);
        next.set(values);
        values = next;
      }
      values[count] = v;
      if (count === 0 || v < min) min = v;
      if (count === 0 || v > max) max = v;
      count += 1;
      sum += v;
      sorted = false;
    },
    read(kind, _durationMs, p) {
      switch (kind) {
        case 'count':
          return count;
        case 'avg':
          return count === 0 ? 0 : sum / count;
        case 'min':
          return min;
        case 'max':
          return max;
        case 'med':
          return percentile(50);
        case 'p':
          return percentile(p ?? 0);
        default:
          return Number.NaN;
      }
    },
    get count() {
      return count;
    },
  };
}

const FACTORIES = { counter, gauge, rate, trend } as const satisfies Record<MetricType, () => Sink>;

/** A new empty sink of a metric type. */
export function createSink(type: MetricType): Sink {
  return FACTORIES[type]();
}

/** Which aggregations a threshold may use on each metric type. */
export const AGGREGATIONS = {
  counter: ['count', 'rate'],
  gauge: ['value', 'min', 'max'],
  rate: ['rate'],
  trend: ['avg', 'min', 'max', 'med', 'p', 'count'],
} as const satisfies Record<MetricType, readonly string[]>;
