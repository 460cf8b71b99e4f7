import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readConfig } from '../src/config.ts';
import type { EvkitError } from '../src/errors.ts';
import { tenantFileSchema } from '../src/schema/tenant.ts';
import { positiveNumber, resolveCommandSettings, setting, switchFlag, text } from '../src/settings.ts';
import { runEvkit } from './helpers/cli.ts';

describe('evkit CLI', () => {
  it('exits 2 with a hint on an unknown command', async () => {
    const r = await runEvkit(['no-such-command']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command/);
  });
  it('prints help with exit 0', async () => {
    const r = await runEvkit(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/openapi/);
  });
  it('evkit tenant prints a default tenant file that validates', async () => {
    const r = await runEvkit(['tenant']);
    expect(r.code).toBe(0);
    expect(tenantFileSchema.safeParse(parse(r.stdout)).success).toBe(true);
    const j = await runEvkit(['tenant', '--json']);
    expect(tenantFileSchema.safeParse(JSON.parse(j.stdout)).success).toBe(true);
  });
});

describe('configuration precedence: defaults < file < EVKIT_* env < flags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evkit-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const table = {
    rate: setting({ kind: positiveNumber(), default: 10, flag: '--rate', description: 'r', example: '50' }),
    duration: setting({ kind: text(), default: '10s', flag: '--duration', description: 'd', example: '30s' }),
    target: setting({ kind: text(), default: 'mock', flag: '--target', description: 't', example: 'x' }),
    verbose: setting({
      kind: switchFlag(),
      default: false,
      flag: '--verbose',
      description: 'v',
      example: 'true',
    }),
  };
  const allKeys = Object.keys(table);
  const resolve = (env: NodeJS.ProcessEnv, flags: Record<string, unknown>, cwd = dir) =>
    resolveCommandSettings(table, { flags, env, cwd, allKeys }).values;

  it('each layer overrides the one below it; other variables are not settings', () => {
    writeFileSync(join(dir, 'evkit.config.yaml'), 'rate: 20\nduration: 20s\ntarget: file\n');
    const env = { EVKIT_DURATION: '30s', EVKIT_TARGET: 'env', EVKIT_VERBOSE: 'true', OTHER: 'x' };
    expect(resolve(env, { target: 'flag', rate: undefined })).toEqual({
      rate: 20,
      duration: '30s',
      target: 'flag',
      verbose: true,
    });
    const empty = mkdtempSync(join(tmpdir(), 'evkit-config-empty-'));
    expect(resolve({}, {}, empty)).toEqual({ rate: 10, duration: '10s', target: 'mock', verbose: false });
    rmSync(empty, { recursive: true, force: true });
  });
  it('a bad number is a usage error (exit 2) with a code and the fix for its source', () => {
    try {
      resolve({ EVKIT_RATE: 'fast' }, {});
      expect.unreachable('EVKIT_RATE=fast was accepted');
    } catch (e) {
      expect((e as EvkitError).code).toBe('E_SETTING');
      expect((e as EvkitError).exitCode).toBe(2);
      expect((e as EvkitError).hint).toBe('e.g. EVKIT_RATE=50, or unset it');
    }
  });
  it('a malformed config file is E_CONFIG', () => {
    const bad = mkdtempSync(join(tmpdir(), 'evkit-config-bad-'));
    writeFileSync(join(bad, 'evkit.config.json'), '{ not json');
    expect(() => readConfig(bad)).toThrow(/cannot parse evkit.config.json/);
    rmSync(bad, { recursive: true, force: true });
  });
});

describe('one evkit.config.json for every command', () => {
  it('holds the keys of find-limit and probe beside the others: evkit generate accepts the file', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'evkit-config-all-'));
    // probeRate used to be read by probe alone, outside the tables: every other command refused the file.
    writeFileSync(
      join(cwd, 'evkit.config.json'),
      JSON.stringify({ probeRate: 2, findLimitTps: 50, rate: 20 }),
    );
    const r = await runEvkit(['generate', '--count', '1'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    writeFileSync(join(cwd, 'evkit.config.json'), JSON.stringify({ probeRat: 2 }));
    const bad = await runEvkit(['generate', '--count', '1'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('did you mean "probeRate"?');
    rmSync(cwd, { recursive: true, force: true });
  });
});
