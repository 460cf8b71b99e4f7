import { ACCEPTED_CODE, burstBand, RATE_LIMIT_CODE } from '../schema/catalog.ts';
import type { LoadRecording } from './recording.ts';

/** What a run is expected to show about the rate limit. */
export interface LimitExpectation {
  expectedTps: number;
  burst: boolean;
  /** Relative tolerance of the checks. */
  tolerance: number;
  /** This instance's share of the test (execution segments), 1 for the whole test. */
  share: number;
  /** When the ramp fell back below the limit, seconds since start (rate-limit only). */
  backOffS: number | undefined;
  recoveryMs: number;
}

/** The rate-limit measurements of a run, from its per-second series. */
export interface LimitAnalysis {
  /** TPS + burst band, scaled to this instance's share. */
  limit: number;
  band: number;
  /** Seconds with at least one 7020. */
  limitedSeconds: number[];
  /** Median accepted per second over the saturated seconds (their first and last left out). */
  acceptedPerSecond: number | undefined;
  burstPerSecond: number | undefined;
  /** First second with a 7020, and the planned rate in it. */
  onset: { t: number; plannedRate: number } | undefined;
  rejectedShare: number;
  /** Seconds from backing off to the first second without 7020. */
  recoveryS: number | undefined;
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Measure accepted/s at saturation, the burst band, the 7020 onset and the recovery. */
export function analyseLimit(rec: LoadRecording, exp: LimitExpectation): LimitAnalysis {
  const rejected = rec.byCode[RATE_LIMIT_CODE] ?? [];
  const accepted = rec.byCode[ACCEPTED_CODE] ?? [];
  const limitedSeconds = rejected.flatMap((n, i) => (n > 0 ? [i] : []));
  // The first and last limited seconds are partly below the limit: keep the saturated ones between.
  const saturated = limitedSeconds.length > 2 ? limitedSeconds.slice(1, -1) : limitedSeconds;
  const onsetT = limitedSeconds[0];
  const total = rec.sent.reduce((a, b) => a + b, 0);
  const rejectedTotal = rejected.reduce((a, b) => a + b, 0);
  let recoveryS: number | undefined;
  if (exp.backOffS !== undefined) {
    const from = Math.floor(exp.backOffS);
    const clean = rejected.findIndex((n, i) => i >= from && n === 0);
    if (clean >= 0) recoveryS = Math.max(0, clean - exp.backOffS);
  }
  const band = exp.burst ? burstBand(exp.expectedTps) : 0;
  return {
    limit: (exp.expectedTps + band) * exp.share,
    band: band * exp.share,
    limitedSeconds,
    acceptedPerSecond: median(saturated.map((i) => accepted[i] ?? 0)),
    burstPerSecond: median(saturated.map((i) => rec.burst[i] ?? 0)),
    onset: onsetT === undefined ? undefined : { t: onsetT, plannedRate: rec.targetRate[onsetT] ?? 0 },
    rejectedShare: total === 0 ? 0 : rejectedTotal / total,
    recoveryS,
  };
}
