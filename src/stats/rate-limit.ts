/**
 * The one rate-limit analysis: the 7020 onset, the accepted rate while limited and the recovery, shared by the
 * load report (src/load/analysis.ts, per-second series) and find-limit (src/limit, per-request samples).
 *
 * Definitions:
 * - a **limited second** has at least one 7020; the **onset** is the first of them;
 * - the **accepted rate** while limited is the median (src/stats/statistics.ts) of the accepted per second over
 *   the saturated seconds: the limited ones without the first and the last, which are partly below the limit
 *   (all of them when there are two or fewer);
 * - **recovery** is the time from backing off below the limit to the last 7020 after it, 0 when none came
 *   (docs/load.md's `evkit_recovery_ms`: "for each 7020 after the ramp fell back below the limit, ms since it
 *   did", whose maximum is this). In per-second series a 7020 counts at the end of its second.
 */
import { median } from './statistics.ts';

/** The seconds (indices) with at least one 7020. */
export function limitedSeconds(rejectedPerSecond: readonly number[]): number[] {
  return rejectedPerSecond.flatMap((n, i) => (n > 0 ? [i] : []));
}

/** The saturated seconds among the limited ones: their first and last left out when there are more than 2. */
export function saturatedSeconds(limited: readonly number[]): readonly number[] {
  return limited.length > 2 ? limited.slice(1, -1) : limited;
}

/** The accepted rate while limited: the median of accepted per second over the given (saturated) seconds. */
export function acceptedRate(acceptedPerSecond: readonly number[]): number | undefined {
  return median(acceptedPerSecond);
}

/** Recovery from the times of the 7020s: the time from `backOffAt` to the last one after it (0 when none). */
export function recoveryTime(rejectedAt: Iterable<number>, backOffAt: number): number {
  let last = backOffAt;
  for (const t of rejectedAt) if (t > last) last = t;
  return last - backOffAt;
}

/**
 * Recovery from a per-second series (seconds since start): a 7020 in second `i` (from the one backing off
 * falls in) counts at `i + 1`. Undefined when the run's last second still had a 7020 (no recovery seen) or the
 * series ends before the back-off.
 */
export function recoveryFromSeries(
  rejectedPerSecond: readonly number[],
  backOffS: number,
): number | undefined {
  const from = Math.max(0, Math.floor(backOffS));
  if (from >= rejectedPerSecond.length || (rejectedPerSecond.at(-1) ?? 0) > 0) return undefined;
  const ends: number[] = [];
  for (let i = from; i < rejectedPerSecond.length; i++) if ((rejectedPerSecond[i] ?? 0) > 0) ends.push(i + 1);
  return recoveryTime(ends, backOffS);
}
