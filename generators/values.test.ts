import { describe, expect, it } from 'vitest';
import { createRandom } from '../src/random.ts';
import { CORRELATIONID_MAX_BYTES } from '../src/schema/catalog.ts';
import { parseExpiry, utf8ByteLength } from '../src/schema/request.ts';
import { correlationId, correlationIdOverLimit, formatExpiry, futureExpiry, pastExpiry } from './values.ts';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0, 250);

describe('correlationids are limited in bytes, not characters', () => {
  const random = createRandom(42);
  const valid = Array.from({ length: 3000 }, () => correlationId(random));

  it('never exceed 50 bytes of UTF-8', () => {
    expect(valid.filter((v) => utf8ByteLength(v) > CORRELATIONID_MAX_BYTES)).toEqual([]);
  });

  it('often sit exactly on the limit, with multi-byte text far below 50 characters', () => {
    const atLimit = valid.filter((v) => utf8ByteLength(v) === CORRELATIONID_MAX_BYTES);
    expect(atLimit.length).toBeGreaterThan(300);
    expect(atLimit.some((v) => v.length < 30)).toBe(true);
    // Two-, three- and four-byte characters all appear (a 4-byte one is two UTF-16 units).
    expect(valid.some((v) => /[\u0080-\u07ff]/.test(v))).toBe(true);
    expect(valid.some((v) => /[\u0800-\uffff]/.test(v.replace(/[\ud800-\udfff]/g, '')))).toBe(true);
    expect(valid.some((v) => /[\ud800-\udbff][\udc00-\udfff]/.test(v))).toBe(true);
  });

  it('the over-limit ones exceed 50 bytes yet pass a 50-character maxLength', () => {
    for (let i = 0; i < 500; i++) {
      const v = correlationIdOverLimit(random);
      expect(utf8ByteLength(v)).toBeGreaterThan(CORRELATIONID_MAX_BYTES);
      expect(v.length).toBeLessThanOrEqual(CORRELATIONID_MAX_BYTES);
    }
  });
});

describe('expiries', () => {
  const random = createRandom(9);

  it('spell an instant in the documented forms, read back to within the second', () => {
    const forms = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const text = formatExpiry(NOW, random);
      const at = parseExpiry(text);
      expect(at, text).toBeDefined();
      expect(NOW - (at as number)).toBeGreaterThanOrEqual(0);
      expect(NOW - (at as number)).toBeLessThan(1000);
      forms.add(text.replace(/\d/g, '9'));
    }
    expect(forms.size).toBeGreaterThanOrEqual(4);
  });

  it('future ones are after the clock and past ones before it', () => {
    for (let i = 0; i < 400; i++) {
      expect(parseExpiry(futureExpiry(NOW, random)) as number).toBeGreaterThan(NOW);
      expect(parseExpiry(pastExpiry(NOW, random)) as number).toBeLessThan(NOW);
    }
  });
});
