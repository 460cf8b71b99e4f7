/**
 * `evkit load --emit k6-operator`: the manifest parses and has the TestRun shape the operator documents, the
 * ConfigMap holds the bundle and the corpus exactly, credentials come from a Secret only, and a corpus over
 * a ConfigMap's 1 MiB fails with the volume hint (exit 2).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { type Case, generateCases } from '../generators/index.ts';
import { CORPUS_FILE, TESTRUN_FILE } from '../src/distributed/emit.ts';
import { buildLoadScripts, bundlePath } from '../src/load/build.ts';
import { HEADER } from '../src/schema/catalog.ts';
import { runEvkit } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'evkit-emit-'));
const KEY = 'key-that-must-not-leak-7c1f';
const JWT_SECRET = 'c2VjcmV0LXRoYXQtbXVzdC1ub3QtbGVhaw==';
const REMOTE = ['--target', 'https://api.example.test', '--allow-remote', '--max-rate', '500'];

interface EnvEntry {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  data: Record<string, string>;
  spec: {
    parallelism: number;
    script: { configMap: { name: string; file: string } };
    runner: { env: EnvEntry[] };
  };
}

function emit(args: string[], env: NodeJS.ProcessEnv = {}) {
  return runEvkit(['load', ...args, '--emit', 'k6-operator'], { env, timeoutMs: 60_000 });
}

function manifests(out: string): { text: string; configMap: Manifest; testRun: Manifest } {
  const text = readFileSync(join(out, TESTRUN_FILE), 'utf8');
  const docs = parseAllDocuments(text);
  for (const d of docs) expect(d.errors).toEqual([]);
  const js = docs.map((d) => d.toJS() as Manifest);
  const configMap = js.find((d) => d.kind === 'ConfigMap');
  const testRun = js.find((d) => d.kind === 'TestRun');
  if (!configMap || !testRun) throw new Error(`missing a document in:\n${text.slice(0, 500)}`);
  return { text, configMap, testRun };
}

beforeAll(async () => {
  await buildLoadScripts({ scripts: ['throughput', 'rate-limit'] });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('evkit load --emit k6-operator', () => {
  it('writes a TestRun of the documented shape and a ConfigMap holding the bundle and corpus.json', async () => {
    const out = join(dir, 'throughput');
    const run = await emit(
      ['throughput', ...REMOTE, '--rate', '400', '--duration', '2m', '--parallelism', '4', '--out', out],
      { EVKIT_KEY: KEY, EVKIT_TOLERANCE: '0.05', EVKIT_REPORTS_DIR: 'elsewhere' },
    );
    expect(run.code, run.stderr).toBe(0);
    const file = join(out, TESTRUN_FILE);
    expect(run.stdout).toContain(`kubectl apply -f ${file}`);
    expect(run.stdout).toMatch(/^kubectl create secret generic evkit --from-literal=key=/m);

    const { text, configMap, testRun } = manifests(out);
    expect(testRun.apiVersion).toBe('k6.io/v1alpha1');
    expect(testRun.kind).toBe('TestRun');
    expect(testRun.spec.parallelism).toBe(4);
    expect(testRun.spec.script.configMap).toEqual({ name: configMap.metadata.name, file: 'throughput.js' });
    expect(configMap.apiVersion).toBe('v1');
    expect(Object.keys(configMap.data)).toEqual(['throughput.js', CORPUS_FILE]);
    // The ConfigMap carries the bundle byte for byte, and the corpus the bundle opens next to itself.
    expect(configMap.data['throughput.js']).toBe(readFileSync(bundlePath('throughput'), 'utf8'));
    const cases = JSON.parse(configMap.data[CORPUS_FILE] ?? '') as Case[];
    expect(cases.length).toBe(200);
    expect(cases.every((c) => c.kind === 'valid')).toBe(true);

    const env = Object.fromEntries(testRun.spec.runner.env.map((e) => [e.name, e]));
    expect(env.EVKIT_TARGET?.value).toBe('https://api.example.test');
    expect(env.EVKIT_RATE?.value).toBe('400');
    expect(env.EVKIT_DURATION?.value).toBe('2m');
    expect(env.EVKIT_CORPUS?.value).toBe(CORPUS_FILE);
    expect(env.EVKIT_TOLERANCE?.value).toBe('0.05');
    expect(env.EVKIT_REPORTS_DIR).toBeUndefined(); // not a script setting
    expect(env.EVKIT_SUMMARY_FILE).toBeUndefined();
    expect(env.EVKIT_KEY).toEqual({
      name: 'EVKIT_KEY',
      valueFrom: { secretKeyRef: { name: 'evkit', key: 'key' } },
    });
    // No secret inline: neither the key from the environment nor the tenant's keys in the generated cases.
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('evkit-demo-key');
    for (const c of cases) expect(Object.keys(c.headers)).not.toContain(HEADER.key);
    // The files are next to the manifest too (for a volume instead of the ConfigMap).
    expect(readFileSync(join(out, 'throughput.js'), 'utf8')).toBe(configMap.data['throughput.js']);
  }, 60_000);

  it('signs JWTs in the pods from the Secret when EVKIT_SERVICE_ID is set', async () => {
    const out = join(dir, 'jwt');
    const run = await emit(['rate-limit', ...REMOTE, '--expected-tps', '100', '--out', out], {
      EVKIT_JWT_SECRET: JWT_SECRET,
      EVKIT_SERVICE_ID: 'svc-42',
    });
    expect(run.code, run.stderr).toBe(0);
    const { text, testRun } = manifests(out);
    expect(testRun.spec.parallelism).toBe(1);
    expect(testRun.spec.script.configMap.file).toBe('rate-limit.js');
    expect(testRun.spec.runner.env).toContainEqual({ name: 'EVKIT_SERVICE_ID', value: 'svc-42' });
    expect(testRun.spec.runner.env).toContainEqual({
      name: 'EVKIT_JWT_SECRET',
      valueFrom: { secretKeyRef: { name: 'evkit', key: 'jwt-secret' } },
    });
    expect(testRun.spec.runner.env.map((e) => e.name)).not.toContain('EVKIT_KEY');
    expect(text).not.toContain(JWT_SECRET);
    expect(run.stdout).toContain('--from-literal=jwt-secret=');
  }, 60_000);

  it('refuses a corpus over 1 MiB with the volumeClaim hint (exit 2) and writes no manifest', async () => {
    const out = join(dir, 'big');
    const corpus = join(dir, 'big-corpus.json');
    writeFileSync(corpus, JSON.stringify(generateCases({ kind: 'valid', count: 4000, seed: 7 })));
    expect(readFileSync(corpus).length).toBeGreaterThan(1024 * 1024);
    const run = await emit(['throughput', ...REMOTE, '--corpus', corpus, '--out', out], { EVKIT_KEY: KEY });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('[E_CONFIGMAP_SIZE]');
    expect(run.stderr).toMatch(/more than a ConfigMap holds \(1 MiB\)/);
    expect(run.stderr).toContain('spec.script.volumeClaim');
    expect(existsSync(join(out, TESTRUN_FILE))).toBe(false);
    expect(existsSync(join(out, CORPUS_FILE))).toBe(true);
  }, 60_000);

  it('refuses without a target, a remote target without a cap, another kind, and --segments (exit 2)', async () => {
    const noTarget = await emit(['throughput', '--out', join(dir, 'none')]);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain('needs --target');
    const uncapped = await emit([
      'throughput',
      '--target',
      'https://api.example.test',
      '--out',
      join(dir, 'x'),
    ]);
    expect(uncapped.code).toBe(2);
    expect(uncapped.stderr).toContain('[E_REMOTE_TARGET]');
    expect(existsSync(join(dir, 'x', TESTRUN_FILE))).toBe(false);
    const other = await runEvkit(['load', 'throughput', '--emit', 'helm']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('--emit must be k6-operator');
    const segments = await emit(['throughput', ...REMOTE, '--segments', '2']);
    expect(segments.code).toBe(2);
    expect(segments.stderr).toContain('use --parallelism');
  }, 60_000);
});
