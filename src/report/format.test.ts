import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatMs, formatShare, formatValue } from './format.ts';

describe('formats', () => {
  it('groups thousands without a locale', () => {
    expect([
      formatCount(0),
      formatCount(999),
      formatCount(12345),
      formatCount(-1234567),
      formatCount(1234.567),
    ]).toEqual(['0', '999', '12,345', '-1,234,567', '1,234.57']);
  });

  it('gives milliseconds a precision that suits their size', () => {
    expect([
      formatMs(0.4234),
      formatMs(4.234),
      formatMs(42.34),
      formatMs(4234.4),
      formatMs(Number.NaN),
    ]).toEqual(['0.42', '4.23', '42.3', '4,234', '–']);
  });

  it('shows shares and durations for people', () => {
    expect(formatShare(1, 3)).toBe('33.3%');
    expect(formatShare(0, 0)).toBe('–');
    expect([
      formatDuration(850),
      formatDuration(59_800),
      formatDuration(725_000),
      formatDuration(7_380_000),
    ]).toEqual(['850 ms', '59.8 s', '12 min 5 s', '2 h 3 min']);
    expect([
      formatValue('x'),
      formatValue(3),
      formatValue({ a: [1, 2], b: { c: true } }),
      formatValue(undefined),
    ]).toEqual(['x', '3', 'a (1, 2) · b (c true)', '–']);
  });
});
