/**
 * Property: for over 10k generated cases across every request-triggered code, the mock endpoint's answer over
 * HTTP carries the case's declared code (in every entry), envelope form and description. Cases come from
 * 127.0.0.1, and 7010 cases from 127.0.0.2, which Linux routes to loopback like the rest of 127.0.0.0/8.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Case, caseBodyBytes, caseToCurl, generateCases, MUTATION_CODES } from '../generators/index.ts';
import { type MockHandle, startMock } from '../src/mock/server.ts';
import { ACCEPTED_CODE, type ResponseCode } from '../src/schema/catalog.ts';
import { defaultTenantFile } from '../src/schema/default-tenant.ts';
import { type Envelope, envelopeEntries, envelopeForm, envelopeSchema } from '../src/schema/response.ts';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const CONCURRENCY = 16;

let mock: MockHandle;
let sink: http.Server;
let sinkPort = 0;
const agents = new Map<string, http.Agent>();

function agentFor(sourceIp: string): http.Agent {
  let agent = agents.get(sourceIp);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY, localAddress: sourceIp });
    agents.set(sourceIp, agent);
  }
  return agent;
}

function request(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: Uint8Array,
  sourceIp = '127.0.0.1',
) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(
      url,
      { method, headers: { ...headers, 'content-length': String(body.length) }, agent: agentFor(sourceIp) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const control = (path: string, payload: unknown) =>
  request(
    'POST',
    `${mock.url}/__evkit${path}`,
    { 'content-type': 'application/json' },
    new TextEncoder().encode(JSON.stringify(payload)),
  );

/** What is wrong with the mock's answer to a case, or undefined when it matches the declaration. */
function mismatch(c: Case, status: number, text: string): string | undefined {
  let envelope: Envelope;
  try {
    envelope = envelopeSchema.parse(JSON.parse(text));
  } catch {
    return `HTTP ${status}, not an envelope: ${text.slice(0, 200)}`;
  }
  const entries = envelopeEntries(envelope);
  const ok =
    envelopeForm(envelope) === c.expected.form &&
    entries.every((e) => e.code === c.expected.code) &&
    (c.expected.description === undefined || entries.every((e) => e.description === c.expected.description));
  return ok ? undefined : `got ${text.slice(0, 300)}`;
}

beforeAll(async () => {
  // Notifications of accepted events go to a local sink that answers 200, so nothing waits on retries.
  sink = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  sinkPort = (sink.address() as { port: number }).port;
  mock = await startMock({ tenantFile: defaultTenantFile() });
  // A rate far above what this test sends, so 7020 never interferes; the clock at the cases' `now`.
  const tenant = await control('/tenant', { rateLimit: { tps: 1_000_000 } });
  expect(tenant.status, tenant.text).toBe(200);
  const clock = await control('/clock', { now: new Date(NOW).toISOString() });
  expect(clock.status, clock.text).toBe(200);
});

afterAll(async () => {
  for (const agent of agents.values()) agent.destroy();
  await mock?.close({ drainDeadlineMs: 2000 });
  await new Promise((resolve) => sink?.close(resolve));
});

describe('generated cases against the mock endpoint over HTTP', () => {
  it('answers every one of >= 10k cases with its declared code and envelope form', async () => {
    const options = { now: NOW, notifyPort: sinkPort } as const;
    const cases: Case[] = [
      ...generateCases({ kind: 'mixed', count: 4000, seed: 2026, ...options }),
      ...MUTATION_CODES.flatMap((code) =>
        generateCases({ kind: 'invalid', code, count: 800, seed: 77, ...options }),
      ),
    ];
    expect(cases.length).toBeGreaterThanOrEqual(10_000);
    expect(new Set(cases.map((c) => c.expected.code))).toEqual(new Set([ACCEPTED_CODE, ...MUTATION_CODES]));

    const failures: string[] = [];
    const seen = new Map<string, number>();
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++] as Case;
        const { status, text } = await request(
          c.method,
          `${mock.url}${c.path}`,
          c.headers,
          caseBodyBytes(c),
          c.sourceIp,
        );
        const wrong = mismatch(c, status, text);
        if (wrong)
          failures.push(
            `${c.id} ${c.mutation} expected ${JSON.stringify(c.expected)}, ${wrong}\n  ${caseToCurl(c, mock.url)}`,
          );
        seen.set(c.expected.code, (seen.get(c.expected.code) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(failures.slice(0, 10)).toEqual([]);
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(cases.length);
    // The mock counted them too (server side): every request-triggered code was answered.
    const counted = mock.counters().byCode;
    const codes: ResponseCode[] = [ACCEPTED_CODE, ...MUTATION_CODES];
    for (const code of codes) expect(counted[code], code).toBeGreaterThan(0);
  });

  it('the curl line of a case reproduces its answer', async () => {
    const picks = MUTATION_CODES.map(
      (code) => generateCases({ kind: 'invalid', code, count: 1, seed: 5, now: NOW })[0] as Case,
    );
    const binary = generateCases({ kind: 'invalid', code: '7000', count: 80, seed: 5, now: NOW }).find(
      (c) => c.bodyEncoding === 'base64',
    );
    if (binary) picks.push(binary);
    picks.push(...generateCases({ kind: 'valid', count: 2, seed: 5, now: NOW, notifyPort: sinkPort }));
    const results = await Promise.all(
      picks.map(
        (c) =>
          new Promise<string | undefined>((resolve, reject) => {
            execFile('bash', ['-c', caseToCurl(c, mock.url)], (error, stdout) => {
              if (error) reject(error);
              else resolve(mismatch(c, 0, stdout));
            });
          }),
      ),
    );
    expect(results.map((r, i) => (r === undefined ? 'ok' : `${picks[i]?.mutation}: ${r}`))).toEqual(
      picks.map(() => 'ok'),
    );
  });
});
