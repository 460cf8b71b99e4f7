import { describe, expect, it } from 'vitest';
import { sampleLoadReport } from '../../test/helpers/sample-report.ts';
import { renderJunit } from './junit.ts';
import { runReportSchema } from './model.ts';

const count = (xml: string, pattern: RegExp) => (xml.match(pattern) ?? []).length;

describe('renderJunit', () => {
  it('makes each threshold and check a test case, a failed one with a <failure>', () => {
    const report = sampleLoadReport({ leaky: true });
    const xml = renderJunit(report);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(xml).toMatch(
      /<testsuites name="evkit load: [^"]*" tests="5" failures="1" errors="0" time="60\.000">/,
    );
    expect(xml).toMatch(/<testsuite name="[^"]* · thresholds" tests="3" failures="1" /);
    expect(xml).toMatch(/<testsuite name="[^"]* · checks" tests="2" failures="0" /);
    expect(count(xml, /<testcase /g)).toBe(5);
    expect(xml).toContain(
      '<testcase name="accepted per second ≤ 315 (TPS 200 + burst band 100, +5%)" classname="evkit.load.rate-limit.thresholds" time="0">\n      <failure message="peak 375/s" type="thresholds">peak 375/s</failure>',
    );
    expect(count(xml, /<failure /g)).toBe(1);
    expect(xml).toContain('<property name="seed" value="42"/>');
    expect(xml).toContain('Failing cases (each with a curl line that reproduces it):');
  });

  it('has no <failure> when every verdict held', () => {
    const xml = renderJunit(sampleLoadReport());
    expect(xml).toMatch(/<testsuites [^>]* tests="5" failures="0"/);
    expect(xml).not.toContain('<failure');
  });

  it('escapes names, details and properties', () => {
    const report = runReportSchema.parse({
      ...sampleLoadReport(),
      target: 'http://127.0.0.1/?a=1&b="2"',
      thresholds: [{ name: `p95 < 200 & "fast" <'ok'>`, ok: false, detail: 'got ]]> \u0007 bell' }],
      checks: [],
      ok: false,
    });
    const xml = renderJunit(report);
    expect(xml).toContain('name="p95 &lt; 200 &amp; &quot;fast&quot; &lt;&apos;ok&apos;&gt;"');
    expect(xml).toContain('<failure message="got ]]&gt;  bell" type="thresholds">got ]]&gt;  bell</failure>');
    expect(xml).toContain('value="http://127.0.0.1/?a=1&amp;b=&quot;2&quot;"');
    expect(xml).not.toContain('\u0007');
  });

  it('fails a failed run whose verdicts all held, so CI never shows it green', () => {
    const report = runReportSchema.parse({ ...sampleLoadReport(), ok: false });
    const xml = renderJunit(report);
    expect(xml).toMatch(/<testsuites [^>]* tests="6" failures="1"/);
    expect(xml).toContain('<testcase name="run verdict" classname="evkit.load.rate-limit.run" time="0">');
  });

  it('writes empty suites for a run without thresholds or checks', () => {
    const report = runReportSchema.parse({
      ...sampleLoadReport(),
      thresholds: [],
      checks: [],
      script: undefined,
    });
    const xml = renderJunit(report);
    expect(xml).toMatch(/<testsuites [^>]* tests="0" failures="0"/);
    expect(count(xml, /<testsuite /g)).toBe(2);
  });
});
