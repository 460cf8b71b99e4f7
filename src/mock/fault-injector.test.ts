import { describe, expect, it } from 'vitest';
import { faultsSchema } from '../schema/tenant.ts';
import { createFaultInjector } from './fault-injector.ts';

const faults = (input: Record<string, unknown>) => faultsSchema.parse(input);

describe('fault injector', () => {
  it('fails exactly the next N requests, then none', () => {
    const f = createFaultInjector([{ id: 't', faults: faults({ internalErrorNext: 3 }) }]);
    expect(Array.from({ length: 5 }, () => f.internalError('t'))).toEqual([true, true, true, false, false]);
  });

  it('fails with the configured probability, the same requests for the same seed', () => {
    const draw = (seed: number) => {
      const f = createFaultInjector([{ id: 't', faults: faults({ seed, internalErrorRate: 0.2 }) }]);
      return Array.from({ length: 10_000 }, () => f.internalError('t'));
    };
    const a = draw(7);
    expect(draw(7)).toEqual(a);
    expect(draw(8)).not.toEqual(a);
    const rate = a.filter(Boolean).length / a.length;
    expect(rate).toBeGreaterThan(0.18);
    expect(rate).toBeLessThan(0.22);
  });

  it('forced error answers every request; reset restarts the sequences from the seed', () => {
    const f = createFaultInjector([{ id: 't', faults: faults({ internalErrorNext: 1 }) }]);
    expect(f.internalError('t')).toBe(true);
    expect(f.internalError('t')).toBe(false);
    f.setForcedError(true);
    expect(f.internalError('t')).toBe(true);
    f.reset();
    expect([f.internalError('t'), f.internalError('t')]).toEqual([true, false]);
  });

  it.each([
    { latency: { distribution: 'none' }, check: (v: number[]) => v.every((x) => x === 0) },
    { latency: { distribution: 'fixed', ms: 25 }, check: (v: number[]) => v.every((x) => x === 25) },
    {
      latency: { distribution: 'uniform', minMs: 10, maxMs: 20 },
      check: (v: number[]) => v.every((x) => x >= 10 && x <= 20) && Math.max(...v) - Math.min(...v) > 9,
    },
    {
      latency: { distribution: 'lognormal', medianMs: 50, sigma: 0.5 },
      check: (v: number[]) => {
        const sorted = [...v].sort((a, b) => a - b);
        const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
        return median > 45 && median < 55 && v.every((x) => x > 0);
      },
    },
  ])('latency $latency.distribution is seeded and has its shape', ({ latency, check }) => {
    const sample = () => {
      const f = createFaultInjector([{ id: 't', faults: faults({ seed: 3, latency }) }]);
      return Array.from({ length: 2000 }, () => f.latencyMs('t'));
    };
    const v = sample();
    expect(sample()).toEqual(v);
    expect(check(v)).toBe(true);
  });

  it('latency draws do not change which requests fail', () => {
    const fails = (latency: Record<string, unknown>) => {
      const f = createFaultInjector([
        { id: 't', faults: faults({ seed: 5, internalErrorRate: 0.5, latency }) },
      ]);
      return Array.from({ length: 200 }, () => {
        f.latencyMs('t');
        return f.internalError('t');
      });
    };
    expect(fails({ distribution: 'uniform', minMs: 0, maxMs: 5 })).toEqual(fails({ distribution: 'none' }));
  });
});
