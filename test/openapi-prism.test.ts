/**
 * The exported OpenAPI document, checked by an independent tool: Prism's validating proxy (`prism proxy`) in
 * front of the mock, with generated valid and invalid cases on both spellings of the event path.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCases } from '../generators/index.ts';
import { openApiDocument } from '../src/export/openapi.ts';
import { type MockHandle, startMock } from '../src/mock/server.ts';
import { EVENT_PATHS } from '../src/schema/catalog.ts';
import { ROOT } from './helpers/cli.ts';

const PRISM = join(ROOT, 'node_modules/@stoplight/prism-cli/dist/index.js');

interface Violation {
  readonly location: readonly string[];
  readonly code: string | number;
  readonly message: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Start `prism proxy <document> <upstream>` on a free loopback port; resolves once it listens. */
async function startPrism(document: string, upstream: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [PRISM, 'proxy', document, upstream, '--host', '127.0.0.1', '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('Prism is listening')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`prism exited with ${code}:\n${out}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** What one exchange through the proxy showed: the status, Prism's violations, whether a route matched. */
interface Exchange {
  readonly status: number;
  readonly violations: readonly Violation[];
  /** Prism 5's proxy answers an unmatched path 404 or forwards it with "Selected route not found". */
  readonly routeMissing: boolean;
}

/**
 * Send one case through the proxy on a given path. A body that is not JSON goes as `text/plain`: Prism never
 * answers a malformed body declared `application/json` (its body parser hangs), and the mock reads the body
 * whatever its declared type, so the case's outcome (7000) is the same.
 */
async function through(
  prismUrl: string,
  path: string,
  c: ReturnType<typeof generateCases>[number],
): Promise<Exchange> {
  const json = c.bodyEncoding === 'utf8' && isJson(c.body);
  const res = await fetch(`${prismUrl}${path}`, {
    method: 'POST',
    headers: json ? c.headers : { ...c.headers, 'content-type': 'text/plain' },
    body: c.bodyEncoding === 'base64' ? Buffer.from(c.body, 'base64') : c.body,
  });
  await res.arrayBuffer();
  const header = res.headers.get('sl-violations');
  const violations = header ? (JSON.parse(header) as Violation[]) : [];
  return {
    status: res.status,
    violations,
    routeMissing:
      res.status === 404 || violations.some((v) => /route not found|no path matched/i.test(v.message)),
  };
}

describe('the exported OpenAPI through Prism 5 validating proxy, in front of the mock', () => {
  let mock: MockHandle;
  let dir: string;
  const children: ChildProcess[] = [];
  let prism: string;
  let tampered: string;
  // A fixed seed: valid and invalid cases over every request-triggered code.
  const cases = [
    ...generateCases({ kind: 'valid', count: 50, seed: 15 }),
    ...generateCases({ kind: 'invalid', count: 150, seed: 15 }),
  ];

  beforeAll(async () => {
    mock = await startMock();
    dir = mkdtempSync(join(os.tmpdir(), 'evkit-prism-'));
    const doc = openApiDocument();
    const good = join(dir, 'openapi.json');
    writeFileSync(good, JSON.stringify(doc));
    // The control document: only the path without the slash (the old export) and a response schema no
    // answer meets, so this run shows that the proxy does report 404s and response violations.
    const broken = structuredClone(doc) as { paths: Record<string, unknown> };
    delete broken.paths[EVENT_PATHS[1]];
    const op = (broken.paths[EVENT_PATHS[0]] as { post: { responses: Record<string, unknown> } }).post;
    op.responses['200'] = {
      description: 'x',
      content: { 'application/json': { schema: { type: 'object', required: ['never'] } } },
    };
    const bad = join(dir, 'broken.json');
    writeFileSync(bad, JSON.stringify(broken));
    const [a, b] = await Promise.all([startPrism(good, mock.url), startPrism(bad, mock.url)]);
    children.push(a.child, b.child);
    prism = a.url;
    tampered = b.url;
  }, 120_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGTERM');
    await mock?.close({ drainDeadlineMs: 0 });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists both spellings of the event path', () => {
    expect(Object.keys(openApiDocument().paths as object)).toEqual([
      '/resources/v1/events/externalevent',
      '/resources/v1/events/externalevent/',
    ]);
  });

  it('valid and invalid cases on both path forms: no 404, no response violation', {
    timeout: 180_000,
  }, async () => {
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(['valid', 'invalid']));
    const statuses = new Set<number>();
    const responseViolations: string[] = [];
    const missing: string[] = [];
    let requestViolations = 0;
    for (const c of cases) {
      for (const path of EVENT_PATHS) {
        const r = await through(prism, path, c);
        statuses.add(r.status);
        if (r.routeMissing) missing.push(`${c.id} ${path}`);
        for (const v of r.violations) {
          if (v.location[0] === 'response') responseViolations.push(`${c.id} ${path}: ${v.message}`);
          else requestViolations += 1;
        }
      }
    }
    expect([...statuses]).toEqual([200]);
    expect(missing).toEqual([]);
    expect(responseViolations).toEqual([]);
    // Prism did validate: the invalid cases broke the request schema (so the run is not vacuous).
    expect(requestViolations).toBeGreaterThan(0);
  });

  it('the same proxy reports a missing path and a response that breaks the schema (the check can fail)', async () => {
    const c = cases[0] as (typeof cases)[number];
    expect((await through(tampered, EVENT_PATHS[1], c)).routeMissing).toBe(true);
    const r = await through(tampered, EVENT_PATHS[0], c);
    expect(r.violations.filter((v) => v.location[0] === 'response').length).toBeGreaterThan(0);
  });
});
