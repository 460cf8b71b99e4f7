/** The one run preparation: the embedded mock's defaults, the corpus and its redacted copy. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultTenantFile } from '../schema/default-tenant.ts';
import { CORPUS_FILE, firstKey, planRun, prepareRun } from './prepare.ts';
import { REDACTED } from './redact.ts';

const dir = mkdtempSync(join(tmpdir(), 'evkit-prepare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('planRun', () => {
  it('with the embedded mock: its TPS is the one asked for, burst and the first key are its own', () => {
    const tenant = defaultTenantFile();
    const key = firstKey(tenant) as string;
    const plan = planRun({ settings: { expectedTps: 40 } });
    expect(plan.embedded).toBe(true);
    expect(plan.tenantFile.tenants[0]?.rateLimit.tps).toBe(40);
    expect(plan.settings).toMatchObject({ expectedTps: 40, burst: tenant.tenants[0]?.rateLimit.burst, key });
    expect(plan.config.config.credentials).toEqual({ type: 'key', key });
    // Credentials of the user's win; the tenant file given is not changed.
    const jwt = planRun({ tenantFile: tenant, settings: { jwtSecret: 'c2VjcmV0', serviceId: 's' } });
    expect(jwt.settings.key).toBeUndefined();
    expect(jwt.settings.expectedTps).toBe(tenant.tenants[0]?.rateLimit.tps);
  });

  it('with a target: no defaults of the mock', () => {
    const plan = planRun({ target: 'http://127.0.0.1:9', settings: {} });
    expect(plan.embedded).toBe(false);
    expect(plan.settings).toEqual({});
    expect(plan.config.config.expectedTps).toBe(100);
    expect(plan.config.values.target).toBe('http://127.0.0.1:9');
  });
});

describe('prepareRun', () => {
  it('writes the corpus privately and a redacted copy, and removes the private one on close', async () => {
    const prepared = await prepareRun(
      planRun({ target: 'http://127.0.0.1:9', settings: {}, corpusSize: 5 }),
      {
        copyDir: dir,
      },
    );
    const file = prepared.corpusFile as string;
    expect(file).not.toContain(dir);
    expect(prepared.config.values.corpus).toBe(file);
    const key = firstKey(defaultTenantFile()) as string;
    expect(readFileSync(file, 'utf8')).toContain(key);
    const copy = readFileSync(join(dir, CORPUS_FILE), 'utf8');
    expect(copy).not.toContain(key);
    expect(copy).toContain(REDACTED);
    await prepared.close();
    expect(() => readFileSync(file)).toThrow();
  });

  it('refuses a corpus that is not a JSON array before anything starts', async () => {
    await expect(prepareRun(planRun({ settings: {}, corpus: join(dir, 'missing.json') }))).rejects.toThrow(
      /cannot read the corpus/,
    );
  });
});
