/**
 * Execution segments (`--execution-segment 0:1/2 --execution-segment-sequence 0,1/2,1`): each instance runs its
 * share of every scenario's iterations and VUs. The test's iterations are dealt to the segments of the sequence
 * in cycles of `lcd` positions, spread evenly inside a cycle (k6 stripes them too; its exact offsets may differ).
 */

interface Fraction {
  n: number;
  d: number;
}

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y) [x, y] = [y, x % y];
  return x;
}

/** Parse "1/2", "0.5", "50%", "0" or "1". */
export function parseFraction(text: string): Fraction {
  const t = text.trim();
  let f: Fraction;
  const slash = /^(\d+)\/(\d+)$/.exec(t);
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(t);
  if (slash) f = { n: Number(slash[1]), d: Number(slash[2]) };
  else if (pct || /^\d+(?:\.\d+)?$/.test(t)) {
    const num = pct?.[1] ?? t;
    const digits = num.includes('.') ? (num.split('.')[1] ?? '').length : 0;
    f = { n: Math.round(Number(num) * 10 ** digits), d: 10 ** digits * (pct ? 100 : 1) };
  } else throw new RangeError(`invalid execution segment value "${text}" (use 1/2, 0.5 or 50%)`);
  if (f.d === 0 || f.n > f.d) throw new RangeError(`execution segment value "${text}" must be within [0, 1]`);
  const g = gcd(f.n, f.d) || 1;
  return { n: f.n / g, d: f.d / g };
}

/** This instance's share of the test. */
export interface SegmentPlan {
  /** Positions per cycle. */
  lcd: number;
  /** Which segment owns each position of a cycle. */
  owner: number[];
  /** This instance's segment in the sequence. */
  index: number;
  /** Positions per cycle this instance owns. */
  share: number;
  /** Its share as a number in (0, 1]. */
  size: number;
  /** The segment as given, e.g. "0:1/2" ("0:1" for the whole test). */
  label: string;
}

/** Plan the instance's share; no segment means the whole test. */
export function segmentPlan(segment?: string, sequence?: string): SegmentPlan {
  if (!segment) return { lcd: 1, owner: [0], index: 0, share: 1, size: 1, label: '0:1' };
  const [fromText, toText, extra] = segment.split(':');
  if (fromText === undefined || toText === undefined || extra !== undefined) {
    throw new RangeError(`invalid execution segment "${segment}" (use from:to, e.g. 0:1/2)`);
  }
  const from = parseFraction(fromText);
  const to = parseFraction(toText);
  const points = sequence
    ? sequence.split(',').map(parseFraction)
    : [{ n: 0, d: 1 }, from, to, { n: 1, d: 1 }];
  const denominator = points.reduce((acc, p) => (acc * p.d) / gcd(acc, p.d), 1);
  const scaled = [...new Set(points.map((p) => (p.n * denominator) / p.d))].sort((a, b) => a - b);
  if (scaled[0] !== 0 || scaled[scaled.length - 1] !== denominator) {
    throw new RangeError(`execution segment sequence "${sequence}" must run from 0 to 1`);
  }
  const sizes = scaled.slice(1).map((b, i) => b - (scaled[i] ?? 0));
  const g = sizes.reduce((acc, s) => gcd(acc, s), 0);
  const lcd = denominator / g;
  if (lcd > 1_000_000) throw new RangeError(`execution segment sequence "${sequence}" is too fine`);
  const shares = sizes.map((s) => s / g);
  const start = (from.n * denominator) / from.d;
  const index = scaled.indexOf(start);
  const end = (to.n * denominator) / to.d;
  if (index < 0 || scaled[index + 1] !== end) {
    throw new RangeError(`execution segment "${segment}" is not one segment of the sequence "${sequence}"`);
  }
  // Deal positions so that every segment's count after each position stays closest to its share.
  const owner: number[] = [];
  const dealt = shares.map(() => 0);
  for (let p = 0; p < lcd; p++) {
    let best = 0;
    let bestDeficit = Number.NEGATIVE_INFINITY;
    shares.forEach((s, i) => {
      const deficit = (s * (p + 1)) / lcd - (dealt[i] ?? 0);
      if (deficit > bestDeficit + 1e-12) {
        best = i;
        bestDeficit = deficit;
      }
    });
    owner.push(best);
    dealt[best] = (dealt[best] ?? 0) + 1;
  }
  const share = shares[index] ?? 0;
  return { lcd, owner, index, share, size: share / lcd, label: segment };
}

/** Whether the test-wide iteration (or VU) number `i` belongs to this instance. */
export function owns(plan: SegmentPlan, i: number): boolean {
  return plan.owner[i % plan.lcd] === plan.index;
}

/** This instance's part of a count (VUs): how many of 0..value-1 it owns. */
export function scaleCount(plan: SegmentPlan, value: number): number {
  const cycles = Math.floor(value / plan.lcd);
  let n = cycles * plan.share;
  for (let i = cycles * plan.lcd; i < value; i++) if (owns(plan, i)) n += 1;
  return n;
}
