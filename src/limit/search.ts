import { ACCEPTED_CODE, burstBand, RATE_LIMIT_CODE } from '../schema/index.ts';
import { acceptedRate, percentile, recoveryTime } from '../stats/index.ts';
import {
  fullSeconds,
  phaseDistance,
  recordProbe,
  refillPhase,
  resumePhase,
  slidingCounts,
  spanRates,
} from './analyze.ts';
import {
  ANOMALY_KINDS,
  type Anomaly,
  type AnomalyKind,
  type Estimate,
  type FindLimitOptions,
  type FindLimitResult,
  type Probe,
  type ProbePlan,
  type ProbeRecord,
  type Sample,
} from './types.ts';

/** Why an anomaly makes the found value untrustworthy, in the words of the verdict. */
const ANOMALY_WHY = {
  'rate-independent-rejections':
    '7020 came at rates where the accepted rate still grew with the offered rate',
  'rejected-below-limit': '7020 came below the measured limit',
  'accepted-above-limit': 'more was accepted than the measured limit',
  'non-rate-errors': 'errors other than 7020',
  'latency-collapse': 'latency collapsed before any 7020',
} as const satisfies Record<AnomalyKind, string>;

/** Default search options: a ±3% answer within 60 s of test time. */
export const DEFAULT_FIND_LIMIT_OPTIONS: FindLimitOptions = {
  startRate: 20,
  maxRate: 5000,
  budgetSeconds: 60,
  budgetRequests: 300_000,
  tolerance: 0.03,
  eventsProbe: 3,
};

const BRACKET_SECONDS = 1.5;
const SATURATION_SECONDS = 4;
const BACK_OFF_SECONDS = 2;
const CHECK_SECONDS = 2.5;
const LATENCY_COLLAPSE_FACTOR = 10;
/** A p95 below this is no collapse: a busy load generator alone reaches 100-150 ms at a few hundred req/s. */
const LATENCY_COLLAPSE_MIN_MS = 250;
/** Sliding windows: gaps in the offered load only lower a window's count, so read an upper quantile. */
const SLIDING_QUANTILE = 90;
/** Fixed windows aligned to seconds refill within this distance of a second boundary (seconds). */
const ALIGNED_PHASE_MAX = 0.06;
/**
 * Start phases of the saturation probes: mid-second, then on the second. Refills of fixed windows keep their
 * place on the wall clock; refills of a sliding window move with the probe's start.
 */
const SATURATION_PHASES = [0.5, 0, 0.5] as const;
/** Two probes tell the window kind when one explanation fits this much better than the other (seconds). */
const WINDOW_EVIDENCE_MIN = 0.15;

/**
 * Of the requests a second that a bracket probe sent beyond the probe before it (1.5 times the rate), the share
 * accepted, counted over one-second spans of sends (the fewest accepted in any span): a limiter at its limit
 * accepts no more in a span however much it is offered and however its windows fall, while rejections at any
 * rate leave the accepted share of the extra load near the accepted share of all load (0.9 for 10% rejected at
 * random). Below this share the limit was reached.
 */
const GROWING_SHARE = 0.6;
/** The bracket's step once 7020 has appeared (the share above holds for steps of 1.5 and of 2). */
const STEP_AFTER_7020 = 1.5;

/** Accepted (queued and burst) in a probe. */
const acceptedOf = (record: ProbeRecord): number => record.byCode[ACCEPTED_CODE] ?? 0;

/** Fewer extra requests a second than this tell nothing either way: 10% random rejections of 15 vary by 40%. */
const MIN_EXTRA_PER_SECOND = 40;

/** Accepted and sent per second of a bracket probe: over its one-second spans, else its average. */
function bracketRates(record: ProbeRecord, samples: readonly Sample[]): { accepted: number; sent: number } {
  return (
    spanRates(samples) ?? {
      accepted: acceptedOf(record) / record.plan.durationS,
      sent: record.sent / record.plan.durationS,
    }
  );
}

/**
 * Of the requests a second a probe sent beyond those of the probe before, the share accepted; undefined when
 * there were too few extra requests to tell.
 */
function marginalAcceptance(
  before: { accepted: number; sent: number },
  after: { accepted: number; sent: number },
): number | undefined {
  const offered = after.sent - before.sent;
  // The load generator could not offer more: nothing to tell from the pair.
  if (offered <= before.sent * 0.1) return 0;
  if (offered < MIN_EXTRA_PER_SECOND) return undefined;
  return (after.accepted - before.accepted) / offered;
}

