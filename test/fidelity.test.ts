/**
 * Fidelity: docs/fidelity.md has a row with a source for every tenant-file option and every stage; the defaults
 * follow the documented behaviour (burst off); the contract, README and OpenAPI export say the same.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { eventApiInteractions } from '../contracts/index.ts';
import { openApiDocument } from '../src/export/openapi.ts';
import { type MockHandle, startMock } from '../src/mock/server.ts';
import { CATALOG, DESCRIPTION, EVENT_PATH } from '../src/schema/catalog.ts';
import { DEFAULT_TENANT_FILE_INPUT, defaultTenantFile } from '../src/schema/default-tenant.ts';
import { BURST_LABEL, GUESS_LABEL } from '../src/schema/fidelity.ts';
import { FIXED_STAGE_NAMES, STAGE_NAMES } from '../src/schema/options.ts';
import { tenantFileSchema, tenantSchema } from '../src/schema/tenant.ts';
import { ROOT } from './helpers/cli.ts';

const SOURCES = ['doc', 'example', 'guess', 'tool', 'differs'];

interface Row {
  readonly cells: readonly string[];
  readonly source: string;
  readonly options: readonly string[];
}

/** The rows of every table in docs/fidelity.md: behaviour | source | option (default). */
function fidelityRows(): Row[] {
  const text = readFileSync(join(ROOT, 'docs/fidelity.md'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l) && !l.startsWith('| behaviour'))
    .map((l) => {
      const cells = l
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim());
      return {
        cells,
        source: cells[1] ?? '',
        options: [...(cells[2] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] as string),
      };
    });
}

/** The leaf option paths of a zod object schema: `rateLimit.burst`, `services[].keys[].active`, ... */
function optionPaths(schema: z.ZodType, path = '', out: string[] = []): string[] {
  const def = (schema as unknown as { def: { type: string; innerType?: z.ZodType; element?: z.ZodType } })
    .def;
  if ((def.type === 'default' || def.type === 'optional') && def.innerType)
    return optionPaths(def.innerType, path, out);
  if (def.type === 'object') {
    const shape = (schema as unknown as { shape: Record<string, z.ZodType> }).shape;
    for (const [key, value] of Object.entries(shape)) optionPaths(value, path ? `${path}.${key}` : key, out);
    return out;
  }
  const element = def.element as unknown as { def: { type: string } } | undefined;
  if (def.type === 'array' && element?.def.type === 'object')
    return optionPaths(def.element as z.ZodType, `${path}[]`, out);
  out.push(path);
  return out;
}

describe('docs/fidelity.md', () => {
  const rows = fidelityRows();

  it('labels every row with a source', () => {
    expect(rows.length).toBeGreaterThan(30);
    for (const row of rows)
      expect(
        SOURCES.some((s) => row.source.includes(s)),
        `row without a source: ${row.cells[0]}`,
      ).toBe(true);
  });

  it('has a row for every tenant-file option (a new option without one fails here)', () => {
    const options = [
      ...optionPaths(tenantFileSchema).filter((p) => !p.startsWith('tenants[].') && p !== 'tenants'),
      ...optionPaths(tenantSchema),
    ];
    expect(options).toContain('rateLimit.burst');
    expect(options).toContain('evaluator.stageOrder');
    expect(options).toContain('journalSize');
    const documented = new Set(rows.flatMap((r) => r.options));
    expect(options.filter((o) => !documented.has(o))).toEqual([]);
  });

  it('the enumeration catches an undocumented option (the check can fail)', () => {
    const extended = tenantSchema.extend({ somethingNew: tenantSchema.shape.trustProxy });
    const documented = new Set(rows.flatMap((r) => r.options));
    expect(optionPaths(extended).filter((o) => !documented.has(o))).toEqual(['somethingNew']);
  });

  it('has a row for every stage of the evaluator, the fixed ones too', () => {
    const text = rows.map((r) => r.cells[0]).join('\n');
    for (const stage of [...FIXED_STAGE_NAMES, ...STAGE_NAMES])
      expect(text, stage).toContain(`Stage \`${stage}\``);
  });

  it('marks burst mode as documented for the Messaging API only, and off by default', () => {
    const burst = rows.find((r) => r.options.includes('rateLimit.burst'));
    expect(burst?.source).toMatch(/Messaging API only/);
    expect(burst?.source).toMatch(/guess/);
    expect(burst?.cells[2]).toMatch(/off/);
  });
});

