/**
 * soak: a long constant arrival rate (EVKIT_RATE, default 20 req/s, for EVKIT_DURATION, default 1h). With
 * EVKIT_JWT_SECRET + EVKIT_SERVICE_ID each VU re-signs its JWT before the 60-minute validity runs out
 * (EVKIT_JWT_REFRESH_S). Samples are tagged with the part of the test (first 10%, middle, last 10%) so latency
 * and error drift show as separate thresholds.
 */

import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { CODE } from '../src/schema/catalog.ts';
import type { SummaryData } from './lib/k6.ts';
import {
  loadPayloads,
  METRIC,
  pick,
  readConfig,
  SOAK_PARTS,
  SUMMARY_TREND_STATS,
  scriptScenarios,
  send,
  soakScenario,
  summaryOutputs,
  TAG,
} from './lib/k6.ts';

const config = readConfig(__ENV);
const payloads = loadPayloads(config);
const { durationMs } = soakScenario(config);
const [first, middle, last] = SOAK_PARTS;

export const options: Options = {
  discardResponseBodies: true,
  summaryTrendStats: [...SUMMARY_TREND_STATS],
  scenarios: scriptScenarios('soak', config),
  thresholds: {
    [METRIC.rateLimited]: ['rate<0.01'],
    [METRIC.unexpected]: ['rate<0.01'],
    [`${METRIC.unexpected}{${TAG.phase}:${last}}`]: ['rate<0.01'],
    [`${METRIC.latencyAccepted}{${TAG.phase}:${first}}`]: [`p(95)<${config.p95Ms}`],
    [`${METRIC.latencyAccepted}{${TAG.phase}:${last}}`]: [`p(95)<${config.p95Ms}`],
    [`${METRIC.responses}{code:${CODE.queued}}`]: ['count>0'],
    http_req_failed: ['rate<0.01'],
  },
};

export default async function (): Promise<void> {
  const elapsed = Date.now() - exec.scenario.startTime;
  const part = elapsed < durationMs * 0.1 ? first : elapsed >= durationMs * 0.9 ? last : middle;
  await send(pick(payloads, exec.scenario.iterationInTest), config, { [TAG.phase]: part ?? 'middle' });
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs(data, config);
}
