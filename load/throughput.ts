/**
 * throughput: a constant arrival rate (EVKIT_RATE req/s for EVKIT_DURATION), EVKIT_EVENTS_PER_REQUEST events
 * per request. Thresholds: no 7020, no unexpected codes, p95 latency of accepted responses.
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
  SUMMARY_TREND_STATS,
  scriptScenarios,
  send,
  summaryOutputs,
} from './lib/k6.ts';

const config = readConfig(__ENV);
const payloads = loadPayloads(config);

export const options: Options = {
  discardResponseBodies: true,
  summaryTrendStats: [...SUMMARY_TREND_STATS],
  scenarios: scriptScenarios('throughput', config),
  thresholds: {
    [METRIC.rateLimited]: ['rate<0.01'],
    [METRIC.unexpected]: ['rate<0.01'],
    [METRIC.latencyAccepted]: [`p(95)<${config.p95Ms}`],
    // Guards against a run that answered nothing (a threshold on zero samples would pass).
    [`${METRIC.responses}{code:${CODE.queued}}`]: ['count>0'],
    http_req_failed: ['rate<0.01'],
  },
};

export default async function (): Promise<void> {
  await send(pick(payloads, exec.scenario.iterationInTest), config, {});
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs(data, config);
}