/** A pair of bracket probes where the accepted rate still followed the offered rate. */
interface Growth {
  readonly from: ProbeRecord;
  readonly to: ProbeRecord;
  readonly before: number;
  readonly after: number;
}

/** The anomaly of 7020s that came while the accepted rate still followed the offered rate. */
function rateIndependent(growing: readonly Growth[]): Anomaly[] {
  if (growing.length === 0) return [];
  const steps = growing.map(
    (g) =>
      `${g.from.plan.rate}/s → ${g.to.plan.rate}/s offered: ${Math.round(g.before)} → ${Math.round(g.after)} accepted a second, ${Math.round(100 * share7020(g.to))}% 7020`,
  );
  return [
    {
      kind: 'rate-independent-rejections',
      detail: `7020 came while the accepted rate still grew with the offered rate (${steps.join('; ')}): these rejections do not depend on the rate`,
    },
  ];
}

const share7020 = (r: ProbeRecord) => (r.sent === 0 ? 0 : (r.byCode[RATE_LIMIT_CODE] ?? 0) / r.sent);

/** Where acceptance resumed in one saturation probe, and where in its second the probe started (both 0..1). */
interface Resume {
  readonly phase: number;
  readonly start: number;
}

/**
 * The window kind from two saturation probes that started half a second apart: fixed windows resume at the
 * same phase in both, a sliding window at the same distance from each probe's start. Comparing the two cancels
 * the unknown delay between sending and the limiter's decision. Undefined when no pair decides it.
 */
function windowFromResumes(resumes: readonly Resume[]): FindLimitResult['window'] | undefined {
  for (let i = 0; i < resumes.length; i++) {
    for (let j = i + 1; j < resumes.length; j++) {
      const a = resumes[i] as Resume;
      const b = resumes[j] as Resume;
      if (phaseDistance(a.start, b.start) < 0.3) continue;
      const asFixed = phaseDistance(a.phase, b.phase);
      const asSliding = phaseDistance(a.phase - a.start, b.phase - b.start);
      if (Math.abs(asFixed - asSliding) < WINDOW_EVIDENCE_MIN) continue;
      return asFixed < asSliding ? 'fixed-aligned' : 'sliding-or-unaligned';
    }
  }
  return undefined;
}

/**
 * A central value (median; or an upper quantile where shortfalls are the only error, as in sliding windows
 * that a jittery load does not keep full), with the interquartile half-range as uncertainty (at least 1).
 */
function estimateOf(values: readonly number[], quantile = 50): Estimate {
  const at = (p: number) => percentile(values, p) ?? 0;
  const value = at(quantile);
  const spread = (at(75) - at(25)) / 2;
  return { value, uncertainty: Math.max(1, spread) };
}

/**
 * Find a tenant's limiter behaviour with successive short probes: double the rate until 7020 appears
 * (bracket), then measure directly in saturation — every answer says which band it fell in ("Queued",
 * "Queued in burst mode", 7020), so per-second counts in overload are the provisioned rate and the burst band,
 * without bisection. Further probes check window alignment and recovery (same run), growth with offered load
 * (a leak), what is counted (events per request), and rejections below the limit.
 */
