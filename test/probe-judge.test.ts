import { describe, expect, it } from 'vitest';
import { answerProblems, parseAnswer } from '../src/probe/answer.ts';
import { judge, type Observation, observedTenantFile } from '../src/probe/judge.ts';
import { probePlan } from '../src/probe/probes.ts';
import { planWallTimeMs } from '../src/probe/run.ts';
import { defaultTenantFile } from '../src/schema/default-tenant.ts';

const T = '6f1f7a4e-5b2c-4a0e-9d3f-0c1b2a3d4e5f';
const body = (response: unknown): string => JSON.stringify({ response });

describe('answerProblems: every defect of an answer is named', () => {
  it('a conforming answer has none', () => {
    expect(
      answerProblems(parseAnswer(200, body([{ code: '1002', description: 'Queued', transid: T }]))),
    ).toEqual([]);
    expect(
      answerProblems(
        parseAnswer(200, body({ code: '7004', description: 'invalid value for param extra', transid: T })),
      ),
    ).toEqual([]);
    expect(
      answerProblems(
        parseAnswer(
          200,
          body([{ code: '7025', description: 'mandatory parameter orderId missing', transid: T }]),
        ),
      ),
    ).toEqual([]);
  });

  it.each([
    [
      'an HTTP status other than 200',
      401,
      body({ code: '7001', description: 'Authentication failed', transid: T }),
      'HTTP status 401, not 200',
    ],
    ['no envelope', 200, '{"error":"x"}', 'no response envelope (a body with a "response" object or array)'],
    [
      'an unknown code',
      200,
      body({ code: '7999', description: 'x', transid: T }),
      'code "7999" is not in the catalog',
    ],
    [
      'a request-level code in an array',
      200,
      body([{ code: '7001', description: 'Authentication failed', transid: T }]),
      'entry 0: 7001 is a request-level code, answered in an array instead of one object',
    ],
    [
      'a per-event code as one object',
      200,
      body({ code: '1002', description: 'Queued', transid: T }),
      '1002 is a per-event code, answered as one object instead of an array',
    ],
    [
      'a description not in the catalog',
      200,
      body({ code: '7001', description: 'Authentication failed (v2)', transid: T }),
      'description "Authentication failed (v2)" is not in the catalog for 7001',
    ],
    ['no transid', 200, body({ code: '7002', description: 'Service Key Missing' }), 'no transid'],
  ])('%s', (_name, status, text, problem) => {
    expect(answerProblems(parseAnswer(status, text))).toEqual([problem]);
  });
});

describe('judge', () => {
  const ctx = { evtid: '4451', mandatoryEvtid: '4460', tps: 20, jwt: true };
  const plan = probePlan(ctx);
  const observe = (probeId: string, text: string): Observation => {
    const probe = plan.find((p) => p.id === probeId);
    if (!probe) throw new Error(probeId);
    const answer = parseAnswer(200, text);
    return {
      probeId,
      behaviour: probe.behaviour,
      alternative: probe.classify(answer),
      problems: answerProblems(answer),
      answer,
    };
  };

  it('names the setting that would match a difference, and writes it into the tenant file', () => {
    const file = defaultTenantFile();
    const verdicts = judge(
      [observe('empty-key', body({ code: '7001', description: 'Authentication failed', transid: T }))],
      plan,
      file,
    );
    expect(verdicts.find((v) => v.behaviour === 'emptyKey')).toEqual({
      behaviour: 'emptyKey',
      setting: 'evaluator.emptyKey',
      current: 'missing',
      observed: 'invalid',
      verdict: 'differs',
      detail: 'observed invalid; set evaluator.emptyKey: invalid to match (now missing)',
    });
    expect(observedTenantFile(file, verdicts).evaluator.emptyKey).toBe('invalid');
    expect(file.evaluator.emptyKey).toBe('missing');
  });

  it('a documented-code probe answered with another code breaks conformance', () => {
    const accepted = body([{ code: '1002', description: 'Queued', transid: T }]);
    const verdict = judge([observe('wrong-key', accepted)], plan, defaultTenantFile()).find(
      (v) => v.behaviour === 'conformance',
    );
    expect(verdict).toMatchObject({
      verdict: 'differs',
      detail: 'wrong-key: answered 200 array [1002 "Queued"], not the code this request provokes',
    });
  });

  it('a rate-limited answer is inconclusive, not a verdict', () => {
    const limited = body({
      code: '7020',
      description: 'You have reached maximum transaction limit (rate).',
      transid: T,
    });
    const verdict = judge([observe('unknown-field', limited)], plan, defaultTenantFile()).find(
      (v) => v.behaviour === 'unknownFields',
    );
    expect(verdict?.verdict).toBe('inconclusive');
    expect(verdict?.detail).toContain('matches no alternative');
  });

  it('burst and window are inconclusive while the limit is not known to count events', () => {
    const accepted = body([{ code: '1002', description: 'Queued', transid: T }]);
    const verdicts = judge([observe('count-by', accepted)], plan, defaultTenantFile());
    expect(verdicts.find((v) => v.behaviour === 'countBy')?.observed).toBe('requests');
    for (const b of ['burst', 'window'])
      expect(verdicts.find((v) => v.behaviour === b)).toMatchObject({
        verdict: 'inconclusive',
        detail: 'needs a limit that counts events (count-by answered requests)',
      });
  });

  it('says why a behaviour was not probed', () => {
    const small = probePlan({
      evtid: 'order-created',
      mandatoryEvtid: undefined,
      tps: undefined,
      jwt: false,
    });
    const verdicts = judge([], small, defaultTenantFile());
    const detail = (b: string) => verdicts.find((v) => v.behaviour === b)?.detail;
    expect(detail('evtidAsNumber')).toContain('not a decimal number');
    expect(detail('bearerPrefix')).toContain('EVKIT_JWT_SECRET');
    expect(detail('mandatoryParamDescription')).toContain('--mandatory-evtid');
    expect(detail('countBy')).toContain('--tps');
  });
});

describe('the plan', () => {
  it('is a few dozen requests at most, and its wall time at 1 req/s follows from it', () => {
    const full = probePlan({ evtid: '4451', mandatoryEvtid: '4460', tps: 20, jwt: true });
    expect(full).toHaveLength(23);
    expect(new Set(full.map((p) => p.id)).size).toBe(full.length);
    // 22 gaps: 15 paced at 1 s; count-by's quiet gap of 1.1 s; 3 quiet gaps of 1.1 s plus up to 1 s to reach
    // their point of the second; the 2 window pairs at 0.7 s; the burst pair at 0.1 s.
    expect(planWallTimeMs(full, 1)).toBe(15 * 1000 + 1100 + 3 * 2100 + 2 * 700 + 100);
  });
});
