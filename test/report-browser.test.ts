import { access, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLimitReport } from '../src/limit/report.ts';
import { DEFAULT_FIND_LIMIT_OPTIONS, findLimit } from '../src/limit/search.ts';
import { runLoad } from '../src/load/run.ts';
import { startMock } from '../src/mock/server.ts';
import { CODE_COLOUR, SERIES_COLOUR } from '../src/report/colours.ts';
import type { RunReportInput } from '../src/report/model.ts';
import { type WrittenReport, writeRunReport } from '../src/report/write.ts';
import { burstBand, EVENT_PATH } from '../src/schema/catalog.ts';
import { LIMITER_FIXTURES } from './fixtures/limiters.ts';
import { ROOT } from './helpers/cli.ts';
import { simulatedProbe } from './helpers/simulate.ts';

const TPS = 100;
const LIMIT = TPS + burstBand(TPS);
const SECONDS = 60;

/** A 60 s throughput ramp from 50 to 250 req/s against TPS 100: burst mode from 100/s, 7020 from 150/s. */
function rampReport(runId: string, startedAt: string): RunReportInput {
  const t = Array.from({ length: SECONDS }, (_, i) => i);
  const targetRate = t.map((i) => Math.round(50 + (200 * i) / (SECONDS - 1)));
  const authFailed = t.map((i) => (i < 5 ? 2 : 0));
  const accepted = targetRate.map((r, i) => Math.min(r - (authFailed[i] ?? 0), LIMIT));
  const burst = accepted.map((a) => Math.max(0, a - TPS));
  const limited = targetRate.map((r, i) => r - (authFailed[i] ?? 0) - (accepted[i] ?? 0));
  const onset = limited.findIndex((v) => v > 0);
  const total = (values: number[]) => values.reduce((a, v) => a + v, 0);
  const p = (count: number, base: number) => ({
    count,
    min: base / 3,
    avg: base,
    p50: base,
    p90: 2 * base,
    p95: 3 * base,
    p99: 5 * base,
    max: 12 * base,
  });
  return {
    version: 1,
    runId,
    kind: 'load',
    title: 'throughput ramp 50 → 250 req/s against TPS 100',
    startedAt,
    durationMs: SECONDS * 1000,
    engine: 'harness',
    script: 'throughput',
    target: `http://127.0.0.1:9${EVENT_PATH}`,
    seed: 7,
    config: { tps: TPS, burst: true, rate: '50..250', eventsPerRequest: 1 },
    totals: {
      requests: total(targetRate),
      byCode: { '1002': total(accepted), '7001': total(authFailed), '7020': total(limited) },
      burst: total(burst),
      dropped: 0,
    },
    series: {
      t,
      byCode: { '1002': accepted, '7001': authFailed, '7020': limited },
      burst,
      sent: targetRate,
      dropped: t.map(() => 0),
      targetRate,
    },
    latency: {
      overall: p(total(targetRate), 4),
      accepted: p(total(accepted), 5),
      rejected: p(total(limited), 2),
    },
    markers: [{ t: onset, label: '7020 onset' }],
    thresholds: [
      { name: 'rate_7020 < 1%', ok: false, detail: `${total(limited)} of ${total(targetRate)}` },
      { name: 'p(95) < 200 ms', ok: true, detail: 'p(95) = 15 ms' },
    ],
    checks: [{ name: '7020 starts above TPS + burst band', ok: true, detail: `onset at ${onset} s` }],
    sections: [
      {
        title: 'Accepted by offered rate',
        text: 'Accepted per second against the offered rate.',
        charts: [
          {
            title: 'Accepted vs offered',
            xLabel: 'offered req/s',
            yLabel: 'accepted req/s',
            x: targetRate,
            lines: [{ label: 'accepted', values: accepted }],
            markers: [{ x: LIMIT, label: 'TPS + burst band' }],
          },
        ],
      },
    ],
    failures: [{ description: '7020 above the limit', curl: `curl -sS 'http://127.0.0.1:9${EVENT_PATH}'` }],
    ok: false,
  };
}

const ONSET = rampReport('x', 'x').markers?.[0]?.t ?? -1;

