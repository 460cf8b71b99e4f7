/** What the find-limit tests read of a search's report, from its output. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { burstBand } from '../../src/schema/catalog.ts';

export interface Summary {
  title: string;
  findings: Record<string, unknown>;
  config: Record<string, unknown>;
  checks: { name: string; ok: boolean; detail: string }[];
  sections: { charts: { title: string; lines: { label: string }[] }[] }[];
  ok: boolean;
  durationMs: number;
}

export function reportOf(stdout: string): Summary {
  const html = /report: (.*report\.html)/.exec(stdout)?.[1];
  if (!html) throw new Error(`no report path in:\n${stdout}`);
  return JSON.parse(readFileSync(html.replace(/report\.html$/, 'summary.json'), 'utf8'));
}

/** What a search against the embedded mock reports, whichever engine ran its probes. */
export function embeddedMockFindings(
  report: Summary,
  stdout: string,
  mock: { tps: number; burst: boolean; window: 'fixed' | 'sliding' },
) {
  const { tps, burst, window } = mock;
  const f = report.findings as {
    provisioned: { value: number };
    burstBand: { value: number };
    window: string;
    testTimeMs: number;
    wallTimeMs: number;
  };
  const band = burst ? burstBand(tps) : 0;
  expect(Math.abs(f.provisioned.value - tps)).toBeLessThanOrEqual(tps * 0.03);
  expect(Math.abs(f.burstBand.value - band)).toBeLessThanOrEqual(band * 0.1 + 1);
  expect(f.window).toBe(window === 'fixed' ? 'fixed-aligned' : 'sliding-or-unaligned');
  // The search's own test time, from its report: the sum of its runs; wall time is reported apart.
  expect(report.durationMs).toBe(f.testTimeMs);
  expect(f.testTimeMs).toBeLessThanOrEqual(60_000);
  expect(stdout).toMatch(/^search test time: [\d.]+ s in \d+ probes/m);
  expect(stdout).toMatch(/^wall time: [\d.]+ s \(/m);
  // Against the embedded mock its own settings are the contract, and it honours them.
  expect(report.checks.filter((c) => c.name.startsWith('the tenant')).map((c) => c.ok)).toEqual([true, true]);
  // The title names the embedded mock, the config table holds settings, not a callback.
  expect(report.title).toBe('Rate-limit characterisation of the embedded mock');
  expect(Object.keys(report.config)).not.toContain('onProbe');
  expect(report.config).toMatchObject({ target: 'embedded mock', mockTps: tps, mockBurst: burst });
  // The accepted-vs-offered chart with the found rate, beside the timeline.
  const charts = report.sections[0]?.charts ?? [];
  expect(charts.map((c) => c.title)).toEqual([
    'Accepted per second against offered per second, one point per probe',
    'Find-limit probes: answers per wall-clock second',
  ]);
  expect(charts[0]?.lines.map((l) => l.label)).toContain(
    `found provisioned rate ${f.provisioned.value}/s ± ${(report.findings.provisioned as { uncertainty: number }).uncertainty}`,
  );
  return f;
}
