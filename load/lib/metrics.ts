import { Counter, Rate, Trend } from 'k6/metrics';
import { ACCEPTED_CODE, RATE_LIMIT_CODE } from '../../src/schema/catalog.ts';
import type { Outcome } from './classify.ts';
import { METRIC, TAG } from './names.ts';

// Created at import, i.e. in the init context, as k6 requires.
const responses = new Counter(METRIC.responses);
const burst = new Counter(METRIC.burst);
const rateLimited = new Rate(METRIC.rateLimited);
const accepted = new Rate(METRIC.accepted);
const unexpected = new Rate(METRIC.unexpected);
const unexpectedCase = new Counter(METRIC.unexpectedCase);
const latencyAccepted = new Trend(METRIC.latencyAccepted, true);
const latencyRejected = new Trend(METRIC.latencyRejected, true);
const latencyError = new Trend(METRIC.latencyError, true);
const rejectedAtRate = new Trend(METRIC.rejectedAtRate);
const recovery = new Trend(METRIC.recoveryMs, true);

type Tags = Record<string, string>;

/** Record one response: counter by code, burst, 7020 and accepted rates, latency by outcome. */
export function recordOutcome(
  outcome: Outcome,
  latencyMs: number,
  expectedCode: string,
  caseId: string,
  tags: Tags,
): void {
  const withCode = { ...tags, [TAG.code]: outcome.code };
  responses.add(1, withCode);
  if (outcome.burst) burst.add(1, tags);
  const isAccepted = outcome.code === ACCEPTED_CODE;
  const isRejected = outcome.code === RATE_LIMIT_CODE;
  accepted.add(isAccepted, tags);
  rateLimited.add(isRejected, tags);
  const isUnexpected = outcome.code !== expectedCode && !isRejected;
  unexpected.add(isUnexpected, tags);
  if (isUnexpected) unexpectedCase.add(1, { ...withCode, [TAG.case]: caseId });
  const latencyTags = { ...withCode, [TAG.burst]: String(outcome.burst) };
  const trend = isAccepted ? latencyAccepted : isRejected ? latencyRejected : latencyError;
  trend.add(latencyMs, latencyTags);
}

/** rate-limit: record the planned rate at which a 7020 was answered (the onset is the minimum). */
export function recordRejectedAtRate(rate: number, tags: Tags): void {
  rejectedAtRate.add(rate, tags);
}

/** rate-limit: record how long after backing off a 7020 still came. */
export function recordRecovery(ms: number, tags: Tags): void {
  recovery.add(ms, tags);
}