let dir: string;
let browser: Browser;
let first: WrittenReport;
let second: WrittenReport;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evkit-report-browser-'));
  first = await writeRunReport(
    rampReport('20260101T000000000Z-load-aaaaaa', '2026-01-01T00:00:00.000Z'),
    dir,
  );
  second = await writeRunReport(
    {
      ...rampReport('20260102T000000000Z-load-bbbbbb', '2026-01-02T00:00:00.000Z'),
      title: 'second run',
      ok: true,
    },
    dir,
  );
  browser = await chromium.launch({
    executablePath: process.env.EVKIT_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Open a file in a fresh page, recording console errors, page errors and every request made. */
async function open(path: string): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(path).href);
  return { page, problems, requests };
}

/** Of one figure's canvas: pixels drawn in a saturated colour (series, not grey axes), and the columns of given colours (areas are drawn half transparent, so alpha is not compared). */
/** The few browser APIs the page functions use (the project's TypeScript has no DOM library). */
interface BrowserCanvas {
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray; width: number };
  } | null;
}
interface XmlNode {
  readonly textContent: string | null;
  readonly parentElement: XmlNode | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): XmlNode | null;
  querySelectorAll(selector: string): ArrayLike<XmlNode> & Iterable<XmlNode>;
}
declare const DOMParser: new () => { parseFromString(text: string, type: string): XmlNode };

interface CanvasStats {
  readonly width: number;
  readonly saturated: number;
  readonly columns: Record<string, number[]>;
}

async function canvasStats(
  page: Page,
  figure: number,
  colours: Record<string, string>,
): Promise<CanvasStats> {
  const canvas = page.locator('figure[data-chart]').nth(figure).locator('canvas');
  return canvas.evaluate((element, colours) => {
    const canvas = element as unknown as BrowserCanvas;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    const { data, width } = context.getImageData(0, 0, canvas.width, canvas.height);
    const rgb = Object.fromEntries(
      Object.entries(colours).map(([k, hex]) => [
        k,
        [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)),
      ]),
    );
    const columns: Record<string, Set<number>> = Object.fromEntries(
      Object.keys(colours).map((k) => [k, new Set()]),
    );
    let saturated = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r = 0, g = 0, b = 0, a = 0] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      if (a > 100 && Math.max(r, g, b) - Math.min(r, g, b) > 40) saturated++;
      for (const [k, c] of Object.entries(rgb)) {
        if (
          a > 100 &&
          Math.abs(r - (c[0] ?? 0)) < 10 &&
          Math.abs(g - (c[1] ?? 0)) < 10 &&
          Math.abs(b - (c[2] ?? 0)) < 10
        )
          columns[k]?.add((i / 4) % width);
      }
    }
    return {
      width,
      saturated,
      columns: Object.fromEntries(Object.entries(columns).map(([k, s]) => [k, [...s].sort((x, y) => x - y)])),
    };
  }, colours);
}

/** The value a figure's live legend shows for the series whose label starts with `label`. */
async function legendValue(page: Page, figure: number, label: string): Promise<string | undefined> {
  const rows = await page
    .locator('figure[data-chart]')
    .nth(figure)
    .locator('.u-legend .u-series')
    .evaluateAll((trs) =>
      trs.map((r) => [r.querySelector('.u-label')?.textContent, r.querySelector('.u-value')?.textContent]),
    );
  return rows.find(([l]) => l?.startsWith(label))?.[1] ?? undefined;
}

