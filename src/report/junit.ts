import { escapeXml as x } from './escape.ts';
import type { RunReport, Verdict } from './model.ts';

/** The suites of a JUnit report: one per kind of verdict, each verdict a test case. */
const SUITES = {
  thresholds: (r: RunReport) => r.thresholds,
  checks: (r: RunReport) => r.checks,
} as const satisfies Record<string, (r: RunReport) => readonly Verdict[]>;

/** The class name CI groups the cases under, e.g. `evkit.load.rate-limit.thresholds`. */
function className(report: RunReport, suite: string): string {
  return ['evkit', report.kind, report.script, suite].filter((p) => p !== undefined).join('.');
}

function testcase(report: RunReport, suite: string, v: Verdict): string {
  const open = `    <testcase name="${x(v.name)}" classname="${x(className(report, suite))}" time="0"`;
  return v.ok
    ? `${open}>\n      <system-out>${x(v.detail)}</system-out>\n    </testcase>`
    : `${open}>\n      <failure message="${x(v.detail)}" type="${x(suite)}">${x(v.detail)}</failure>\n    </testcase>`;
}

function properties(report: RunReport): string {
  const props: [string, string | undefined][] = [
    ['runId', report.runId],
    ['kind', report.kind],
    ['engine', report.engine],
    ['script', report.script],
    ['target', report.target],
    ['seed', String(report.seed)],
    ['reportVersion', String(report.version)],
  ];
  return `    <properties>\n${props
    .filter((p): p is [string, string] => p[1] !== undefined)
    .map(([k, v]) => `      <property name="${x(k)}" value="${x(v)}"/>`)
    .join('\n')}\n    </properties>`;
}

function failingCasesOut(report: RunReport): string {
  if (report.failures.length === 0) return '';
  const text = report.failures.map((f) => `${f.description}\n  ${f.curl}`).join('\n');
  return `\n    <system-out>Failing cases (each with a curl line that reproduces it):\n${x(text)}</system-out>`;
}

interface Suite {
  readonly name: string;
  readonly cases: readonly string[];
  readonly failures: number;
  readonly extra: string;
}

/** A failed run whose thresholds and checks all held (say, only failing cases) still gets a red case, or CI would show it green. */
function runSuite(report: RunReport): Suite[] {
  const anyFailed = [...report.thresholds, ...report.checks].some((v) => !v.ok);
  if (report.ok || anyFailed) return [];
  const message = `the run failed (${report.failures.length} failing cases) though no threshold or check failed`;
  const kase = `    <testcase name="run verdict" classname="${x(className(report, 'run'))}" time="0">\n      <failure message="${x(message)}" type="run">${x(message)}</failure>\n    </testcase>`;
  return [{ name: 'run', cases: [kase], failures: 1, extra: '' }];
}

/** Render a run's thresholds and checks as a JUnit XML report (one suite each; a failed verdict is a <failure>). */
export function renderJunit(report: RunReport): string {
  const seconds = (report.durationMs / 1000).toFixed(3);
  const suites: Suite[] = [
    ...Object.entries(SUITES).map(([name, pick]) => {
      const verdicts = pick(report);
      return {
        name,
        cases: verdicts.map((v) => testcase(report, name, v)),
        failures: verdicts.filter((v) => !v.ok).length,
        extra: name === 'checks' ? failingCasesOut(report) : '',
      };
    }),
    ...runSuite(report),
  ];
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + s.failures, 0);
  const body = suites
    .map(
      (s) =>
        `  <testsuite name="${x(`${report.title} · ${s.name}`)}" tests="${s.cases.length}" failures="${s.failures}" errors="0" skipped="0" time="${seconds}" timestamp="${x(report.startedAt)}">\n${properties(report)}\n${s.cases.join('\n')}${s.extra}\n  </testsuite>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="${x(`evkit ${report.kind}: ${report.title}`)}" tests="${tests}" failures="${failures}" errors="0" time="${seconds}">
${body}
</testsuites>
`;
}
