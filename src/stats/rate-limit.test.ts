import { describe, expect, it } from 'vitest';
import {
  acceptedRate,
  limitedSeconds,
  recoveryFromSeries,
  recoveryTime,
  saturatedSeconds,
} from './rate-limit.ts';

describe('the one rate-limit analysis', () => {
  it('limited seconds, the saturated ones between the first and last, their accepted median', () => {
    const rejected = [0, 0, 3, 9, 9, 2, 0];
    expect(limitedSeconds(rejected)).toEqual([2, 3, 4, 5]);
    expect(saturatedSeconds([2, 3, 4, 5])).toEqual([3, 4]);
    expect(saturatedSeconds([2, 3])).toEqual([2, 3]);
    expect(acceptedRate([100, 104, 98])).toBe(100);
    expect(acceptedRate([])).toBeUndefined();
  });

  it('recovery: time from backing off to the last 7020 after it, 0 when none came', () => {
    expect(recoveryTime([900, 1200, 1500, 1100], 1000)).toBe(500);
    expect(recoveryTime([900], 1000)).toBe(0);
    expect(recoveryTime([], 1000)).toBe(0);
  });

  it('recovery from a series: a 7020 counts at the end of its second', () => {
    // Backed off at 10.4 s; 7020s in seconds 10 and 11, none after: the last came by 12 s.
    expect(recoveryFromSeries([0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 5, 2, 0, 0], 10.4)).toBeCloseTo(1.6);
    // Nothing limited after backing off.
    expect(recoveryFromSeries([5, 0, 0, 0], 1.5)).toBe(0);
    // A 7020 that comes back after a clean second counts: recovery is to the last one.
    expect(recoveryFromSeries([0, 0, 3, 0, 4, 0], 2)).toBe(3);
    // Still limited when the run ends, or no seconds after the back-off: not measured.
    expect(recoveryFromSeries([0, 3, 3], 1)).toBeUndefined();
    expect(recoveryFromSeries([0, 0], 5)).toBeUndefined();
  });
});
