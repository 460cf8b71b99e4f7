/**
 * Stage orders: the option schema refuses an order where a stage comes before one it needs (naming both, with
 * a valid order to use), `evkit mock` refuses such a tenant file at load time (exit 2), and every order the
 * schema accepts gives the documented answers: the first stage in the order that objects answers, with the
 * same answer whatever its place; when none objects, the per-event answer of the default order.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  type Case,
  caseBodyBytes,
  generateCases,
  holdsUnder,
  MUTATION_CODES,
  MUTATIONS,
} from '../generators/index.ts';
import { isEvkitError } from '../src/errors.ts';
import { base64ToBytes } from '../src/evaluate/credentials.ts';
import { evaluate, fixedServices } from '../src/evaluate/evaluate.ts';
import { createTenantResolver } from '../src/evaluate/tenant.ts';
import type { Admission, Evaluation, EvaluatorServices, RawRequest } from '../src/evaluate/types.ts';
import { startMock } from '../src/mock/server.ts';
import { DEFAULT_TENANT_FILE_INPUT, defaultTenantFile } from '../src/schema/default-tenant.ts';
import {
  checkedStageOrder,
  type EvaluatorOptions,
  evaluatorOptionsSchema,
  STAGE_NAMES,
  STAGE_NEEDS,
  type StageName,
} from '../src/schema/options.ts';
import type { TenantFile } from '../src/schema/tenant.ts';
import { runEvkit } from './helpers/cli.ts';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
/** The order of the issue "The house": perEvent before events, which answered `{"response":[]}`. */
const BAD_ORDER: StageName[] = [
  'allowlist',
  'credentials',
  'json',
  'perEvent',
  'events',
  'expiry',
  'fault',
  'rateLimit',
];
const stageOrderSchema = evaluatorOptionsSchema.shape.stageOrder;

