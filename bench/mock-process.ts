import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Tenant } from '../src/schema/tenant.ts';

/** Start the mock endpoint in its own process (so it does not share a core with the load); its URL and a stop. */
export async function startMockProcess(
  rateLimit?: Partial<Tenant['rateLimit']>,
): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./load-mock-child.ts', import.meta.url))], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...(rateLimit ? { EVKIT_BENCH_RATE_LIMIT: JSON.stringify(rateLimit) } : {}) },
  });
  const [chunk] = (await once(child.stdout as NonNullable<ChildProcess['stdout']>, 'data')) as [Buffer];
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  return { url: chunk.toString().trim(), child, stop };
}
