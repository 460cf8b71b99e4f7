/**
 * Issue 15, item 2: `evkit mock` under a second signal. The drain ends at once, and the report of what was left
 * (counts by state) still goes to stdout; the exit code is 1 because accepted work did not finish.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_FILE_INPUT } from '../src/schema/default-tenant.ts';
import { ROOT } from './helpers/cli.ts';
import { closedPort, control, eventually, postEvents } from './mock-helpers.ts';

describe('evkit mock: a second signal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evkit-mock-shutdown-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ends the drain with the report of what was left by state, lists it in --journal-file, and exits 1', async () => {
    const base = DEFAULT_TENANT_FILE_INPUT.tenants[0] as Record<string, unknown> & {
      services: Record<string, unknown>[];
    };
    const file = join(dir, 'tenant.json');
    const journal = join(dir, 'unfinished.jsonl');
    const notifyUrl = `http://127.0.0.1:${await closedPort()}/notify`;
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        tenants: [
          {
            ...base,
            services: [{ ...base.services[0], notifyUrl }],
            // Every notification fails at once and then waits a minute for its retry: the drain cannot finish.
            notify: { retries: 3, retryDelayMs: 60_000 },
          },
        ],
      }),
    );
    const child = spawn(
      process.execPath,
      [
        `${ROOT}bin/evkit.js`,
        'mock',
        '--tenant',
        file,
        '--port',
        '0',
        '--drain-deadline',
        '60000',
        '--journal-file',
        journal,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      expect(await eventually(() => /^http:\/\/\S+\n/.test(stdout), 20_000)).toBe(true);
      const url = (/^(http:\/\/\S+)\n/.exec(stdout) as RegExpExecArray)[1] as string;
      const events = Array.from({ length: 5 }, (_, i) => ({ evtid: '4451', correlationid: `c${i}` }));
      await postEvents(url, { events });
      expect(
        await eventually(async () => {
          const counters = (await control(url, '/counters', undefined, 'GET')).json as {
            notifications: { pending: number; failed: number };
          };
          return counters.notifications.pending === 5;
        }),
      ).toBe(true);
      child.kill('SIGTERM');
      expect(await eventually(() => stderr.includes('draining'), 10_000)).toBe(true);
      child.kill('SIGTERM');
      expect(await exit).toBe(1);
      const line = stdout.split('\n').find((l) => l.startsWith('{"drain"'));
      expect(line).toBeDefined();
      const { drain } = JSON.parse(line as string) as { drain: Record<string, unknown> };
      expect(drain).toEqual({
        processed: 5,
        delivered: 0,
        failed: 0,
        dropped: 0,
        remaining: 5,
        left: { queued: 0, inFlight: 0, waiting: 0, retrying: 5 },
        connectionsCut: 0,
        interrupted: true,
      });
      expect(stderr).toContain('second signal');
      const unfinished = readFileSync(journal, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(unfinished).toHaveLength(5);
      for (const n of unfinished) {
        expect(n).toMatchObject({ tenantId: 'default', url: notifyUrl, state: 'retrying', attempts: 1 });
        expect(JSON.parse(n.body as string)).toMatchObject({ eventNotification: { transid: n.transid } });
      }
      expect(new Set(unfinished.map((n) => n.transid)).size).toBe(5);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
