import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventApiInteractions } from '../contracts/index.ts';
import { type MockHandle, startMock } from '../src/mock/server.ts';
import { verifyPacts } from '../src/pact/verify.ts';
import { FAULTS, type Fault, startFaultyProvider } from './fixtures/faulty-provider.ts';
import { runEvkit } from './helpers/cli.ts';

/** Interactions of the default contract (the burst interaction only for a tenant that enables burst). */
const N = eventApiInteractions().length;

const PACT_FILE = 'evkit-client-webex-connect-event-api.json';

let dir: string;
let pacts: string;

/** A copy of our pact with its interactions rewritten, for the runs that must fail. */
function variant(
  name: string,
  change: (interactions: Record<string, unknown>[]) => Record<string, unknown>[],
): string {
  const pact = JSON.parse(readFileSync(join(pacts, PACT_FILE), 'utf8')) as {
    interactions: Record<string, unknown>[];
  };
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ ...pact, interactions: change(pact.interactions) }));
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'evkit-verify-'));
  pacts = join(dir, 'pacts');
  const run = await runEvkit(['contracts', '--out', pacts]);
  if (run.code !== 0) throw new Error(`evkit contracts failed: ${run.stderr}`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('evkit verify against the embedded mock', () => {
  it('passes every interaction, exit 0, and writes JUnit', async () => {
    const junit = join(dir, 'junit.xml');
    const run = await runEvkit(['verify', '--pact', pacts, '--junit', junit]);
    expect(run.stderr).not.toContain('error [');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `PASSED: ${N} passed, 0 failed, 0 not verified (state not settable), 0 pending failures of ${N}`,
    );
    const xml = readFileSync(junit, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(N);
    expect(xml).toContain(`tests="${N}" failures="0"`);
  });

  it('fails an interaction whose state the mock does not know (Pact alone would only warn)', async () => {
    const file = variant('unknown-state', (is) =>
      is.slice(0, 2).map((i, n) => (n === 0 ? { ...i, providerStates: [{ name: 'the moon is full' }] } : i)),
    );
    const report = await verifyPacts({ pacts: [file] });
    expect(report.ok).toBe(false);
    expect(report.interactions.map((i) => i.status)).toEqual(['state-failed', 'passed']);
    expect(report.interactions[0]?.problems[0]).toMatch(/^state "the moon is full": unknown provider state/);
  });

  it('fails an interaction whose state handler fails (bad params)', async () => {
    const file = variant('bad-params', (is) =>
      is
        .slice(0, 1)
        .map((i) => ({ ...i, providerStates: [{ name: 'the clock reads', params: { now: 'yesterday' } }] })),
    );
    const run = await runEvkit(['verify', '--pact', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('FAIL evkit-client:');
    expect(run.stdout).toContain('state "the clock reads": bad params for "the clock reads"');
    expect(run.stderr).toContain('error [E_CONTRACT]: 1 of 1 interactions did not pass verification');
  });

  it('does not pass a run that verified nothing', async () => {
    const run = await runEvkit(['verify', '--pact', variant('empty', () => [])]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error [E_CONTRACT]: no interaction was verified');
  });
});

describe('evkit verify against a real provider (--provider-base-url)', () => {
  let mock: MockHandle;
  beforeAll(async () => {
    mock = await startMock();
  });
  afterAll(() => mock.close({ drainDeadlineMs: 0 }));

  it('reports every interaction with a state as not verified, never as passed (exit 1)', async () => {
    // The mock stands in for a real tenant here: the verifier is told it cannot set states on it.
    const run = await runEvkit(['verify', '--pact', pacts, '--provider-base-url', mock.url]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`0 passed, 0 failed, ${N} not verified (state not settable)`);
    expect(run.stdout).toContain('- state "the clock reads" cannot be set on a real provider: not verified');
    expect(run.stderr).toContain('PACT_PROVIDER_NO_STATE');
  });
});

describe('the contracts catch a faulty provider', () => {
  const expectations = {
    'wrong-envelope-form':
      /body \$\.response: expected an array of 1 \[\{"code":"1002",.*\}\], got an object \{"code":"1002",/,
    'errors-by-http-status':
      /HTTP status: expected 200, got 401 \(the outcome belongs in the body, with HTTP 200\)/,
    'missing-transid': /body \$\.response(\[0\])?: Actual map is missing the following keys: transid/,
    'wrong-description': /body \$\.response\[0\]\.description: expected "Queued", got "Queued \(v2\)"/,
  } as const satisfies Record<Fault, RegExp>;

  it.each(Object.keys(FAULTS) as Fault[])('%s: verification fails with a readable diff', async (fault) => {
    const provider = await startFaultyProvider(fault);
    try {
      const report = await verifyPacts({ pacts: [pacts], mockUrl: provider.url });
      expect(report.ok).toBe(false);
      const failed = report.interactions.filter((i) => i.status === 'failed');
      // Every fault breaks at least the error interactions; none goes unnoticed as a state problem.
      expect(failed.length).toBeGreaterThanOrEqual(12);
      expect(report.interactions.some((i) => i.status === 'state-failed')).toBe(false);
      expect(failed.flatMap((i) => i.problems).some((p) => expectations[fault].test(p))).toBe(true);
      expect(report.reproductions).toHaveLength(failed.length);
      expect(report.reproductions[0]?.curl).toMatch(/^curl -sS -X POST '.*\/__evkit\/state'/);
    } finally {
      await provider.close();
    }
  });

  it('exits 1 through the CLI and prints the mismatches', async () => {
    const provider = await startFaultyProvider('wrong-description');
    try {
      const run = await runEvkit(['verify', '--pact', pacts, '--mock-url', provider.url]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        `- body $.response.description: expected "Invalid JSON", got "Invalid JSON (v2)"`,
      );
      expect(run.stderr).toContain(`error [E_CONTRACT]: ${N} of ${N} interactions did not pass verification`);
    } finally {
      await provider.close();
    }
  });
});
