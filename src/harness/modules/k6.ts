import { createRandom } from '../../random.ts';
import type { Runtime } from '../runtime.ts';

/** The `k6` module: check, group, fail, randomSeed; sleep is refused (it would block every VU). */
export function createK6Module(rt: Runtime): Record<string, unknown> {
  return {
    check<T>(value: T, sets: Record<string, (v: T) => boolean>, tags?: Record<string, string>): boolean {
      let all = true;
      for (const [name, fn] of Object.entries(sets)) {
        let ok = false;
        try {
          ok = Boolean(fn(value));
        } catch (error) {
          rt.recordError(error);
        }
        all &&= ok;
        const entry = rt.checks.get(name) ?? { passes: 0, fails: 0 };
        if (ok) entry.passes += 1;
        else entry.fails += 1;
        rt.checks.set(name, entry);
        rt.registry.add(rt.builtin.checks, ok ? 1 : 0, rt.tags({ ...tags, check: name }), Date.now());
      }
      return all;
    },
    group<T>(_name: string, fn: () => T): T {
      return fn();
    },
    fail(message?: string): never {
      throw new Error(message ?? 'fail() called');
    },
    randomSeed(seed: number): void {
      const random = createRandom(seed);
      Math.random = () => random.next();
    },
    sleep(): never {
      throw new Error(
        'sleep() blocks its VU; the harness runs every VU in one event loop and does not implement it',
      );
    },
  };
}
