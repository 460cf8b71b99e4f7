import { describe, expect, it } from 'vitest';
import { EVENT_PATHS } from '../src/schema/catalog.ts';
import { defaultTenantFile } from '../src/schema/default-tenant.ts';
import { eventRequestSchema, parseExpiry, utf8ByteLength } from '../src/schema/request.ts';
import { caseToCurl } from './curl.ts';
import { formatCases } from './format.ts';
import { generateCases } from './generate.ts';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('seeded and reproducible', () => {
  for (const kind of ['valid', 'invalid', 'mixed'] as const) {
    it(`${kind}: the same seed gives identical bytes, another seed other output`, () => {
      const a = formatCases(generateCases({ kind, count: 200, seed: 99, now: NOW }), 'ndjson');
      const b = formatCases(generateCases({ kind, count: 200, seed: 99, now: NOW }), 'ndjson');
      const c = formatCases(generateCases({ kind, count: 200, seed: 100, now: NOW }), 'ndjson');
      expect(b).toBe(a);
      expect(c).not.toBe(a);
      expect(a.split('\n').filter(Boolean)).toHaveLength(200);
    });
  }

  it('a longer run starts with the shorter run of the same seed (ids are seed-index)', () => {
    const short = generateCases({ kind: 'mixed', count: 20, seed: 4, now: NOW });
    const long = generateCases({ kind: 'mixed', count: 40, seed: 4, now: NOW });
    expect(long.slice(0, 20)).toEqual(short);
    expect(long.map((c) => c.id).slice(0, 3)).toEqual(['4-0', '4-1', '4-2']);
  });

  it('the k6 corpus is a JSON array of the same cases', () => {
    const cases = generateCases({ kind: 'mixed', count: 10, seed: 1, now: NOW });
    expect(JSON.parse(formatCases(cases, 'k6'))).toEqual(cases);
  });
});

describe('valid cases are realistic', () => {
  const tenant = defaultTenantFile().tenants[0];
  const cases = generateCases({ kind: 'valid', count: 1500, seed: 21, now: NOW, maxEvents: 4 });
  const bodies = cases.map((c) => eventRequestSchema.parse(JSON.parse(c.body)));

  it('pass the request schema, with the tenant evtids and every mandatory parameter', () => {
    for (const body of bodies) {
      for (const e of body.events) {
        const known = tenant?.events.find((t) => t.evtid === e.evtid);
        expect(known, e.evtid).toBeDefined();
        for (const p of known?.mandatoryParameters ?? []) expect(e.parameters?.[p], p).toBeTruthy();
      }
    }
  });

  it('carry 1..maxEvents events, future expiries, loopback notify URLs, byte-limited correlationids', () => {
    expect(new Set(bodies.map((b) => b.events.length))).toEqual(new Set([1, 2, 3, 4]));
    const expiries = bodies.flatMap((b) => (b.expiry === undefined ? [] : [b.expiry]));
    expect(expiries.length).toBeGreaterThan(300);
    for (const e of expiries) expect(parseExpiry(e) as number).toBeGreaterThan(NOW);
    const urls = bodies.flatMap((b) => (b.notifyurl === undefined ? [] : [b.notifyurl]));
    expect(urls).toContain('');
    for (const u of urls) expect(u === '' || u.startsWith('http://127.0.0.1:9090/')).toBe(true);
    const ids = bodies.flatMap((b) =>
      b.events.flatMap((e) => (e.correlationid === undefined ? [] : [e.correlationid])),
    );
    expect(ids.some((id) => utf8ByteLength(id) === 50 && id.length < 50)).toBe(true);
    expect(bodies.some((b) => b.expiry === undefined && b.notifyurl === undefined)).toBe(true);
  });

  it('authenticate with the active key or a JWT, on both spellings of the path, from an allowed address', () => {
    expect(new Set(cases.map((c) => (c.headers.key ? 'key' : 'jwt')))).toEqual(new Set(['key', 'jwt']));
    for (const c of cases) if (c.headers.key) expect(c.headers.key).toBe('evkit-demo-key');
    expect(new Set(cases.map((c) => c.path))).toEqual(new Set(EVENT_PATHS));
    expect(new Set(cases.map((c) => c.sourceIp))).toEqual(new Set(['127.0.0.1']));
  });
});

describe('caseToCurl', () => {
  it('quotes the body for a shell, binds the source address and pipes non-UTF-8 bytes', () => {
    const [quoted] = generateCases({ kind: 'invalid', code: '7000', count: 40, seed: 2, now: NOW }).filter(
      (c) => c.mutation === 'json-single-quotes',
    );
    expect(quoted).toBeDefined();
    if (quoted) expect(caseToCurl(quoted, 'http://127.0.0.1:1234/')).toContain(`'\\''`);
    const [outside] = generateCases({ kind: 'invalid', code: '7010', count: 1, seed: 2, now: NOW });
    if (!outside) throw new Error('no 7010 case');
    expect(caseToCurl(outside, 'http://127.0.0.1:1234')).toMatch(
      /^curl -sS -X POST 'http:\/\/127\.0\.0\.1:1234\/resources\/v1\/events\/externalevent\/?' --interface 127\.0\.0\.2 /,
    );
    const binary = generateCases({ kind: 'invalid', code: '7000', count: 60, seed: 2, now: NOW }).find(
      (c) => c.bodyEncoding === 'base64',
    );
    if (!binary) throw new Error('no non-UTF-8 case');
    expect(caseToCurl(binary, 'http://127.0.0.1:1')).toMatch(
      /^printf %s '[A-Za-z0-9+/=]+' \| base64 -d \| curl /,
    );
  });
});