describe('report.html in headless Chromium', () => {
  it('renders without console errors, page errors or any request beyond the file itself', async () => {
    const { page, problems, requests } = await open(first.files.html);
    await page.waitForSelector('html[data-charts-drawn]');
    expect(await page.title()).toBe('throughput ramp 50 → 250 req/s against TPS 100 · evkit load · failed');
    expect(await page.locator('.verdict').textContent()).toContain('FAILED');
    expect(await page.locator('.verdict').textContent()).toContain('rate_7020 < 1%');
    expect(await page.locator('.failure pre').textContent()).toContain('curl -sS');
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(first.files.html).href]);
    await page.close();
  });

  it('draws every chart: a canvas per figure with coloured series on it', async () => {
    const { page, problems } = await open(first.files.html);
    await page.waitForSelector('html[data-charts-drawn]');
    const figures = await page.locator('figure[data-chart]').count();
    expect(figures).toBe(4);
    expect(await page.getAttribute('html', 'data-charts-drawn')).toBe(String(figures));
    expect(await page.locator('figure[data-drawn="true"] canvas').count()).toBe(figures);
    for (let i = 0; i < figures; i++) {
      const stats = await canvasStats(page, i, {});
      expect(stats.saturated, `figure ${i}`).toBeGreaterThan(300);
    }
    expect(await page.locator('figure.chart-error').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('marks the 7020 onset with a labelled line, and 7020 is drawn only to its right', async () => {
    const { page } = await open(first.files.html);
    await page.waitForSelector('html[data-charts-drawn]');
    const responses = page.locator('figure[data-chart]').first();
    expect(await responses.locator('figcaption').textContent()).toContain('Responses per second by code');
    expect(await responses.getAttribute('data-markers-drawn')).toBe('1');
    expect(await responses.locator('ul.markers').textContent()).toBe(
      `7020 onset at ${ONSET} seconds since start`,
    );
    const stats = await canvasStats(page, 0, {
      marker: SERIES_COLOUR.marker,
      rejected: CODE_COLOUR['7020'],
      accepted: CODE_COLOUR['1002'],
    });
    const [marker = -1] = stats.columns.marker ?? [];
    const rejected = stats.columns.rejected ?? [];
    const accepted = stats.columns.accepted ?? [];
    expect(marker).toBeGreaterThan(0);
    expect(rejected.length).toBeGreaterThan(100);
    // 7020 rises from zero one second before the onset, so its area starts within a second left of the line.
    const second = stats.width / SECONDS;
    expect(rejected[0]).toBeGreaterThanOrEqual(marker - second);
    // The line stands where the chart's own cursor reads the onset second.
    const canvas = await responses.locator('canvas').boundingBox();
    const over = await responses.locator('.u-over').boundingBox();
    if (canvas === null || over === null) throw new Error('no canvas');
    await page.mouse.move(canvas.x + (marker * canvas.width) / stats.width, over.y + over.height / 2);
    expect(await legendValue(page, 0, 'seconds since start')).toBe(String(ONSET));
    expect(accepted[0]).toBeLessThan(marker - 100);
    await page.close();
  });

  it('shows each series’ own value in the legend, not the stacked sum', async () => {
    const { page } = await open(first.files.html);
    await page.waitForSelector('html[data-charts-drawn]');
    const over = page.locator('figure[data-chart]').first().locator('.u-over');
    const box = await over.boundingBox();
    if (box === null) throw new Error('no plotting area');
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2);
    const value = (label: string) => legendValue(page, 0, label);
    const second = Number(await value('seconds since start'));
    const report = rampReport('x', 'x');
    expect(second).toBeGreaterThan(ONSET);
    expect(await value('7020')).toBe(String(report.series?.byCode['7020']?.[second]));
    expect(await value('target rate')).toBe(String(report.series?.targetRate[second]));
    await page.close();
  });

  it('writes a junit.xml that a browser parses as XML, with the failed threshold as a <failure>', async () => {
    const xml = await readFile(first.files.junit, 'utf8');
    const { page } = await open(first.files.html);
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        cases: doc.querySelectorAll('testcase').length,
        failures: [...doc.querySelectorAll('testcase > failure')].map((f) =>
          f.parentElement?.getAttribute('name'),
        ),
      };
    }, xml);
    expect(parsed).toEqual({ error: null, cases: 3, failures: ['rate_7020 < 1%'] });
    await page.close();
  });
});

describe('reports/index.html in headless Chromium', () => {
  it('links every run, newest first, and its links open the reports', async () => {
    const { page, problems } = await open(second.index);
    const titles = await page.locator('td.report > a').allTextContents();
    expect(titles).toEqual(['second run', 'throughput ramp 50 → 250 req/s against TPS 100']);
    expect(await page.locator('.badge').allTextContents()).toEqual(['passed', 'failed']);
    const hrefs = await page.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs).toHaveLength(8);
    for (const href of hrefs) await access(join(dir, decodeURIComponent(href)));
    await page.locator('td.report > a').nth(1).click();
    await page.waitForSelector('html[data-charts-drawn]');
    expect(page.url()).toBe(pathToFileURL(first.files.html).href);
    expect(await page.locator('h1').textContent()).toBe('throughput ramp 50 → 250 req/s against TPS 100');
    expect(problems).toEqual([]);
    await page.close();
  });
});

