import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockHandle, startMock } from '../src/mock/server.ts';
import { loadTenantFile } from '../src/mock/tenant-file.ts';
import type { BehaviourVerdict } from '../src/probe/judge.ts';
import type { ProbeFindings } from '../src/probe/report.ts';
import { EVENT_PATH } from '../src/schema/catalog.ts';
import { DEFAULT_TENANT_FILE_INPUT, defaultTenantFile } from '../src/schema/default-tenant.ts';
import { type TenantFile, tenantFileSchema } from '../src/schema/tenant.ts';
import { type IndependentEndpoint, startIndependentEndpoint } from './fixtures/independent-endpoint.ts';
import { ROOT, runEvkit } from './helpers/cli.ts';
import { DEMO } from './mock-helpers.ts';

const DIR = mkdtempSync(join(tmpdir(), 'evkit-probe-'));
const TPS = 20;
/** Fast on loopback; the default (1/s) is for real tenants. */
const RATE = 10;
const DEMO_ENV = { EVKIT_KEY: DEMO.key, EVKIT_SERVICE_ID: DEMO.serviceId, EVKIT_JWT_SECRET: DEMO.jwtSecret };

/** The default tenant with every evaluator option and the rate limit's settings away from their defaults. */
function nonDefaultTenantFile(): TenantFile {
  const file = defaultTenantFile();
  file.evaluator = {
    ...file.evaluator,
    unknownFields: 'reject',
    evtidAsNumber: 'coerce',
    emptyKey: 'invalid',
    nullEvents: 'invalid',
    expiryOffsets: 'accept',
    bearerPrefix: 'optional',
    mandatoryParamDescription: 'template',
  };
  const tenant = file.tenants[0] as TenantFile['tenants'][number];
  tenant.rateLimit = { tps: TPS, burst: true, window: 'sliding', countBy: 'events' };
  return file;
}

function findings(stdout: string): ProbeFindings {
  const report = /report: (.+report\.html)/.exec(stdout)?.[1];
  if (!report) throw new Error(`no report line in:\n${stdout}`);
  const summary = JSON.parse(readFileSync(report.replace(/report\.html$/, 'summary.json'), 'utf8'));
  return summary.findings as ProbeFindings;
}

const verdictOf = (f: ProbeFindings, behaviour: string): BehaviourVerdict =>
  f.verdicts.find((v) => v.behaviour === behaviour) as BehaviourVerdict;

/** The comparable answers of a run: probe id → status, form, codes and descriptions. */
function answers(f: ProbeFindings): Record<string, string> {
  return Object.fromEntries(
    f.exchanges.map((e) => {
      const body = JSON.parse(e.body) as { response: unknown };
      const entries = (Array.isArray(body.response) ? body.response : [body.response]) as {
        code: string;
        description: string;
      }[];
      return [
        e.probeId,
        `${e.status} ${Array.isArray(body.response) ? 'array' : 'object'} ${entries.map((x) => `${x.code}:${x.description}`).join(',')}`,
      ];
    }),
  );
}

describe('evkit probe against the mock with non-default options', () => {
  let mock: MockHandle;
  let first: { code: number | null; stdout: string; stderr: string };
  const written = join(DIR, 'observed-tenant.json');

  beforeAll(async () => {
    mock = await startMock({ tenantFile: nonDefaultTenantFile() });
    first = await runEvkit(
      [
        'probe',
        '--target',
        mock.url,
        '--rate',
        String(RATE),
        '--tps',
        String(TPS),
        '--write-tenant',
        written,
        '--reports-dir',
        join(DIR, 'reports'),
      ],
      { env: DEMO_ENV },
    );
  }, 120_000);
  afterAll(async () => {
    await mock.close({ drainDeadlineMs: 0 });
  });

  it('finds every non-default setting, each as "differs" from the default tenant file, and exits 1', () => {
    expect(first.code, first.stderr).toBe(1);
    const f = findings(first.stdout);
    const observed = Object.fromEntries(f.verdicts.map((v) => [v.behaviour, [v.verdict, v.observed]]));
    expect(observed).toEqual({
      unknownFields: ['differs', 'reject'],
      evtidAsNumber: ['differs', 'coerce'],
      emptyKey: ['differs', 'invalid'],
      nullEvents: ['differs', 'invalid'],
      expiryOffsets: ['differs', 'accept'],
      bearerPrefix: ['differs', 'optional'],
      mandatoryParamDescription: ['differs', 'template'],
      transidSuffixes: ['matches', 'suffixed'],
      countBy: ['differs', 'events'],
      burst: ['differs', 'on'],
      window: ['differs', 'sliding'],
      conformance: ['matches', 'catalog'],
    });
    expect(verdictOf(f, 'emptyKey').detail).toContain('set evaluator.emptyKey: invalid');
    expect(f.requestsUsed).toBe(f.requestsPlanned);
    expect(first.stdout).toMatch(
      /requests used: 23; plan at 10 req\/s takes up to [\d.]+ s; verdicts: 2 match, 10 differ, 0 inconclusive/,
    );
  });

  it('--write-tenant reproduces every setting, and a mock started from it answers the probe set identically', async () => {
    const file = loadTenantFile(written);
    const expected = nonDefaultTenantFile();
    expect(file.evaluator).toEqual(expected.evaluator);
    expect(file.tenants[0]?.rateLimit).toEqual(expected.tenants[0]?.rateLimit);

    const again = await startMock({ tenantFile: file });
    try {
      const second = await runEvkit(
        [
          'probe',
          '--target',
          again.url,
          '--tenant',
          written,
          '--rate',
          String(RATE),
          '--tps',
          String(TPS),
          '--reports-dir',
          join(DIR, 'reports'),
        ],
        { env: DEMO_ENV },
      );
      expect(second.code, second.stderr).toBe(0);
      const f = findings(second.stdout);
      expect(f.verdicts.filter((v) => v.verdict !== 'matches')).toEqual([]);
      expect(answers(f)).toEqual(answers(findings(first.stdout)));
    } finally {
      await again.close({ drainDeadlineMs: 0 });
    }
  }, 120_000);
});

