/**
 * evkit as a consumer team gets it: the packed tarball installed into a fresh copy of examples/consumer (a
 * service with its own Event API client), on the Node 24 and the Node 22 of the user's PATH.
 */
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESPONSE_CODES } from '../src/schema/catalog.ts';
import { installExample, NODE24_BIN, node22Bin, packTarball, type Ran, run } from './helpers/packed.ts';

let packed: Awaited<ReturnType<typeof packTarball>>;
let app: string;
let install: Ran;
let node22: string;
let tests: Ran;

const npx = (args: readonly string[], cwd = app, nodeBin = NODE24_BIN) => run('npx', args, { cwd, nodeBin });

beforeAll(async () => {
  [packed, node22] = await Promise.all([packTarball(), node22Bin()]);
  ({ dir: app, install } = await installExample(packed.tarball));
  tests = await npx(['vitest', 'run']);
  process.stderr.write(
    `packed example: tarball ${packed.files.length} files, ${packed.bytes} bytes; install ${install.ms} ms; its tests ${tests.ms} ms\n`,
  );
}, 600_000);
afterAll(() => {
  if (app) rmSync(app, { recursive: true, force: true });
});

describe.concurrent('the packed package', () => {
  it('ships compiled JavaScript with declarations, the k6 bundles and the CLI, and no sources or tests', () => {
    const files = packed.files;
    for (const f of [
      'bin/evkit.js',
      'dist/src/cli/main.js',
      'dist/src/index.d.ts',
      'dist/contracts/public.d.ts',
      'dist/load/lib/public.js',
      'dist/load/rate-limit.js',
      'dist/load/throughput.js',
      'dist/load/soak.js',
      'README.md',
    ]) {
      expect(files).toContain(f);
    }
    const leaked = files.filter(
      (f) => /^(src|test|bench|scripts|generators|contracts|load|examples)\//.test(f) || /\.test\./.test(f),
    );
    expect(leaked).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('installs without this checkout: no TypeScript to strip under node_modules', () => {
    const pkg = join(app, 'node_modules', 'webex-connect-event-kit');
    const sources = readdirSync(pkg, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.d.ts'),
    );
    expect(sources).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies)).not.toContain('node');
    expect(Object.keys(manifest.dependencies)).not.toContain('vitest');
  });

  for (const [label, bin] of [
    ['24', () => NODE24_BIN],
    ['22', () => node22],
  ] as const) {
    it(`runs npx evkit --help and --version on the user's Node ${label}`, async () => {
      const version = await run('node', ['--version'], { cwd: app, nodeBin: bin() });
      expect(version.stdout).toMatch(new RegExp(`^v${label}\\.`));
      const help = await npx(['evkit', '--help'], app, bin());
      expect(help.stderr).not.toContain('ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING');
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: evkit');
      const v = await npx(['evkit', '--version'], app, bin());
      expect(v.stdout.trim()).toBe(
        (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
          .version,
      );
    });
  }
});

describe.concurrent('the consumer example, as its team runs it', () => {
  it('passes its own Pact tests (all 11 codes through its own client) and its integration test with startMock()', () => {
    expect(tests.stderr + tests.stdout).toMatch(/Tests\s+24 passed/);
    expect(tests.code).toBe(0);
    const pact = JSON.parse(
      readFileSync(join(app, 'pacts', 'order-service-webex-connect-event-api.json'), 'utf8'),
    ) as { interactions: { response: { body: { content: { response: unknown } } } }[] };
    const codes = new Set(
      pact.interactions.flatMap((i) => {
        const r = i.response.body.content.response;
        return (Array.isArray(r) ? r : [r]).map((e) => (e as { code: string }).code);
      }),
    );
    expect([...codes].sort()).toEqual([...RESPONSE_CODES].sort());
  });

  it('verifies its pacts with npx evkit verify against the embedded mock', async () => {
    const r = await npx(['evkit', 'verify', '--pact', 'pacts']);
    expect(r.stdout).toMatch(/PASSED: (\d+) passed, 0 failed/);
    expect(r.code).toBe(0);
  });

  it('runs npx evkit load throughput --duration 3s and npx evkit openapi', async () => {
    const load = await npx(['evkit', 'load', 'throughput', '--duration', '3s']);
    expect(load.stdout).toContain('evkit_accepted: 100%');
    expect(load.code).toBe(0);
    const openapi = await npx(['evkit', 'openapi', '--out', 'openapi.json']);
    expect(openapi.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(app, 'openapi.json'), 'utf8')) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
  });

  it('bundles its own k6 script with the k6 helpers (esbuild) and runs it with npx evkit load', async () => {
    const build = await npx([
      'esbuild',
      'load/order-load.ts',
      '--bundle',
      '--format=esm',
      '--platform=browser',
      '--external:k6',
      '--external:k6/*',
      '--outfile=dist/order-load.js',
    ]);
    expect(build.code).toBe(0);
    const bundle = readFileSync(join(app, 'dist', 'order-load.js'), 'utf8');
    expect(bundle).not.toMatch(/from ['"]node:/);
    const r = await npx(['evkit', 'load', 'dist/order-load.js']);
    expect(r.stdout).toMatch(/ok +order_queued: count>0/);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  });

  it('type-checks against the package declarations under strict (app and k6 script)', async () => {
    const app1 = await npx(['tsc', '--noEmit']);
    expect(app1.stdout).toBe('');
    expect(app1.code).toBe(0);
    const k6 = await npx(['tsc', '-p', 'tsconfig.load.json']);
    expect(k6.stdout).toBe('');
    expect(k6.code).toBe(0);
  });
});

/** The runnable examples of docs/package.md, by name. */
function docExamples(): Map<string, string> {
  const doc = readFileSync(new URL('../docs/package.md', import.meta.url), 'utf8');
  return new Map(
    [...doc.matchAll(/<!-- example: ([a-z0-9-]+) -->\n```js\n([\s\S]*?)```/g)].map((m) => [
      m[1] ?? '',
      m[2] ?? '',
    ]),
  );
}

describe.concurrent('docs/package.md: one runnable example per public subpath, run from the installed package', () => {
  const examples = docExamples();

  it('has an example for every subpath of the exports map', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    const subpaths = Object.keys(manifest.exports)
      .filter((k) => k !== './package.json')
      .map((k) => (k === '.' ? 'root' : k.slice(2)));
    expect([...examples.keys()].sort()).toEqual(subpaths.sort());
  });

  for (const name of ['pact', 'mock', 'schema', 'generators', 'client', 'root']) {
    it(`runs the ${name} example with node`, async () => {
      writeFileSync(join(app, `doc-${name}.mjs`), examples.get(name) ?? '');
      const r = await run('node', [`doc-${name}.mjs`], { cwd: app, nodeBin: NODE24_BIN });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
    });
  }

  it('bundles the k6 example with esbuild and runs it with npx evkit load', async () => {
    writeFileSync(join(app, 'doc-k6.js'), examples.get('k6') ?? '');
    const build = await npx([
      'esbuild',
      'doc-k6.js',
      '--bundle',
      '--format=esm',
      '--external:k6',
      '--external:k6/*',
      '--outfile=dist/doc-k6.js',
    ]);
    expect(build.code).toBe(0);
    const r = await npx(['evkit', 'load', 'dist/doc-k6.js']);
    expect(r.stdout).toMatch(/ok +queued: count>0/);
    expect(r.code).toBe(0);
  });
});

// These change the installed example (and put it back): one at a time, after the suites above.
describe('the helpers catch real defects of code evkit did not write', () => {
  it('a copy of the client that treats 7020 as success fails its Pact test on the 7020 interaction', async () => {
    const client = join(app, 'src', 'event-api.ts');
    const good = readFileSync(client, 'utf8');
    const broken = good.replace(
      "  if (reason === 'retry-later') return { kind: 'retry-later', code };",
      "  if (code === '7020') return { kind: 'queued', transids: [] };\n  if (reason === 'retry-later') return { kind: 'retry-later', code };",
    );
    expect(broken).not.toBe(good);
    writeFileSync(client, broken);
    try {
      const r = await npx(['vitest', 'run', 'test/event-api.pact.test.ts']);
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toMatch(/FAIL .*7020: a request above the transaction limit is refused/);
      expect(r.stdout + r.stderr).toMatch(/Tests\s+1 failed \| 17 passed/);
    } finally {
      writeFileSync(client, good);
    }
  });

  it('the example fails (types and tests) when the package exports lose the Pact helpers', async () => {
    const manifestPath = join(app, 'node_modules', 'webex-connect-event-kit', 'package.json');
    const good = readFileSync(manifestPath, 'utf8');
    const manifest = JSON.parse(good) as { exports: Record<string, unknown> };
    delete manifest.exports['./pact'];
    // A new file, not a write through a hard link npm may share with its cache.
    rmSync(manifestPath);
    writeFileSync(manifestPath, JSON.stringify(manifest));
    try {
      const types = await npx(['tsc', '--noEmit']);
      expect(types.code).not.toBe(0);
      expect(types.stdout).toContain("'webex-connect-event-kit/pact'");
      const r = await run(
        'node',
        ['--input-type=module', '-e', "await import('webex-connect-event-kit/pact')"],
        {
          cwd: app,
          nodeBin: NODE24_BIN,
        },
      );
      expect(r.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
      expect(r.code).toBe(1);
    } finally {
      rmSync(manifestPath);
      writeFileSync(manifestPath, good);
    }
  });

  it('a command whose peer package is absent names it and exits 2', async () => {
    // The example installs no @pact-foundation/pact-cli: the broker commands need it.
    const publish = await npx([
      'evkit',
      'publish',
      '--pacts',
      'pacts',
      '--consumer-version',
      '1.0.0',
      '--broker-url',
      'http://127.0.0.1:9',
    ]);
    expect(publish.stderr).toContain('npm i -D @pact-foundation/pact-cli');
    expect(publish.code).toBe(2);
    const pactDir = join(app, 'node_modules', '@pact-foundation', 'pact');
    renameSync(pactDir, `${pactDir}.away`);
    try {
      const verify = await npx(['evkit', 'verify', '--pact', 'pacts']);
      expect(verify.stderr).toContain('error [E_TOOL_MISSING]: evkit verify needs @pact-foundation/pact');
      expect(verify.stderr).toContain('npm i -D @pact-foundation/pact');
      expect(verify.code).toBe(2);
    } finally {
      renameSync(`${pactDir}.away`, pactDir);
    }
  });

  it('after both defects are undone the example passes again', async () => {
    const r = await npx(['vitest', 'run', 'test/event-api.pact.test.ts']);
    expect(r.code).toBe(0);
  });
});
