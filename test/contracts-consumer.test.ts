import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_NOW_ISO, STATE } from '../contracts/states.ts';
import { PROVIDER_STATE_NAMES } from '../src/mock/states.ts';
import { pactCodes } from '../src/pact/consumer-run.ts';
import { PACT_MARKER } from '../src/pact/pact-dir.ts';
import { RESPONSE_CODES } from '../src/schema/catalog.ts';
import { runEvkit } from './helpers/cli.ts';

const PACT_FILE = 'evkit-client-webex-connect-event-api.json';

interface PactJson {
  consumer: { name: string };
  provider: { name: string };
  interactions: {
    description: string;
    providerStates: { name: string; params: Record<string, unknown> }[];
    request: { headers: Record<string, string[]>; body?: { contentType: string }; matchingRules?: unknown };
    response: { status: number; matchingRules?: { body?: Record<string, unknown> } };
  }[];
}

let dir: string;
let first: { code: number | null; stdout: string; stderr: string };
let second: { code: number | null; stdout: string; stderr: string };
let pact: PactJson;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'evkit-contracts-'));
  // A stale pact of ours from an older run must not survive: pact-js would merge into it.
  mkdirSync(join(dir, 'a'));
  writeFileSync(
    join(dir, 'a', 'evkit-client-old-provider.json'),
    JSON.stringify({ consumer: { name: 'evkit-client' }, provider: { name: 'old-provider' } }),
  );
  first = await runEvkit(['contracts', '--out', join(dir, 'a')]);
  second = await runEvkit(['contracts', '--out', join(dir, 'b')]);
  if (first.code !== 0) throw new Error(`evkit contracts failed: ${first.stderr}`);
  pact = JSON.parse(readFileSync(join(dir, 'a', PACT_FILE), 'utf8')) as PactJson;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('evkit contracts (the consumer suite)', () => {
  it('writes one pact covering all 11 documented codes, after removing its own stale pacts', () => {
    expect(first.stderr).not.toContain('error [');
    expect(first.code).toBe(0);
    expect(readdirSync(join(dir, 'a')).sort()).toEqual([PACT_MARKER, PACT_FILE]);
    expect(first.stdout).toContain(`covering 11 codes (${RESPONSE_CODES.join(', ')})`);
    expect(pactCodes([join(dir, 'a', PACT_FILE)]).codes).toEqual([...RESPONSE_CODES]);
    expect([pact.consumer.name, pact.provider.name]).toEqual(['evkit-client', 'webex-connect-event-api']);
  });

  it('writes byte-identical pacts on two runs', () => {
    expect(second.code).toBe(0);
    expect(readFileSync(join(dir, 'b', PACT_FILE))).toEqual(readFileSync(join(dir, 'a', PACT_FILE)));
  });

  it('has the variants: multi-event, JWT, 7004 twice, mixed outcomes, 7000 as text/plain; no burst for the default tenant', () => {
    const descriptions = pact.interactions.map((i) => i.description);
    // Burst mode is documented for the Messaging API only: the default tenant leaves it off.
    expect(descriptions.some((d) => d.includes('burst'))).toBe(false);
    for (const needle of [
      'three events are queued, each with its own transid',
      'JWT the client signed',
      '7004: an unknown evtid',
      '7004: an empty events array',
      'mixed: each event gets its own outcome',
    ]) {
      expect(descriptions.some((d) => d.includes(needle))).toBe(true);
    }
    const notJson = pact.interactions.find((i) => i.description.startsWith('7000'));
    expect(notJson?.request.body?.contentType).toBe('text/plain');
    expect(notJson?.description).toContain('Pact can only carry a malformed body as text');
  });

  it('gives every interaction a state of the mock, with the fixed clock as a param', () => {
    for (const i of pact.interactions) {
      expect(i.providerStates).toHaveLength(1);
      const [state] = i.providerStates;
      expect(PROVIDER_STATE_NAMES).toContain(state?.name);
      expect(Object.values(STATE)).toContain(state?.name);
      expect(state?.params).toEqual({ now: CONTRACT_NOW_ISO });
    }
  });

  it('matches only what the client reads: transid by shape, a signed JWT by shape; codes and descriptions exactly', () => {
    const bodyRules = new Set(
      pact.interactions.flatMap((i) => Object.keys(i.response.matchingRules?.body ?? {})),
    );
    expect([...bodyRules].every((path) => /^\$\.response(\[\d+\])?\.transid$/.test(path))).toBe(true);
    // Besides the JWT's shape, the only request rule is the one Pact adds to a text body (its content type).
    const requestRules = pact.interactions
      .filter((i) => i.request.matchingRules !== undefined)
      .map((i) => [i.description.slice(0, 4), JSON.stringify(i.request.matchingRules)]);
    expect(requestRules).toEqual([
      ['1002', expect.stringContaining('"header":{"authorization"')],
      ['7000', '{"body":{"$":{"combine":"AND","matchers":[{"match":"contentType","value":"text/plain"}]}}}'],
    ]);
    expect(pact.interactions.every((i) => i.response.status === 200)).toBe(true);
  });
});
