import type { Runtime } from '../runtime.ts';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The `k6/data` module: SharedArray, built once per name in init and read-only, as in k6. */
export function createDataModule(rt: Runtime): Record<string, unknown> {
  const arrays = new Map<string, readonly unknown[]>();
  function SharedArray(name: string, callback: () => unknown[]): readonly unknown[] {
    rt.requireInit('new SharedArray()');
    const known = arrays.get(name);
    if (known) return known;
    const data = callback();
    if (!Array.isArray(data)) throw new TypeError(`SharedArray "${name}": the callback must return an array`);
    // k6 hands out copies through JSON; a deep freeze gives the same read-only view without the copies.
    const frozen = deepFreeze(JSON.parse(JSON.stringify(data)) as unknown[]);
    arrays.set(name, frozen);
    return frozen;
  }
  return { SharedArray };
}
