import { describe, expect, it } from 'vitest';
import { burstBand, CATALOG, CORRELATIONID_MAX_BYTES, RESPONSE_CODES } from './catalog.ts';
import { DEFAULT_TENANT_FILE_INPUT } from './default-tenant.ts';
import examples from './official-examples.json' with { type: 'json' };
import { correlationIdSchema, eventRequestSchema, parseExpiry, utf8ByteLength } from './request.ts';
import { envelopeEntries, envelopeForm, envelopeSchema } from './response.ts';
import { tenantFileSchema } from './tenant.ts';

describe('correlationid: at most 50 bytes of UTF-8, not characters', () => {
  it.each([
    ['50 ASCII bytes', 'a'.repeat(50), true],
    ['51 ASCII bytes', 'a'.repeat(51), false],
    ['25 two-byte characters = 50 bytes', 'é'.repeat(25), true],
    ['26 two-byte characters = 52 bytes (26 chars)', 'é'.repeat(26), false],
    ['16 three-byte characters = 48 bytes + 2 ASCII', `${'€'.repeat(16)}ab`, true],
    ['17 three-byte characters = 51 bytes (17 chars)', '€'.repeat(17), false],
    ['12 four-byte emoji = 48 bytes (24 UTF-16 units) + 2', `${'😀'.repeat(12)}ab`, true],
    ['13 four-byte emoji = 52 bytes', '😀'.repeat(13), false],
  ])('%s', (_, value, ok) => {
    expect(utf8ByteLength(value) <= CORRELATIONID_MAX_BYTES).toBe(ok);
    expect(correlationIdSchema.safeParse(value).success).toBe(ok);
  });
});

describe('expiry forms', () => {
  it('accepts both documented forms as UTC', () => {
    expect(parseExpiry('2015-04-12T18:51:19.000Z')).toBe(Date.UTC(2015, 3, 12, 18, 51, 19));
    expect(parseExpiry('2015-04-12T18:51:19')).toBe(Date.UTC(2015, 3, 12, 18, 51, 19));
    expect(parseExpiry('2015-04-12T18:51:19Z')).toBe(Date.UTC(2015, 3, 12, 18, 51, 19));
    expect(parseExpiry('2015-04-12T18:51:19.5')).toBe(Date.UTC(2015, 3, 12, 18, 51, 19, 500));
  });
  it('rejects offsets unless asked, and converts them when accepted', () => {
    expect(parseExpiry('2015-04-12T18:51:19+05:30')).toBeUndefined();
    expect(parseExpiry('2015-04-12T18:51:19+05:30', true)).toBe(Date.UTC(2015, 3, 12, 13, 21, 19));
  });
  it.each([
    '2015-02-30T00:00:00',
    '2015-04-12 18:51:19',
    '2015-04-12T25:00:00',
    '',
    'yesterday',
    '1428864679',
  ])('rejects malformed %j', (v) => expect(parseExpiry(v)).toBeUndefined());
});

describe('official examples (copied into the repo)', () => {
  it.each(Object.entries(examples.requests))('request %s parses', (_, body) => {
    expect(eventRequestSchema.safeParse(body).success).toBe(true);
  });
  it.each(Object.entries(examples.responses))('response %s parses and has its catalog form', (code, body) => {
    const envelope = envelopeSchema.parse(body);
    const entries = envelopeEntries(envelope);
    expect(entries[0]?.code).toBe(code);
    const info = CATALOG[code as keyof typeof CATALOG];
    expect(envelopeForm(envelope)).toBe(info.form);
    expect(info.descriptions).toContain(entries[0]?.description);
  });
  it('the envelope schema rejects what the API never answers', () => {
    expect(
      envelopeSchema.safeParse({ response: { code: 1002, description: 'Queued', transid: 'x' } }).success,
    ).toBe(false);
    expect(envelopeSchema.safeParse({ response: [] }).success).toBe(false);
    expect(envelopeSchema.safeParse({ code: '1002' }).success).toBe(false);
    expect(
      envelopeSchema.safeParse({ response: { code: '9999', description: 'x', transid: 'x' } }).success,
    ).toBe(false);
  });
});

describe('catalog', () => {
  it('lists the 11 documented codes once each', () => {
    expect(RESPONSE_CODES).toHaveLength(11);
    expect(Object.keys(CATALOG).sort()).toEqual([...RESPONSE_CODES].sort());
  });
  it('burst band is min(0.5 × TPS, 100)', () => {
    expect([1, 100, 200, 500, 2000].map(burstBand)).toEqual([0, 50, 100, 100, 100]);
  });
  it('the default tenant file is valid', () => {
    expect(tenantFileSchema.safeParse(DEFAULT_TENANT_FILE_INPUT).success).toBe(true);
  });
});