/** A figure's plotting area in canvas pixels, and the canvas pixels of one colour inside and above it. */
async function plotPixels(
  page: Page,
  figure: number,
  hex: string,
): Promise<{
  plot: { left: number; top: number; width: number; height: number };
  pixels: [number, number][];
}> {
  const fig = page.locator('figure[data-chart]').nth(figure);
  const canvasBox = await fig.locator('canvas').boundingBox();
  const overBox = await fig.locator('.u-over').boundingBox();
  if (canvasBox === null || overBox === null) throw new Error(`figure ${figure} has no plot`);
  const pixels = await fig.locator('canvas').evaluate((element, hex) => {
    const canvas = element as unknown as BrowserCanvas;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    const { data, width } = context.getImageData(0, 0, canvas.width, canvas.height);
    const c = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
    const out: [number, number][] = [];
    for (let i = 0; i < data.length; i += 4) {
      const near = [0, 1, 2].every((k) => Math.abs((data[i + k] ?? 0) - (c[k] ?? 0)) < 12);
      if (near && (data[i + 3] ?? 0) > 100) out.push([(i / 4) % width, Math.floor(i / 4 / width)]);
    }
    return out;
  }, hex);
  const scale = await fig
    .locator('canvas')
    .evaluate((element) => (element as unknown as BrowserCanvas).width)
    .then((w) => w / canvasBox.width);
  return {
    plot: {
      left: (overBox.x - canvasBox.x) * scale,
      top: (overBox.y - canvasBox.y) * scale,
      width: overBox.width * scale,
      height: overBox.height * scale,
    },
    pixels,
  };
}

/** The chart specs a page embeds (what its script draws). */
async function chartSpecs(
  page: Page,
): Promise<{ title: string; series: { label: string; values: (number | null)[] }[] }[]> {
  return JSON.parse((await page.locator('#evkit-charts').textContent()) ?? '[]');
}

const SCREENSHOTS = join(ROOT, 'reports', 'screenshots');

async function screenshot(page: Page, name: string, figure?: number): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  if (figure === undefined) await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
  else
    await page
      .locator('figure[data-chart]')
      .nth(figure)
      .screenshot({ path: join(SCREENSHOTS, name) });
}

