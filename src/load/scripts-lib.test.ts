/** The load scripts' pure library (load/lib): classification, bodies, configuration, plans. */
import { describe, expect, it } from 'vitest';
import { builtinBody, withEventCount } from '../../load/lib/body.ts';
import { classifyBody } from '../../load/lib/classify.ts';
import { acceptedLimit, readConfig, vusFor } from '../../load/lib/config.ts';
import { formatDuration, parseDuration } from '../../load/lib/duration.ts';
import { ENV } from '../../load/lib/names.ts';
import { phaseAt, rateAt, rateLimitPlan, throughputScenario } from '../../load/lib/plan.ts';
import { DESCRIPTION } from '../schema/catalog.ts';

const base = { [ENV.target]: 'http://127.0.0.1:8080', [ENV.key]: 'k' };

describe('classifyBody', () => {
  it('reads the code of the first entry, whatever the envelope form', () => {
    expect(classifyBody('{"response":[{"code":"1002","description":"Queued","transid":"t"}]}')).toEqual({
      code: '1002',
      burst: false,
    });
    expect(
      classifyBody(
        `{"response":[{"code":"1002","description":"${DESCRIPTION.queuedInBurstMode}","transid":"t"}]}`,
      ),
    ).toEqual({
      code: '1002',
      burst: true,
    });
    expect(classifyBody('{"response":{"code":"7020","description":"x","transid":"t"}}')).toEqual({
      code: '7020',
      burst: false,
    });
  });

  it('is other for transport errors, HTML and unknown codes', () => {
    for (const body of [null, '', '<html>', '{"response":{"code":"9999"}}', '{"code":"1002"}', '[]']) {
      expect(classifyBody(body).code).toBe('other');
    }
  });
});

describe('bodies', () => {
  it('repeats or cuts a valid body to the event count, keeps other fields, leaves invalid bodies alone', () => {
    const b = JSON.parse(withEventCount('{"expiry":"x","events":[{"evtid":"a"},{"evtid":"b"}]}', 3));
    expect(b).toEqual({ expiry: 'x', events: [{ evtid: 'a' }, { evtid: 'b' }, { evtid: 'a' }] });
    expect(JSON.parse(withEventCount(builtinBody('4451', 5), 1)).events).toHaveLength(1);
    expect(withEventCount('{"events":[', 3)).toBe('{"events":[');
    expect(withEventCount('{"events":[]}', 3)).toBe('{"events":[]}');
  });
});

describe('configuration from __ENV', () => {
  it('needs a target and reads credentials', () => {
    expect(() => readConfig({})).toThrow(ENV.target);
    expect(readConfig(base).credentials).toEqual({ type: 'key', key: 'k' });
    const jwt = readConfig({ ...base, [ENV.jwtSecret]: 'c2VjcmV0', [ENV.serviceId]: 'svc' }).credentials;
    expect(jwt).toEqual({ type: 'jwt', secret: 'c2VjcmV0', serviceId: 'svc', refreshSeconds: 3000 });
    expect(() => readConfig({ ...base, [ENV.serviceId]: 'svc' })).toThrow(ENV.jwtSecret);
  });

  it('names the variable of a bad value', () => {
    expect(() => readConfig({ ...base, [ENV.rate]: 'fast' })).toThrow(ENV.rate);
    expect(() => readConfig({ ...base, [ENV.duration]: '10 parsecs' })).toThrow(/duration/);
    expect(() => readConfig({ ...base, [ENV.eventsPerRequest]: '1.5' })).toThrow(ENV.eventsPerRequest);
  });

  it('the limit is TPS plus the burst band when burst is on; burst is off unless EVKIT_BURST says so', () => {
    expect(readConfig(base).burst).toBe(false);
    expect(readConfig({ ...base, [ENV.burst]: 'true' }).burst).toBe(true);
    expect(acceptedLimit({ expectedTps: 200, burst: true })).toBe(300);
    expect(acceptedLimit({ expectedTps: 2000, burst: true })).toBe(2100);
    expect(acceptedLimit({ expectedTps: 200, burst: false })).toBe(200);
    expect(vusFor(600, { preAllocatedVus: undefined, maxVus: undefined })).toEqual({
      preAllocatedVUs: 35,
      maxVUs: 610,
    });
  });

  it('durations use k6 syntax', () => {
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('2')).toBe(2000);
    expect(formatDuration(1500)).toBe('1500ms');
    expect(() => parseDuration('1x')).toThrow(RangeError);
  });
});

describe('plans', () => {
  it('rate-limit ramps from half the TPS to twice the limit and back, in five phases', () => {
    const plan = rateLimitPlan(
      readConfig({ ...base, [ENV.expectedTps]: '200', [ENV.burst]: 'true', [ENV.duration]: '20s' }),
    );
    expect([plan.limit, plan.low, plan.peak, plan.durationMs]).toEqual([300, 100, 600, 20_000]);
    expect(plan.phases.map((p) => [p.name, p.startMs, p.endMs])).toEqual([
      ['below', 0, 3000],
      ['ramp-up', 3000, 8000],
      ['over', 8000, 13_000],
      ['ramp-down', 13_000, 15_000],
      ['recovery', 15_000, 20_000],
    ]);
    expect(rateAt(plan.low, plan.stages, 5000)).toBe(300);
    expect(plan.backOffMs).toBeCloseTo(13_000 + 2000 * (300 / 500), 6);
    expect(phaseAt(plan, 9000)).toBe('over');
    expect(() => rateLimitPlan(readConfig({ ...base, [ENV.burst]: 'true', [ENV.rate]: '150' }))).toThrow(
      /above TPS \+ burst band/,
    );
  });

  it('throughput is a constant arrival rate, or a ramp with a back-off stage', () => {
    expect(throughputScenario(readConfig({ ...base, [ENV.rate]: '40' })).scenario.executor).toBe(
      'constant-arrival-rate',
    );
    const b = throughputScenario(
      readConfig({ ...base, [ENV.rate]: '40', [ENV.backoffRate]: '5', [ENV.backoffDuration]: '2s' }),
    );
    expect(b.scenario).toMatchObject({
      executor: 'ramping-arrival-rate',
      startRate: 40,
      stages: [
        { target: 40, duration: '30s' },
        { target: 5, duration: '0s' },
        { target: 5, duration: '2s' },
      ],
    });
  });
});
