/** k6 duration strings ("500ms", "30s", "1m30s", "2h") in milliseconds. Pure: used by scripts and engines. */

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const satisfies Record<string, number>;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;

/** Parse a k6 duration; a bare number means seconds (as k6 reads numbers in options). Throws on bad input. */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`invalid duration: ${value}`);
    return value * 1000;
  }
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  let total = 0;
  PART.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    PART.lastIndex = pos;
    const m = PART.exec(text);
    if (!m) throw new RangeError(`invalid duration: "${value}" (use k6 syntax such as 30s, 1m30s, 500ms)`);
    total += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
    pos = PART.lastIndex;
  }
  if (text.length === 0) throw new RangeError('invalid duration: empty');
  return total;
}

/** Format milliseconds as a k6 duration ("1500ms", "30s"). */
export function formatDuration(ms: number): string {
  const whole = Math.round(ms);
  return whole % 1000 === 0 ? `${whole / 1000}s` : `${whole}ms`;
}
