/**
 * The shape of k6's end-of-test summary data (the argument of `handleSummary`), as far as evkit reads or
 * produces it. @types/k6 has no type for it. Pure: shared by the scripts, the harness and the report builder.
 */

/** Values of a counter, rate, trend or gauge metric. */
export type SummaryValues = Record<string, number>;

/** One metric (or sub-metric `name{tag:value}`) of the summary. */
export interface SummaryMetric {
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  contains: 'default' | 'time' | 'data';
  values: SummaryValues;
  thresholds?: Record<string, { ok: boolean }>;
}

/** One check of a group. */
export interface SummaryCheck {
  name: string;
  path: string;
  id: string;
  passes: number;
  fails: number;
}

/** A group with its checks and sub-groups. */
export interface SummaryGroup {
  name: string;
  path: string;
  id: string;
  groups: SummaryGroup[];
  checks: SummaryCheck[];
}

/** `handleSummary(data)`'s argument. */
export interface SummaryData {
  root_group: SummaryGroup;
  options: { summaryTrendStats: string[]; summaryTimeUnit: string; noColor: boolean };
  state: { isStdOutTTY: boolean; isStdErrTTY: boolean; testRunDurationMs: number };
  metrics: Record<string, SummaryMetric>;
  setup_data?: unknown;
}
