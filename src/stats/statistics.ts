/**
 * The one percentile and median of the toolkit. Free of Node APIs.
 *
 * Definition: **linear interpolation between the closest ranks** (k6's trend percentiles, which the reports'
 * `p50`…`p99` come from: docs/load.md, docs/reports.md). For the sorted values `s` of a list of `n` and
 * `p` in [0, 100], the rank is `i = p / 100 × (n − 1)` and the value `s[⌊i⌋] + (s[⌈i⌉] − s[⌊i⌋]) × (i − ⌊i⌋)`.
 * So p0 is the minimum, p100 the maximum, and the median (p50) of an even count is the mean of the two middle
 * values. An empty list has none (`undefined`).
 */

/** The p-th percentile (0..100) of values already sorted ascending (any array-like, e.g. a Float64Array). */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number | undefined {
  const n = sorted.length;
  if (n === 0) return undefined;
  const i = (Math.min(100, Math.max(0, p)) / 100) * (n - 1);
  const lo = sorted[Math.floor(i)] as number;
  const hi = sorted[Math.ceil(i)] as number;
  return lo + (hi - lo) * (i - Math.floor(i));
}

/** The values sorted ascending, as a copy. */
export function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** The p-th percentile (0..100) of a list; `undefined` for an empty one. */
export function percentile(values: readonly number[], p: number): number | undefined {
  return percentileOfSorted(sortedCopy(values), p);
}

/** The median of a list (the 50th percentile); `undefined` for an empty one. */
export function median(values: readonly number[]): number | undefined {
  return percentile(values, 50);
}
