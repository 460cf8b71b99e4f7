import { describe, expect, it } from 'vitest';
import {
  createTenantResolver,
  evaluateRequest,
  fixedServices,
  type RawRequest,
} from '../src/evaluate/index.ts';
import {
  CATALOG,
  DEFAULT_TENANT_FILE_INPUT,
  type EvaluatorOptions,
  envelopeEntries,
  envelopeForm,
  type ResponseCode,
  type TenantFile,
  type TenantFileInput,
  tenantFileSchema,
} from '../src/schema/index.ts';
import type { Case } from './case.ts';
import { caseBodyBytes } from './format.ts';
import { generateCases } from './generate.ts';
import { holdsUnder, MUTATION_CODES, MUTATIONS } from './mutations.ts';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

function fileWith(
  evaluator: Partial<EvaluatorOptions>,
  input: TenantFileInput = DEFAULT_TENANT_FILE_INPUT,
): TenantFile {
  return tenantFileSchema.parse({ ...structuredClone(input), evaluator });
}

/** A second tenant with its own key and allowlist: credentials route requests to it. */
const TWO_TENANTS: TenantFileInput = {
  ...structuredClone(DEFAULT_TENANT_FILE_INPUT),
  tenants: [
    ...structuredClone(DEFAULT_TENANT_FILE_INPUT.tenants),
    {
      id: 'second',
      services: [{ id: 'svc-second', keys: [{ value: 'second-key', active: true }] }],
      events: [{ evtid: 'E-1', mandatoryParameters: ['customerId'] }, { evtid: 'E-2' }],
      allowlist: ['127.0.0.0/30'],
    },
  ],
};

/** The option sets every case is checked under: defaults, each ambiguity the other way, another stage order. */
const FILES: Record<string, TenantFile> = {
  defaults: fileWith({}),
  'other ambiguities': fileWith({
    emptyKey: 'invalid',
    nullEvents: 'invalid',
    unknownFields: 'reject',
    expiryOffsets: 'accept',
    bearerPrefix: 'optional',
    evtidAsNumber: 'coerce',
    mandatoryParamDescription: 'template',
  }),
  'credentials before allowlist': fileWith({
    stageOrder: ['json', 'credentials', 'events', 'allowlist', 'expiry', 'fault', 'rateLimit', 'perEvent'],
  }),
  'two tenants': fileWith({}, TWO_TENANTS),
};

/** Evaluate a case as the mock would: resolve its tenant from the credentials, then run the pipeline. */
async function answer(c: Case, file: TenantFile) {
  const raw: RawRequest = { headers: c.headers, body: caseBodyBytes(c), sourceIp: c.sourceIp };
  const tenant = createTenantResolver(file.tenants, file.evaluator).resolve(raw);
  return evaluateRequest(raw, tenant, file.evaluator, fixedServices(NOW));
}

/** Every mismatch between a case's declaration and the evaluator's answer. */
async function mismatches(cases: readonly Case[], file: TenantFile): Promise<string[]> {
  const out: string[] = [];
  for (const c of cases) {
    const { envelope } = await answer(c, file);
    const entries = envelopeEntries(envelope);
    const wrong =
      envelopeForm(envelope) !== c.expected.form ||
      entries.some((e) => e.code !== c.expected.code) ||
      (c.expected.description !== undefined && entries.some((e) => e.description !== c.expected.description));
    if (wrong)
      out.push(
        `${c.id} ${c.mutation}: declared ${JSON.stringify(c.expected)}, got ${JSON.stringify(envelope)}`,
      );
  }
  return out;
}

