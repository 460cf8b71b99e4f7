import { describe, expect, it } from 'vitest';
import { brokerTarget } from './broker-config.ts';
import { canIDeployArgs } from './can-i-deploy.ts';
import { publishArgs } from './publish.ts';

describe('brokerTarget', () => {
  it('takes the flag over PACT_BROKER_BASE_URL and passes exactly one kind of credentials', () => {
    const t = brokerTarget('http://flag', {
      PACT_BROKER_BASE_URL: 'http://env',
      PACT_BROKER_TOKEN: 't',
      PACT_BROKER_USERNAME: 'u',
      PACT_BROKER_PASSWORD: 'p',
      HTTPS_PROXY: 'http://proxy',
    });
    expect(t.url).toBe('http://flag');
    expect(t.auth).toBe('token');
    expect(t.env).toMatchObject({
      PACT_BROKER_TOKEN: 't',
      PACT_BROKER_BASE_URL: 'http://flag',
      HTTPS_PROXY: 'http://proxy',
    });
    expect(t.env.PACT_BROKER_USERNAME).toBeUndefined();
    expect(
      brokerTarget(undefined, {
        PACT_BROKER_BASE_URL: 'http://env',
        PACT_BROKER_USERNAME: 'u',
        PACT_BROKER_PASSWORD: 'p',
      }).auth,
    ).toBe('basic');
  });

  it('refuses a missing or malformed URL and half a basic auth', () => {
    expect(() => brokerTarget(undefined, {})).toThrow(/no Pact Broker URL/);
    expect(() => brokerTarget('not a url', {})).toThrow(/is not a URL/);
    expect(() => brokerTarget('http://b', { PACT_BROKER_PASSWORD: 'p' })).toThrow(/needs both/);
  });
});

describe('CLI arguments', () => {
  const broker = brokerTarget('http://b', { PACT_BROKER_TOKEN: 'secret' });

  it('publish: version, branch, one comma-separated --tag, build URL, retries; never the token', () => {
    const args = publishArgs(
      {
        pacts: 'pacts',
        broker,
        consumerVersion: 'abc',
        branch: 'main',
        tags: ['a', 'b'],
        buildUrl: 'http://ci/1',
        retries: 0,
      },
      ['pacts/x.json'],
    );
    expect(args).toEqual([
      'publish',
      'pacts/x.json',
      '--consumer-app-version',
      'abc',
      '--branch',
      'main',
      '--tag',
      'a,b',
      '--build-url',
      'http://ci/1',
      '--broker-base-url',
      'http://b',
      '--retries',
      '0',
    ]);
    expect(args.join(' ')).not.toContain('secret');
  });

  it('can-i-deploy: asks for JSON, the verdict is read from it', () => {
    const args = canIDeployArgs({
      broker,
      pacticipant: 'p',
      version: 'v',
      environment: 'prod',
      retryWhileUnknown: 3,
    });
    expect(args.slice(0, 9)).toEqual([
      'can-i-deploy',
      '--pacticipant',
      'p',
      '--version',
      'v',
      '--to-environment',
      'prod',
      '--retry-while-unknown',
      '3',
    ]);
    expect(args.slice(-2)).toEqual(['--output', 'json']);
  });
});
