import { describe, expect, it } from 'vitest';
import { simulatedProbe } from '../../test/helpers/simulate.ts';
import { createRateLimiter } from '../mock/rate-limiter.ts';
import { runReportSchema } from '../report/model.ts';
import { acceptedVsOfferedChart, findLimitChart, findLimitReport, findLimitText } from './report.ts';
import { DEFAULT_FIND_LIMIT_OPTIONS, findLimit } from './search.ts';

async function search(tps: number, burst: boolean) {
  const limiter = createRateLimiter([
    { id: 't', rateLimit: { tps, burst, window: 'fixed', countBy: 'requests' } },
  ]);
  return findLimit(
    simulatedProbe((now) => limiter.admitAt('t', 1, now)),
    DEFAULT_FIND_LIMIT_OPTIONS,
  );
}

describe('the find-limit pictures (issue 14, item 10)', () => {
  it('accepted against offered: the knee at the limit, the burst plateau, the found values as lines', async () => {
    const r = await search(200, true);
    const chart = acceptedVsOfferedChart(r);
    const [accepted, queued] = chart.lines;
    expect(chart.x).toEqual([...chart.x].sort((a, b) => a - b));
    // Below the limit accepted = offered; above it, 300 (TPS + band) accepted and 200 queued.
    chart.x.forEach((offered, i) => {
      if (offered <= 280) expect(accepted?.values[i]).toBeCloseTo(offered, -1);
      if (offered >= 400) {
        expect(accepted?.values[i]).toBe(300);
        expect(queued?.values[i]).toBe(200);
      }
    });
    expect(chart.lines.map((l) => [l.label, l.style])).toEqual([
      ['accepted (1002) per second', 'points'],
      ['of which Queued', 'points'],
      ['accepted = offered (no rejections)', 'dashed'],
      ['found provisioned rate 200/s ± 1', 'line'],
      ['provisioned − 1', 'dashed'],
      ['provisioned + 1', 'dashed'],
      ['found limit (provisioned + burst band) 300/s ± 2', 'line'],
      ['limit − 2', 'dashed'],
      ['limit + 2', 'dashed'],
    ]);
    expect(chart.lines[3]?.values.every((v) => v === 200)).toBe(true);
  });

  it('the timeline draws no second a probe covered only in part (no probe "decays" at its end)', async () => {
    const r = await search(200, true);
    const chart = findLimitChart(r);
    const sent = chart.lines[0]?.values ?? [];
    // Probes are drawn one after another, a gap (null) between them.
    const segments: number[][] = [[]];
    for (const v of sent) {
      if (v === null) segments.push([]);
      else segments[segments.length - 1]?.push(v);
    }
    r.probes.forEach((p, k) => {
      const lowest = Math.min(p.plan.rate, p.plan.backOff?.rate ?? p.plan.rate);
      const drawn = segments[k] ?? [];
      expect(drawn.length, p.plan.label).toBeGreaterThan(0);
      // A second the probe covered only in part would show far less than its lowest stage rate.
      for (const v of drawn) expect(v, p.plan.label).toBeGreaterThanOrEqual(lowest * 0.9);
    });
  });

  it('the report validates, names its target and keeps wall time apart from test time', async () => {
    const r = await search(100, false);
    const input = findLimitReport(r, {
      runId: '20260101T000000000Z-find-limit-x',
      startedAt: '2026-01-01T00:00:00.000Z',
      target: 'http://127.0.0.1:40000',
      targetLabel: 'the embedded mock',
      engine: 'harness',
      seed: 1,
      wallTimeMs: 51_000,
      config: { maxRate: 5000 },
    });
    const report = runReportSchema.parse(input);
    expect(report.title).toBe('Rate-limit characterisation of the embedded mock');
    expect(report.durationMs).toBe(r.testTimeMs);
    expect(report.findings).toMatchObject({ wallTimeMs: 51_000, testTimeMs: r.testTimeMs, consistent: true });
    expect(findLimitText(r, { wallTimeMs: 51_000 })).toMatch(/^wall time: 51\.0 s /m);
  });
});
