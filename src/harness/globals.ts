import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { toArrayBuffer } from './modules/bytes.ts';
import type { Runtime } from './runtime.ts';

/**
 * Install k6's globals for a run: `open` (init only, relative to the bundle's folder, as k6 resolves it for a
 * bundled script), `__ENV` (the scenario's env inside VU code), `__VU` and `__ITER`.
 */
export function installGlobals(rt: Runtime): void {
  const cache = new Map<string, Buffer>();
  const open = (path: string, mode?: 'b'): string | ArrayBuffer => {
    rt.requireInit('open()');
    const file = isAbsolute(path) ? path : resolve(rt.bundleDir, path);
    let data = cache.get(file);
    if (!data) {
      data = readFileSync(file);
      cache.set(file, data);
    }
    return mode === 'b' ? toArrayBuffer(data) : data.toString('utf8');
  };
  const define = (name: string, get: () => unknown) =>
    Object.defineProperty(globalThis, name, { get, configurable: true, enumerable: false });
  define('open', () => open);
  define('__ENV', () => rt.context()?.scenario.env ?? rt.env);
  define('__VU', () => rt.context()?.vu.idInInstance ?? 0);
  define('__ITER', () => rt.context()?.vu.iterationInScenario ?? 0);
}
