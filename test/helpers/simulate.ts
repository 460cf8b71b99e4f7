import type { Admission } from '../../src/evaluate/index.ts';
import type { Probe, ProbePlan, Sample } from '../../src/limit/index.ts';
import { ACCEPTED_CODE, RATE_LIMIT_CODE } from '../../src/schema/index.ts';

/** A limiter decision at a virtual time; `weight` is the events of the request. */
export type SimulatedLimiter = (nowMs: number, weight: number) => Admission;

/**
 * A probe that runs on a virtual clock against a limiter function: arrivals evenly spaced at the plan's rate,
 * starting at the plan's phase of a second. For unit tests of the search, with no network and no waiting.
 * `decisionDelayMs` is how long a request waits before the limiter decides (a queue in front of it, as under
 * load); the reported latency is that delay plus `latencyMs`.
 */
export function simulatedProbe(
  limiter: SimulatedLimiter,
  options: { startMs?: number; latencyMs?: number; decisionDelayMs?: number } = {},
): Probe {
  let now = options.startMs ?? Date.UTC(2026, 0, 1);
  const delay = options.decisionDelayMs ?? 0;
  const latency = delay + (options.latencyMs ?? 1);
  return async (plan: ProbePlan) => {
    // Gap between probes, then start at the requested phase of the next second.
    now = (Math.floor(now / 1000) + 1) * 1000 + Math.round(plan.startPhase * 1000);
    const startedAt = now;
    const samples: Sample[] = [];
    const stages = [{ rate: plan.rate, durationS: plan.durationS }, ...(plan.backOff ? [plan.backOff] : [])];
    let t = startedAt;
    for (const stage of stages) {
      const count = Math.round(stage.rate * stage.durationS);
      const step = 1000 / stage.rate;
      const stageStart = t;
      for (let i = 0; i < count; i++) {
        const at = stageStart + i * step;
        const admission = limiter(at + delay, plan.eventsPerRequest);
        samples.push({
          t: at,
          code: admission === 'rejected' ? RATE_LIMIT_CODE : ACCEPTED_CODE,
          burst: admission === 'burst',
          latencyMs: latency,
        });
      }
      t = stageStart + stage.durationS * 1000;
    }
    now = t;
    return { samples, startedAt, durationMs: t - startedAt, dropped: 0 };
  };
}
