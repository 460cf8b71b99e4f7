import { escapeHtml as h } from './escape.ts';
import { formatDuration } from './format.ts';
import { REPORT_CSS } from './html-style.ts';

/** One run folder as the index lists it; fields a summary lacks (older, newer or broken) stay undefined. */
export interface IndexEntry {
  /** The folder's name under the reports directory. */
  readonly dir: string;
  readonly runId?: string;
  readonly kind?: string;
  readonly title?: string;
  readonly startedAt?: string;
  readonly durationMs?: number;
  readonly target?: string;
  readonly ok?: boolean;
  readonly version?: number;
  /** Files present in the folder, linked from the index. */
  readonly files: readonly string[];
  /** Why the summary could not be read in full, if it could not. */
  readonly problem?: string;
}

/** Newest first; runs without a start time (unreadable summaries) go last, by folder name. */
function newestFirst(a: IndexEntry, b: IndexEntry): number {
  if ((a.startedAt === undefined) !== (b.startedAt === undefined)) return a.startedAt === undefined ? 1 : -1;
  return (b.startedAt ?? '').localeCompare(a.startedAt ?? '') || b.dir.localeCompare(a.dir);
}

function verdictCell(e: IndexEntry): string {
  if (e.ok === undefined) return '<td><span class="badge">?</span></td>';
  return `<td><span class="badge ${e.ok ? 'ok' : 'fail'}">${e.ok ? 'passed' : 'failed'}</span></td>`;
}

function row(e: IndexEntry): string {
  const base = encodeURIComponent(e.dir);
  const title = e.files.includes('report.html')
    ? `<a href="${base}/report.html">${h(e.title ?? e.dir)}</a>`
    : h(e.title ?? e.dir);
  const links = e.files.map((f) => `<a href="${base}/${encodeURIComponent(f)}">${h(f)}</a>`).join(' · ');
  const problem = e.problem === undefined ? '' : `<br><small class="empty">${h(e.problem)}</small>`;
  const target = e.target === undefined ? '' : `<br><small>target <code>${h(e.target)}</code></small>`;
  return `<tr>
<td class="num">${h(e.startedAt ?? '')}</td>
<td>${h(e.kind ?? '')}</td>
<td class="report">${title}${problem}<br><small>run <code>${h(e.runId ?? e.dir)}</code></small>${target}</td>
${verdictCell(e)}
<td class="num">${e.durationMs === undefined ? '' : h(formatDuration(e.durationMs))}</td>
<td>${links}</td>
</tr>`;
}

/** Render the reports index: every run, newest first, linking its report, summary and JUnit file. */
export function renderReportsIndexHtml(entries: readonly IndexEntry[]): string {
  const sorted = [...entries].sort(newestFirst);
  const failed = sorted.filter((e) => e.ok === false).length;
  const body =
    sorted.length === 0
      ? '<p class="empty">No reports yet. Every evkit run writes one into a folder next to this page.</p>'
      : `<table>
<caption>${sorted.length} runs, ${failed} failed; newest first.</caption>
<thead><tr><th scope="col">Started</th><th scope="col">Kind</th><th scope="col">Report</th><th scope="col">Verdict</th><th scope="col" class="num">Duration</th><th scope="col">Files</th></tr></thead>
<tbody>
${sorted.map(row).join('\n')}
</tbody></table>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<title>evkit reports</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header><h1>evkit reports</h1><p class="meta">Load, find-limit, contract and verification runs.</p></header>
<main>
${body}
</main>
</body>
</html>
`;
}
