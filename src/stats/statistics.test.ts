import { describe, expect, it } from 'vitest';
import { median, percentile, percentileOfSorted } from './statistics.ts';

describe('the one percentile (linear interpolation between closest ranks)', () => {
  it('interpolates between ranks, like k6 trends', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 95)).toBeCloseTo(48);
    expect(percentile([4, 1, 3, 2], 0)).toBe(1);
    expect(percentile([4, 1, 3, 2], 100)).toBe(4);
    // Nearest rank would say 4 here; interpolation says 3.85.
    expect(percentile([1, 2, 3, 4], 95)).toBeCloseTo(3.85);
  });

  it('medians: the middle value, or the mean of the two middle ones; none of an empty list', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
    expect(percentile([], 90)).toBeUndefined();
  });

  it('reads sorted typed arrays without copying, and does not reorder its input', () => {
    expect(percentileOfSorted(Float64Array.from([1, 2, 3, 4]), 50)).toBe(2.5);
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});