describe('every generated case gets the declared code and form from the real evaluator', () => {
  for (const [name, file] of Object.entries(FILES)) {
    it(`${name}: valid, mixed, and 150 invalid cases per code`, async () => {
      const cases = [
        ...generateCases({ kind: 'valid', count: 300, seed: 11, now: NOW, tenantFile: file }),
        ...generateCases({ kind: 'mixed', count: 400, seed: 12, now: NOW, tenantFile: file }),
        ...MUTATION_CODES.flatMap((code) =>
          generateCases({ kind: 'invalid', code, count: 150, seed: 13, now: NOW, tenantFile: file }),
        ),
      ];
      expect(await mismatches(cases, file)).toEqual([]);
      expect(cases.filter((c) => c.kind === 'invalid').length).toBe(200 + 150 * MUTATION_CODES.length);
    });
  }

  it('every mutation is exercised under some option set', () => {
    const seen = new Set<string>();
    for (const file of Object.values(FILES)) {
      for (const code of MUTATION_CODES) {
        for (const c of generateCases({
          kind: 'invalid',
          code,
          count: 150,
          seed: 13,
          now: NOW,
          tenantFile: file,
        })) {
          seen.add(c.mutation);
        }
      }
    }
    expect(MUTATIONS.map((m) => m.name).filter((n) => !seen.has(n))).toEqual([]);
  });

  it('a case whose declaration is wrong is caught (the check can fail)', async () => {
    const [c] = generateCases({ kind: 'invalid', code: '7003', count: 1, seed: 1, now: NOW });
    const lying = { ...(c as Case), expected: { code: '7004' as ResponseCode, form: 'object' as const } };
    expect(await mismatches([lying], FILES.defaults as TenantFile)).toHaveLength(1);
  });
});

describe('the mutation table', () => {
  it('has at least two mutations per request-triggered error code under the default options', () => {
    const file = FILES.defaults as TenantFile;
    for (const code of MUTATION_CODES) {
      const holding = MUTATIONS.filter((m) => m.code === code && holdsUnder(m, file.evaluator));
      expect(holding.length, code).toBeGreaterThanOrEqual(2);
    }
    expect(MUTATION_CODES).toEqual(['7000', '7001', '7002', '7003', '7004', '7010', '7019', '7025']);
  });

  it('has unique names and declares each code in a form the catalog allows', () => {
    expect(new Set(MUTATIONS.map((m) => m.name)).size).toBe(MUTATIONS.length);
    for (const m of MUTATIONS) {
      if (CATALOG[m.code].level !== 'request-or-event') expect(m.form, m.name).toBe(CATALOG[m.code].form);
    }
  });

  it('spreads invalid cases of a mixed run over every code, half of the run valid', () => {
    const cases = generateCases({ kind: 'mixed', count: 160, seed: 5, now: NOW });
    expect(cases.filter((c) => c.kind === 'valid')).toHaveLength(80);
    const perCode = new Map<string, number>();
    for (const c of cases)
      if (c.kind === 'invalid') perCode.set(c.expected.code, (perCode.get(c.expected.code) ?? 0) + 1);
    expect([...perCode.keys()].sort()).toEqual([...MUTATION_CODES].sort());
    expect(Math.min(...perCode.values())).toBe(10);
  });
});

describe('options', () => {
  it('refuses codes no single request provokes, and codes that do not fit the kind', () => {
    expect(() => generateCases({ kind: 'invalid', code: '7020', count: 1, seed: 1 })).toThrow(
      /not provoked by a single request/,
    );
    expect(() => generateCases({ kind: 'invalid', code: '1002', count: 1, seed: 1 })).toThrow(
      /does not go with/,
    );
    expect(() => generateCases({ kind: 'valid', code: '7004', count: 1, seed: 1 })).toThrow(
      /does not go with/,
    );
    expect(() => generateCases({ kind: 'valid', count: -1, seed: 1 })).toThrow(/count/);
  });

  it('says when a code cannot be reached with a tenant file', () => {
    const input = structuredClone(DEFAULT_TENANT_FILE_INPUT);
    const tenant = input.tenants[0];
    if (!tenant) throw new Error('default tenant missing');
    tenant.allowlist = [];
    tenant.events = [{ evtid: '4451' }];
    const file = tenantFileSchema.parse(input);
    expect(() =>
      generateCases({ kind: 'invalid', code: '7010', count: 1, seed: 1, tenantFile: file }),
    ).toThrow(/no mutation of 7010 applies/);
    expect(() =>
      generateCases({ kind: 'invalid', code: '7025', count: 1, seed: 1, tenantFile: file }),
    ).toThrow(/no mutation of 7025 applies/);
    // The other codes still spread over what applies.
    const codes = new Set(
      generateCases({ kind: 'invalid', count: 60, seed: 1, tenantFile: file }).map((c) => c.expected.code),
    );
    expect(codes.has('7010') || codes.has('7025')).toBe(false);
    expect(codes.size).toBe(MUTATION_CODES.length - 2);
  });
});
