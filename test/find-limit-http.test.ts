/**
 * One search of `evkit find-limit` over real HTTP: the embedded mock in its own process, probes that are runs of
 * the harness engine. The other find-limit cases run on the search's virtual clock (find-limit.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runEvkit } from './helpers/cli.ts';
import { embeddedMockFindings, reportOf } from './helpers/find-limit.ts';

const dir = mkdtempSync(join(tmpdir(), 'evkit-find-limit-http-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real search runs a dozen engine runs of 1.5–6 s, each with its start-up: minutes on a busy machine. */
const SEARCH_TIMEOUT_MS = 240_000;

describe('evkit find-limit against the mock endpoint (real HTTP, harness engine)', () => {
  it(
    'TPS 100, burst true, fixed window',
    async () => {
      const tps = 100;
      const r = await runEvkit(
        ['find-limit', '--tps', String(tps), '--window', 'fixed', '--reports-dir', dir, '--burst'],
        { timeoutMs: SEARCH_TIMEOUT_MS },
      );
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
      const report = reportOf(r.stdout);
      const f = embeddedMockFindings(report, r.stdout, { tps, burst: true, window: 'fixed' });
      // The search's own test time is the sum of its runs; the wall time, reported apart, adds their start-ups.
      expect(f.wallTimeMs).toBeGreaterThan(f.testTimeMs);
      // Progress while a probe runs, not only after it.
      expect(r.stderr).toMatch(/^ {4}saturation \d+\/s: \d+ s, sent \d+/m);
    },
    SEARCH_TIMEOUT_MS,
  );
});