describe('evkit probe against an independent endpoint', () => {
  let fixture: IndependentEndpoint;
  const env = {
    EVKIT_KEY: 'fixture-key',
    EVKIT_SERVICE_ID: 'fixture-svc',
    EVKIT_JWT_SECRET: 'Zml4dHVyZS1zZWNyZXQtMDEyMzQ1Njc4OWFiY2RlZg==',
  };

  beforeAll(async () => {
    fixture = await startIndependentEndpoint({
      key: env.EVKIT_KEY,
      serviceId: env.EVKIT_SERVICE_ID,
      jwtSecret: env.EVKIT_JWT_SECRET,
      events: { '4451': [], '4452': [], '4460': ['orderId'] },
      tps: TPS,
    });
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('judges every behaviour it implements differently, flags its wrong envelope, and stays paced and within the plan', async () => {
    fixture.received.length = 0;
    const run = await runEvkit(
      [
        'probe',
        '--target',
        fixture.url,
        '--rate',
        String(RATE),
        '--tps',
        String(TPS),
        '--reports-dir',
        join(DIR, 'reports'),
      ],
      { env },
    );
    expect(run.code, run.stderr).toBe(1);
    const f = findings(run.stdout);
    const observed = Object.fromEntries(f.verdicts.map((v) => [v.behaviour, [v.verdict, v.observed]]));
    expect(observed).toEqual({
      unknownFields: ['differs', 'reject'],
      evtidAsNumber: ['differs', 'coerce'],
      emptyKey: ['differs', 'invalid'],
      nullEvents: ['differs', 'invalid'],
      expiryOffsets: ['differs', 'accept'],
      bearerPrefix: ['differs', 'optional'],
      mandatoryParamDescription: ['differs', 'template'],
      transidSuffixes: ['differs', 'distinct'],
      countBy: ['differs', 'events'],
      burst: ['matches', 'off'],
      window: ['matches', 'fixed'],
      conformance: ['differs', 'differs'],
    });
    // The wrong envelope, and only it, breaks the catalog.
    expect(verdictOf(f, 'conformance').detail).toBe(
      'no-credentials: entry 0: 7002 is a request-level code, answered in an array instead of one object',
    );
    // Server side: the whole plan once, only the event path, never more than RATE requests in any second.
    expect(fixture.received).toHaveLength(f.requestsPlanned);
    expect(new Set(fixture.received.map((r) => `${r.method} ${r.path}`))).toEqual(
      new Set([`POST ${EVENT_PATH}`]),
    );
    const times = fixture.received.map((r) => r.at);
    const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
    expect(busiest).toBeLessThanOrEqual(RATE + 1);
  }, 120_000);

  it('--budget-requests caps what the target receives', async () => {
    fixture.received.length = 0;
    const run = await runEvkit(
      [
        'probe',
        '--target',
        fixture.url,
        '--rate',
        '50',
        '--budget-requests',
        '5',
        '--reports-dir',
        join(DIR, 'reports'),
      ],
      { env },
    );
    expect(fixture.received).toHaveLength(5);
    const f = findings(run.stdout);
    expect(f.requestsUsed).toBe(5);
    expect(verdictOf(f, 'unknownFields')).toMatchObject({
      verdict: 'inconclusive',
      detail: 'probe unknown-field not sent: the request budget ran out',
    });
  }, 60_000);

  it('--dry-run prints every request of the plan, credentials redacted, and sends nothing', async () => {
    fixture.received.length = 0;
    const run = await runEvkit(['probe', '--target', fixture.url, '--tps', String(TPS), '--dry-run'], {
      env,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(fixture.received).toHaveLength(0);
    expect(run.stdout).toMatch(/^plan: 23 request\(s\), budget 23, at most 1 req\/s, up to [\d.]+ s/);
    for (const id of ['accepted', 'empty-key', 'bare-jwt', 'count-by', 'window-b2'])
      expect(run.stdout).toContain(`. ${id}: `);
    expect(run.stdout).toContain('key: <redacted>');
    expect(run.stdout).not.toContain(env.EVKIT_KEY);
  });

  it('a non-loopback target without --allow-remote: nothing sent, exit 2 with the fix', async () => {
    // The child resolves a name that is not loopback to 127.0.0.1 (test/fixtures/loopback-dns.mjs): the guard
    // must refuse the name, and the fixture counts what would have reached it.
    const remote = fixture.url.replace('127.0.0.1', 'sandbox.tenant.test');
    const preload = { ...env, NODE_OPTIONS: `--import ${join(ROOT, 'test/fixtures/loopback-dns.mjs')}` };
    fixture.received.length = 0;
    const refused = await runEvkit(['probe', '--target', remote, '--rate', '50'], { env: preload });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'error [E_REMOTE_TARGET]: refusing to probe sandbox.tenant.test: it is not a loopback address',
    );
    expect(refused.stderr).toContain(
      'fix: pass --allow-remote to go on; requests stay paced at --rate (now 50/s',
    );
    expect(fixture.received).toHaveLength(0);
    // The same target with --allow-remote does reach the fixture: the zero above is the guard's doing.
    const allowed = await runEvkit(
      [
        'probe',
        '--target',
        remote,
        '--allow-remote',
        '--rate',
        '50',
        '--budget-requests',
        '1',
        '--reports-dir',
        join(DIR, 'reports'),
      ],
      { env: preload },
    );
    expect(allowed.stderr).not.toContain('E_REMOTE_TARGET');
    expect(fixture.received).toHaveLength(1);
  }, 60_000);
});

describe('evkit probe usage', () => {
  it('refuses a live run without EVKIT_KEY (exit 2), and sends nothing', async () => {
    const fixture = await startIndependentEndpoint({
      key: 'k',
      serviceId: 's',
      jwtSecret: 'c2VjcmV0',
      events: {},
      tps: 5,
    });
    try {
      const run = await runEvkit(['probe', '--target', fixture.url], { env: { EVKIT_KEY: '' } });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('error [E_CREDENTIALS]: EVKIT_KEY is not set');
      expect(fixture.received).toHaveLength(0);
    } finally {
      await fixture.close();
    }
  });

  it("takes its rate from EVKIT_PROBE_RATE, never from the load runs' EVKIT_RATE; --tps must be an integer >= 2", async () => {
    const target = 'http://127.0.0.1:9';
    const fromEnv = await runEvkit(['probe', '--target', target, '--dry-run'], {
      env: { EVKIT_PROBE_RATE: '5', EVKIT_RATE: '500', EVKIT_JWT_SECRET: '', EVKIT_SERVICE_ID: '' },
    });
    // Without JWT credentials and --tps: the code and option probes only.
    expect(fromEnv.stdout).toMatch(/^plan: 14 request\(s\), budget 14, at most 5 req\/s/);
    const defaults = await runEvkit(['probe', '--target', target, '--dry-run'], {
      env: { EVKIT_RATE: '500' },
    });
    expect(defaults.stdout).toMatch(/at most 1 req\/s/);
    const badTps = await runEvkit(['probe', '--target', target, '--dry-run', '--tps', '1.5']);
    expect(badTps.code).toBe(2);
    expect(badTps.stderr).toContain('--tps must be an integer of at least 2');
  });

  it('evkit mock refuses the proxy flags without --proxy (exit 2)', async () => {
    const run = await runEvkit(['mock', '--record', join(DIR, 'x.ndjson')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error [E_FLAGS]: --record apply only with --proxy');
  });

  it('the non-default target differs from the defaults in every setting the probe set judges', () => {
    // Guards the round trip above: a setting left at its default there would "match" without being found.
    const file = tenantFileSchema.parse(nonDefaultTenantFile());
    const defaults = tenantFileSchema.parse(structuredClone(DEFAULT_TENANT_FILE_INPUT));
    const keys = Object.keys(file.evaluator).filter(
      (k) => k !== 'stageOrder',
    ) as (keyof TenantFile['evaluator'])[];
    for (const k of keys) expect(file.evaluator[k], k).not.toEqual(defaults.evaluator[k]);
    const [limit, defaultLimit] = [file.tenants[0]?.rateLimit, defaults.tenants[0]?.rateLimit];
    for (const k of ['burst', 'window', 'countBy'] as const)
      expect(limit?.[k], k).not.toEqual(defaultLimit?.[k]);
  });
});