describe('defaults follow the documented behaviour', () => {
  it('burst is off in the default tenant and in a tenant that does not mention it', () => {
    expect(defaultTenantFile().tenants[0]?.rateLimit.burst).toBe(false);
    const base = DEFAULT_TENANT_FILE_INPUT.tenants[0] as Record<string, unknown>;
    const parsed = tenantFileSchema.parse({ version: 1, tenants: [{ ...base, rateLimit: { tps: 5 } }] });
    expect(parsed.tenants[0]?.rateLimit.burst).toBe(false);
  });

  it('a default mock above its TPS answers 7020, never "Queued in burst mode"', async () => {
    const rateClock = { now: () => 1_700_000_000_500 };
    const mock: MockHandle = await startMock({ rateClock });
    try {
      const descriptions: string[] = [];
      for (let i = 0; i < 110; i++) {
        const res = await fetch(`${mock.url}${EVENT_PATH}`, {
          method: 'POST',
          headers: { key: 'evkit-demo-key' },
          body: JSON.stringify({ events: [{ evtid: '4451' }] }),
        });
        const json = (await res.json()) as { response: { description: string } | { description: string }[] };
        const r = json.response;
        descriptions.push((Array.isArray(r) ? r[0]?.description : r.description) ?? '');
      }
      expect(descriptions.filter((d) => d === DESCRIPTION.queued)).toHaveLength(100);
      expect(descriptions.filter((d) => d === DESCRIPTION.queuedInBurstMode)).toHaveLength(0);
      expect(descriptions.filter((d) => d === DESCRIPTION.rateLimited)).toHaveLength(10);
    } finally {
      await mock.close({ drainDeadlineMs: 0 });
    }
  });

  it('the contract has the burst interaction only for a tenant that enables burst mode', () => {
    const isBurst = (d: string) => d.includes('burst');
    const byDefault = eventApiInteractions();
    const burstTenant = defaultTenantFile();
    for (const t of burstTenant.tenants) t.rateLimit.burst = true;
    const withBurst = eventApiInteractions({ tenantFile: burstTenant });
    expect(byDefault.some((i) => isBurst(i.description))).toBe(false);
    expect(withBurst.filter((i) => isBurst(i.description))).toHaveLength(1);
    expect(withBurst).toHaveLength(byDefault.length + 1);
  });

  it('the README states no sandbox limit (no public source) and no burst-on default', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).not.toMatch(/2,500 a month/);
    expect(readme).not.toMatch(/burst on\)/);
  });

  it('the OpenAPI export labels the guessed 7005 and the burst example as the fidelity table does', () => {
    const doc = openApiDocument() as {
      info: { description: string };
      paths: Record<string, { post: { responses: Record<string, unknown> } }>;
    };
    const ok = doc.paths[EVENT_PATH]?.post.responses['200'] as
      | { content: { 'application/json': { examples: Record<string, { summary: string }> } } }
      | undefined;
    const examples = ok?.content['application/json'].examples ?? {};
    expect(examples['code-1002-burst']?.summary).toContain(BURST_LABEL);
    expect(examples['code-7005']?.summary).toContain(GUESS_LABEL);
    expect(examples['code-1002']?.summary).not.toContain('guess');
    expect(doc.info.description).toContain(`7005 ${CATALOG['7005'].message}`);
    expect(doc.info.description).toMatch(new RegExp(`7005 [^\\n]*${GUESS_LABEL}`));
  });
});
