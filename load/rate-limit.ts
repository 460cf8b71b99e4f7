/**
 * rate-limit: a ramping arrival rate from half the expected TPS up to a peak well above TPS + burst band
 * (EVKIT_RATE, default EVKIT_PEAK_FACTOR × the limit), held, then back down and held (recovery). It measures
 * accepted per second, the burst band, where 7020 starts and its share, latency of accepted vs rejected, and
 * how fast the tenant recovers after backing off. Every sample is tagged with its phase.
 */
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { CODE, RATE_LIMIT_CODE } from '../src/schema/catalog.ts';
import type { SummaryData } from './lib/k6.ts';
import {
  loadPayloads,
  METRIC,
  phaseAt,
  pick,
  rateAt,
  rateLimitPlan,
  readConfig,
  recordRecovery,
  recordRejectedAtRate,
  SUMMARY_TREND_STATS,
  scriptScenarios,
  send,
  summaryOutputs,
  TAG,
} from './lib/k6.ts';

const config = readConfig(__ENV);
const payloads = loadPayloads(config);
const plan = rateLimitPlan(config);
const tol = config.tolerance;
const over = `${METRIC.accepted}{${TAG.phase}:over}`;
const round = (n: number) => Math.round(n * 10_000) / 10_000;
const rampDownStart = plan.phases.find((p) => p.name === 'ramp-down')?.startMs ?? plan.durationMs;
const overPhase = plan.phases.find((p) => p.name === 'over') ?? { startMs: 0, endMs: 1000 };
const share = plan.limit / plan.peak;
// A fixed window cut by either end of the held peak can shift the accepted share by up to one window's worth
// of the limit; the bound allows that, so it holds for any alignment of the target's windows.
const edge = plan.limit / (plan.peak * ((overPhase.endMs - overPhase.startMs) / 1000));

export const options: Options = {
  discardResponseBodies: true,
  summaryTrendStats: [...SUMMARY_TREND_STATS],
  scenarios: scriptScenarios('rate-limit', config),
  thresholds: {
    // Well below the limit nothing is rejected, and after backing off the tenant recovers.
    [`${METRIC.rateLimited}{${TAG.phase}:below}`]: ['rate<0.01'],
    [`${METRIC.rateLimited}{${TAG.phase}:recovery}`]: ['rate<0.01'],
    [METRIC.recoveryMs]: [`max<${config.recoveryMs}`],
    // 7020 starts only once the planned rate is above TPS + burst band.
    [METRIC.rejectedAtRate]: [`min>=${round(plan.limit * (1 - tol))}`],
    // Held at the peak: 7020 does come, and the accepted share is the limit's share of the peak.
    [`${METRIC.rateLimited}{${TAG.phase}:over}`]: ['rate>0'],
    [over]: [
      `rate<=${round(share * (1 + tol) + edge)}`,
      `rate>=${round(Math.max(0, share * (1 - tol) - edge))}`,
    ],
    // Burst mode answers "Queued in burst mode" above TPS; without burst mode it never does.
    [`${METRIC.burst}{${TAG.phase}:over}`]: [config.burst ? 'count>0' : 'count==0'],
    [METRIC.unexpected]: ['rate<0.01'],
    [METRIC.latencyAccepted]: [`p(95)<${config.p95Ms}`],
    [`${METRIC.responses}{code:${CODE.queued}}`]: ['count>0'],
  },
};

export default async function (): Promise<void> {
  const elapsed = Date.now() - exec.scenario.startTime;
  const tags = { [TAG.phase]: phaseAt(plan, elapsed) };
  const { outcome } = await send(pick(payloads, exec.scenario.iterationInTest), config, tags);
  if (outcome.code !== RATE_LIMIT_CODE) return;
  // While the rate only rises, the planned rate at a 7020 bounds the onset from above.
  if (elapsed < rampDownStart) recordRejectedAtRate(rateAt(plan.low, plan.stages, elapsed), tags);
  else if (elapsed >= plan.backOffMs) recordRecovery(elapsed - plan.backOffMs, tags);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs(data, config);
}
