import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type StandInBroker, startStandInBroker } from './fixtures/stand-in-broker.ts';
import { evkitWithBrokerEnv as evkit } from './helpers/broker.ts';

const who = ['--pacticipant', 'order-service', '--version', 'abc123'];

describe('evkit record-deployment / record-release (against the stand-in broker)', () => {
  let broker: StandInBroker | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  it('records a deployment through the official pact CLI: the version, its environment link, the instance', async () => {
    broker = await startStandInBroker({ requireAuthorization: 'Bearer t0k' });
    const run = await evkit(
      [
        'record-deployment',
        ...who,
        '--environment',
        'staging',
        '--application-instance',
        'blue',
        '--broker-url',
        broker.url,
        '--retries',
        '0',
      ],
      { PACT_BROKER_TOKEN: 't0k' },
    );
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toBe('recorded: order-service abc123 deployed to staging\n');
    expect(broker.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /pacticipants/order-service/versions/abc123',
      'POST /pacticipants/order-service/versions/abc123/deployed-versions/environment/env-1',
    ]);
    // `target` is the broker API's older name of the application instance; the CLI sends both.
    expect(broker.requests[1]?.body).toEqual({ applicationInstance: 'blue', target: 'blue' });
  });

  it('records a release to the environment it names', async () => {
    broker = await startStandInBroker();
    const run = await evkit([
      'record-release',
      ...who,
      '--environment',
      'production',
      '--broker-url',
      broker.url,
    ]);
    expect(run.code).toBe(0);
    expect(broker.requests.at(-1)?.path).toBe(
      '/pacticipants/order-service/versions/abc123/released-versions/environment/env-0',
    );
  });

  it('exits 1 with the fix when the broker has no such environment, 2 without --environment', async () => {
    broker = await startStandInBroker({ environments: ['production'] });
    const run = await evkit(['record-deployment', ...who, '--environment', 'qa', '--broker-url', broker.url]);
    expect(run.code).toBe(1);
    expect(run.err).toContain('error [E_BROKER]: record-deployment: the broker has no environment "qa"');
    expect(run.err).toContain('create-environment --name qa');
    expect(broker.requests.filter((r) => r.method === 'POST')).toEqual([]);
    const missing = await evkit(['record-deployment', ...who, '--broker-url', broker.url]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("required option '--environment <name>' not specified");
  });
});

describe("a team's whole broker cycle: publish, can-i-deploy, deploy, record-deployment", () => {
  let broker: StandInBroker;
  const dir = mkdtempSync(join(tmpdir(), 'evkit-cycle-'));
  afterAll(async () => {
    await broker?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs each step against one broker in the order a pipeline does', async () => {
    broker = await startStandInBroker({ deployable: true });
    const pacts = join(dir, 'pacts');
    mkdirSync(pacts);
    writeFileSync(
      join(pacts, 'order-service-webex-connect-event-api.json'),
      JSON.stringify({
        consumer: { name: 'order-service' },
        provider: { name: 'webex-connect-event-api' },
        interactions: [],
        metadata: { pactSpecification: { version: '4.0' } },
      }),
    );
    const env = { EVKIT_PACT_CONSUMER: 'order-service' };
    const url = ['--broker-url', broker.url];
    const publish = await evkit(
      ['publish', '--pacts', pacts, '--consumer-version', 'abc123', '--branch', 'main', ...url],
      env,
    );
    expect(publish.code).toBe(0);
    const ask = await evkit(
      ['can-i-deploy', '--version', 'abc123', '--to-environment', 'production', ...url],
      env,
    );
    expect(ask.code).toBe(0);
    const record = await evkit(
      ['record-deployment', '--version', 'abc123', '--environment', 'production', ...url],
      env,
    );
    expect(record.code).toBe(0);
    expect(broker.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /',
      'POST /contracts/publish',
      'GET /matrix',
      'GET /pacticipants/order-service/versions/abc123',
      'POST /pacticipants/order-service/versions/abc123/deployed-versions/environment/env-0',
    ]);
  });
});
