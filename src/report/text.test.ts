import { describe, expect, it } from 'vitest';
import { sampleLoadReport } from '../../test/helpers/sample-report.ts';
import { DESCRIPTION } from '../schema/catalog.ts';
import { BURST_LABEL } from '../schema/fidelity.ts';
import { runReportSchema } from './model.ts';
import { renderTextSummary } from './text.ts';

describe('renderTextSummary', () => {
  it('gives the verdict, the codes that occurred with counts and shares, markers and latency', () => {
    const report = sampleLoadReport();
    const text = renderTextSummary(report);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`✔ PASSED  ${report.title}`);
    expect(lines[1]).toBe(
      'evkit load · rate-limit · engine harness · target http://127.0.0.1:8080/resources/v1/events/externalevent · seed 42 · 60.0 s',
    );
    const accepted = report.totals.byCode['1002'] ?? 0;
    expect(text).toMatch(new RegExp(`1002 Queued +${accepted.toLocaleString('en-US')} +\\d+\\.\\d%`));
    expect(text).toContain(`of which “${DESCRIPTION.queuedInBurstMode}” (${BURST_LABEL})`);
    expect(text).toMatch(/7020 You have reached maximum transaction limit +\d[\d,]* +\d+\.\d%/);
    expect(text).toMatch(/7004 Invalid parameters\/values/);
    expect(text).not.toContain('7001');
    expect(text).toContain(`markers: 7020 onset at ${report.markers[0]?.t} s`);
    expect(text).toMatch(/ {2}accepted +[\d,]+ +3\.6 /);
    expect(text).toContain('thresholds: 3/3 ok');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('marks failed verdicts and lists failing cases with their curl lines', () => {
    const text = renderTextSummary(sampleLoadReport({ leaky: true }));
    expect(text.startsWith('✘ FAILED')).toBe(true);
    expect(text).toContain('thresholds: 2/3 ok');
    expect(text).toMatch(/✘ FAIL {2}accepted per second ≤ 315 .* — peak 375\/s/);
    expect(text).toContain('failing cases: 1');
    expect(text).toMatch(/\n {4}curl -sS -X POST /);
  });

  it('says so when there were no responses', () => {
    const report = runReportSchema.parse({
      ...sampleLoadReport(),
      totals: { requests: 0, byCode: {}, burst: 0, dropped: 0 },
      latency: undefined,
    });
    expect(renderTextSummary(report)).toContain('  no responses');
  });
});
