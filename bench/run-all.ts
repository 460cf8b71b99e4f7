/**
 * npm run bench — every benchmark, one after the other (each in its own process, so none skews another),
 * then a one-line verdict per benchmark. Each writes its figures to reports/bench-<name>.json.
 */
import { spawnSync } from 'node:child_process';

const BENCHES = ['mock', 'generate', 'contracts', 'load', 'find-limit'] as const;
const results: { name: string; ok: boolean; seconds: number }[] = [];
for (const name of BENCHES) {
  process.stderr.write(`\n=== bench:${name} ===\n`);
  const t0 = Date.now();
  // bench:mock only fails on a missed goal with --check.
  const args = name === 'mock' ? ['--check'] : [];
  const run = spawnSync(process.execPath, [`bench/${name}.ts`, ...args], {
    stdio: 'inherit',
    env: process.env,
  });
  results.push({ name, ok: run.status === 0, seconds: (Date.now() - t0) / 1000 });
}
process.stdout.write('\n');
for (const r of results)
  process.stdout.write(
    `bench:${r.name}: ${r.ok ? 'goals met' : 'GOAL MISSED or failed'} (${r.seconds.toFixed(0)} s)\n`,
  );
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
