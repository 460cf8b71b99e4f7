/** `evkit mock` in a child process: URL on stdout, tenant-file errors, TLS, and the drain on SIGTERM. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { eventNotificationSchema } from '../src/mock/notification.ts';
import { startMock } from '../src/mock/server.ts';
import { generateSelfSigned } from '../src/mock/tls.ts';
import { EVENT_PATH } from '../src/schema/catalog.ts';
import { DEFAULT_TENANT_FILE_INPUT } from '../src/schema/default-tenant.ts';
import { ROOT, runEvkit } from './helpers/cli.ts';
import { postEvents, startReceiver } from './mock-helpers.ts';

interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Start `evkit mock` and wait for the URL it prints. */
function startCli(args: readonly string[]): Promise<Running> {
  const child = spawn(process.execPath, [`${ROOT}bin/evkit.js`, 'mock', ...args], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no URL within 20 s; stderr: ${stderr}`));
    }, 20_000);
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const url = /^(https?:\/\/\S+)\n/.exec(stdout)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url, stdout: () => stdout, stderr: () => stderr, exit });
      }
    });
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`evkit mock exited ${code} before printing a URL; stderr: ${stderr}`));
    });
  });
}

describe('evkit mock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evkit-mock-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const base = DEFAULT_TENANT_FILE_INPUT.tenants[0] as Record<string, unknown> & {
    services: Record<string, unknown>[];
  };

  it('delivers a notification for every accepted event exactly once across a SIGTERM drain, and reports it', async () => {
    const receiver = await startReceiver();
    const file = join(dir, 'notify.yaml');
    // 2 TPS: nearly everything is still queued when SIGTERM arrives.
    writeFileSync(
      file,
      stringify({
        version: 1,
        tenants: [
          {
            ...base,
            rateLimit: { tps: 2, burst: true },
            services: [{ ...base.services[0], notifyUrl: receiver.url }],
          },
        ],
      }),
    );
    const mock = await startCli(['--tenant', file, '--port', '0']);
    try {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const events = Array.from({ length: 20 }, (_, j) => ({
          evtid: j % 2 ? '4451' : '4452',
          correlationid: `${i}.${j}`,
        }));
        const r = (await postEvents(mock.url, { events })).json as {
          response: { code: string; transid: string }[];
        };
        ids.push(...r.response.filter((e) => e.code === '1002').map((e) => e.transid));
      }
      expect(ids).toHaveLength(60);
      mock.child.kill('SIGTERM');
      expect(await mock.exit).toBe(0);
      const report = JSON.parse(mock.stdout().trim().split('\n').pop() ?? '{}');
      expect(report).toEqual({
        drain: {
          processed: 60,
          delivered: 60,
          remaining: 0,
          failed: 0,
          dropped: 0,
          left: { queued: 0, inFlight: 0, waiting: 0, retrying: 0 },
          connectionsCut: 0,
          interrupted: false,
        },
      });
      expect(mock.stderr()).toMatch(
        /processed 60 event\(s\), delivered 60 notification\(s\), failed 0, dropped 0, remaining 0 \(queued 0, in flight 0, waiting 0, retrying 0\), 0 connection\(s\) cut/,
      );
      const got = receiver.deliveries.map(
        (d) => eventNotificationSchema.parse(JSON.parse(d.body)).eventNotification.transid,
      );
      expect(got.sort()).toEqual([...ids].sort());
    } finally {
      mock.child.kill('SIGKILL');
      await receiver.close();
    }
  });

  it('exits 1 and says what remains when the drain deadline passes', async () => {
    const receiver = await startReceiver(() => 'hang');
    const file = join(dir, 'hang.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        tenants: [
          { ...base, rateLimit: { tps: 1 }, services: [{ ...base.services[0], notifyUrl: receiver.url }] },
        ],
      }),
    );
    const mock = await startCli(['--tenant', file, '--drain-deadline', '300']);
    try {
      await postEvents(mock.url, { events: [{ evtid: '4451' }, { evtid: '4452' }] });
      mock.child.kill('SIGINT');
      expect(await mock.exit).toBe(1);
      expect(mock.stdout()).toContain('"remaining":2');
    } finally {
      mock.child.kill('SIGKILL');
      await receiver.close();
    }
  });

  it('an invalid tenant file exits 2 listing path, expected and got', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      stringify({ version: 1, tenants: [{ ...base, rateLimit: { tps: 0 }, allowlist: 'all' }] }),
    );
    const r = await runEvkit(['mock', '--tenant', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error [E_TENANT_FILE]');
    expect(r.stderr).toContain('tenants[0].rateLimit.tps: expected a number > 0, got 0 (number)');
    expect(r.stderr).toContain('tenants[0].allowlist: expected a value of type array, got "all" (string)');
  });

  it('usage errors exit 2: --cert without --key, a bad port, a port in use', async () => {
    expect((await runEvkit(['mock', '--cert', 'c.pem'])).code).toBe(2);
    expect((await runEvkit(['mock', '--port', '70000'])).code).toBe(2);
    const busy = await startMock();
    try {
      const r = await runEvkit(['mock', '--port', String(busy.port)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/EADDRINUSE|cannot listen/);
    } finally {
      await busy.close();
    }
  });

  it('--tls serves HTTPS with a generated certificate', async () => {
    const mock = await startCli(['--tls']);
    try {
      expect(mock.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const code = await new Promise<string>((resolve, reject) => {
        const req = https.request(
          new URL(EVENT_PATH, mock.url),
          { method: 'POST', headers: { key: 'evkit-demo-key' }, rejectUnauthorized: false },
          (res) => {
            let text = '';
            res.on('data', (d) => {
              text += d;
            });
            res.on('end', () => resolve(JSON.parse(text).response[0].code));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ events: [{ evtid: '4451' }] }));
      });
      expect(code).toBe('1002');
    } finally {
      mock.child.kill('SIGTERM');
      await mock.exit;
    }
  });

  it('--cert/--key serve the given certificate, which a client can verify', async () => {
    const pems = await generateSelfSigned();
    writeFileSync(join(dir, 'cert.pem'), pems.cert);
    writeFileSync(join(dir, 'key.pem'), pems.key);
    const mock = await startCli(['--cert', join(dir, 'cert.pem'), '--key', join(dir, 'key.pem')]);
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = https.request(
          new URL(EVENT_PATH, mock.url),
          { method: 'POST', headers: { key: 'evkit-demo-key' }, ca: pems.cert },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ events: [{ evtid: '4451' }] }));
      });
      expect(status).toBe(200);
    } finally {
      mock.child.kill('SIGTERM');
      await mock.exit;
    }
  });
});
