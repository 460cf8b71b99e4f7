import { describe, expect, it } from 'vitest';
import { describeMismatch, interactionReports, parseVerifierJson } from './verify-result.ts';

describe('describeMismatch', () => {
  it('rewrites Pact\'s backwards equality wording as "expected X, got Y"', () => {
    expect(
      describeMismatch({
        type: 'BodyMismatch',
        path: '$.response[0].description',
        expected: '"Queued"',
        actual: '"Queued (v2)"',
        mismatch: "Expected 'Queued (v2)' (String) to be equal to 'Queued' (String)",
      }),
    ).toBe('body $.response[0].description: expected "Queued", got "Queued (v2)"');
  });

  it('names the kinds of a type mismatch and keeps messages that already read well', () => {
    expect(
      describeMismatch({
        type: 'BodyMismatch',
        path: '$.response',
        expected: '[{"a":1}]',
        actual: '{"a":1}',
        mismatch: 'Type mismatch: ...',
      }),
    ).toBe('body $.response: expected an array of 1 [{"a":1}], got an object {"a":1}');
    expect(
      describeMismatch({
        type: 'BodyMismatch',
        path: '$.response',
        mismatch: 'Actual map is missing the following keys: transid',
      }),
    ).toBe('body $.response: Actual map is missing the following keys: transid');
    expect(describeMismatch({ type: 'StatusMismatch', expected: 200, actual: 429 })).toMatch(
      /^HTTP status: expected 200, got 429/,
    );
  });
});

describe('interactionReports', () => {
  const json = parseVerifierJson(
    JSON.stringify({
      interactionResults: [
        { consumer: 'c', description: 'ok one', providerStates: ['the clock reads'], result: 'OK' },
        {
          consumer: 'c',
          description: 'bad state',
          providerStates: ['the moon is full'],
          result: 'Error',
          mismatch: { message: 'One or more of the setup state change handlers has failed' },
        },
        {
          consumer: 'c',
          description: 'pending',
          providerStates: [],
          result: 'Error',
          pending: true,
          mismatch: { message: 'x' },
        },
      ],
    }),
  );

  it('marks state failures with the error the target gave, and pending failures apart', () => {
    const reports = interactionReports(
      json ?? {},
      [{ state: 'the moon is full', params: {}, status: 'failed', error: 'unknown provider state' }],
      false,
    );
    expect(reports.map((r) => [r.description, r.status, r.problems])).toEqual([
      ['ok one', 'passed', []],
      ['bad state', 'state-failed', ['state "the moon is full": unknown provider state']],
      ['pending', 'pending-failed', ['x']],
    ]);
  });

  it('never passes an interaction with a state on a real provider', () => {
    const reports = interactionReports(json ?? {}, [], true);
    expect(reports[0]?.status).toBe('state-not-set');
    expect(reports[0]?.problems).toEqual([
      'state "the clock reads" cannot be set on a real provider: not verified',
    ]);
  });

  it('reads no JSON from a text that is not JSON', () => {
    expect(parseVerifierJson('Verification was unable to run')).toBeUndefined();
  });
});

describe('describeMismatch of a matcher', () => {
  it('names the rule that failed instead of repeating the value as "expected"', () => {
    expect(
      describeMismatch({
        type: 'BodyMismatch',
        path: '$.response[0].description',
        expected: '"Queued"',
        actual: '"Queued in burst mode"',
        mismatch: "Expected 'Queued in burst mode' to match '^Queued$'",
      }),
    ).toBe(
      'body $.response[0].description: expected a value matching /^Queued$/, got "Queued in burst mode"',
    );
  });
});
