import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import type * as esbuild from 'esbuild';
import { SCRIPTS, type ScriptName } from '../../load/lib/index.ts';
import { EvkitError } from '../errors.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import { checkBundle } from './bundle-check.ts';

/** The package root (where load/ and dist/ live). */
export const ROOT_DIR = PACKAGE_ROOT;
/** Where bundles are written, and where the package ships them prebuilt. */
export const DIST_LOAD_DIR = join(ROOT_DIR, 'dist', 'load');
/** Whether the load scripts' sources are here (a checkout) or only their prebuilt bundles (the package). */
export function loadSourcesPresent(): boolean {
  return existsSync(join(ROOT_DIR, 'load', 'throughput.ts'));
}

/** esbuild options of every load bundle (what Grafana's jslibs use): ESM, browser platform, k6 external. */
export const BUNDLE_OPTIONS = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  sourcemap: true,
  external: ['k6', 'k6/*', 'https://*'],
  logLevel: 'silent',
} as const satisfies esbuild.BuildOptions;

/** One built bundle. */
export interface BuiltBundle {
  script: ScriptName;
  file: string;
  bytes: number;
}

/** The bundle path of a script. */
export function bundlePath(script: ScriptName, outDir = DIST_LOAD_DIR): string {
  return join(outDir, `${script}.js`);
}

/** Bundle the load scripts with esbuild and run the bundle check on each; a failing check throws E_BUNDLE. */
export async function buildLoadScripts(
  options: { outDir?: string; scripts?: readonly ScriptName[] } = {},
): Promise<BuiltBundle[]> {
  const outDir = options.outDir ?? DIST_LOAD_DIR;
  const scripts = options.scripts ?? SCRIPTS;
  const esbuild = await import('esbuild');
  // Built beside the final files, then renamed into place: a run reading a bundle while another process
  // rebuilds it (two `evkit load`s, a test and `npm pack`) sees the old file or the new one, never half of one.
  mkdirSync(outDir, { recursive: true });
  const staging = mkdtempSync(join(outDir, '.build-'));
  const built: BuiltBundle[] = [];
  try {
    await esbuild.build({
      ...BUNDLE_OPTIONS,
      entryPoints: Object.fromEntries(scripts.map((s) => [s, join(ROOT_DIR, 'load', `${s}.ts`)])),
      outdir: staging,
    });
    for (const script of scripts) {
      const code = readFileSync(bundlePath(script, staging), 'utf8');
      const issues = await checkBundle(code);
      if (issues.length > 0) {
        throw new EvkitError('E_BUNDLE', `bundle ${script}.js would not run under k6`, {
          details: { file: bundlePath(script, outDir), issues },
        });
      }
      built.push({ script, file: bundlePath(script, outDir), bytes: Buffer.byteLength(code) });
    }
    for (const { file } of built) {
      renameSync(join(staging, `${basename(file)}.map`), `${file}.map`);
      renameSync(join(staging, basename(file)), file);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return built;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) {
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** Whether a script's bundle is missing or older than the load sources or the catalog it bundles. */
export function bundleIsStale(script: ScriptName, outDir = DIST_LOAD_DIR): boolean {
  // The installed package ships its bundles prebuilt and no sources to rebuild them from.
  if (!loadSourcesPresent()) return !existsSync(bundlePath(script, outDir));
  let built: number;
  try {
    built = statSync(bundlePath(script, outDir)).mtimeMs;
  } catch {
    return true;
  }
  const catalog = statSync(join(ROOT_DIR, 'src', 'schema', 'catalog.ts')).mtimeMs;
  return Math.max(newestMtime(join(ROOT_DIR, 'load')), catalog) > built;
}
