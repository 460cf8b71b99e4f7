/**
 * k6 execution segments: `--execution-segment "0:1/2" --execution-segment-sequence "0,1/2,1"`.
 * Instance i of n runs the segment between the i-th and (i+1)-th points of an even sequence.
 */
export interface SegmentArgs {
  readonly segment: string;
  readonly sequence: string;
}

const frac = (num: number, den: number) => (num === 0 ? '0' : num === den ? '1' : `${num}/${den}`);

/** The segment flags of every instance when a run is split into `n` equal parts. */
export function evenSegments(n: number): SegmentArgs[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`segments must be a positive integer, got ${n}`);
  const points = Array.from({ length: n + 1 }, (_, i) => frac(i, n));
  const sequence = points.join(',');
  return Array.from({ length: n }, (_, i) => ({ segment: `${points[i]}:${points[i + 1]}`, sequence }));
}
