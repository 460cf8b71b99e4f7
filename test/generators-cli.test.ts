import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Case, MUTATIONS, STATES_AND_SHAPES } from '../generators/index.ts';
import { DEFAULT_TENANT_FILE_INPUT } from '../src/schema/default-tenant.ts';
import { runEvkit } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'evkit-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = ['--now', '2026-01-15T12:00:00Z'];

describe('evkit generate', () => {
  it('writes NDJSON to stdout; the same seed gives identical bytes, another seed other output', async () => {
    const args = ['generate', '--kind', 'mixed', '--count', '50', ...NOW];
    const [a, b, c] = await Promise.all([
      runEvkit([...args, '--seed', '7']),
      runEvkit([...args, '--seed', '7']),
      runEvkit([...args, '--seed', '8']),
    ]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(c.stdout).not.toBe(a.stdout);
    const cases = a.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Case);
    expect(cases).toHaveLength(50);
    expect(cases.filter((x) => x.kind === 'valid')).toHaveLength(25);
    expect(a.stderr).toContain('50 case(s), 25 valid and 25 invalid, seed 7');
  });

  it('writes a k6 SharedArray corpus of one code, from a tenant file', async () => {
    const tenant = join(dir, 'tenant.json');
    writeFileSync(tenant, JSON.stringify(DEFAULT_TENANT_FILE_INPUT));
    const out = join(dir, 'corpus.json');
    const r = await runEvkit([
      'generate',
      '--kind',
      'invalid',
      '--code',
      '7025',
      '--count',
      '12',
      '--seed',
      '3',
      '--format',
      'k6',
      '--out',
      out,
      '--tenant',
      tenant,
      ...NOW,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const corpus = JSON.parse(readFileSync(out, 'utf8')) as Case[];
    expect(corpus).toHaveLength(12);
    expect(new Set(corpus.map((x) => x.expected.code))).toEqual(new Set(['7025']));
  });

  it('--list names every mutation and how 7005 and 7020 are reached', async () => {
    const r = await runEvkit(['generate', '--list']);
    expect(r.code).toBe(0);
    for (const m of MUTATIONS) expect(r.stdout).toContain(m.name);
    for (const ways of Object.values(STATES_AND_SHAPES))
      for (const w of ways) expect(r.stdout).toContain(w.name);
  });

  it('answers usage errors with exit code 2 and a fix', async () => {
    const badTenant = join(dir, 'bad.json');
    writeFileSync(badTenant, '{"version": 2}');
    const [state, unknown, badNow, tenant] = await Promise.all([
      runEvkit(['generate', '--kind', 'invalid', '--code', '7005']),
      runEvkit(['generate', '--code', '1234']),
      runEvkit(['generate', '--now', 'yesterday']),
      runEvkit(['generate', '--tenant', badTenant]),
    ]);
    expect(state.code).toBe(2);
    expect(state.stderr).toContain('7005 is not provoked by a single request');
    expect(state.stderr).toContain('--list');
    expect(unknown.code).toBe(2);
    expect(badNow.code).toBe(2);
    expect(tenant.code).toBe(2);
    expect(tenant.stderr).toContain('E_TENANT_FILE');
  });
});
