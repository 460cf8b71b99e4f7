import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isEvkitError } from '../errors.ts';
import { didYouMean, resolveCommandSettings } from '../settings.ts';
import { ALL_CONFIG_KEYS, LOAD_SETTINGS } from './command-settings.ts';

const dir = mkdtempSync(join(tmpdir(), 'evkit-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const resolve = (flags: Record<string, unknown>, env: NodeJS.ProcessEnv) =>
  resolveCommandSettings(LOAD_SETTINGS, { flags, env, cwd: dir, allKeys: ALL_CONFIG_KEYS });

function failure(run: () => unknown): { code: string; message: string; hint: string | undefined } {
  try {
    run();
  } catch (e) {
    if (isEvkitError(e)) return { code: e.code, message: e.message, hint: e.hint };
    throw e;
  }
  throw new Error('did not fail');
}

describe('resolveCommandSettings: defaults < config file < EVKIT_* < flags, checked where written', () => {
  it('each layer overrides the one below it, typed, and remembers where a value came from', () => {
    writeFileSync(join(dir, 'evkit.config.json'), '{"rate": 20, "duration": "20s", "seed": 7, "p95Ms": 800}');
    const { values, sources } = resolve({ rate: '40' }, { EVKIT_DURATION: '30s', EVKIT_SEED: '9' });
    expect(values).toMatchObject({ rate: 40, duration: '30s', seed: 9, p95Ms: 800, engine: 'auto' });
    expect(values.target).toBeUndefined();
    expect(sources).toMatchObject({
      rate: { kind: 'flag', name: '--rate' },
      duration: { kind: 'env', name: 'EVKIT_DURATION' },
      p95Ms: { kind: 'file', name: 'p95Ms', file: 'evkit.config.json' },
    });
    expect(sources.engine).toBeUndefined();
  });

  it('an error names the source as written, the value, the range and a fix for that source', () => {
    writeFileSync(join(dir, 'evkit.config.json'), '{"rate": 0}');
    expect(failure(() => resolve({}, {}))).toEqual({
      code: 'E_SETTING',
      message: 'rate in evkit.config.json must be a number above 0, got 0',
      hint: 'e.g. "rate": 50 in evkit.config.json, or remove the key',
    });
    writeFileSync(join(dir, 'evkit.config.json'), '{}');
    expect(failure(() => resolve({}, { EVKIT_RATE: 'fast' }))).toMatchObject({
      code: 'E_SETTING',
      message: 'EVKIT_RATE must be a number above 0, got "fast"',
      hint: 'e.g. EVKIT_RATE=50, or unset it',
    });
    expect(failure(() => resolve({ seed: 'x' }, {}))).toMatchObject({
      code: 'E_SETTING',
      message: '--seed must be a whole number, got "x"',
    });
  });

  it('a key no command knows is refused with a guess; secrets never come from a flag', () => {
    writeFileSync(join(dir, 'evkit.config.json'), '{"expectedTPS": 100}');
    expect(failure(() => resolve({}, {})).hint).toBe('did you mean "expectedTps"?');
    writeFileSync(join(dir, 'evkit.config.json'), '{}');
    expect(resolve({ key: 'from-a-flag' }, {}).values.key).toBeUndefined();
    expect(didYouMean('zzzzzz', ALL_CONFIG_KEYS)).toBeUndefined();
  });
});
