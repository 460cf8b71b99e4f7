import { z } from 'zod';
import { RESPONSE_CODES } from '../schema/index.ts';

/** The version of the report model; bump it when a field changes meaning. */
export const REPORT_VERSION = 1;

/** Latency percentiles in milliseconds. */
export const percentilesSchema = z.strictObject({
  count: z.number().int().nonnegative(),
  min: z.number(),
  avg: z.number(),
  p50: z.number(),
  p90: z.number(),
  p95: z.number(),
  p99: z.number(),
  max: z.number(),
});
export type Percentiles = z.infer<typeof percentilesSchema>;

const perCode = z.partialRecord(z.enum([...RESPONSE_CODES, 'other']), z.array(z.number().nonnegative()));

/** Per-second series: index i is second i of the run. */
export const seriesSchema = z.strictObject({
  /** Seconds since the start of the run, one per bucket. */
  t: z.array(z.number()),
  /** Responses per second, by body code ('other': no parsable code, transport errors). */
  byCode: perCode,
  /** Of the 1002s, those answered in burst mode. */
  burst: z.array(z.number().nonnegative()),
  /** Iterations started per second (requests sent). */
  sent: z.array(z.number().nonnegative()),
  /** Iterations dropped per second (no free VU). */
  dropped: z.array(z.number().nonnegative()),
  /** Target arrival rate per second, when the executor has one. */
  targetRate: z.array(z.number().nonnegative()),
});
export type Series = z.infer<typeof seriesSchema>;

/** A threshold or check and whether it held. */
export const verdictSchema = z.strictObject({
  name: z.string(),
  ok: z.boolean(),
  detail: z.string(),
});
export type Verdict = z.infer<typeof verdictSchema>;

/** A chart of a report section: named lines over a shared x axis. */
export const chartSchema = z.strictObject({
  title: z.string(),
  xLabel: z.string(),
  yLabel: z.string(),
  x: z.array(z.number()),
  lines: z.array(
    z.strictObject({
      label: z.string(),
      values: z.array(z.number().nullable()),
      /** How the line is drawn: a line (default), a dashed reference line, or points only. */
      style: z.enum(['line', 'dashed', 'points']).optional(),
      /** A colour (#rrggbb) instead of the palette's next one. */
      colour: z
        .string()
        .regex(/^#[0-9a-f]{6}$/i)
        .optional(),
    }),
  ),
  markers: z.array(z.strictObject({ x: z.number(), label: z.string() })).default([]),
});
export type Chart = z.infer<typeof chartSchema>;

/** The versioned report model of one run (load, find-limit, contracts, verify). */
export const runReportSchema = z.strictObject({
  version: z.literal(REPORT_VERSION),
  runId: z.string(),
  kind: z.enum(['load', 'find-limit', 'contracts', 'verify', 'probe']),
  title: z.string(),
  startedAt: z.string(),
  durationMs: z.number().nonnegative(),
  engine: z.enum(['k6', 'harness']).optional(),
  script: z.string().optional(),
  target: z.string(),
  seed: z.number().int(),
  config: z.record(z.string(), z.unknown()),
  totals: z.strictObject({
    requests: z.number().int().nonnegative(),
    byCode: z.partialRecord(z.enum([...RESPONSE_CODES, 'other']), z.number().int().nonnegative()),
    burst: z.number().int().nonnegative(),
    dropped: z.number().int().nonnegative(),
  }),
  series: seriesSchema.optional(),
  latency: z
    .strictObject({
      overall: percentilesSchema,
      accepted: percentilesSchema.optional(),
      rejected: percentilesSchema.optional(),
      error: percentilesSchema.optional(),
    })
    .optional(),
  /** Points of interest on the time axis (seconds since start), e.g. the 7020 onset. */
  markers: z.array(z.strictObject({ t: z.number(), label: z.string() })).default([]),
  thresholds: z.array(verdictSchema).default([]),
  checks: z.array(verdictSchema).default([]),
  /** Extra sections (find-limit results, contract lists), each with optional charts. */
  sections: z
    .array(z.strictObject({ title: z.string(), text: z.string(), charts: z.array(chartSchema).default([]) }))
    .default([]),
  /** Machine-readable findings of the run (e.g. find-limit's estimates), for CI to read. */
  findings: z.record(z.string(), z.unknown()).optional(),
  /** Failing cases, each with a curl line that reproduces it. */
  failures: z.array(z.strictObject({ description: z.string(), curl: z.string() })).default([]),
  ok: z.boolean(),
});
export type RunReport = z.infer<typeof runReportSchema>;
export type RunReportInput = z.input<typeof runReportSchema>;
