/**
 * Fuzz: 100k invalid requests from declared mutations of the official examples, each checked against the code
 * its mutation declares. Most run through the mock's engine in process (the HTTP listener's core); a seeded
 * sample goes over real HTTP to the same configuration. Zero crashes, never 1002.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type MockEngine } from '../src/mock/engine.ts';
import { createLogger } from '../src/mock/log.ts';
import { type MockHandle, startMock } from '../src/mock/server.ts';
import { createRandom } from '../src/random.ts';
import { DEFAULT_TENANT_FILE_INPUT } from '../src/schema/default-tenant.ts';
import { type TenantFile, tenantFileSchema } from '../src/schema/tenant.ts';
import {
  buildCase,
  EXAMPLE_NAMES,
  FUZZ_NOW,
  type FuzzCase,
  MUTATION_NAMES,
  type TokenPools,
  validBase,
} from './mock-fuzz-mutations.ts';
import { control, keepAliveAgent, pool, request, signJwt } from './mock-helpers.ts';

const SEED = 20260601;
const IN_PROCESS_CASES = 100_000;
const HTTP_CASES = 2_000;
const NOW_S = FUZZ_NOW / 1000;

/** The default tenant with a limit no fuzz run reaches, so every answer is decided by the request itself. */
function fuzzTenantFile(): TenantFile {
  const base = DEFAULT_TENANT_FILE_INPUT.tenants[0] as Record<string, unknown>;
  return tenantFileSchema.parse({
    version: 1,
    tenants: [{ ...base, rateLimit: { tps: 1_000_000_000 }, queueCapacity: 10_000_000 }],
  });
}

type Entry = { code?: unknown };

/** How an answer differs from its case's declaration, or undefined when it matches. */
function mismatch(c: FuzzCase, json: unknown): string | undefined {
  const response = (json as { response?: unknown } | undefined)?.response;
  if (response === undefined) return `no envelope: ${JSON.stringify(json)}`;
  const entries = (Array.isArray(response) ? response : [response]) as Entry[];
  if (entries.some((e) => e.code === '1002')) return `accepted (1002): ${JSON.stringify(json)}`;
  if ((c.form === 'array') !== Array.isArray(response))
    return `form ${Array.isArray(response) ? 'array' : 'object'}, declared ${c.form}`;
  if (c.form === 'array' && entries.length !== c.eventCount)
    return `${entries.length} entries for ${c.eventCount} events`;
  const codes = [...new Set(entries.map((e) => e.code))];
  return codes.length === 1 && codes[0] === c.code
    ? undefined
    : `codes ${codes.join(',')}, declared ${c.code}`;
}

function describeCase(c: FuzzCase, problem: string): string {
  const body = Buffer.from(c.body).toString('latin1');
  return `${c.mutation} on ${c.example} from ${c.sourceIp}: ${problem}; body ${body.slice(0, 160)}`;
}