function orderMessage(order: readonly string[]): string {
  const r = stageOrderSchema.safeParse(order);
  return r.success ? '' : r.error.issues.map((i) => i.message).join('\n');
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('the option schema refuses an impossible stage order', () => {
  it('the old order (perEvent before events) is refused, naming both stages and a valid order', () => {
    const message = orderMessage(BAD_ORDER);
    expect(message).toContain('perEvent needs events before it');
    expect(message).toContain(
      'for example: allowlist, credentials, json, events, perEvent, expiry, fault, rateLimit',
    );
    // The order it suggests is accepted.
    const suggested = /for example: ([a-zA-Z, ]+)$/.exec(message)?.[1]?.split(', ');
    expect(stageOrderSchema.safeParse(suggested).success).toBe(true);
  });

  it('names every misplaced need: rateLimit and perEvent before events, events before json', () => {
    const message = orderMessage([
      'rateLimit',
      'perEvent',
      'events',
      'json',
      'allowlist',
      'credentials',
      'expiry',
      'fault',
    ]);
    expect(message).toContain('events needs json before it');
    expect(message).toContain('rateLimit needs events before it');
    expect(message).toContain('perEvent needs events before it');
    expect(message).toContain(
      'for example: json, events, rateLimit, perEvent, allowlist, credentials, expiry, fault',
    );
  });

  it('still wants each stage exactly once, and says the fixed stages are not listed', () => {
    expect(orderMessage(STAGE_NAMES.slice(1))).toContain('each stage exactly once');
    expect(orderMessage(STAGE_NAMES.slice(1))).toContain('tenant, sourceIp, jsonDepth always run first');
    expect(stageOrderSchema.safeParse(['tenant', ...STAGE_NAMES]).success).toBe(false);
    expect(stageOrderSchema.safeParse([...STAGE_NAMES]).success).toBe(true);
  });

  it('refuses in the type checker an order written in code (typecheck fails if it stops)', () => {
    expect(
      checkedStageOrder([
        'allowlist',
        'credentials',
        'json',
        'events',
        'expiry',
        'fault',
        'rateLimit',
        'perEvent',
      ]),
    ).toEqual([...STAGE_NAMES]);
    // @ts-expect-error perEvent needs events before it
    const bad = checkedStageOrder([
      'allowlist',
      'credentials',
      'json',
      'perEvent',
      'events',
      'expiry',
      'fault',
      'rateLimit',
    ]);
    expect(bad).toHaveLength(8);
  });

  describe('a tenant file with the bad order is refused at load time', () => {
    const dir = mkdtempSync(join(tmpdir(), 'evkit-stage-orders-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const badFile = { ...structuredClone(DEFAULT_TENANT_FILE_INPUT), evaluator: { stageOrder: BAD_ORDER } };

    it('by startMock, with E_TENANT_FILE', async () => {
      const error = await startMock({ tenantFile: badFile as unknown as TenantFile }).then(
        (mock) => mock.close({ drainDeadlineMs: 0 }).then(() => undefined),
        (e: unknown) => e,
      );
      expect(isEvkitError(error) && error.code).toBe('E_TENANT_FILE');
      expect((error as Error).message).toContain(
        'evaluator.stageOrder: expected a stage order where every stage',
      );
      expect((error as Error).message).toContain('perEvent needs events before it');
    });

    it('by evkit mock --tenant: exit 2 naming the stages', async () => {
      const file = join(dir, 'bad-order.yaml');
      writeFileSync(file, stringify(badFile));
      const r = await runEvkit(['mock', '--tenant', file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('error [E_TENANT_FILE]');
      expect(r.stderr).toContain(
        'evaluator.stageOrder: expected a stage order where every stage comes after',
      );
      expect(r.stderr).toContain('perEvent needs events before it (events establishes the events list)');
      expect(r.stderr).toContain(
        'for example: allowlist, credentials, json, events, perEvent, expiry, fault, rateLimit',
      );
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Every accepted order.

/** Written out from the docs (README, docs/fidelity.md), not read from the schema: what must come before what. */
const DOCUMENTED_NEEDS: readonly (readonly [StageName, StageName])[] = [
  ['events', 'json'],
  ['expiry', 'json'],
  ['rateLimit', 'events'],
  ['perEvent', 'events'],
];

const ALL_PERMUTATIONS = permutations(STAGE_NAMES);
const ACCEPTED = ALL_PERMUTATIONS.filter((order) => stageOrderSchema.safeParse(order).success);

describe('the accepted orders', () => {
  it('are exactly the permutations that keep the documented needs', () => {
    expect(ALL_PERMUTATIONS).toHaveLength(40_320);
    const keeping = ALL_PERMUTATIONS.filter((o) =>
      DOCUMENTED_NEEDS.every(([stage, needed]) => o.indexOf(needed) < o.indexOf(stage)),
    );
    // json, then events and expiry in either order, events before rateLimit and perEvent: 8 orders of those
    // five, with allowlist, credentials and fault anywhere: 8 * 6 * 7 * 8 = 2688.
    expect(keeping).toHaveLength(2688);
    expect(ACCEPTED.map((o) => o.join())).toEqual(keeping.map((o) => o.join()));
  });
});

const file = defaultTenantFile();
const tenant = file.tenants[0] as TenantFile['tenants'][number];
const SECRET = tenant.services[0]?.jwtSecret as string;
const KEY = 'evkit-demo-key';
const resolver = createTenantResolver(file.tenants, file.evaluator);

interface OrderCase {
  readonly name: string;
  readonly raw: RawRequest;
  readonly admission?: Admission;
  readonly fault?: boolean;
  /** The mutation a generated case comes from. */
  readonly mutation?: (typeof MUTATIONS)[number] | undefined;
}

const encode = (body: unknown) =>
  new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body));
const keyed = (body: unknown, extra: Partial<RawRequest> = {}): RawRequest => ({
  headers: { key: KEY },
  body: encode(body),
  sourceIp: '127.0.0.1',
  ...extra,
});
const deep = (depth: number) => `{"events":${'['.repeat(depth)}${']'.repeat(depth)}}`;

async function handMadeCases(): Promise<OrderCase[]> {
  const jwt = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('svc-demo')
    .setIssuedAt(NOW / 1000)
    .sign(base64ToBytes(SECRET));
  const one = { events: [{ evtid: '4451', correlationid: 'c-1' }] };
  return [
    { name: '1002', raw: keyed(one) },
    { name: '1002 burst', raw: keyed(one), admission: 'burst' },
    { name: '1002 with JWT', raw: { ...keyed(one), headers: { authorization: `Bearer ${jwt}` } } },
    {
      name: 'mixed per event: 1002, 7004, 7025',
      raw: keyed({
        events: [{ evtid: '4451' }, { evtid: 'nope' }, { evtid: '4460', parameters: { orderId: '1' } }],
      }),
    },
    { name: '7005', raw: keyed(one), fault: true },
    { name: '7020 carries the first correlationid', raw: keyed(one), admission: 'rejected' },
    {
      name: '7020 with 7005 and a past expiry',
      raw: keyed({ ...one, expiry: '2020-01-01T00:00:00Z' }),
      admission: 'rejected',
      fault: true,
    },
    { name: '7000 nested too deep', raw: keyed(deep(40)) },
    {
      name: '7000 nested too deep, bad key, outside',
      raw: keyed(deep(40), { headers: { key: 'x' }, sourceIp: '127.0.0.2' }),
    },
    { name: '7003 and 7001 and 7005', raw: keyed({}, { headers: { key: 'x' } }), fault: true },
    { name: '7019 and bad events', raw: keyed({ expiry: '2020-01-01T00:00:00Z', events: [] }) },
    {
      name: 'everything broken',
      raw: keyed('{', { headers: {}, sourceIp: '127.0.0.2' }),
      admission: 'rejected',
      fault: true,
    },
  ];
}

/**
 * Generated cases: one per request-triggered code, and one of every mutation that declares an order it needs
 * (two things broken at once): some 60,000 evaluations in all, a few seconds.
 */
function generatedCases(): OrderCase[] {
  const seen = new Map<string, OrderCase>();
  const codes = new Set<string>();
  for (const code of MUTATION_CODES) {
    for (const c of generateCases({
      kind: 'invalid',
      code,
      count: 60,
      seed: 5,
      now: NOW,
      tenantFile: file,
    })) {
      const mutation = MUTATIONS.find((m) => m.name === c.mutation);
      if (seen.has(c.mutation) || (codes.has(code) && !mutation?.stagesBefore.length)) continue;
      codes.add(code);
      seen.set(c.mutation, {
        name: `${code} ${c.mutation}`,
        raw: { headers: c.headers, body: caseBodyBytes(c as Case), sourceIp: c.sourceIp },
        mutation,
      });
    }
  }
  return [...seen.values()];
}

function servicesFor(c: OrderCase): EvaluatorServices {
  const services = fixedServices(NOW, c.admission ?? 'queued');
  return c.fault ? { ...services, faults: { internalError: () => true } } : services;
}

const optionsWith = (order: readonly StageName[]): EvaluatorOptions => ({
  ...file.evaluator,
  stageOrder: [...order],
});

const ACCEPTED_OPTIONS = ACCEPTED.map(optionsWith);

async function run(c: OrderCase, order: readonly StageName[]): Promise<Evaluation> {
  return evaluate(c.raw, resolver, optionsWith(order), servicesFor(c));
}

/** The stages `stage` needs, transitively, in the default order. */
function needsClosure(stage: StageName): StageName[] {
  const out = new Set<StageName>();
  const visit = (s: StageName) => {
    for (const n of STAGE_NEEDS[s] as readonly string[]) {
      if (!(STAGE_NAMES as readonly string[]).includes(n) || out.has(n as StageName)) continue;
      visit(n as StageName);
      out.add(n as StageName);
    }
  };
  visit(stage);
  return STAGE_NAMES.filter((s) => out.has(s));
}

/** Each stage's verdict on a case, learnt with the stage placed right after what it needs. */
async function verdicts(c: OrderCase): Promise<Map<StageName, Evaluation>> {
  const out = new Map<StageName, Evaluation>();
  for (const stage of STAGE_NAMES) {
    const needs = needsClosure(stage);
    const order = [...needs, stage, ...STAGE_NAMES.filter((s) => s !== stage && !needs.includes(s))];
    const e = await run(c, order);
    if (e.decidedBy === stage && stage !== 'perEvent') out.set(stage, e);
  }
  return out;
}

/** What is wrong with `got`, the answer of `c` under `order`, given each stage's verdict and the per-event answer. */
function mismatch(
  c: OrderCase,
  order: readonly StageName[],
  got: Evaluation,
  byStage: ReadonlyMap<StageName, Evaluation>,
  perEvent: Evaluation,
): string[] {
  const out: string[] = [];
  const first = order.find((s) => byStage.has(s));
  const want = first === undefined ? perEvent : (byStage.get(first) as Evaluation);
  const where = `${c.name} [${order.join(' ')}]`;
  if (got.decidedBy !== want.decidedBy || JSON.stringify(got.envelope) !== JSON.stringify(want.envelope))
    out.push(`${where}: want ${JSON.stringify(want.envelope)}, got ${JSON.stringify(got.envelope)}`);
  // A generated case's declared code holds in every order where its mutation says it does.
  const m = c.mutation;
  if (m && holdsUnder(m, optionsWith(order)) && got.codes.some((x) => x !== m.code))
    out.push(`${where}: declared ${m.code}, got ${got.codes.join()}`);
  return out;
}

describe('every accepted order gives the documented answers', () => {
  it('the first objecting stage in the order answers, as it would anywhere; else the per-event answer', async () => {
    const generated = generatedCases();
    expect(new Set(generated.map((c) => c.mutation?.code))).toEqual(new Set(MUTATION_CODES));
    expect(generated.filter((c) => c.mutation?.stagesBefore.length).length).toBeGreaterThanOrEqual(2);
    const cases = [...(await handMadeCases()), ...generated];
    const wrong: string[] = [];
    let checked = 0;
    for (const c of cases) {
      const byStage = await verdicts(c);
      const perEvent = await run(c, STAGE_NAMES);
      for (const [i, order] of ACCEPTED.entries()) {
        // Awaited only when it is a Promise (a JWT): 100,000 evaluations stay quick.
        const got = evaluate(c.raw, resolver, ACCEPTED_OPTIONS[i] as EvaluatorOptions, servicesFor(c));
        wrong.push(...mismatch(c, order, got instanceof Promise ? await got : got, byStage, perEvent));
        checked += 1;
      }
      if (wrong.length > 10) break;
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(cases.length * 2688);
  });

  it('the documented answers themselves (in the default order)', async () => {
    const byName = new Map((await handMadeCases()).map((c) => [c.name, c]));
    const answer = async (name: string) =>
      (await run(byName.get(name) as OrderCase, STAGE_NAMES)).envelope.response;
    expect(await answer('1002 burst')).toMatchObject([{ code: '1002', description: 'Queued in burst mode' }]);
    expect(await answer('1002 with JWT')).toMatchObject([{ code: '1002', correlationid: 'c-1' }]);
    expect(await answer('mixed per event: 1002, 7004, 7025')).toMatchObject([
      { code: '1002' },
      { code: '7004' },
      { code: '7025' },
    ]);
    expect(await answer('7020 carries the first correlationid')).toMatchObject({
      code: '7020',
      correlationid: 'c-1',
    });
    expect(await answer('7000 nested too deep')).toMatchObject({ code: '7000' });
    expect(await answer('7000 nested too deep, bad key, outside')).toMatchObject({ code: '7010' });
    expect(await answer('7003 and 7001 and 7005')).toMatchObject({ code: '7001' });
    expect(await answer('everything broken')).toMatchObject({ code: '7010' });
  });

  it('the check can fail: an answer that ignores the order is caught', async () => {
    const c = (await handMadeCases()).find(
      (x) => x.name === '7000 nested too deep, bad key, outside',
    ) as OrderCase;
    const byStage = await verdicts(c);
    const perEvent = await run(c, STAGE_NAMES);
    const credentialsFirst = ACCEPTED.find((o) => o[0] === 'credentials') as StageName[];
    // The default order's answer (7010) given as the answer of an order that starts with credentials (7001).
    expect(mismatch(c, credentialsFirst, await run(c, STAGE_NAMES), byStage, perEvent)).toHaveLength(1);
    expect(mismatch(c, credentialsFirst, await run(c, credentialsFirst), byStage, perEvent)).toEqual([]);
  });

  it('an order built in code that skips the schema is refused by the evaluator, naming the stages', async () => {
    const c = (await handMadeCases())[0] as OrderCase;
    expect(() => evaluate(c.raw, resolver, optionsWith(BAD_ORDER), servicesFor(c))).toThrow(
      /stageOrder: expected a stage order .*perEvent needs events before it/,
    );
  });
});
