import type { ResponseCode } from '../schema/index.ts';

/** One answered request of a probe: when it was sent (epoch ms), its body code, burst flag and latency. */
export interface Sample {
  readonly t: number;
  readonly code: ResponseCode | 'other';
  readonly burst: boolean;
  readonly latencyMs: number;
}

/** One short engine run: a constant arrival rate, optionally followed by a back-off stage. */
export interface ProbePlan {
  readonly label: string;
  readonly rate: number;
  readonly durationS: number;
  readonly eventsPerRequest: number;
  /** Start at this phase of a wall-clock second (0..1), so window alignment can be told apart. */
  readonly startPhase: number;
  readonly backOff?: { readonly rate: number; readonly durationS: number };
}

/** What a probe returns: its samples and how long it ran (test time, not wall time). */
export interface ProbeResult {
  readonly samples: readonly Sample[];
  readonly startedAt: number;
  readonly durationMs: number;
  readonly dropped: number;
}

/** Runs one probe (through an engine, or a simulation in tests). */
export type Probe = (plan: ProbePlan) => Promise<ProbeResult>;

/** A measured value with its uncertainty (half-width, same unit). */
export interface Estimate {
  readonly value: number;
  readonly uncertainty: number;
}

/**
 * The anomalies the search reports, and whether each contradicts the limit it found: a limit that rejects
 * below itself, or lets more through than itself, is not a consistent limit, so the search is never confident
 * of it. Errors of other codes and a latency collapse are reported but leave the measured value standing.
 */
export const ANOMALY_KINDS = {
  'rate-independent-rejections': { contradictsLimit: true },
  'rejected-below-limit': { contradictsLimit: true },
  'accepted-above-limit': { contradictsLimit: true },
  'non-rate-errors': { contradictsLimit: false },
  'latency-collapse': { contradictsLimit: false },
} as const satisfies Record<string, { contradictsLimit: boolean }>;
export type AnomalyKind = keyof typeof ANOMALY_KINDS;

/** An anomaly of the limiter: the search reports it instead of trusting a limit. */
export interface Anomaly {
  readonly kind: AnomalyKind;
  readonly detail: string;
}

/** The outcome of one probe, kept for the report. */
export interface ProbeRecord {
  readonly plan: ProbePlan;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly sent: number;
  readonly dropped: number;
  readonly byCode: Readonly<Record<string, number>>;
  readonly burst: number;
  readonly p95LatencyMs: number;
  /** Per wall-clock second of the probe: queued, burst, rejected, other. */
  readonly perSecond: readonly {
    readonly second: number;
    readonly queued: number;
    readonly burst: number;
    readonly rejected: number;
    readonly other: number;
  }[];
}

/** The search's answer. */
export interface FindLimitResult {
  readonly provisioned: Estimate | undefined;
  readonly burstBand: Estimate | undefined;
  /** Offered requests per second above which 7020 starts. */
  readonly onset: Estimate | undefined;
  readonly countsBy: 'requests' | 'events' | 'unknown';
  readonly window: 'fixed-aligned' | 'sliding-or-unaligned' | 'unknown';
  readonly recoveryMs: number | undefined;
  readonly anomalies: readonly Anomaly[];
  /** Within tolerance, and no anomaly contradicts the value. */
  readonly confident: boolean;
  /** False when the search's own anomalies contradict the value it measured ("no consistent limit"). */
  readonly consistent: boolean;
  readonly probes: readonly ProbeRecord[];
  /** The sum of the probes' run times: the search's own test time. */
  readonly testTimeMs: number;
  readonly requests: number;
  readonly stoppedBecause: string;
}

/** Options of the search. */
export interface FindLimitOptions {
  readonly startRate: number;
  readonly maxRate: number;
  readonly budgetSeconds: number;
  readonly budgetRequests: number;
  /** Relative uncertainty to stop at (0.03 = ±3%). */
  readonly tolerance: number;
  readonly eventsProbe: number;
  /** Called after each probe, for progress. */
  readonly onProbe?: (record: ProbeRecord) => void;
}
