import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StandInBroker, startStandInBroker } from './fixtures/stand-in-broker.ts';
import { evkitWithBrokerEnv } from './helpers/broker.ts';
import { ROOT } from './helpers/cli.ts';

const evkit = evkitWithBrokerEnv;

const pact = {
  consumer: { name: 'evkit-client' },
  provider: { name: 'webex-connect-event-api' },
  interactions: [
    {
      type: 'Synchronous/HTTP',
      description: 'a queued event',
      request: { method: 'POST', path: '/resources/v1/events/externalevent' },
      response: { status: 200 },
    },
  ],
  metadata: { pactSpecification: { version: '4.0' } },
};

let dir: string;
let pacts: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evkit-publish-'));
  pacts = join(dir, 'pacts');
  mkdirSync(pacts);
  writeFileSync(join(pacts, 'evkit-client-webex-connect-event-api.json'), JSON.stringify(pact));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface PublishBody {
  pacticipantName: string;
  pacticipantVersionNumber: string;
  branch?: string;
  tags?: string[];
  buildUrl?: string;
  contracts: { consumerName: string; providerName: string; specification: string; content: string }[];
}

describe('evkit publish (against the stand-in broker)', () => {
  let broker: StandInBroker;
  afterAll(() => broker?.close());

  it('publishes base64 pact content with version, branch, tags and build URL, token from the environment', async () => {
    broker = await startStandInBroker({ requireAuthorization: 'Bearer s3cret' });
    const run = await evkit(
      [
        'publish',
        '--pacts',
        pacts,
        '--broker-url',
        broker.url,
        '--consumer-version',
        '1.2.3',
        '--branch',
        'feat/x',
      ].concat([
        '--tag',
        'rc',
        '--tag',
        'dev',
        '--build-url',
        'https://ci.example/build/7',
        '--retries',
        '0',
      ]),
      { PACT_BROKER_TOKEN: 's3cret' },
    );
    expect(run.err).not.toMatch(/error \[/);
    expect(run.code).toBe(0);
    expect(run.out).toContain('published 1 pact file(s) as version 1.2.3 on branch feat/x');
    expect(broker.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /', 'POST /contracts/publish']);
    const body = broker.requests[1]?.body as PublishBody;
    expect(body).toMatchObject({
      pacticipantName: 'evkit-client',
      pacticipantVersionNumber: '1.2.3',
      branch: 'feat/x',
      tags: ['rc', 'dev'],
      buildUrl: 'https://ci.example/build/7',
    });
    expect(body.contracts).toHaveLength(1);
    const [contract] = body.contracts;
    expect(contract).toMatchObject({
      consumerName: 'evkit-client',
      providerName: 'webex-connect-event-api',
      specification: 'pact',
    });
    const content = JSON.parse(Buffer.from(contract?.content ?? '', 'base64').toString('utf8'));
    // The CLI re-serialises the pact (it adds keys), so compare what we wrote, not the bytes.
    expect(content).toMatchObject({
      consumer: pact.consumer,
      provider: pact.provider,
      interactions: pact.interactions,
    });
    expect(content.interactions).toHaveLength(1);
    // The token reached the broker, and not through the command line.
    expect(broker.requests.every((r) => r.headers.authorization === 'Bearer s3cret')).toBe(true);
    expect(run.out + run.err).not.toContain('s3cret');
  });

  it('defaults the version to the git commit and uses basic auth from the environment', async () => {
    await broker.close();
    broker = await startStandInBroker({
      requireAuthorization: `Basic ${Buffer.from('ci-user:pw').toString('base64')}`,
    });
    const run = await evkit(['publish', '--pacts', pacts, '--retries', '0'], {
      PACT_BROKER_BASE_URL: broker.url,
      PACT_BROKER_USERNAME: 'ci-user',
      PACT_BROKER_PASSWORD: 'pw',
    });
    expect(run.code).toBe(0);
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    expect(broker.requests[1]?.body).toMatchObject({ pacticipantVersionNumber: head });
  });

  it('says clearly when the broker rejects the publication (exit 1)', async () => {
    await broker.close();
    broker = await startStandInBroker({
      rejectPublish: { status: 400, message: 'pact content is not valid' },
    });
    const run = await evkit(
      ['publish', '--pacts', pacts, '--broker-url', broker.url, '--consumer-version', '1'].concat([
        '--retries',
        '0',
      ]),
    );
    expect(run.code).toBe(1);
    expect(run.err).toContain('error [E_BROKER]: publish: the Pact Broker at');
    expect(run.err).toContain('pact content is not valid');
  });

  it('says clearly when the broker cannot be reached (exit 1), and when auth is half-configured (exit 2)', async () => {
    const dead = await evkit(
      ['publish', '--pacts', pacts, '--broker-url', 'http://127.0.0.1:9', '--consumer-version', '1'].concat([
        '--retries',
        '0',
      ]),
    );
    expect(dead.code).toBe(1);
    expect(dead.err).toContain(
      'error [E_NETWORK]: publish: cannot reach the Pact Broker at http://127.0.0.1:9',
    );
    const half = await evkit(['publish', '--pacts', pacts, '--broker-url', broker.url], {
      PACT_BROKER_USERNAME: 'u',
    });
    expect(half.code).toBe(2);
    expect(half.err).toContain('basic auth needs both PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD');
  });

  it('refuses a missing pacts folder and a missing broker URL as usage errors (exit 2)', async () => {
    const none = await evkit(['publish', '--pacts', join(dir, 'nope'), '--broker-url', broker.url]);
    // A path the user typed that does not exist is a typo to check, not a reason to run evkit contracts.
    expect([none.code, none.err]).toEqual([2, expect.stringContaining('no pact file or folder at')]);
    expect(none.err).toContain('check the path');
    const noUrl = await evkit(['publish', '--pacts', pacts]);
    expect([noUrl.code, noUrl.err]).toEqual([2, expect.stringContaining('PACT_BROKER_BASE_URL')]);
  });
});
