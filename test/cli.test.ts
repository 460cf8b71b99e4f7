import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readConfigFile, readEnvConfig, resolveSettings } from '../src/config.ts';
import { EvkitError } from '../src/errors.ts';
import { tenantFileSchema } from '../src/schema/tenant.ts';
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
  const defaults = { rate: 10, duration: '10s', target: 'mock', verbose: false };

  it('each layer overrides the one below it, and only known keys', () => {
    writeFileSync(join(dir, 'evkit.config.yaml'), 'rate: 20\nduration: 20s\ntarget: file\nunknown: 1\n');
    const file = readConfigFile(dir);
    const env = readEnvConfig({
      EVKIT_DURATION: '30s',
      EVKIT_TARGET: 'env',
      EVKIT_VERBOSE: 'true',
      OTHER: 'x',
    });
    const flags = { target: 'flag', rate: undefined };
    expect(resolveSettings(defaults, { file, env, flags })).toEqual({
      rate: 20,
      duration: '30s',
      target: 'flag',
      verbose: true,
    });
    expect(resolveSettings(defaults, {})).toEqual(defaults);
  });
  it('a bad number is a configuration error with a code', () => {
    expect(() => resolveSettings(defaults, { env: { rate: 'fast' } })).toThrow(EvkitError);
    try {
      resolveSettings(defaults, { env: { rate: 'fast' } });
    } catch (e) {
      expect((e as EvkitError).code).toBe('E_CONFIG');
      expect((e as EvkitError).exitCode).toBe(2);
    }
  });
  it('a malformed config file is E_CONFIG', () => {
    const bad = mkdtempSync(join(tmpdir(), 'evkit-config-bad-'));
    writeFileSync(join(bad, 'evkit.config.json'), '{ not json');
    expect(() => readConfigFile(bad)).toThrow(/cannot parse evkit.config.json/);
    rmSync(bad, { recursive: true, force: true });
  });
});
