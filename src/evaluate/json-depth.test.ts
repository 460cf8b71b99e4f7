import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth } from './json-depth.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('exceedsJsonDepth', () => {
  it.each([
    ['{"events":[{"parameters":{}}]}', 4, false],
    ['{"events":[{"parameters":{}}]}', 3, true],
    [`${'['.repeat(33)}${']'.repeat(33)}`, 32, true],
    [`${'['.repeat(32)}${']'.repeat(32)}`, 32, false],
    // Brackets inside strings, also after escaped quotes, do not count.
    [`{"a":"${'['.repeat(100)}"}`, 2, false],
    [`{"a":"\\"${'{'.repeat(100)}"}`, 2, false],
    ['', 1, false],
  ])('%s at limit %i -> %s', (text, limit, expected) => {
    expect(exceedsJsonDepth(bytes(text), limit)).toBe(expected);
  });
});
