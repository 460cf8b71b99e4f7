import { describe, expect, it } from 'vitest';
import { owns, parseFraction, scaleCount, segmentPlan } from './segments.ts';

describe('execution segments', () => {
  it('parses fractions, decimals and percentages', () => {
    expect(parseFraction('1/2')).toEqual({ n: 1, d: 2 });
    expect(parseFraction('0.25')).toEqual({ n: 1, d: 4 });
    expect(parseFraction('50%')).toEqual({ n: 1, d: 2 });
    expect(() => parseFraction('3/2')).toThrow(RangeError);
  });

  it('two halves alternate iterations and split VUs', () => {
    const a = segmentPlan('0:1/2', '0,1/2,1');
    const b = segmentPlan('1/2:1', '0,1/2,1');
    const mine = (p: typeof a) => Array.from({ length: 10 }, (_, i) => i).filter((i) => owns(p, i));
    expect(mine(a)).toEqual([0, 2, 4, 6, 8]);
    expect(mine(b)).toEqual([1, 3, 5, 7, 9]);
    expect(scaleCount(a, 5) + scaleCount(b, 5)).toBe(5);
  });

  it('every iteration belongs to exactly one segment of an uneven sequence, in proportion', () => {
    const seq = '0,1/4,1/2,1';
    const plans = ['0:1/4', '1/4:1/2', '1/2:1'].map((s) => segmentPlan(s, seq));
    const counts = plans.map(() => 0);
    for (let i = 0; i < 400; i++) {
      const owners = plans.flatMap((p, index) => (owns(p, i) ? [index] : []));
      expect(owners).toHaveLength(1);
      const owner = owners[0] ?? -1;
      counts[owner] = (counts[owner] ?? 0) + 1;
    }
    expect(counts).toEqual([100, 100, 200]);
    expect(plans.map((p) => scaleCount(p, 10))).toEqual([3, 2, 5]);
  });

  it('a segment that is not in the sequence is refused', () => {
    expect(() => segmentPlan('0:1/3', '0,1/2,1')).toThrow(/not one segment/);
    expect(segmentPlan().size).toBe(1);
  });
});
