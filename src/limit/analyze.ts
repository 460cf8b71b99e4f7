import { ACCEPTED_CODE, RATE_LIMIT_CODE } from '../schema/index.ts';
import { median, percentile } from '../stats/index.ts';
import type { ProbePlan, ProbeRecord, ProbeResult, Sample } from './types.ts';

const isAccepted = (s: Sample) => s.code === ACCEPTED_CODE;
const isRejected = (s: Sample) => s.code === RATE_LIMIT_CODE;

/** Summarise one probe: totals per code and counts per wall-clock second. */
export function recordProbe(plan: ProbePlan, result: ProbeResult): ProbeRecord {
  const byCode: Record<string, number> = {};
  const seconds = new Map<
    number,
    { second: number; queued: number; burst: number; rejected: number; other: number }
  >();
  let burst = 0;
  for (const s of result.samples) {
    byCode[s.code] = (byCode[s.code] ?? 0) + 1;
    const second = Math.floor(s.t / 1000);
    let bucket = seconds.get(second);
    if (!bucket) {
      bucket = { second, queued: 0, burst: 0, rejected: 0, other: 0 };
      seconds.set(second, bucket);
    }
    if (isAccepted(s)) {
      if (s.burst) {
        bucket.burst += 1;
        burst += 1;
      } else bucket.queued += 1;
    } else if (isRejected(s)) bucket.rejected += 1;
    else bucket.other += 1;
  }
  return {
    plan,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    sent: result.samples.length,
    dropped: result.dropped,
    byCode,
    burst,
    p95LatencyMs:
      percentile(
        result.samples.map((s) => s.latencyMs),
        95,
      ) ?? 0,
    perSecond: [...seconds.values()].sort((a, b) => a.second - b.second),
  };
}

/** Wall-clock seconds lying wholly inside the probe's main (constant-rate) stage. */
export function fullSeconds(record: ProbeRecord): ProbeRecord['perSecond'] {
  const start = record.startedAt;
  const end = start + record.plan.durationS * 1000;
  return record.perSecond.filter((b) => b.second * 1000 >= start && (b.second + 1) * 1000 <= end);
}

/**
 * Where in the wall-clock second acceptance resumes after a run of rejections: near 0 for fixed windows
 * aligned to seconds, elsewhere for sliding windows (which follow the probe's own start).
 * Returns the median circular distance of those moments from a second boundary, in seconds (0..0.5).
 */
export function refillPhase(samples: readonly Sample[], from: number, to: number): number | undefined {
  const sorted = samples.filter((s) => s.t >= from && s.t < to).sort((a, b) => a.t - b.t);
  const phases: number[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as Sample;
    const cur = sorted[i] as Sample;
    if (isRejected(prev) && isAccepted(cur)) {
      // The limiter decided somewhere between send and answer: under load the wait sits in either queue.
      const decidedAt = cur.t + cur.latencyMs / 2;
      const phase = (decidedAt % 1000) / 1000;
      phases.push(Math.min(phase, 1 - phase));
    }
  }
  return median(phases);
}

/**
 * Where in the second, by send time, acceptance resumes after a run of rejections: the circular mean phase
 * (0..1) of those moments between `from` and `to`. Requests reach the limiter some time after they are sent;
 * under load that delay is unknown but alike for probes at one rate, so phases of two probes can be compared
 * without knowing it.
 */
export function resumePhase(samples: readonly Sample[], from: number, to: number): number | undefined {
  const sorted = samples.filter((s) => s.t >= from && s.t < to).sort((a, b) => a.t - b.t);
  let x = 0;
  let y = 0;
  let n = 0;
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as Sample;
    const cur = sorted[i] as Sample;
    if (isRejected(prev) && isAccepted(cur)) {
      const angle = ((cur.t % 1000) / 1000) * 2 * Math.PI;
      x += Math.cos(angle);
      y += Math.sin(angle);
      n += 1;
    }
  }
  if (n === 0) return undefined;
  const phase = Math.atan2(y, x) / (2 * Math.PI);
  return phase < 0 ? phase + 1 : phase;
}

/** The distance of two phases on the circle of one second (0..0.5). */
export function phaseDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % 1;
  return Math.min(d, 1 - d);
}

/**
 * For each admission between `from` and `to - 1000`, how many admissions of its band (queued, burst) fall in
 * the one second that starts there.
 */
export function slidingCounts(
  samples: readonly Sample[],
  from: number,
  to: number,
): { queued: number[]; burst: number[] } {
  const count = (times: number[]) => {
    const out: number[] = [];
    let j = 0;
    for (let i = 0; i < times.length; i++) {
      const start = times[i] as number;
      if (start < from || start + 1000 > to) continue;
      if (j < i) j = i;
      while (j < times.length && (times[j] as number) < start + 1000) j++;
      out.push(j - i);
    }
    return out;
  };
  const accepted = samples.filter(isAccepted);
  return {
    queued: count(
      accepted
        .filter((s) => !s.burst)
        .map((s) => s.t)
        .sort((a, b) => a - b),
    ),
    burst: count(
      accepted
        .filter((s) => s.burst)
        .map((s) => s.t)
        .sort((a, b) => a - b),
    ),
  };
}

/**
 * Over every one-second span of a probe's sends (one starting at each send, ending by its last), the fewest
 * accepted and the median sent. A limiter past its limit accepts at most its limit in most such spans whatever
 * the phase of its windows and however long the load generator took to send; the fewest is the limit or below.
 * Undefined when the probe sent for less than a second.
 */
export function spanRates(samples: readonly Sample[]): { accepted: number; sent: number } | undefined {
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  const last = sorted[sorted.length - 1]?.t;
  if (last === undefined) return undefined;
  let fewest = Number.POSITIVE_INFINITY;
  const sent: number[] = [];
  let j = 0;
  let accepted = 0;
  for (let i = 0; i < sorted.length; i++) {
    const start = (sorted[i] as Sample).t;
    if (start + 1000 > last) break;
    if (j < i) {
      j = i;
      accepted = 0;
    }
    while (j < sorted.length && (sorted[j] as Sample).t < start + 1000) {
      if (isAccepted(sorted[j] as Sample)) accepted += 1;
      j += 1;
    }
    fewest = Math.min(fewest, accepted);
    sent.push(j - i);
    // The span moves on past this send.
    if (isAccepted(sorted[i] as Sample)) accepted -= 1;
  }
  const sentMedian = median(sent);
  return sentMedian === undefined ? undefined : { accepted: fewest, sent: sentMedian };
}
