/**
 * The k6 model both engines share, pure (no worker, no I/O): arrival-rate executors, execution segments,
 * threshold expressions, metric sinks and the metrics registry, k6's summary data, threshold verdicts.
 * The harness (src/harness) runs scripts on it; run orchestration (src/load) plans and reads runs with it.
 */
export {
  type ArrivalScenario,
  arrivalTimes,
  EXECUTORS,
  normaliseScenario,
  plannedRate,
} from './arrivals.ts';
export {
  type CapturedSample,
  type CaptureSpec,
  type Metric,
  MetricRegistry,
  type SeriesData,
  type SeriesSpec,
  type Tags,
} from './registry.ts';
export { owns, parseFraction, type SegmentPlan, scaleCount, segmentPlan } from './segments.ts';
export { AGGREGATIONS, createSink, type MetricType, type Sink } from './sinks.ts';
export { buildSummaryData, DEFAULT_TREND_STATS, type SummarySource } from './summary.ts';
export {
  type Aggregation,
  aggregationKey,
  holds,
  type MetricSelector,
  type Operator,
  parseExpression,
  parseMetricKey,
  type ThresholdExpression,
} from './thresholds.ts';
export {
  type BoundThreshold,
  bindThresholds,
  evaluateThresholds,
  observe,
  type ThresholdResult,
} from './verdicts.ts';
