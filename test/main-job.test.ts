import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runEvkit } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'evkit-main-job-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('evkit start (the main job of npm start)', () => {
  it('runs contracts, verification, throughput and rate-limit against the embedded mock and links the reports', async () => {
    const reports = join(dir, 'reports');
    const r = await runEvkit(['start', '--reports-dir', reports, '--pacts-dir', join(dir, 'pacts')], {
      timeoutMs: 180_000,
    });
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    // Redirected (pipes): no escape codes, no dependency warnings, no verifier transcript (issue 14, item 4).
    for (const text of [r.stdout, r.stderr]) {
      expect(text).not.toContain('\u001b[');
      expect(text).not.toMatch(/DeprecationWarning|ERROR ThreadId|Verifying a pact between/);
    }
    for (const step of ['contracts', 'verify', 'throughput', 'rate-limit'])
      expect(r.stdout).toMatch(new RegExp(`${step}\\s+passed`));
    const runs = readdirSync(reports).filter((d) => existsSync(join(reports, d, 'summary.json')));
    const kinds = runs.map(
      (d) =>
        JSON.parse(readFileSync(join(reports, d, 'summary.json'), 'utf8')) as { kind: string; ok: boolean },
    );
    expect(kinds.map((k) => k.kind).sort()).toEqual(['contracts', 'load', 'load', 'verify']);
    expect(kinds.every((k) => k.ok)).toBe(true);
    const index = readFileSync(join(reports, 'index.html'), 'utf8');
    for (const run of runs) expect(index).toContain(run);
  });
});
