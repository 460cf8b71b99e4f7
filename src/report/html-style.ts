/** The report pages' stylesheet (run report and index): system fonts, readable tables, AA contrast. */
export const REPORT_CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #57606a; --line: #d0d7de; --bg-soft: #f6f8fa;
  --ok: #1a7f37; --ok-bg: #dafbe1; --fail: #cf222e; --fail-bg: #ffebe9; --link: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg); background: #fff; }
a { color: var(--link); }
a:focus-visible, button:focus-visible, summary:focus-visible { outline: 2px solid var(--link); outline-offset: 2px; }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 20px; }
h1 { font-size: 1.6rem; margin: 4px 0 2px; }
h2 { font-size: 1.2rem; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 20px 0 8px; }
.crumbs, .meta, footer { color: var(--muted); font-size: .9rem; }
.crumbs { margin: 0; }
.meta { margin: 0 0 12px; }
code, pre, .num { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.verdict { display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: center; border-radius: 8px; padding: 14px 18px; margin: 12px 0 4px;
  border: 1px solid; }
.verdict.ok { background: var(--ok-bg); border-color: var(--ok); }
.verdict.fail { background: var(--fail-bg); border-color: var(--fail); }
.verdict strong { font-size: 1.35rem; letter-spacing: .02em; }
.verdict.ok strong { color: var(--ok); }
.verdict.fail strong { color: var(--fail); }
.verdict ul { margin: 2px 0; padding-left: 18px; }
.verdict p { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: .92rem; }
caption { text-align: left; color: var(--muted); padding: 0 0 4px; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); vertical-align: top; text-align: left; }
thead th { background: var(--bg-soft); font-weight: 600; }
tbody th { font-weight: 500; }
tr.zero td, tr.zero th { color: var(--muted); }
.run { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(320px, 100%), 1fr)); gap: 0 24px;
  align-items: start; }
.run td { overflow-wrap: anywhere; }
.run table { margin: 0; }
.run th { width: 38%; color: var(--muted); font-weight: 500; }
.swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px; margin-right: 6px;
  vertical-align: -.05em; }
.badge { display: inline-block; min-width: 3em; text-align: center; border-radius: 999px; padding: 0 8px;
  font-size: .8rem; font-weight: 600; border: 1px solid; }
.badge.ok { color: var(--ok); background: var(--ok-bg); border-color: var(--ok); }
.badge.fail { color: var(--fail); background: var(--fail-bg); border-color: var(--fail); }
figure.chart { margin: 12px 0 24px; padding: 12px 12px 4px; border: 1px solid var(--line); border-radius: 8px; }
figure.chart figcaption { font-weight: 600; margin-bottom: 6px; }
figure.chart figcaption small { font-weight: 400; color: var(--muted); margin-left: 8px; }
figure.chart .plot { min-height: 120px; width: 100%; }
figure.chart-error .plot { color: var(--fail); }
ul.markers { margin: 4px 0 6px; padding-left: 18px; color: var(--muted); font-size: .9rem; }
.failure { margin: 8px 0 16px; }
.failure pre { background: var(--bg-soft); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px;
  overflow-x: auto; white-space: pre-wrap; word-break: break-all; font-size: .85rem; margin: 4px 0 0; }
.section-text { white-space: pre-wrap; }
td.detail, .failure p { white-space: pre-line; }
.empty { color: var(--muted); font-style: italic; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
td.report { min-width: 22em; }
td.report small { color: var(--muted); word-break: break-all; }
footer { margin-top: 40px; padding-bottom: 24px; }
.uplot { font-family: inherit; }
.u-legend { font-size: .85rem; }
@media print { figure.chart, .failure { break-inside: avoid; } }
`;
