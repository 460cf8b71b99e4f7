/**
 * The package as a user gets it: `npm pack` of this checkout, installed with a fresh `npm install` into a
 * temporary copy of examples/consumer (no links into the checkout), and a Node 22 from the `node@22` package.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { type Collected, ROOT, spawnCollect } from './cli.ts';

/** What a command printed and how it ended. */
export type Ran = Collected;

/** Run a command with a PATH whose first entry is `nodeBin` (the user's Node), collecting its output. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; nodeBin: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Ran> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // The user's PATH: their Node first, none of this checkout's node_modules/.bin.
    PATH: [
      options.nodeBin,
      ...(process.env.PATH ?? '').split(delimiter).filter((p) => !p.startsWith(ROOT)),
    ].join(delimiter),
    PACT_DO_NOT_TRACK: 'true',
    SCARF_ANALYTICS: 'false',
    NO_COLOR: '1',
    ...options.env,
  };
  // The test runner's own variables must not leak into the user's commands (their vitest, their Node).
  for (const name of Object.keys(env)) {
    if (/^(VITEST|TINYPOOL|NODE_OPTIONS$|npm_)/.test(name)) delete env[name];
  }
  return spawnCollect(command, args, { cwd: options.cwd, env, timeoutMs: options.timeoutMs ?? 240_000 });
}

/** The folder of the Node binary running this test (the pinned Node 24 of node_modules/.bin). */
export const NODE24_BIN = dirname(process.execPath);

/** A Node 22 binary from the `node@22` package, installed once into .evkit-tmp/node22. */
export async function node22Bin(): Promise<string> {
  const dir = join(ROOT, '.evkit-tmp', 'node22');
  const bin = join(dir, 'node_modules', '.bin');
  if (existsSync(join(bin, 'node'))) return bin;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'evkit-node22', private: true, allowScripts: { node: true } }),
  );
  const r = await run(
    'npm',
    ['install', '--no-save', '--no-audit', '--no-fund', '--prefer-offline', 'node@22'],
    {
      cwd: dir,
      nodeBin: NODE24_BIN,
    },
  );
  if (r.code !== 0 || !existsSync(join(bin, 'node')))
    throw new Error(`installing node@22 failed: ${r.stderr}`);
  return bin;
}

/** `npm pack` of this checkout (its prepack builds dist/) into a fresh folder; resolves to the tarball. */
export async function packTarball(): Promise<{ tarball: string; files: string[]; bytes: number }> {
  const out = mkdtempSync(join(tmpdir(), 'evkit-pack-'));
  const r = await run('npm', ['pack', '--json', '--pack-destination', out], {
    cwd: ROOT,
    nodeBin: NODE24_BIN,
  });
  if (r.code !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
  const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as {
    filename: string;
    size: number;
    files: { path: string }[];
  }[];
  if (!info) throw new Error(`npm pack printed no tarball: ${r.stdout}`);
  return { tarball: join(out, info.filename), files: info.files.map((f) => f.path), bytes: info.size };
}

/** A temporary copy of examples/consumer depending on the tarball, installed with a fresh npm install. */
export async function installExample(tarball: string): Promise<{ dir: string; install: Ran }> {
  const dir = mkdtempSync(join(tmpdir(), 'evkit-consumer-'));
  cpSync(join(ROOT, 'examples', 'consumer'), dir, {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|pacts|reports|dist)([/\\]|$)/.test(src.slice(ROOT.length)),
  });
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  manifest.devDependencies['webex-connect-event-kit'] = `file:${tarball}`;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: dir,
    nodeBin: NODE24_BIN,
  });
  if (install.code !== 0) throw new Error(`npm install of the example failed: ${install.stderr}`);
  return { dir, install };
}
