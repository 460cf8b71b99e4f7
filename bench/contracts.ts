/**
 * `npm run bench:contracts`: the wall time a CI job spends on the contracts, as a user runs them:
 *   1. `evkit contracts --out <tmp>` (the consumer suite through vitest, writing the pacts);
 *   2. `evkit verify --pact <tmp>` (provider verification against the embedded mock).
 * Each as its own process, in rounds; the faulty-provider and broker tests are not part of it. Goal: consumer
 * suite + verification <= 10 s. Results: a table on stdout, reports/bench-contracts.json. Flags: --rounds <n>
 * (default 3), --check (exit 1 when the goal is missed by the median). A benchmark, not a test: figures vary with
 * the machine and its load.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../src/stats/statistics.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const GOAL_MS = 10_000;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i === -1 ? undefined : Number(process.argv[i + 1]);
  return v !== undefined && Number.isInteger(v) && v > 0 ? v : fallback;
}

/** Run `evkit <args>` and return its wall time; a failing run stops the benchmark (a broken suite has no time). */
function timed(args: readonly string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin/evkit.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, PACT_DO_NOT_TRACK: 'true', SCARF_ANALYTICS: 'false' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      if (code === 0) resolve(performance.now() - started);
      else reject(new Error(`evkit ${args.join(' ')} exited ${code}:\n${stderr.slice(-2000)}`));
    });
  });
}

async function main(): Promise<void> {
  const rounds = flag('rounds', 3);
  const dir = mkdtempSync(join(os.tmpdir(), 'evkit-bench-contracts-'));
  const rows: { consumerMs: number; verifyMs: number; totalMs: number }[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const out = join(dir, `pacts-${r}`);
      const consumerMs = await timed(['contracts', '--out', out]);
      const verifyMs = await timed(['verify', '--pact', out]);
      rows.push({ consumerMs, verifyMs, totalMs: consumerMs + verifyMs });
      process.stderr.write(`round ${r + 1}/${rounds}: ${((consumerMs + verifyMs) / 1000).toFixed(2)} s\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const pick = (k: 'consumerMs' | 'verifyMs' | 'totalMs') => rows.map((r) => r[k]);
  const summary = {
    consumerMs: { median: median(pick('consumerMs')) ?? 0, best: Math.min(...pick('consumerMs')) },
    verifyMs: { median: median(pick('verifyMs')) ?? 0, best: Math.min(...pick('verifyMs')) },
    totalMs: { median: median(pick('totalMs')) ?? 0, best: Math.min(...pick('totalMs')) },
  };
  const goalMet = summary.totalMs.median <= GOAL_MS;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  process.stdout.write(
    [
      `contracts benchmark (${rounds} rounds, ${os.cpus().length} cpus, node ${process.version})`,
      `  consumer suite (evkit contracts)   median ${s(summary.consumerMs.median)}  best ${s(summary.consumerMs.best)}`,
      `  verification vs mock (evkit verify) median ${s(summary.verifyMs.median)}  best ${s(summary.verifyMs.best)}`,
      `  total                               median ${s(summary.totalMs.median)}  best ${s(summary.totalMs.best)}  goal <= ${s(GOAL_MS)}: ${goalMet ? 'met' : 'MISSED'}`,
      '',
    ].join('\n'),
  );
  mkdirSync(join(ROOT, 'reports'), { recursive: true });
  writeFileSync(
    join(ROOT, 'reports', 'bench-contracts.json'),
    `${JSON.stringify({ bench: 'contracts', at: new Date().toISOString(), rounds: rows, summary, goalMs: GOAL_MS, goalMet }, null, 2)}\n`,
  );
  if (process.argv.includes('--check') && !goalMet) process.exitCode = 1;
}

await main();
