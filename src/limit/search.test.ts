import { describe, expect, it } from 'vitest';
import { type SimulatedLimiter, simulatedProbe } from '../../test/helpers/simulate.ts';
import { createRateLimiter } from '../mock/rate-limiter.ts';
import { createRandom } from '../random.ts';
import { burstBand } from '../schema/catalog.ts';
import type { Tenant } from '../schema/tenant.ts';
import { DEFAULT_FIND_LIMIT_OPTIONS, findLimit } from './search.ts';
import type { Probe } from './types.ts';

function mockLimiter(rateLimit: Tenant['rateLimit']): SimulatedLimiter {
  const limiter = createRateLimiter([{ id: 't', rateLimit }]);
  return (now, weight) => limiter.admitAt('t', rateLimit.countBy === 'events' ? weight : 1, now);
}

const cases = [100, 500, 2000].flatMap((tps) =>
  [true, false].flatMap((burst) => (['fixed', 'sliding'] as const).map((window) => ({ tps, burst, window }))),
);

describe('findLimit against the mock limiter on a virtual clock', () => {
  it.each(cases)('TPS $tps, burst $burst, $window window', async ({ tps, burst, window }) => {
    const probe = simulatedProbe(mockLimiter({ tps, burst, window, countBy: 'requests' }));
    const r = await findLimit(probe, DEFAULT_FIND_LIMIT_OPTIONS);
    const band = burst ? burstBand(tps) : 0;
    expect(r.anomalies).toEqual([]);
    expect(r.provisioned?.value).toBeGreaterThanOrEqual(tps * 0.97);
    expect(r.provisioned?.value).toBeLessThanOrEqual(tps * 1.03);
    expect(Math.abs((r.burstBand?.value ?? -1) - band)).toBeLessThanOrEqual(band * 0.1 + 0.5);
    expect(r.testTimeMs).toBeLessThanOrEqual(60_000);
    expect(r.countsBy).toBe('requests');
    expect(r.window).toBe(window === 'fixed' ? 'fixed-aligned' : 'sliding-or-unaligned');
    expect(r.recoveryMs).toBeLessThanOrEqual(1000);
    expect(r.confident).toBe(true);
  });

  // Under load, requests wait in queues before the limiter decides, and the answer comes back soon after: the
  // decision is late in the round trip. A search that placed it at the middle misread fixed windows as sliding.
  it.each(cases.filter((c) => c.tps === 500))(
    'TPS $tps, burst $burst, $window window, deciding 400 ms after sending',
    async ({ tps, burst, window }) => {
      const probe = simulatedProbe(mockLimiter({ tps, burst, window, countBy: 'requests' }), {
        decisionDelayMs: 400,
        latencyMs: 20,
      });
      const r = await findLimit(probe, DEFAULT_FIND_LIMIT_OPTIONS);
      expect(r.window).toBe(window === 'fixed' ? 'fixed-aligned' : 'sliding-or-unaligned');
      expect(r.provisioned?.value).toBeGreaterThanOrEqual(tps * 0.97);
      expect(r.provisioned?.value).toBeLessThanOrEqual(tps * 1.03);
      expect(r.anomalies).toEqual([]);
    },
  );

  it('tries the maximum rate itself when doubling would pass it', async () => {
    // 20, 40, ... 2560 stay under 2700 + 100; 5120 is over the maximum of 4000, so the last step is 4000.
    const probe = simulatedProbe(
      mockLimiter({ tps: 2700, burst: true, window: 'fixed', countBy: 'requests' }),
    );
    const r = await findLimit(probe, { ...DEFAULT_FIND_LIMIT_OPTIONS, maxRate: 4000 });
    expect(r.probes.map((p) => p.plan.rate).filter((x) => x > 2560)[0]).toBe(4000);
    expect(r.provisioned?.value).toBe(2700);
  });

  // A load generator at its ceiling sends what it was asked to, only later: a 1.5 s probe at 3840/s takes 2.2 s.
  // More of the limiter's windows fall into it, so it accepts more in all; in any one second it does not.
  it.each([true, false])(
    'TPS 2000, burst %s, with a load generator that cannot offer more than 2600/s',
    async (burst) => {
      const inner = simulatedProbe(mockLimiter({ tps: 2000, burst, window: 'fixed', countBy: 'requests' }));
      const ceiling = 2600;
      const probe: Probe = async (plan) => {
        const stretch = Math.max(1, plan.rate / ceiling);
        const r = await inner({ ...plan, rate: plan.rate / stretch, durationS: plan.durationS * stretch });
        return r;
      };
      const r = await findLimit(probe, DEFAULT_FIND_LIMIT_OPTIONS);
      expect(r.anomalies).toEqual([]);
      expect(r.provisioned?.value).toBeGreaterThanOrEqual(2000 * 0.97);
      expect(r.provisioned?.value).toBeLessThanOrEqual(2000 * 1.03);
    },
  );

  it('tells a limiter that counts events', async () => {
    const probe = simulatedProbe(mockLimiter({ tps: 300, burst: true, window: 'fixed', countBy: 'events' }));
    const r = await findLimit(probe, DEFAULT_FIND_LIMIT_OPTIONS);
    expect(r.countsBy).toBe('events');
    expect(r.provisioned?.value).toBe(300);
  });
});

describe('findLimit reports anomalies instead of a limit', () => {
  it('a leaky limiter (accepts a share of the excess)', async () => {
    const inner = mockLimiter({ tps: 200, burst: true, window: 'fixed', countBy: 'requests' });
    const random = createRandom(7);
    const probe = simulatedProbe((now, w) => {
      const a = inner(now, w);
      return a === 'rejected' && random.next() < 0.3 ? 'queued' : a;
    });
    const r = await findLimit(probe, DEFAULT_FIND_LIMIT_OPTIONS);
    expect(r.anomalies.map((a) => a.kind)).toContain('accepted-above-limit');
  });
  it('a limiter rejecting at random below the limit', async () => {
    const inner = mockLimiter({ tps: 200, burst: true, window: 'fixed', countBy: 'requests' });
    const random = createRandom(9);
    const probe = simulatedProbe((now, w) => (random.next() < 0.05 ? 'rejected' : inner(now, w)));
    const r = await findLimit(probe, DEFAULT_FIND_LIMIT_OPTIONS);
    expect(r.anomalies.map((a) => a.kind)).toContain('rejected-below-limit');
  });
  it('stops within the budget when nothing rejects', async () => {
    const probe = simulatedProbe(() => 'queued');
    const r = await findLimit(probe, { ...DEFAULT_FIND_LIMIT_OPTIONS, maxRate: 1000 });
    expect(r.provisioned).toBeUndefined();
    expect(r.stoppedBecause).toMatch(/no 7020 up to/);
  });

  it.each([
    [600, true],
    [150, false],
  ])('latency of %d ms from 160/s on, before any 7020: collapse %s', async (slowMs, collapse) => {
    const inner = simulatedProbe(
      mockLimiter({ tps: 400, burst: true, window: 'fixed', countBy: 'requests' }),
    );
    const probe: Probe = async (plan) => {
      const r = await inner(plan);
      return { ...r, samples: r.samples.map((s) => ({ ...s, latencyMs: plan.rate >= 160 ? slowMs : 5 })) };
    };
    const r = await findLimit(probe, DEFAULT_FIND_LIMIT_OPTIONS);
    expect(r.anomalies.some((a) => a.kind === 'latency-collapse')).toBe(collapse);
    if (collapse)
      expect(r.anomalies.find((a) => a.kind === 'latency-collapse')?.detail).toMatch(
        /from 5 ms at 20\/s to 600 ms/,
      );
  });
});