describe('fuzz: declared mutations of the official examples', () => {
  let tokens: TokenPools;
  let engine: MockEngine;
  let mock: MockHandle;

  beforeAll(async () => {
    const sign = (n: number, make: (i: number) => Promise<string>) =>
      Promise.all(Array.from({ length: n }, (_, i) => make(i)));
    tokens = {
      valid: await sign(8, (i) => signJwt({ iatSeconds: NOW_S - 60 - i })),
      badSignature: await sign(8, (i) =>
        signJwt({ iatSeconds: NOW_S - i }, { secret: 'Zm9yZWlnbi1zZWNyZXQtZm9yZWlnbi1zZWNyZXQ=' }),
      ),
      expired: await sign(8, (i) => signJwt({ iatSeconds: NOW_S - 3601 - i * 1000 })),
      expPast: await sign(8, (i) => signJwt({ iatSeconds: NOW_S - 120, expSeconds: NOW_S - 1 - i })),
      hs512: await sign(8, (i) => signJwt({ iatSeconds: NOW_S - i }, { alg: 'HS512' })),
      unknownIss: await sign(8, (i) => signJwt({ iss: `svc-${i}`, iatSeconds: NOW_S - i })),
    };
    engine = createEngine(fuzzTenantFile(), { log: createLogger(undefined) });
    engine.setClock(FUZZ_NOW);
    mock = await startMock({ tenantFile: fuzzTenantFile() });
    await control(mock.url, '/clock', { now: new Date(FUZZ_NOW).toISOString() });
  });
  afterAll(async () => {
    await mock?.close();
  });

  it('every official example is valid before mutation (both auth methods), so each mutation is the only defect', async () => {
    for (const example of EXAMPLE_NAMES) {
      for (const headers of [{ key: 'evkit-demo-key' }, { authorization: `Bearer ${tokens.valid[0]}` }]) {
        const body = new TextEncoder().encode(JSON.stringify(validBase(example)));
        const answer = await engine.answer(headers, body, '127.0.0.1');
        const codes = answer.evaluation.codes;
        expect(codes.length).toBeGreaterThan(0);
        expect(codes.every((c) => c === '1002')).toBe(true);
      }
    }
  });

  it(`${IN_PROCESS_CASES} cases in process: each answers its declared code, never 1002, no crash`, async () => {
    engine.reset();
    engine.setClock(FUZZ_NOW);
    const r = createRandom(SEED);
    const perMutation = new Map<string, number>();
    const failures: string[] = [];
    let crashes = 0;
    for (let i = 0; i < IN_PROCESS_CASES; i++) {
      const c = buildCase(r, tokens);
      perMutation.set(c.mutation, (perMutation.get(c.mutation) ?? 0) + 1);
      try {
        const answer = await engine.answer(c.headers, c.body, c.sourceIp);
        const problem = mismatch(c, JSON.parse(answer.json));
        if (problem && failures.length < 10) failures.push(describeCase(c, problem));
        else if (problem) failures.push('');
      } catch (error) {
        crashes += 1;
        if (failures.length < 10) failures.push(describeCase(c, `crash: ${(error as Error).stack}`));
      }
      // Let timers run now and then, as a server's event loop would.
      if (i % 5000 === 4999) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(crashes).toBe(0);
    expect(failures.filter(Boolean)).toEqual([]);
    expect(failures).toHaveLength(0);
    // Every mutation ran many times, and the mock counted every answer and accepted nothing.
    expect([...perMutation.keys()].sort()).toEqual([...MUTATION_NAMES].sort());
    expect(Math.min(...perMutation.values())).toBeGreaterThan(IN_PROCESS_CASES / MUTATION_NAMES.length / 2);
    const counters = engine.counters();
    expect(counters.byCode['1002']).toBe(0);
    expect(counters.queue.accepted).toBe(0);
    expect(Object.values(counters.byCode).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(
      IN_PROCESS_CASES,
    );
  });

  it(`${HTTP_CASES} cases over real HTTP (sources 127.x via localAddress): the same declarations hold`, async () => {
    const r = createRandom(SEED + 1);
    const cases: FuzzCase[] = [];
    while (cases.length < HTTP_CASES) {
      const c = buildCase(r, tokens);
      // Only sources this machine can send from; the server listens on 127.0.0.1 (IPv4).
      if (c.sourceIp.startsWith('127.')) cases.push(c);
    }
    const agents = new Map<string, ReturnType<typeof keepAliveAgent>>();
    const agentFor = (ip: string) => {
      let a = agents.get(ip);
      if (!a) {
        a = keepAliveAgent(10);
        agents.set(ip, a);
      }
      return a;
    };
    const problems = await pool(cases, 20, async (c) => {
      const answer = await request(mock.url, {
        headers: c.headers,
        body: c.body,
        localAddress: c.sourceIp,
        ...(c.sourceIp === '127.0.0.1' ? { agent: agentFor(c.sourceIp) } : {}),
      });
      if (answer.status !== 200) return describeCase(c, `HTTP ${answer.status}`);
      const problem = mismatch(c, answer.json);
      return problem ? describeCase(c, problem) : undefined;
    });
    for (const a of agents.values()) a.destroy();
    expect(problems.filter(Boolean).slice(0, 10)).toEqual([]);
    const counters = (await control(mock.url, '/counters', undefined, 'GET')).json as {
      byCode: Record<string, number>;
    };
    expect(counters.byCode['1002']).toBe(0);
  });
});
