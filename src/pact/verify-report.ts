import { REPORT_VERSION, type RunReport, renderJunit, runReportSchema } from '../report/index.ts';
import type { VerifyReport } from './verify.ts';
import type { InteractionStatus } from './verify-result.ts';
import { COUNTS_AS_PASSED } from './verify-result.ts';

/** How each status reads in the text report. */
const MARK = {
  passed: 'ok  ',
  failed: 'FAIL',
  'state-failed': 'FAIL',
  'state-not-set': 'NOT VERIFIED',
  'pending-failed': 'pending',
} as const satisfies Record<InteractionStatus, string>;

/** The verification as text for people: one line per interaction, each problem and reproduction under it. */
export function renderVerifyText(report: VerifyReport): string {
  const lines = [
    `Verifying ${report.provider} at ${report.target.url} (${report.target.kind}), pacts: ${report.source}`,
  ];
  for (const i of report.interactions) {
    lines.push(`  ${MARK[i.status]} ${i.consumer}: ${i.description}`);
    for (const p of i.problems) lines.push(`         - ${p}`);
  }
  for (const p of report.problems) lines.push(`  FAIL ${p}`);
  if (report.reproductions.length > 0) {
    lines.push('', 'Reproduce (states first, then the request):');
    for (const r of report.reproductions) lines.push(`  # ${r.description}`, `  ${r.curl}`);
  }
  const count = (s: InteractionStatus) => report.interactions.filter((i) => i.status === s).length;
  lines.push(
    '',
    `${report.ok ? 'PASSED' : 'FAILED'}: ${count('passed')} passed, ${count('failed') + count('state-failed')} failed, ` +
      `${count('state-not-set')} not verified (state not settable), ${count('pending-failed')} pending failures ` +
      `of ${report.interactions.length} interactions`,
  );
  if (report.interactions.length === 0) lines.push('no interaction was verified: that is not a pass');
  return `${lines.join('\n')}\n`;
}

/** The verification in the toolkit's versioned report model (one check per interaction). */
export function verifyRunReport(report: VerifyReport): RunReport {
  return runReportSchema.parse({
    version: REPORT_VERSION,
    runId: `verify-${report.startedAt}`,
    kind: 'verify',
    title: `${report.provider} provider verification`,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    target: `${report.target.kind} ${report.target.url}`,
    seed: 0,
    config: { source: report.source, provider: report.provider },
    totals: { requests: report.interactions.length, byCode: {}, burst: 0, dropped: 0 },
    checks: [
      ...report.interactions.map((i) => ({
        name: `${i.consumer}: ${i.description}`,
        ok: COUNTS_AS_PASSED[i.status],
        detail: [i.status, ...i.problems].join('\n'),
      })),
      ...report.problems.map((p) => ({ name: 'loading the pacts', ok: false, detail: p })),
    ],
    failures: report.reproductions.map((r) => ({ description: r.description, curl: r.curl })),
    ok: report.ok,
  });
}

/** JUnit XML of a verification, for CI. */
export function renderVerifyJunit(report: VerifyReport): string {
  return renderJunit(verifyRunReport(report));
}
