import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleLoadReport } from '../../test/helpers/sample-report.ts';
import { isEvkitError } from '../errors.ts';
import { runReportSchema } from './model.ts';
import { newRunId, writeReportsIndex, writeRunReport } from './write.ts';

const ASSETS = { uplotJs: '/* uplot */', uplotCss: '/* css */' };
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evkit-report-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('newRunId', () => {
  it('starts with a UTC timestamp so ids sort by time, then names the kind', () => {
    const id = newRunId('load', { now: new Date('2026-11-27T06:54:37.123Z'), suffix: 'abc123' });
    expect(id).toBe('20261127T065437123Z-load-abc123');
    const ids = ['2026-01-02T00:00:00.000Z', '2025-12-31T23:59:59.999Z', '2026-01-01T00:00:00.001Z'].map(
      (t) => newRunId('verify', { now: new Date(t) }),
    );
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
    expect(newRunId('load')).toMatch(/^\d{8}T\d{9}Z-load-[0-9a-f]{6}$/);
    expect(newRunId('load')).not.toBe(newRunId('load'));
  });
});

describe('writeRunReport', () => {
  it('writes summary.json, report.html and junit.xml into reports/<runId>/ and refreshes the index', async () => {
    const input = sampleLoadReport({ runId: 'run-1' });
    const written = await writeRunReport(input, dir, { assets: ASSETS });
    expect(written.dir).toBe(join(dir, 'run-1'));
    expect(written.files).toEqual({
      html: join(dir, 'run-1', 'report.html'),
      summary: join(dir, 'run-1', 'summary.json'),
      junit: join(dir, 'run-1', 'junit.xml'),
    });
    expect((await readdir(written.dir)).sort()).toEqual(['junit.xml', 'report.html', 'summary.json']);
    const summary = JSON.parse(await readFile(written.files.summary, 'utf8'));
    expect(runReportSchema.parse(summary)).toEqual(input);
    expect(await readFile(written.files.junit, 'utf8')).toContain('<testsuites ');
    expect(await readFile(written.files.html, 'utf8')).toContain('/* uplot */');
    expect(written.index).toBe(join(dir, 'index.html'));
    expect(await readFile(written.index, 'utf8')).toContain('href="run-1/report.html"');
  });

  it('never writes a secret-looking config value', async () => {
    const input = { ...sampleLoadReport({ runId: 'secret' }), config: { rate: 5, jwtSecret: 'do-not-leak' } };
    const written = await writeRunReport(input, dir, { assets: ASSETS, index: false });
    for (const file of Object.values(written.files))
      expect(await readFile(file, 'utf8')).not.toContain('do-not-leak');
    expect(written.report.config).toEqual({ rate: 5, jwtSecret: '[redacted]' });
  });

  it('fills the model defaults into summary.json', async () => {
    const {
      markers: _m,
      thresholds: _t,
      checks: _c,
      sections: _s,
      failures: _f,
      ...minimal
    } = sampleLoadReport({
      runId: 'minimal',
    });
    const written = await writeRunReport(minimal, dir, { assets: ASSETS, index: false });
    const summary = JSON.parse(await readFile(written.files.summary, 'utf8'));
    expect(summary).toMatchObject({ markers: [], thresholds: [], checks: [], sections: [], failures: [] });
    expect(await readdir(dir)).toEqual(['minimal']);
  });

  it('refuses a report that does not match the model, with the issues', async () => {
    const bad = { ...sampleLoadReport(), totals: { requests: -1, byCode: {}, burst: 0, dropped: 0 } };
    const error = await rejection(writeRunReport(bad, dir, { assets: ASSETS }));
    expect(isEvkitError(error) && error.code).toBe('E_INTERNAL');
    expect(String(error)).toContain('totals.requests');
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a run id that is not a plain folder name', async () => {
    for (const runId of ['../escape', 'a/b', '.hidden', '']) {
      const error = await rejection(
        writeRunReport({ ...sampleLoadReport(), runId }, dir, { assets: ASSETS }),
      );
      expect(isEvkitError(error) && error.code, runId).toBe('E_RUN_ID');
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('reads the uPlot files from node_modules when no assets are given', async () => {
    const written = await writeRunReport(sampleLoadReport({ runId: 'real-assets' }), dir, { index: false });
    const html = await readFile(written.files.html, 'utf8');
    expect(html).toContain('uPlot');
    expect(html.length).toBeGreaterThan(50_000);
  });
});

describe('writeReportsIndex', () => {
  it('links every run folder with a summary, newest first, and flags summaries it cannot fully read', async () => {
    await writeRunReport(sampleLoadReport({ runId: 'older', startedAt: '2026-01-01T00:00:00.000Z' }), dir, {
      assets: ASSETS,
    });
    await writeRunReport(
      sampleLoadReport({ runId: 'newer', startedAt: '2026-02-01T00:00:00.000Z', leaky: true }),
      dir,
      { assets: ASSETS },
    );
    await mkdir(join(dir, 'broken'));
    await writeFile(
      join(dir, 'broken', 'summary.json'),
      '{"version": 2, "title": "from the future", "ok": true}',
    );
    await mkdir(join(dir, 'not-json'));
    await writeFile(join(dir, 'not-json', 'summary.json'), '{');
    await mkdir(join(dir, 'no-summary'));
    await writeFile(join(dir, 'stray.txt'), 'x');
    const html = await readFile(await writeReportsIndex(dir), 'utf8');
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(links).toEqual([
      'newer/report.html',
      'newer/report.html',
      'newer/summary.json',
      'newer/junit.xml',
      'older/report.html',
      'older/report.html',
      'older/summary.json',
      'older/junit.xml',
      'not-json/summary.json',
      'broken/summary.json',
    ]);
    expect(html).toContain('4 runs, 1 failed; newest first.');
    expect(html).toContain('<span class="badge fail">failed</span>');
    expect(html).toContain('summary.json does not match report model version 1');
    expect(html).toContain('from the future');
    expect(html).toContain('summary.json is not JSON');
    expect(html).not.toContain('no-summary');
  });

  it('writes an empty index for an empty or missing directory', async () => {
    const html = await readFile(await writeReportsIndex(join(dir, 'fresh')), 'utf8');
    expect(html).toContain('No reports yet.');
  });
});
