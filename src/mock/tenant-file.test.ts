import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { EvkitError } from '../errors.ts';
import { DEFAULT_TENANT_FILE_INPUT, defaultTenantFile } from '../schema/default-tenant.ts';
import { loadTenantFile, parseTenantFileText, type TenantFileProblem } from './tenant-file.ts';

function problemsOf(run: () => unknown): TenantFileProblem[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EvkitError);
    const e = error as EvkitError;
    expect(e.code).toBe('E_TENANT_FILE');
    expect(e.exitCode).toBe(2);
    return (e.details as { problems?: unknown }).problems as TenantFileProblem[];
  }
  throw new Error('expected E_TENANT_FILE');
}

const withTenant = (patch: Record<string, unknown>) =>
  JSON.stringify({
    ...DEFAULT_TENANT_FILE_INPUT,
    tenants: [{ ...DEFAULT_TENANT_FILE_INPUT.tenants[0], ...patch }],
  });

describe('tenant file loading', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evkit-tenant-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the default tenant file as YAML and as JSON', () => {
    const yamlPath = join(dir, 'tenant.yaml');
    const jsonPath = join(dir, 'tenant.json');
    writeFileSync(yamlPath, stringify(DEFAULT_TENANT_FILE_INPUT));
    writeFileSync(jsonPath, JSON.stringify(DEFAULT_TENANT_FILE_INPUT));
    expect(loadTenantFile(yamlPath)).toEqual(defaultTenantFile());
    expect(loadTenantFile(jsonPath)).toEqual(defaultTenantFile());
  });

  it.each([
    [{ rateLimit: { tps: -5 } }, 'tenants[0].rateLimit.tps', 'a number > 0', '-5 (number)'],
    [{ rateLimit: { tps: 1.5 } }, 'tenants[0].rateLimit.tps', 'an integer', '1.5 (number)'],
    [
      { rateLimit: { tps: 10, window: 'rolling' } },
      'tenants[0].rateLimit.window',
      'one of "fixed", "sliding"',
      '"rolling" (string)',
    ],
    [{ trustProxy: 'yes' }, 'tenants[0].trustProxy', 'a value of type boolean', '"yes" (string)'],
    [{ services: [] }, 'tenants[0].services', 'at least 1 item(s)', 'an array of 0 item(s)'],
    [{ id: undefined }, 'tenants[0].id', 'a value of type string', 'nothing (the field is missing)'],
    [{ tps: 5 }, 'tenants[0].tps', 'no field of this name (check its spelling)', 'an unknown field'],
    [
      { allowlist: ['10.0.0.300'] },
      'tenants[0].allowlist[0]',
      'an IPv4 or IPv6 address or CIDR range (10.0.0.0/8, ::1)',
      '"10.0.0.300" (string)',
    ],
    [
      { faults: { latency: { distribution: 'uniform', minMs: 9, maxMs: 3 } } },
      'tenants[0].faults.latency.maxMs',
      'a number >= minMs (9)',
      '3 (number)',
    ],
  ])('%j -> %s: expected %s, got %s', (patch, path, expected, got) => {
    expect(problemsOf(() => parseTenantFileText(withTenant(patch), 'tenant.json'))).toContainEqual({
      path,
      expected,
      got,
    });
  });

  it('never prints a secret it found: keys and JWT secrets are described by type only', () => {
    const text = withTenant({ services: [{ id: 's', keys: [{ value: 12345 }], jwtSecret: 'not base64!' }] });
    const problems = problemsOf(() => parseTenantFileText(text, 'tenant.json'));
    expect(problems).toContainEqual({
      path: 'tenants[0].services[0].keys[0].value',
      expected: 'a value of type string',
      got: 'a number (value hidden)',
    });
    expect(JSON.stringify(problems)).not.toContain('not base64');
  });

  it('reports a key used twice and a service id used twice', () => {
    const base = DEFAULT_TENANT_FILE_INPUT.tenants[0];
    const text = JSON.stringify({
      version: 1,
      tenants: [base, { ...base, id: 'other' }],
    });
    const paths = problemsOf(() => parseTenantFileText(text, 'tenant.json')).map((p) => p.path);
    expect(paths).toContain('tenants[1].services[0].id');
    expect(paths).toContain('tenants[1].services[0].keys[0].value');
  });

  it('a syntax error or a missing file is E_TENANT_FILE too', () => {
    expect(() => parseTenantFileText('{"version":', 'x.json')).toThrow(/cannot parse x.json as JSON/);
    expect(() => parseTenantFileText('a: [', 'x.yaml')).toThrow(/cannot parse x.yaml as YAML/);
    expect(() => loadTenantFile(join(dir, 'missing.yaml'))).toThrow(/cannot read tenant file/);
  });
});
