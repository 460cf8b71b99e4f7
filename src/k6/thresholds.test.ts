import { describe, expect, it } from 'vitest';
import { aggregationKey, holds, parseExpression, parseMetricKey } from './thresholds.ts';

describe('threshold syntax', () => {
  it('parses metric keys with tag selectors', () => {
    expect(parseMetricKey('http_req_duration')).toEqual({
      key: 'http_req_duration',
      metric: 'http_req_duration',
      tags: {},
    });
    expect(parseMetricKey('evkit_accepted{phase:over}').tags).toEqual({ phase: 'over' });
    expect(parseMetricKey('m{ a : 1 , b:"x y"}').tags).toEqual({ a: '1', b: 'x y' });
    expect(() => parseMetricKey('m{novalue}')).toThrow(/tag selector/);
  });

  it('parses the aggregations and operators k6 documents', () => {
    expect(parseExpression('rate<0.01')).toMatchObject({
      aggregation: { kind: 'rate' },
      op: '<',
      value: 0.01,
    });
    expect(parseExpression('p(95) < 200')).toMatchObject({
      aggregation: { kind: 'p', p: 95 },
      op: '<',
      value: 200,
    });
    expect(parseExpression('p(99.9)<=1e3')).toMatchObject({
      aggregation: { kind: 'p', p: 99.9 },
      op: '<=',
      value: 1000,
    });
    expect(parseExpression('count>0').op).toBe('>');
    expect(parseExpression('min>=270').aggregation.kind).toBe('min');
    expect(parseExpression('count==0').op).toBe('==');
    expect(() => parseExpression('rate<<1')).toThrow(SyntaxError);
    expect(() => parseExpression('p95<1')).toThrow(SyntaxError);
  });

  it('compares observed values', () => {
    expect(holds(parseExpression('rate<0.01'), 0.01)).toBe(false);
    expect(holds(parseExpression('rate<=0.01'), 0.01)).toBe(true);
    expect(holds(parseExpression('count>0'), 0)).toBe(false);
    expect(holds(parseExpression('value!=3'), 3)).toBe(false);
    expect(aggregationKey({ kind: 'p', p: 95 })).toBe('p(95)');
  });
});
