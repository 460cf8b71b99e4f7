/**
 * Issue 14, item 13: pacts written outside evkit (Pact specification 2, 3 and 4, other consumers, interactions
 * with and without a provider state, matchers) verify against the mock; a wrong expectation fails readably.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockHandle, startMock } from '../src/mock/server.ts';
import { ROOT, runEvkit } from './helpers/cli.ts';
import { control, postEvents } from './mock-helpers.ts';

const FIXTURES = 'test/fixtures/foreign-pacts';
const codeOf = (json: unknown): string => {
  const r = (json as { response: { code: string } | { code: string }[] }).response;
  return Array.isArray(r) ? (r[0]?.code ?? '') : r.code;
};

describe('the mock state route without a state (what a Pact verifier posts for a stateless interaction)', () => {
  let mock: MockHandle;
  beforeAll(async () => {
    mock = await startMock();
  });
  afterAll(async () => {
    await mock.close();
  });

  it("the standalone pact-verifier with --state-change-url <mock>/__evkit/state passes a pact's stateless interactions", async () => {
    const url = new URL(mock.url);
    const run = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          join(ROOT, 'node_modules/.bin/pact-verifier'),
          '-f',
          join(ROOT, FIXTURES, 'v3-orders.json'),
          '--hostname',
          url.hostname,
          '--port',
          url.port,
          '--state-change-url',
          `${mock.url}/__evkit/state`,
        ],
        { env: { ...process.env, PACT_DO_NOT_TRACK: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out }));
    });
    expect(run.out).not.toContain('state change handlers has failed');
    expect(run.code, run.out.slice(-2000)).toBe(0);
  });

  it.each([
    ['an empty state', { state: '', params: {}, action: 'setup' }],
    ['no state field', {}],
    ['no body', undefined],
  ])('%s resets the mock to the default tenant (HTTP 200, not 400)', async (_, body) => {
    expect((await control(mock.url, '/state', { state: 'the transaction limit is reached' })).status).toBe(
      200,
    );
    expect(codeOf((await postEvents(mock.url, { events: [{ evtid: '4451' }] })).json)).toBe('7020');
    const answer = await control(mock.url, '/state', body);
    expect(answer.status).toBe(200);
    expect(codeOf((await postEvents(mock.url, { events: [{ evtid: '4451' }] })).json)).toBe('1002');
  });
});

describe('evkit verify of pacts written by hand for other consumers', () => {
  it.each([
    ['v2-billing.json', 'billing-notifier', 2],
    ['v3-orders.json', 'orders-web', 4],
    ['v4-support.json', 'support-desk', 3],
  ])('%s (%s) verifies: every interaction passes, stateless ones included', async (file, consumer, n) => {
    const run = await runEvkit(['verify', '--pact', `${FIXTURES}/${file}`]);
    expect(run.stdout).not.toContain('FAIL ');
    expect(run.stdout).toContain(`ok   ${consumer}: `);
    expect(run.stdout).toContain(`PASSED: ${n} passed, 0 failed`);
    expect(run.code).toBe(0);
  });

  it('a deliberately wrong expectation fails with exit 1, a readable diff and a curl line with the body', async () => {
    const run = await runEvkit(['verify', '--pact', `${FIXTURES}/v3-wrong-expectation.json`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'FAIL orders-web-wrong: an expired request is (wrongly) expected to be queued',
    );
    expect(run.stdout).toContain('body $.response.code: expected "1002", got "7019"');
    expect(run.stdout).toContain(
      `--data-binary '{"events":[{"evtid":"4451"}],"expiry":"2021-03-01T08:00:00Z"}'`,
    );
  });
});
