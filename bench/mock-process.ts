import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MockProcess, spawnMock } from '../src/mock/child.ts';
import { defaultTenantFile } from '../src/schema/default-tenant.ts';
import type { Tenant } from '../src/schema/tenant.ts';

/** The mock endpoint in its own process, with the default tenant's rate limit overridden (default: lifted). */
export async function startMockProcess(
  rateLimit: Partial<Tenant['rateLimit']> = { tps: 1_000_000 },
): Promise<MockProcess> {
  const file = defaultTenantFile();
  for (const t of file.tenants) t.rateLimit = { ...t.rateLimit, ...rateLimit };
  return spawnMock(file, mkdtempSync(join(tmpdir(), 'evkit-bench-mock-')));
}
