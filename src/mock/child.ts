import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EvkitError } from '../errors.ts';
import type { TenantFile } from '../schema/index.ts';

/** A mock endpoint running in a child process. */
export interface MockProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGTERM, then wait for it to drain and exit. */
  stop(): Promise<void>;
}

const CLI = fileURLToPath(new URL('../../bin/evkit.js', import.meta.url));

/**
 * Start `evkit mock` in its own process (its own core), so a load that measures it does not share an event
 * loop with it. The tenant file is written to `workDir`; the URL is the first line the mock prints.
 */
export async function spawnMock(tenantFile: TenantFile, workDir: string): Promise<MockProcess> {
  const file = join(workDir, 'mock-tenant.json');
  await writeFile(file, JSON.stringify(tenantFile));
  const child = spawn(process.execPath, [CLI, 'mock', '--tenant', file, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const stdout = child.stdout as NonNullable<ChildProcess['stdout']>;
  const first = await Promise.race([
    once(stdout, 'data').then(([chunk]) => String(chunk).split('\n')[0]?.trim()),
    once(child, 'exit').then(() => undefined),
  ]);
  if (!first?.startsWith('http')) {
    child.kill('SIGKILL');
    throw new EvkitError('E_INTERNAL', 'the mock endpoint process did not start', {
      details: { tenantFile: file },
    });
  }
  stdout.resume();
  return {
    url: first,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
