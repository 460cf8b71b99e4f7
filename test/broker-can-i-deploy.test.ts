import { afterEach, describe, expect, it } from 'vitest';
import { type StandInBroker, startStandInBroker } from './fixtures/stand-in-broker.ts';
import { evkitWithBrokerEnv } from './helpers/broker.ts';

const evkit = evkitWithBrokerEnv;

const ask = (url: string) =>
  [
    'can-i-deploy',
    '--pacticipant',
    'evkit-client',
    '--version',
    'abc123',
    '--to-environment',
    'production',
  ].concat(['--broker-url', url, '--retries', '0']);

describe('evkit can-i-deploy (against the stand-in broker)', () => {
  let broker: StandInBroker | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  it('asks the matrix for the pacticipant, version and environment, and exits 0 on yes', async () => {
    broker = await startStandInBroker({ deployable: true, requireAuthorization: 'Bearer t0k' });
    const run = await evkit(ask(broker.url), { PACT_BROKER_TOKEN: 't0k' });
    expect(run.code).toBe(0);
    expect(run.out).toContain('can-i-deploy evkit-client abc123 to production: yes');
    expect(broker.requests).toHaveLength(1);
    const [matrix] = broker.requests;
    expect(matrix?.path).toBe('/matrix');
    expect(matrix?.query.getAll('q[][pacticipant]')).toEqual(['evkit-client']);
    expect(matrix?.query.getAll('q[][version]')).toEqual(['abc123']);
    expect(matrix?.query.get('environment')).toBe('production');
  });

  it('exits 1 when the broker says no, and when the verdict is unknown', async () => {
    broker = await startStandInBroker({ deployable: false });
    const no = await evkit(ask(broker.url));
    expect(no.code).toBe(1);
    expect(no.out).toContain('production: no');
    expect(no.err).toContain('error [E_CHECK_FAILED]: evkit-client abc123 cannot be deployed to production');
    await broker.close();
    broker = await startStandInBroker({ deployable: null });
    const unknown = await evkit(ask(broker.url));
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain('production: unknown');
    expect(unknown.err).toContain('verification results are missing');
  });

  it('exits 0 on no with --dry-run', async () => {
    broker = await startStandInBroker({ deployable: false });
    const run = await evkit([...ask(broker.url), '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('production: no');
  });

  it('says clearly when the broker cannot be reached or refuses the credentials', async () => {
    const dead = await evkit(ask('http://127.0.0.1:9'));
    expect(dead.code).toBe(1);
    expect(dead.err).toContain(
      'error [E_NETWORK]: can-i-deploy: cannot reach the Pact Broker at http://127.0.0.1:9',
    );
    broker = await startStandInBroker({ requireAuthorization: 'Bearer right' });
    const denied = await evkit(ask(broker.url), { PACT_BROKER_TOKEN: 'wrong' });
    expect(denied.code).toBe(1);
    expect(denied.err).toContain('error [E_BROKER]: can-i-deploy: the Pact Broker at');
  });
});
