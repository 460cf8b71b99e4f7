/** bench:load helper: the mock endpoint in its own process (its own core), limit lifted; prints its URL. */
import { startMock } from '../src/mock/server.ts';
import { defaultTenantFile } from '../src/schema/default-tenant.ts';

const file = defaultTenantFile();
for (const t of file.tenants) t.rateLimit = { ...t.rateLimit, tps: 1_000_000 };
const mock = await startMock({ tenantFile: file });
process.stdout.write(`${mock.url}\n`);
process.once('SIGTERM', () => {
  void mock.close({ drainDeadlineMs: 500 }).then(() => process.exit(0));
});
