/**
 * The mock's Dockerfile. No container engine runs here, so the test reads the Dockerfile, lints it, and runs its
 * ENTRYPOINT with its ENV on this machine (the repository standing in for WORKDIR and the COPY sources), then
 * checks the health route the way its HEALTHCHECK does.
 */
import { type ChildProcessByStdio, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { EVENT_PATH } from '../src/schema/catalog.ts';
import { ROOT } from './helpers/cli.ts';
import { request } from './mock-helpers.ts';

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

/** The Dockerfile's instructions: continuation lines joined, comments dropped. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  for (const line of text.split('\n')) {
    if (pending === '' && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const whole = (pending + line).trim();
    pending = '';
    const space = whole.indexOf(' ');
    out.push({ keyword: whole.slice(0, space).toUpperCase(), args: whole.slice(space + 1).trim() });
  }
  return out;
}

const parsed = instructions(DOCKERFILE);
const all = (keyword: string) => parsed.filter((i) => i.keyword === keyword);
const one = (keyword: string): string => {
  const found = all(keyword);
  expect(found, keyword).toHaveLength(1);
  return (found[0] as Instruction).args;
};

/** `ENV A=1 B=2` instructions as one environment. */
function imageEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of all('ENV'))
    for (const [, k, v] of args.matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)) env[k as string] = v as string;
  return env;
}

/** Container paths of the COPY instructions, to the repository paths they come from. */
function copiedPaths(workdir: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const { args } of all('COPY')) {
    const [source, target] = args.split(/\s+/) as [string, string];
    const absolute = target.startsWith('/') ? target : join(workdir, target);
    map.set(absolute.replace(/\/$/, ''), join(ROOT, source));
  }
  return map;
}

type Mock = ChildProcessByStdio<null, Readable, Readable>;

/** Run the image's ENTRYPOINT with its ENV (and `overrides`); resolves with the URL it prints. */
async function runEntrypoint(overrides: Record<string, string>): Promise<{ child: Mock; url: string }> {
  const entrypoint = JSON.parse(one('ENTRYPOINT')) as string[];
  expect(entrypoint[0]).toBe('node');
  const workdir = one('WORKDIR');
  const env = imageEnv();
  const copies = copiedPaths(workdir);
  // The file the image's EVKIT_MOCK_TENANT names is the one its COPY brings in.
  const tenantPath = env.EVKIT_MOCK_TENANT;
  if (tenantPath !== undefined) env.EVKIT_MOCK_TENANT = copies.get(tenantPath) ?? tenantPath;
  const child = spawn(process.execPath, entrypoint.slice(1), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env, ...overrides },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0] as string);
    });
    child.once('exit', (code) => reject(new Error(`the entrypoint exited with ${code}: ${err}`)));
  });
  return { child, url };
}

function stop(child: Mock): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

// The only two differences from the container: loopback instead of every interface (this machine is shared),
// and a free port instead of 8080.
const HOST_OVERRIDES = { EVKIT_MOCK_HOST: '127.0.0.1', EVKIT_MOCK_PORT: '0' };

describe('the Dockerfile', () => {
  it('passes the Dockerfile linter, which catches a broken Dockerfile', () => {
    expect(validate(DOCKERFILE).map((d) => d.message)).toEqual([]);
    expect(validate('FORM node:24\nHEALTHCHECK CMD\n').length).toBeGreaterThan(0);
  });

  it('builds on a small Node 24 base, runs as a non-root user, and checks the health route', () => {
    expect(one('FROM')).toMatch(/^node:24-(slim|alpine)/);
    expect(one('USER')).not.toMatch(/^(root|0)(:|$)/);
    const healthcheck = one('HEALTHCHECK');
    expect(healthcheck).toContain('/__evkit/health');
    expect(one('EXPOSE')).toBe(imageEnv().EVKIT_MOCK_PORT);
    expect(imageEnv().EVKIT_MOCK_HOST).toBe('0.0.0.0');
    // Every COPY source exists, and .dockerignore does not drop what the entrypoint needs.
    for (const source of copiedPaths(one('WORKDIR')).values()) expect(existsSync(source), source).toBe(true);
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const needed of ['bin', 'src', 'docker', 'package.json']) expect(ignored).not.toContain(needed);
  });

  it('its entrypoint with its env serves the image tenant file; the HEALTHCHECK command passes', async () => {
    const { child, url } = await runEntrypoint(HOST_OVERRIDES);
    try {
      const health = await fetch(`${url}/__evkit/health`);
      expect([health.status, await health.json()]).toEqual([200, { status: 'ok', ready: true }]);
      // The HEALTHCHECK's own command, with the port the mock listens on.
      const command = JSON.parse(one('HEALTHCHECK').replace(/^.*?CMD\s+/, '')) as string[];
      const check = spawnSync(process.execPath, command.slice(1), {
        env: { ...process.env, EVKIT_MOCK_PORT: new URL(url).port },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(check.status, check.stderr).toBe(0);
      // The image's tenant file allows every source (requests reach a container through its gateway):
      // from 127.0.0.2 the built-in tenant would answer 7010.
      const answer = await request(url, {
        path: EVENT_PATH,
        headers: { key: 'evkit-demo-key', 'content-type': 'application/json' },
        body: JSON.stringify({ events: [{ evtid: '4451' }] }),
        localAddress: '127.0.0.2',
      });
      expect((answer.json as { response: { code: string }[] }).response[0]?.code).toBe('1002');
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });

  it('EVKIT_MOCK_TENANT_TEXT gives the tenant file from the environment, over the image file', async () => {
    const text = JSON.stringify({
      version: 1,
      tenants: [
        {
          id: 'from-env',
          services: [{ id: 'svc-env', keys: [{ value: 'env-key' }] }],
          events: [{ evtid: 'e1' }],
        },
      ],
    });
    const { child, url } = await runEntrypoint({ ...HOST_OVERRIDES, EVKIT_MOCK_TENANT_TEXT: text });
    try {
      const answer = await request(url, {
        path: EVENT_PATH,
        headers: { key: 'env-key' },
        body: JSON.stringify({ events: [{ evtid: 'e1' }] }),
      });
      expect((answer.json as { response: { code: string }[] }).response[0]?.code).toBe('1002');
      const res = await fetch(`${url}/__evkit/requests?tenantId=from-env`);
      expect(((await res.json()) as { count: number }).count).toBe(1);
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });
});
