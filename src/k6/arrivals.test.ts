import { describe, expect, it } from 'vitest';
import { arrivalTimes, normaliseScenario, plannedRate } from './arrivals.ts';

const times = (raw: Record<string, unknown>) => [...arrivalTimes(normaliseScenario('s', raw))];

describe('arrival-rate executors', () => {
  it('constant-arrival-rate spaces starts evenly from t=0', () => {
    const t = times({
      executor: 'constant-arrival-rate',
      rate: 10,
      timeUnit: '1s',
      duration: '2s',
      preAllocatedVUs: 1,
    });
    expect(t).toHaveLength(20);
    expect(t.slice(0, 3)).toEqual([
      [0, 0],
      [1, 100],
      [2, 200],
    ]);
    expect(t.at(-1)?.[1]).toBeCloseTo(1900, 6);
  });

  it('ramping-arrival-rate starts the integral of the rate, and follows zero-length stages as jumps', () => {
    const raw = {
      executor: 'ramping-arrival-rate',
      startRate: 0,
      timeUnit: '1s',
      preAllocatedVUs: 1,
      stages: [
        { target: 100, duration: '2s' },
        { target: 10, duration: '0s' },
        { target: 10, duration: '1s' },
      ],
    };
    const t = times(raw);
    // 0 -> 100/s over 2 s is 100 iterations, then 10 more at 10/s.
    expect(t).toHaveLength(110);
    // The integral of 50·t reaches 56.25 at 1.5 s: iterations 0..56 start before it.
    expect(t.filter(([, at]) => at < 1500)).toHaveLength(57);
    expect(t.filter(([, at]) => at >= 2000)).toHaveLength(10);
    const s = normaliseScenario('s', raw);
    expect(plannedRate(s, 1000)).toBeCloseTo(50, 6);
    expect(plannedRate(s, 2500)).toBeCloseTo(10, 6);
  });

  it('refuses executors the harness does not implement', () => {
    expect(() => normaliseScenario('x', { executor: 'constant-vus', vus: 1, duration: '1s' })).toThrow(
      /not implemented by the harness/,
    );
  });
});
