import { ACCEPTED_CODE, burstBand, RATE_LIMIT_CODE } from '../schema/index.ts';
import {
  acceptedRate,
  limitedSeconds as limitedOf,
  recoveryFromSeries,
  saturatedSeconds,
} from '../stats/index.ts';
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
  /** Seconds from backing off to the last 7020 after it (src/stats/rate-limit.ts); undefined: still limited at the end. */
  recoveryS: number | undefined;
}

/** Measure accepted/s at saturation, the burst band, the 7020 onset and the recovery. */
export function analyseLimit(rec: LoadRecording, exp: LimitExpectation): LimitAnalysis {
  const rejected = rec.byCode[RATE_LIMIT_CODE] ?? [];
  const accepted = rec.byCode[ACCEPTED_CODE] ?? [];
  const limitedSeconds = limitedOf(rejected);
  const saturated = saturatedSeconds(limitedSeconds);
  const onsetT = limitedSeconds[0];
  const total = rec.sent.reduce((a, b) => a + b, 0);
  const rejectedTotal = rejected.reduce((a, b) => a + b, 0);
  const recoveryS = exp.backOffS === undefined ? undefined : recoveryFromSeries(rejected, exp.backOffS);
  const band = exp.burst ? burstBand(exp.expectedTps) : 0;
  return {
    limit: (exp.expectedTps + band) * exp.share,
    band: band * exp.share,
    limitedSeconds,
    acceptedPerSecond: acceptedRate(saturated.map((i) => accepted[i] ?? 0)),
    burstPerSecond: acceptedRate(saturated.map((i) => rec.burst[i] ?? 0)),
    onset: onsetT === undefined ? undefined : { t: onsetT, plannedRate: rec.targetRate[onsetT] ?? 0 },
    rejectedShare: total === 0 ? 0 : rejectedTotal / total,
    recoveryS,
  };
}
