import { registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Loads a k6 bundle unchanged, from its own path, with `k6` and `k6/*` imports mapped to the harness's shims.
 *
 * A synchronous `module.registerHooks` hook (in this worker thread only) resolves the bare `k6` specifiers of
 * any module imported with `?evkit-run=<id>` to `evkit-k6:<id>/<name>` URLs, whose source re-exports the
 * run's shim objects from a global table. The query string also gives every run a fresh module instance.
 */

const RUNS = Symbol.for('evkit.harness.runs');
const PARAM = 'evkit-run';
const SCHEME = 'evkit-k6:';

type ModuleTable = Record<string, Record<string, unknown>>;
type Global = typeof globalThis & { [RUNS]?: Map<string, ModuleTable> };

function runs(): Map<string, ModuleTable> {
  const g = globalThis as Global;
  g[RUNS] ??= new Map();
  return g[RUNS];
}

function runOf(url: string | undefined): string | undefined {
  if (!url?.startsWith('file:')) return undefined;
  return new URL(url).searchParams.get(PARAM) ?? undefined;
}

let registered = false;
function register(): void {
  if (registered) return;
  registered = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const run = runOf(context.parentURL);
      if (run === undefined) return nextResolve(specifier, context);
      if (specifier === 'k6' || specifier.startsWith('k6/')) {
        return { url: `${SCHEME}${run}/${specifier}`, shortCircuit: true };
      }
      if (specifier.startsWith('https://') || specifier.startsWith('http://')) {
        throw new Error(`the harness cannot import remote modules (${specifier}): bundle them in`);
      }
      const resolved = nextResolve(specifier, context);
      // Local modules of the bundle belong to the same run (their k6 imports must map too).
      if (resolved.url.startsWith('file:')) {
        const u = new URL(resolved.url);
        u.searchParams.set(PARAM, run);
        return { ...resolved, url: u.href };
      }
      return resolved;
    },
    load(url, context, nextLoad) {
      if (!url.startsWith(SCHEME)) return nextLoad(url, context);
      const rest = url.slice(SCHEME.length);
      const slash = rest.indexOf('/');
      const run = rest.slice(0, slash);
      const name = rest.slice(slash + 1);
      const mod = runs().get(run)?.[name];
      if (mod === undefined) throw new Error(`${name} is not implemented by the harness`);
      const exportsList = Object.keys(mod).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k));
      const source = [
        `const m = globalThis[Symbol.for('evkit.harness.runs')].get(${JSON.stringify(run)})[${JSON.stringify(name)}];`,
        'export default m;',
        ...exportsList.map((k) => `export const ${k} = m[${JSON.stringify(k)}];`),
      ].join('\n');
      return { format: 'module', source, shortCircuit: true };
    },
  });
}

/** Import a bundle for a run with its k6 module table; init code runs now. */
export async function loadBundle(
  file: string,
  runId: string,
  modules: ModuleTable,
): Promise<Record<string, unknown>> {
  register();
  runs().set(runId, modules);
  const url = pathToFileURL(file);
  url.searchParams.set(PARAM, runId);
  return (await import(url.href)) as Record<string, unknown>;
}

/** Forget a run's module table. */
export function unloadRun(runId: string): void {
  runs().delete(runId);
}
