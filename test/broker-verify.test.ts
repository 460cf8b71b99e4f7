import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventApiInteractions } from '../contracts/index.ts';
import { type StandInBroker, startStandInBroker } from './fixtures/stand-in-broker.ts';
import { NO_BROKER_ENV } from './helpers/broker.ts';
import { runEvkit } from './helpers/cli.ts';

let dir: string;
let pact: unknown;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'evkit-broker-verify-'));
  const run = await runEvkit(['contracts', '--out', dir]);
  if (run.code !== 0) throw new Error(`evkit contracts failed: ${run.stderr}`);
  pact = JSON.parse(readFileSync(join(dir, 'evkit-client-webex-connect-event-api.json'), 'utf8'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('evkit verify with pacts from a broker (the stand-in)', () => {
  let broker: StandInBroker | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  it('fetches the pacts by selectors, verifies them against the mock and publishes the result', async () => {
    broker = await startStandInBroker({ pacts: [pact], requireAuthorization: 'Bearer v3rify' });
    const run = await runEvkit(
      [
        'verify',
        '--broker-url',
        broker.url,
        '--provider-version',
        '2.0.0',
        '--provider-branch',
        'main',
      ].concat(['--publish-results', '--consumer-version-selector', '{"mainBranch":true}']),
      { env: { ...NO_BROKER_ENV, PACT_BROKER_TOKEN: 'v3rify' } },
    );
    expect(run.stderr).not.toContain('error [');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('pacts: broker');
    expect(run.stdout).toContain(`PASSED: ${eventApiInteractions().length} passed`);
    const asked = broker.requests.find((r) => r.method === 'POST' && r.path.endsWith('/for-verification'));
    expect(asked?.path).toBe('/pacts/provider/webex-connect-event-api/for-verification');
    expect(asked?.body).toMatchObject({
      consumerVersionSelectors: [{ mainBranch: true }],
      providerVersionBranch: 'main',
    });
    const results = broker.requests.find((r) => r.path.endsWith('/verification-results'));
    expect(results?.body).toMatchObject({ providerApplicationVersion: '2.0.0', success: true });
  });

  it('fails when the broker has no pacts for the provider, and says so', async () => {
    broker = await startStandInBroker({ pacts: [] });
    const run = await runEvkit(['verify', '--broker-url', broker.url], { env: NO_BROKER_ENV });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error \[E_CONTRACT\]: no interaction was verified: .*No pacts/);
  });
});
