import type { MetricRegistry } from './registry.ts';
import { AGGREGATIONS, type Sink } from './sinks.ts';
import {
  holds,
  type MetricSelector,
  parseExpression,
  parseMetricKey,
  type ThresholdExpression,
} from './thresholds.ts';

/** One threshold of the script, bound to the sink it reads. */
export interface BoundThreshold {
  selector: MetricSelector;
  expression: ThresholdExpression;
  abortOnFail: boolean;
  delayAbortEvalMs: number;
  sink: Sink;
}

/** A threshold's verdict. */
export interface ThresholdResult {
  /** The metric key as the script wrote it, e.g. `evkit_accepted{phase:over}`. */
  metric: string;
  expression: string;
  ok: boolean;
  /** The observed value of the aggregation. */
  observed: number;
}

type RawThreshold = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };

/** Parse `options.thresholds` and bind each to its metric or sub-metric; unknown metrics are an error, as in k6. */
export function bindThresholds(
  registry: MetricRegistry,
  thresholds: Record<string, RawThreshold[]> | undefined,
  parseDurationMs: (d: string) => number,
): BoundThreshold[] {
  const out: BoundThreshold[] = [];
  for (const [key, list] of Object.entries(thresholds ?? {})) {
    const selector = parseMetricKey(key);
    const metric = registry.metrics.get(selector.metric);
    if (!metric) throw new TypeError(`threshold on unknown metric "${selector.metric}"`);
    const sink =
      Object.keys(selector.tags).length > 0 ? registry.submetric(selector, metric.type) : metric.sink;
    for (const raw of list) {
      const source = typeof raw === 'string' ? raw : raw.threshold;
      const expression = parseExpression(source);
      const allowed: readonly string[] = AGGREGATIONS[metric.type];
      if (!allowed.includes(expression.aggregation.kind)) {
        throw new TypeError(
          `threshold "${source}" on ${metric.type} metric "${key}": use ${allowed.map((a) => (a === 'p' ? 'p(N)' : a)).join(', ')}`,
        );
      }
      out.push({
        selector,
        expression,
        abortOnFail: typeof raw === 'object' && raw.abortOnFail === true,
        delayAbortEvalMs:
          typeof raw === 'object' && raw.delayAbortEval ? parseDurationMs(raw.delayAbortEval) : 0,
        sink,
      });
    }
  }
  return out;
}

/** The observed value of a threshold's aggregation. */
export function observe(t: BoundThreshold, durationMs: number): number {
  const a = t.expression.aggregation;
  return a.kind === 'p' ? t.sink.read('p', durationMs, a.p) : t.sink.read(a.kind, durationMs);
}

/** Evaluate every threshold over the run so far (k6 has no sliding windows). */
export function evaluateThresholds(list: readonly BoundThreshold[], durationMs: number): ThresholdResult[] {
  return list.map((t) => {
    const observed = observe(t, durationMs);
    return {
      metric: t.selector.key,
      expression: t.expression.source,
      ok: holds(t.expression, observed),
      observed,
    };
  });
}
