import { describe, expect, it } from 'vitest';
import { sampleLoadReport } from '../../test/helpers/sample-report.ts';
import { CATALOG, DESCRIPTION, RESPONSE_CODES } from '../schema/catalog.ts';
import { BURST_LABEL } from '../schema/fidelity.ts';
import type { ChartSpec } from './charts.ts';
import { CHARTS_JSON_ID, REPORT_JSON_ID, renderReportHtml } from './html.ts';
import { type RunReport, runReportSchema } from './model.ts';

const ASSETS = { uplotJs: '/*UPLOT-JS*/ window.uPlot = {};', uplotCss: '.uplot{/*UPLOT-CSS*/}' };

/** The text content of the JSON script element with this id, parsed. */
function embedded(html: string, id: string): unknown {
  const match = new RegExp(`<script type="application/json" id="${id}">([^<]*)</script>`).exec(html);
  if (match?.[1] === undefined) throw new Error(`no ${id} in the page`);
  return JSON.parse(match[1]);
}

const HOSTILE = '</script><img src=x onerror="alert(1)">&amp;';

function hostileReport(): RunReport {
  const base = sampleLoadReport({ leaky: true });
  return runReportSchema.parse({
    ...base,
    title: `title ${HOSTILE}`,
    config: { note: HOSTILE },
    markers: [{ t: 27, label: `onset ${HOSTILE}` }],
    thresholds: [{ name: `threshold ${HOSTILE}`, ok: false, detail: `detail ${HOSTILE}` }],
    failures: [{ description: `case ${HOSTILE}`, curl: `curl -d '${HOSTILE}'` }],
    sections: [{ title: `section ${HOSTILE}`, text: HOSTILE, charts: [] }],
  });
}

describe('renderReportHtml', () => {
  it('escapes every report string, in content, attributes and the embedded JSON', () => {
    const report = hostileReport();
    const html = renderReportHtml(report, ASSETS);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror="');
    expect(html.match(/<\/script>/g)).toHaveLength(4);
    expect(html).toContain('title &lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;amp;');
    expect(embedded(html, REPORT_JSON_ID)).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('lists every response code of the catalog in the totals, with its count and meaning', () => {
    const report = sampleLoadReport();
    const html = renderReportHtml(report, ASSETS);
    for (const code of [...RESPONSE_CODES, 'other' as const]) {
      const count = report.totals.byCode[code] ?? 0;
      const row = new RegExp(
        `<tr[^>]*><th scope="row">[^<]*<span[^>]*></span>${code}</th><td>([^<]*)</td><td class="num">([^<]*)</td>`,
      );
      const match = row.exec(html);
      expect(match, code).not.toBeNull();
      expect(match?.[2]).toBe(count.toLocaleString('en-US'));
      if (code !== 'other') expect(match?.[1]).toBe(CATALOG[code].message.replace(/'/g, '&#39;'));
    }
    expect(html).toContain(`of which “${DESCRIPTION.queuedInBurstMode}” (${BURST_LABEL})`);
  });

  it('shows the verdict, failed thresholds and the curl line of each failing case', () => {
    const failed = renderReportHtml(sampleLoadReport({ leaky: true }), ASSETS);
    expect(failed).toContain('<section class="verdict fail" role="status" aria-label="Verdict: FAILED">');
    expect(failed).toMatch(/<span class="badge fail">fail<\/span><\/td><td>accepted per second ≤ 315/);
    expect(failed).toMatch(/<pre><code>curl -sS -X POST &#39;http:\/\/127\.0\.0\.1:8080/);
    const passed = renderReportHtml(sampleLoadReport(), ASSETS);
    expect(passed).toContain('<section class="verdict ok" role="status" aria-label="Verdict: PASSED">');
    expect(passed).not.toContain('badge fail');
    expect(passed).toContain('No failing cases.');
  });

  it('embeds one chart spec per figure: timeline, latency and section charts', () => {
    const html = renderReportHtml(sampleLoadReport(), ASSETS);
    const specs = embedded(html, CHARTS_JSON_ID) as ChartSpec[];
    expect(specs.map((s) => s.title)).toEqual([
      'Responses per second by code',
      'Arrivals per second: target, sent, dropped',
      'Latency percentiles',
      'Accepted vs offered',
    ]);
    expect([...html.matchAll(/<figure class="chart" data-chart="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([
      0, 1, 2, 3,
    ]);
    expect(html).toContain('<li>7020 onset at 27 seconds since start</li>');
  });

  it('is self-contained: assets inlined, nothing fetched, a policy that forbids fetching', () => {
    const html = renderReportHtml(sampleLoadReport(), {
      uplotJs: 'var evil = "</script>";',
      uplotCss: '.x{content:"</style>"}',
    });
    expect(html).toContain('var evil = "<\\/script>";');
    expect(html).toContain('.x{content:"<\\/style>"}');
    expect(html).not.toMatch(/<(script|img|link|iframe)[^>]+(src|href)=/);
    expect(html).toContain(`content="default-src 'none';`);
  });

  it('renders a run without series or latency (a contract run) without charts', () => {
    const base = sampleLoadReport();
    const html = renderReportHtml(
      runReportSchema.parse({
        ...base,
        kind: 'contracts',
        series: undefined,
        latency: undefined,
        sections: [],
      }),
      ASSETS,
    );
    expect(embedded(html, CHARTS_JSON_ID)).toEqual([]);
    expect(html).not.toContain('<figure');
    expect(html).not.toContain('id="h-latency"');
  });

  it('shows the configuration for people: no unset settings, no raw JSON (issue 14, item 10)', () => {
    const html = renderReportHtml(
      runReportSchema.parse({
        ...sampleLoadReport(),
        config: { onProbe: undefined, maxRate: 5000, mock: { tps: 100, burst: true }, phases: [0.5, 0] },
      }),
      ASSETS,
    );
    const table = /<caption>Configuration<\/caption>([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
    expect(table).not.toContain('onProbe');
    expect(table).not.toContain('undefined');
    const cells = [...table.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(cells).toHaveLength(3);
    for (const cell of cells) expect(cell).not.toMatch(/[{}[\]]|&quot;/);
    expect(table).toContain('<th scope="row">mock</th><td>tps 100 · burst true</td>');
    expect(table).toContain('<td>0.5, 0</td>');
  });
});