export async function findLimit(
  probe: Probe,
  options: FindLimitOptions = DEFAULT_FIND_LIMIT_OPTIONS,
): Promise<FindLimitResult> {
  const probes: ProbeRecord[] = [];
  // Samples stay out of the records (which go into the report); the saturation analysis needs them.
  const samplesOf = new Map<ProbeRecord, readonly Sample[]>();
  const anomalies: Anomaly[] = [];
  let testTimeMs = 0;
  let requests = 0;
  const spent = () => ({ seconds: testTimeMs / 1000, requests });
  const fits = (plan: ProbePlan) => {
    const seconds = plan.durationS + (plan.backOff?.durationS ?? 0);
    const reqs = plan.rate * plan.durationS + (plan.backOff ? plan.backOff.rate * plan.backOff.durationS : 0);
    return (
      spent().seconds + seconds <= options.budgetSeconds && spent().requests + reqs <= options.budgetRequests
    );
  };
  const run = async (plan: ProbePlan): Promise<ProbeRecord> => {
    const result = await probe(plan);
    const record = recordProbe(plan, result);
    testTimeMs += result.durationMs;
    requests += record.sent;
    probes.push(record);
    samplesOf.set(record, result.samples);
    options.onProbe?.(record);
    return record;
  };
  const result = (partial: Partial<FindLimitResult>, stoppedBecause: string): FindLimitResult => ({
    provisioned: undefined,
    burstBand: undefined,
    onset: undefined,
    countsBy: 'unknown',
    window: 'unknown',
    recoveryMs: undefined,
    confident: false,
    consistent: true,
    ...partial,
    anomalies: [...anomalies, ...(partial.anomalies ?? [])],
    probes,
    testTimeMs,
    requests,
    stoppedBecause,
  });

  // 1. Bracket: double until the limiter rejects and the accepted rate stops following the offered rate. A
  // limiter past its limit accepts no more when offered more; rejections that come at any rate (a share of
  // requests turned away whatever the load) leave the accepted rate growing: no limit was reached yet.
  let rate = options.startRate;
  let firstRejecting: ProbeRecord | undefined;
  let limited: ProbeRecord | undefined;
  const clean: ProbeRecord[] = [];
  const growing: Growth[] = [];
  while (!limited) {
    const plan: ProbePlan = {
      label: `bracket ${rate}/s`,
      rate,
      durationS: BRACKET_SECONDS,
      eventsPerRequest: 1,
      startPhase: 0,
    };
    const previous = probes[probes.length - 1];
    const atMax = rate > options.maxRate;
    if (atMax || !fits(plan)) {
      const why = atMax ? `the maximum rate ${options.maxRate}/s` : 'the budget';
      if (!firstRejecting) {
        return result(
          {},
          atMax ? `no 7020 up to the maximum rate ${options.maxRate}/s` : 'budget spent while bracketing',
        );
      }
      // The first 7020 came at the last rate the search may offer: nothing to compare it with, so take it.
      if (previous === firstRejecting) {
        limited = firstRejecting;
        break;
      }
      return result(
        { anomalies: rateIndependent(growing), consistent: false },
        `no consistent limit: 7020 came from ${firstRejecting.plan.rate}/s on, but the accepted rate kept growing with the offered rate up to ${why}`,
      );
    }
    const record = await run(plan);
    const rejects = (record.byCode[RATE_LIMIT_CODE] ?? 0) > 0;
    if (!rejects && !firstRejecting) clean.push(record);
    else if (!firstRejecting) firstRejecting = record;
    else if (previous) {
      const before = bracketRates(previous, samplesOf.get(previous) ?? []);
      const now = bracketRates(record, samplesOf.get(record) ?? []);
      const share = marginalAcceptance(before, now);
      if (share === undefined) {
        // Too few requests to tell: step on.
      } else if (share > GROWING_SHARE) {
        growing.push({ from: previous, to: record, before: before.accepted, after: now.accepted });
      } else limited = previous;
    }
    if (!limited) {
      // After the first 7020, steps of 1.5: enough to tell a limit from rejections at any rate, without
      // offering twice the limit (which a load generator near its own ceiling cannot). The last step tries the
      // maximum rate itself rather than stopping below it.
      const next = firstRejecting ? Math.ceil(rate * STEP_AFTER_7020) : rate * 2;
      rate = rate < options.maxRate ? Math.min(next, options.maxRate) : next;
    }
  }
  // Accepted per second in the limited probe and in the one after it (offered twice as much, accepted little
  // more): saturation must offer well above both.
  const after = probes[probes.length - 1] as ProbeRecord;
  const acceptedInBracket = acceptedOf(limited) / BRACKET_SECONDS;
  const acceptedAfter = bracketRates(after, samplesOf.get(after) ?? []).accepted;
  anomalies.push(...rateIndependent(growing));

  // 2. Saturation at well above the accepted rate, starting mid-second then on the second, each followed by a
  // back-off stage. At least two such probes run: their comparison tells the window kind.
  const satRate = Math.min(
    options.maxRate,
    Math.max(limited.plan.rate, Math.ceil(acceptedInBracket * 1.5), Math.ceil(acceptedAfter * 1.5)),
  );
  let saturation: ProbeRecord[] = [];
  let provisioned: Estimate | undefined;
  let band: Estimate | undefined;
  let confident = false;
  let window: FindLimitResult['window'] = 'unknown';
  let windowSettled = false;
  let recoveryMs: number | undefined;
  const resumes: Resume[] = [];
  for (let attempt = 0; attempt < SATURATION_PHASES.length && !(confident && windowSettled); attempt++) {
    const plan: ProbePlan = {
      label: `saturation ${satRate}/s`,
      rate: satRate,
      durationS: SATURATION_SECONDS,
      eventsPerRequest: 1,
      startPhase: SATURATION_PHASES[attempt] as number,
      backOff: { rate: Math.max(1, Math.floor(acceptedInBracket * 0.4)), durationS: BACK_OFF_SECONDS },
    };
    if (!fits(plan)) break;
    const record = await run(plan);
    saturation = [...saturation, record];
    const backOffAt = record.startedAt + SATURATION_SECONDS * 1000;
    const samples = samplesOf.get(record) ?? [];
    const resumed = resumePhase(samples, record.startedAt, backOffAt);
    if (resumed !== undefined) resumes.push({ phase: resumed, start: (record.startedAt % 1000) / 1000 });
    const compared = windowFromResumes(resumes);
    if (compared !== undefined) {
      window = compared;
      windowSettled = true;
    } else if (!windowSettled) {
      // One probe only (so far): judge by the estimated decision time, which long queues make unreliable.
      const phase = refillPhase(samples, record.startedAt + 1000, backOffAt);
      if (phase !== undefined) window = phase <= ALIGNED_PHASE_MAX ? 'fixed-aligned' : 'sliding-or-unaligned';
    }
    recoveryMs = recoveryTime(
      samples.flatMap((s) => (s.code === RATE_LIMIT_CODE ? [s.t] : [])),
      backOffAt,
    );
    // Fixed windows: count per wall-clock second. Sliding: count the one-second windows that open at each
    // admission, which a saturated sliding limiter fills exactly (wall-clock seconds cut across them).
    const counts =
      window === 'sliding-or-unaligned'
        ? saturation.map((r) =>
            slidingCounts(
              samplesOf.get(r) ?? [],
              r.startedAt + 1000,
              r.startedAt + SATURATION_SECONDS * 1000,
            ),
          )
        : [];
    const queuedCounts =
      window === 'sliding-or-unaligned'
        ? counts.flatMap((c) => c.queued)
        : saturation.flatMap(fullSeconds).map((x) => x.queued);
    const burstCounts =
      window === 'sliding-or-unaligned'
        ? counts.flatMap((c) => c.burst)
        : saturation.flatMap(fullSeconds).map((x) => x.burst);
    if (queuedCounts.length === 0) continue;
    const q = window === 'sliding-or-unaligned' ? SLIDING_QUANTILE : 50;
    provisioned = estimateOf(queuedCounts, q);
    band = estimateOf(burstCounts.length ? burstCounts : [0], q);
    confident = provisioned.uncertainty <= Math.max(1, options.tolerance * provisioned.value);
  }
  if (!provisioned || !band) return result({ anomalies }, 'budget spent before a saturation probe completed');
  const limit = provisioned.value + band.value;
  const onset: Estimate = { value: limit, uncertainty: provisioned.uncertainty + band.uncertainty };

  // 3. A leak: does the accepted rate grow with the offered load?
  const leakRate = Math.min(options.maxRate, Math.ceil(limit * 2));
  if (leakRate > satRate * 1.2) {
    const plan: ProbePlan = {
      label: `leak check ${leakRate}/s`,
      rate: leakRate,
      durationS: CHECK_SECONDS,
      eventsPerRequest: 1,
      startPhase: 0,
    };
    if (fits(plan)) {
      const record = await run(plan);
      const seconds = fullSeconds(record);
      const accepted = acceptedRate(seconds.map((s) => s.queued + s.burst)) ?? 0;
      if (seconds.length > 0 && accepted > limit * (1 + options.tolerance) + 2) {
        anomalies.push({
          kind: 'accepted-above-limit',
          detail: `at ${leakRate}/s offered, ${accepted}/s were accepted, above the ${limit}/s accepted at ${satRate}/s: the limiter leaks`,
        });
      }
    }
  }
  const documentedBand = burstBand(provisioned.value);
  if (band.value > documentedBand * 1.1 + 1) {
    anomalies.push({
      kind: 'accepted-above-limit',
      detail: `burst band ${band.value}/s exceeds the documented min(0.5 × ${provisioned.value}, 100) = ${documentedBand}/s`,
    });
  }

  // 4. What is counted: send several events per request at a saturating rate.
  let countsBy: FindLimitResult['countsBy'] = 'unknown';
  const k = options.eventsProbe;
  const eventsPlan: ProbePlan = {
    label: `${k} events per request`,
    rate: Math.ceil(limit * 1.5),
    durationS: CHECK_SECONDS,
    eventsPerRequest: k,
    startPhase: 0,
  };
  if (k > 1 && eventsPlan.rate <= options.maxRate && fits(eventsPlan)) {
    const record = await run(eventsPlan);
    const accepted = acceptedRate(fullSeconds(record).map((s) => s.queued + s.burst)) ?? 0;
    const ratio = accepted / limit;
    if (Math.abs(ratio - 1) <= 0.15) countsBy = 'requests';
    else if (Math.abs(ratio - 1 / k) <= 0.15 / k + 1 / limit) countsBy = 'events';
  }

  // 5. Below the limit nothing may be rejected.
  const belowRate = Math.max(1, Math.floor(provisioned.value * 0.8));
  const belowPlan: ProbePlan = {
    label: `below limit ${belowRate}/s`,
    rate: belowRate,
    durationS: CHECK_SECONDS,
    eventsPerRequest: 1,
    startPhase: 0.5,
  };
  // Every bracket probe counts too: random rejections show there first.
  // The dedicated probe follows saturating ones: a sliding window still holds their last second of admissions
  // when it starts, so only its 7020s after its first second count. Bracket probes follow lower rates.
  const below = (p: ProbeRecord, from: number) => ({
    p,
    rejected: (samplesOf.get(p) ?? []).filter((x) => x.code === RATE_LIMIT_CODE && x.t >= from).length,
  });
  const belowProbes = probes.filter((p) => p.plan.label.startsWith('bracket')).map((p) => below(p, 0));
  if (fits(belowPlan)) {
    const record = await run(belowPlan);
    belowProbes.push(below(record, record.startedAt + 1000));
  }
  const rejectedBelow = belowProbes.filter((b) => b.p.plan.rate < limit * 0.9 && b.rejected > 0);
  if (rejectedBelow.length > 0) {
    anomalies.push({
      kind: 'rejected-below-limit',
      detail: rejectedBelow
        .map(
          ({ p, rejected }) =>
            `${rejected} × ${RATE_LIMIT_CODE} at ${p.plan.rate}/s offered (limit ${limit}/s)`,
        )
        .join('; '),
    });
  }

  // 6. Errors that are not 7020, and latency collapsing before any rejection.
  const errors: Record<string, number> = {};
  for (const p of probes) {
    for (const [code, n] of Object.entries(p.byCode))
      if (code !== ACCEPTED_CODE && code !== RATE_LIMIT_CODE) errors[code] = (errors[code] ?? 0) + n;
  }
  if (Object.keys(errors).length > 0) {
    anomalies.push({
      kind: 'non-rate-errors',
      detail: Object.entries(errors)
        .map(([code, n]) => `${n} × ${code}`)
        .join(', '),
    });
  }
  const cleanSorted = clean.filter((p) => p.sent > 0);
  const low = cleanSorted[0];
  const high = cleanSorted[cleanSorted.length - 1];
  if (
    low &&
    high &&
    high !== low &&
    high.p95LatencyMs > Math.max(LATENCY_COLLAPSE_MIN_MS, low.p95LatencyMs * LATENCY_COLLAPSE_FACTOR)
  ) {
    anomalies.push({
      kind: 'latency-collapse',
      detail: `p95 latency rose from ${Math.round(low.p95LatencyMs)} ms at ${low.plan.rate}/s to ${Math.round(high.p95LatencyMs)} ms at ${high.plan.rate}/s before any 7020`,
    });
  }

  // A value the search's own anomalies contradict is never reported as confident.
  const contradicting = anomalies.filter((a) => ANOMALY_KINDS[a.kind].contradictsLimit);
  const consistent = contradicting.length === 0;
  return result(
    {
      provisioned,
      burstBand: band,
      onset,
      countsBy,
      window,
      recoveryMs,
      confident: confident && consistent,
      consistent,
    },
    !consistent
      ? `no consistent limit: ${[...new Set(contradicting.map((a) => ANOMALY_WHY[a.kind]))].join('; ')}`
      : confident
        ? 'confident'
        : 'budget spent before reaching the tolerance',
  );
}
