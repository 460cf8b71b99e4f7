/**
 * Benchmark helper: the mock endpoint in its own process (its own core); prints its URL. Its first tenant's
 * rate limit comes from EVKIT_BENCH_RATE_LIMIT (JSON, merged over the tenant file's), else the limit is lifted.
 */
import { startMock } from '../src/mock/server.ts';
import { defaultTenantFile } from '../src/schema/default-tenant.ts';
import { rateLimitSchema } from '../src/schema/tenant.ts';

const file = defaultTenantFile();
const override = process.env.EVKIT_BENCH_RATE_LIMIT;
for (const t of file.tenants) {
  t.rateLimit = override
    ? rateLimitSchema.parse({ ...t.rateLimit, ...JSON.parse(override) })
    : { ...t.rateLimit, tps: 1_000_000 };
}
const mock = await startMock({ tenantFile: file });
process.stdout.write(`${mock.url}\n`);
process.once('SIGTERM', () => {
  void mock.close({ drainDeadlineMs: 500 }).then(() => process.exit(0));
});