describe('screenshots of real reports, checked for the fixes of issue 14', () => {
  it('a throughput run at a constant 50/s: its last point is about 50, not a ramp to zero', async () => {
    const run = await runLoad({
      script: 'throughput',
      engine: 'harness',
      rate: 50,
      duration: '4s',
      reportsDir: dir,
    });
    const html = run.written?.files.html;
    if (html === undefined) throw new Error('no report written');
    const { page, problems } = await open(html);
    await page.waitForSelector('html[data-charts-drawn]');
    await screenshot(page, 'throughput.png');
    // Before reading pixels back (Chromium warns about repeated reads).
    expect(problems).toEqual([]);
    expect(await page.locator('h1').textContent()).toBe('throughput against the embedded mock');
    const specs = await chartSpecs(page);
    const arrivals = specs.findIndex((s) => s.title.startsWith('Arrivals per second'));
    const sent = specs[arrivals]?.series.find((s) => s.label === 'sent')?.values ?? [];
    // The harness sends on a timer: a busy machine may move a request or two across a second boundary.
    expect(sent.at(-1)).toBeGreaterThanOrEqual(45);
    // On the canvas: the 'sent' line never falls into the lower half of the plot.
    await screenshot(page, 'throughput-arrivals.png', arrivals);
    const { plot, pixels } = await plotPixels(page, arrivals, SERIES_COLOUR.sent);
    expect(pixels.length).toBeGreaterThan(200);
    expect(Math.max(...pixels.map(([, y]) => y))).toBeLessThan(plot.top + plot.height / 2);
    await page.close();
  });

  it('a run of evkit start (a mock the caller started) is titled and configured as the embedded mock', async () => {
    const mock = await startMock();
    try {
      const run = await runLoad({
        script: 'throughput',
        engine: 'harness',
        target: mock.url,
        targetIsEmbeddedMock: true,
        rate: 20,
        duration: '1s',
        reportsDir: dir,
        writeReport: false,
      });
      expect(run.report.title).toBe('throughput against the embedded mock');
      expect(run.report.config.embeddedMock).toBe(true);
      expect(run.report.target).toBe(mock.url);
    } finally {
      await mock.close();
    }
  });

  it('a rate-limit run: the 7020 onset label sits above the plot, not over the data', async () => {
    const written = await writeRunReport(
      {
        ...rampReport('20260103T000000000Z-load-cccccc', '2026-01-03T00:00:00.000Z'),
        title: 'rate-limit ramp',
      },
      dir,
    );
    const { page } = await open(written.files.html);
    await page.waitForSelector('html[data-charts-drawn]');
    await screenshot(page, 'rate-limit.png');
    await screenshot(page, 'rate-limit-responses.png', 0);
    const { plot, pixels } = await plotPixels(page, 0, SERIES_COLOUR.marker);
    const inside = pixels.filter(([, y]) => y > plot.top + 1);
    const above = pixels.filter(([, y]) => y < plot.top - 1);
    // The label's letters are drawn above the plotting area; inside it only the marker's line, one column wide.
    expect(above.length).toBeGreaterThan(20);
    const columns = new Set(inside.map(([x]) => x));
    expect(Math.max(...columns) - Math.min(...columns)).toBeLessThanOrEqual(4);
    await page.close();
  });

  it('a find-limit search: the accepted-vs-offered chart with the found-rate line, beside the timeline', async () => {
    const fixture = LIMITER_FIXTURES.exactFixed;
    const result = await findLimit(simulatedProbe(fixture.create()), DEFAULT_FIND_LIMIT_OPTIONS);
    const written = await writeRunReport(
      findLimitReport(result, {
        runId: '20260104T000000000Z-find-limit-dddddd',
        startedAt: '2026-01-04T00:00:00.000Z',
        target: 'http://127.0.0.1:40000',
        targetLabel: 'the embedded mock',
        engine: 'harness',
        seed: 1,
        wallTimeMs: 45_000,
        config: { maxRate: 5000, target: 'embedded mock' },
      }),
      dir,
    );
    const { page, problems } = await open(written.files.html);
    await page.waitForSelector('html[data-charts-drawn]');
    await screenshot(page, 'find-limit.png');
    // Before reading pixels back (Chromium warns about repeated reads).
    expect(problems).toEqual([]);
    const captions = await page.locator('figure[data-chart] figcaption').allTextContents();
    const chart = captions.findIndex((c) => c.startsWith('Accepted per second against offered per second'));
    expect(chart).toBeGreaterThanOrEqual(0);
    expect(captions[chart + 1]).toContain('Find-limit probes: answers per wall-clock second');
    await screenshot(page, 'find-limit-accepted-vs-offered.png', chart);
    await screenshot(page, 'find-limit-timeline.png', chart + 1);
    const specs = await chartSpecs(page);
    const found = specs[chart]?.series.find((s) => s.label.startsWith('found provisioned rate'));
    expect(found?.values.every((v) => v === 300)).toBe(true);
    // On the canvas: the found rate is a horizontal line across most of the plot.
    const { plot, pixels } = await plotPixels(page, chart, '#2a6fdb');
    const rows = new Map<number, number>();
    for (const [, y] of pixels) rows.set(y, (rows.get(y) ?? 0) + 1);
    expect(Math.max(...rows.values())).toBeGreaterThan(plot.width * 0.6);
    // The accepted points: green dots on the plot.
    const dots = await plotPixels(page, chart, '#1a7f37');
    expect(dots.pixels.length).toBeGreaterThan(50);
    // The config table shows settings, not a callback or JSON.
    expect(await page.locator('table:has(caption:text("Configuration"))').textContent()).not.toMatch(
      /onProbe|undefined|\{/,
    );
    await page.close();
  });
});
