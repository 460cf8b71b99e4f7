import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEvkitError } from '../src/errors.ts';
import { PROXY_JOURNAL_PATH, PROXY_RECORDS_PATH, type ProxyHandle, startProxy } from '../src/probe/index.ts';
import { EVENT_PATH } from '../src/schema/catalog.ts';
import { defaultTenantFile } from '../src/schema/default-tenant.ts';
import type { TenantFile } from '../src/schema/tenant.ts';
import { type IndependentEndpoint, startIndependentEndpoint } from './fixtures/independent-endpoint.ts';
import { ROOT, runEvkit } from './helpers/cli.ts';
import { postEvents, request } from './mock-helpers.ts';

const DIR = mkdtempSync(join(tmpdir(), 'evkit-proxy-'));
const KEY = 'fixture-key';
const SECRET = 'Zml4dHVyZS1zZWNyZXQtMDEyMzQ1Njc4OWFiY2RlZg==';
const headers = { key: KEY, 'content-type': 'application/json' };

/** The tenant file a team would use for the fixture's tenant: its key and secret, the mock's defaults otherwise. */
function fixtureTenantFile(): TenantFile {
  const file = defaultTenantFile();
  const tenant = file.tenants[0] as TenantFile['tenants'][number];
  tenant.services = [{ id: 'fixture-svc', keys: [{ value: KEY, active: true }], jwtSecret: SECRET }];
  return file;
}

