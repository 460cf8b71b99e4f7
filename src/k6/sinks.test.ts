import { describe, expect, it } from 'vitest';
import { createSink } from './sinks.ts';

describe('sinks (k6 aggregation semantics)', () => {
  it('trend percentiles interpolate between closest ranks, like k6', () => {
    const t = createSink('trend');
    for (const v of [10, 20, 30, 40]) t.add(v);
    expect(t.read('med', 0)).toBe(25);
    expect(t.read('p', 0, 90)).toBeCloseTo(37, 10);
    expect(t.read('p', 0, 95)).toBeCloseTo(38.5, 10);
    expect([t.read('min', 0), t.read('max', 0), t.read('avg', 0), t.read('count', 0)]).toEqual([
      10, 40, 25, 4,
    ]);
  });

  it('trend keeps every value past its first buffer', () => {
    const t = createSink('trend');
    for (let i = 2000; i >= 1; i--) t.add(i);
    expect(t.read('p', 0, 50)).toBe(1000.5);
    expect(t.read('max', 0)).toBe(2000);
  });

  it('an empty trend reads zero, a rate counts non-zero values as passes', () => {
    expect(createSink('trend').read('p', 0, 95)).toBe(0);
    const r = createSink('rate');
    for (const v of [1, 0, 0, 1]) r.add(v);
    expect([r.read('rate', 0), r.read('passes', 0), r.read('fails', 0)]).toEqual([0.5, 2, 2]);
  });

  it('a counter rate is per second of the test run', () => {
    const c = createSink('counter');
    for (let i = 0; i < 30; i++) c.add(1);
    expect(c.read('count', 10_000)).toBe(30);
    expect(c.read('rate', 10_000)).toBe(3);
  });
});
