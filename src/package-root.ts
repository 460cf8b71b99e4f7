/**
 * Where evkit's own files are, whether it runs from its sources (a checkout) or from its compiled `dist/`
 * (the installed package): the nearest folder above this module holding evkit's package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's name, as in package.json. */
export const PACKAGE_NAME = 'webex-connect-event-kit';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
      if (name === PACKAGE_NAME) return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${PACKAGE_NAME}: no package.json of its own above ${start}`);
    dir = parent;
  }
}

/** The package root (the checkout, or node_modules/webex-connect-event-kit). */
export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** Whether this module runs from compiled JavaScript (the package) rather than its TypeScript source. */
export const RUNS_COMPILED = import.meta.url.endsWith('.js');

/** The version in package.json. */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/**
 * The URL of a sibling module by its base name, in the form this module runs in (`.ts` from sources, `.js`
 * compiled): for worker threads and child processes, which take a file, not an import.
 */
export function siblingModule(base: string, fromUrl: string): URL {
  return new URL(`${base}${fromUrl.endsWith('.ts') ? '.ts' : '.js'}`, fromUrl);
}