describe('evkit mock --proxy in front of the independent endpoint', () => {
  let fixture: IndependentEndpoint;
  let proxy: ProxyHandle;
  const recordFile = join(DIR, 'recording.ndjson');
  const tenantPath = join(DIR, 'tenant.json');
  const answers: { status: number; text: string }[] = [];

  beforeAll(async () => {
    fixture = await startIndependentEndpoint({
      key: KEY,
      serviceId: 'fixture-svc',
      jwtSecret: SECRET,
      events: { '4451': [], '4460': ['orderId'] },
      tps: 20,
    });
    writeFileSync(tenantPath, JSON.stringify(fixtureTenantFile()));
    proxy = await startProxy({
      upstream: fixture.url,
      allowRemote: false,
      rate: 50,
      tenantFile: fixtureTenantFile(),
      recordFile,
    });
    const event = { evtid: '4451', correlationid: 'c1' };
    for (const [body, h] of [
      [{ events: [event] }, headers],
      [{ events: [event] }, { 'content-type': 'application/json' }],
      [{ extra: 1, events: [event] }, headers],
    ] as const) {
      const a = await postEvents(proxy.url, body, { ...h });
      answers.push({ status: a.status, text: a.text });
    }
  });
  afterAll(async () => {
    await proxy.close();
    await fixture.close();
  });

  it('forwards each event request once and returns the real answer unchanged', () => {
    expect(fixture.received.map((r) => `${r.method} ${r.path}`)).toEqual(Array(3).fill(`POST ${EVENT_PATH}`));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    // The fixture's defect reaches the caller as it is: 7002 in an array.
    expect(JSON.parse(answers[1]?.text ?? '')).toMatchObject({ response: [{ code: '7002' }] });
    expect(proxy.records().map((r) => r.real.body)).toEqual(answers.map((a) => a.text));
  });

  it('flags the wrong envelope against the catalog and every disagreement with the mock', async () => {
    const [ok, wrongEnvelope, unknownField] = proxy.records();
    expect(ok?.problems).toEqual([]);
    expect(ok?.disagreements).toEqual([]);
    expect(wrongEnvelope?.problems).toEqual([
      'entry 0: 7002 is a request-level code, answered in an array instead of one object',
    ]);
    expect(wrongEnvelope?.disagreements).toEqual(['envelope form array, the mock object']);
    expect(unknownField?.problems).toEqual([]);
    expect(unknownField?.disagreements).toEqual([
      'envelope form object, the mock array',
      'entry 0: code 7004, the mock 1002',
    ]);
    const listed = await request(proxy.url, { method: 'GET', path: PROXY_RECORDS_PATH });
    expect((listed.json as { records: unknown[] }).records).toHaveLength(3);
  });

  it("serves the recordings on the mock's journal route, with its query (code, evtid, since), and clears them", async () => {
    const all = await request(proxy.url, { method: 'GET', path: PROXY_JOURNAL_PATH });
    expect((all.json as { count: number }).count).toBe(3);
    const byCode = await request(proxy.url, { method: 'GET', path: `${PROXY_JOURNAL_PATH}?code=7002` });
    const selected = (byCode.json as { requests: { real: { body: string } }[] }).requests;
    expect(selected.map((r) => r.real.body)).toEqual([answers[1]?.text]);
    const none = await request(proxy.url, { method: 'GET', path: `${PROXY_JOURNAL_PATH}?evtid=9999` });
    expect((none.json as { count: number }).count).toBe(0);
    const later = await request(proxy.url, {
      method: 'GET',
      path: `${PROXY_JOURNAL_PATH}?since=${Date.now() + 60_000}`,
    });
    expect((later.json as { count: number }).count).toBe(0);
    const bad = await request(proxy.url, { method: 'GET', path: `${PROXY_JOURNAL_PATH}?colour=red` });
    expect(bad.status).toBe(400);
    const cleared = await request(proxy.url, { method: 'DELETE', path: `${PROXY_JOURNAL_PATH}?code=7002` });
    expect(cleared.json).toEqual({ ok: true, cleared: 1 });
    const left = await request(proxy.url, { method: 'GET', path: PROXY_JOURNAL_PATH });
    expect((left.json as { count: number }).count).toBe(2);
  });

  it('writes the recording as NDJSON, and evkit probe --from re-judges it offline against a tenant file', async () => {
    const lines = readFileSync(recordFile, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(readFileSync(recordFile, 'utf8')).not.toContain(KEY);
    const asRecorded = await runEvkit(['probe', '--from', recordFile, '--tenant', tenantPath]);
    expect(asRecorded.code).toBe(1);
    expect(asRecorded.stdout).toContain(
      '3 record(s): 1 break the schema or catalog, 2 disagree with the mock',
    );
    expect(asRecorded.stdout).toContain('mock: entry 0: code 7004, the mock 1002');
    // With unknownFields set as the tenant answers, the mock rejects the unknown field too: only the wording of
    // its description (which no setting controls) and the wrong envelope are left.
    const fixed = fixtureTenantFile();
    fixed.evaluator.unknownFields = 'reject';
    const fixedPath = join(DIR, 'tenant-fixed.json');
    writeFileSync(fixedPath, JSON.stringify(fixed));
    const rejudged = await runEvkit(['probe', '--from', recordFile, '--tenant', fixedPath]);
    expect(rejudged.code).toBe(1);
    expect(rejudged.stdout).not.toContain('code 7004, the mock 1002');
    expect(rejudged.stdout).toContain(
      'mock: entry 0: description "Invalid parameters/values", the mock "invalid value for param extra"',
    );
    expect(rejudged.stdout).toContain('3 record(s): 1 break the schema or catalog, 2 disagree with the mock');
  });
});

describe('the proxy: guard and rate cap', () => {
  it('refuses an upstream that is not loopback without allowRemote (exit 2 error with the fix)', async () => {
    const error = await startProxy({
      upstream: 'http://sandbox.tenant.test:8080',
      allowRemote: false,
      rate: 1,
      tenantFile: defaultTenantFile(),
    }).catch((e: unknown) => e);
    expect(isEvkitError(error) && error.code).toBe('E_REMOTE_TARGET');
    expect(isEvkitError(error) && error.exitCode).toBe(2);
    expect(isEvkitError(error) && error.message).toBe(
      'refusing to proxy to sandbox.tenant.test: it is not a loopback address',
    );
    expect(isEvkitError(error) && error.hint).toContain('pass --allow-remote to go on');
  });

  it('forwards no faster than its rate: requests beyond the wait bound are answered 503 and not forwarded', async () => {
    const fixture = await startIndependentEndpoint({
      key: KEY,
      serviceId: 's',
      jwtSecret: SECRET,
      events: { '4451': [] },
      tps: 20,
    });
    // One request per 2 s, waiting at most 1 s: of three sent at once, the upstream receives exactly one.
    const proxy = await startProxy({
      upstream: fixture.url,
      allowRemote: false,
      rate: 0.5,
      maxWaitMs: 1000,
      tenantFile: fixtureTenantFile(),
    });
    try {
      const statuses = await Promise.all(
        [1, 2, 3].map(() =>
          postEvents(proxy.url, { events: [{ evtid: '4451' }] }, { ...headers }).then((a) => a.status),
        ),
      );
      expect(statuses.sort()).toEqual([200, 503, 503]);
      expect(fixture.received).toHaveLength(1);
      expect(proxy.forwarded()).toBe(1);
    } finally {
      await proxy.close();
      await fixture.close();
    }
  });
});

describe('evkit mock --proxy (the CLI)', () => {
  it('prints its URL, forwards, and writes --record', async () => {
    const fixture = await startIndependentEndpoint({
      key: KEY,
      serviceId: 's',
      jwtSecret: SECRET,
      events: { '4451': [] },
      tps: 20,
    });
    const record = join(DIR, 'cli-recording.ndjson');
    const tenant = join(DIR, 'cli-tenant.json');
    writeFileSync(tenant, JSON.stringify(fixtureTenantFile()));
    const child = spawn(
      process.execPath,
      [
        `${ROOT}bin/evkit.js`,
        'mock',
        '--proxy',
        fixture.url,
        '--rate',
        '50',
        '--record',
        record,
        '--tenant',
        tenant,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const answer = await postEvents(url, { events: [{ evtid: '4451' }] }, { ...headers });
      expect(answer.json).toMatchObject({ response: [{ code: '1002' }] });
      expect(fixture.received).toHaveLength(1);
      expect(readFileSync(record, 'utf8').trim().split('\n')).toHaveLength(1);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await fixture.close();
    }
  });
});
