import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { type RunReport, runReportSchema } from '../report/model.ts';
import { k6OperatorManifests } from './k6-operator.ts';
import { mergeSegmentReports } from './merge.ts';
import { evenSegments } from './segments.ts';

describe('k6-operator manifests', () => {
  const input = {
    name: 'evkit rate-limit',
    parallelism: 3,
    script: { file: 'rate-limit.js', content: 'export default function () {}' },
    dataFiles: { 'corpus.json': '[]' },
    env: { EVKIT_TARGET: 'https://api.eu.webexconnect.io' },
    secretEnv: { EVKIT_KEY: { secret: 'evkit', key: 'service-key' } },
  };
  it('has the documented TestRun shape and a ConfigMap with the bundle and data', () => {
    const m = k6OperatorManifests(input);
    const docs = parseAllDocuments(m.yaml).map((d) => d.toJS());
    const testRun = docs.find((d) => d.kind === 'TestRun');
    const configMap = docs.find((d) => d.kind === 'ConfigMap');
    expect(testRun.apiVersion).toBe('k6.io/v1alpha1');
    expect(testRun.spec.parallelism).toBe(3);
    expect(testRun.spec.script.configMap).toEqual({ name: 'evkit-rate-limit', file: 'rate-limit.js' });
    expect(configMap.metadata.name).toBe(testRun.spec.script.configMap.name);
    expect(Object.keys(configMap.data)).toEqual(['rate-limit.js', 'corpus.json']);
    expect(testRun.spec.runner.env).toContainEqual({
      name: 'EVKIT_KEY',
      valueFrom: { secretKeyRef: { name: 'evkit', key: 'service-key' } },
    });
  });
  it('refuses files over 1 MiB and says how to use a volume', () => {
    expect(() =>
      k6OperatorManifests({ ...input, dataFiles: { 'corpus.json': 'x'.repeat(1024 * 1024) } }),
    ).toThrow(/ConfigMap/);
    try {
      k6OperatorManifests({ ...input, dataFiles: { 'corpus.json': 'x'.repeat(1024 * 1024) } });
    } catch (e) {
      expect((e as { hint: string }).hint).toMatch(/volumeClaim/);
    }
  });
});

describe('execution segments', () => {
  it('splits evenly like k6', () => {
    expect(evenSegments(2)).toEqual([
      { segment: '0:1/2', sequence: '0,1/2,1' },
      { segment: '1/2:1', sequence: '0,1/2,1' },
    ]);
    expect(evenSegments(1)).toEqual([{ segment: '0:1', sequence: '0,1' }]);
  });
});

describe('merging segment reports', () => {
  const part = (requests: number, ok: boolean): RunReport =>
    runReportSchema.parse({
      version: 1,
      runId: 'x',
      kind: 'load',
      title: 'throughput',
      startedAt: '2026-01-01T00:00:00.000Z',
      durationMs: 1000,
      target: 'http://127.0.0.1:1',
      seed: 1,
      config: {},
      totals: { requests, byCode: { '1002': requests }, burst: 0, dropped: 0 },
      series: {
        t: [0, 1],
        byCode: { '1002': [requests / 2, requests / 2] },
        burst: [0, 0],
        sent: [requests / 2, requests / 2],
        dropped: [0, 0],
        targetRate: [5, 5],
      },
      latency: { overall: { count: requests, min: 1, avg: 2, p50: 2, p90: 3, p95: 4, p99: 5, max: 9 } },
      thresholds: [{ name: 'rate_7020', ok, detail: '' }],
      ok,
    });
  it('adds totals and series; a threshold fails if any segment failed', () => {
    const merged = runReportSchema.parse(mergeSegmentReports([part(10, true), part(30, false)], 'm'));
    expect(merged.totals.requests).toBe(40);
    expect(merged.series?.byCode['1002']).toEqual([20, 20]);
    expect(merged.series?.targetRate).toEqual([10, 10]);
    expect(merged.latency?.overall.count).toBe(40);
    expect(merged.thresholds[0]?.ok).toBe(false);
    expect(merged.ok).toBe(false);
  });
  it('lines up an instance that started a second later, and keeps its sections labelled', () => {
    const late = runReportSchema.parse({
      ...part(20, true),
      startedAt: '2026-01-01T00:00:01.000Z',
      config: { executionSegment: '1/2:1' },
      markers: [{ t: 1, label: 'onset' }],
      sections: [{ title: 'Rate limit', text: '', charts: [] }],
    });
    const early = runReportSchema.parse({ ...part(10, true), config: { executionSegment: '0:1/2' } });
    const merged = runReportSchema.parse(mergeSegmentReports([early, late], 'm'));
    expect(merged.series?.t).toEqual([0, 1, 2]);
    expect(merged.series?.sent).toEqual([5, 15, 10]);
    expect(merged.series?.targetRate).toEqual([5, 10, 5]);
    expect(merged.startedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(merged.durationMs).toBe(2000);
    expect(merged.markers).toEqual([{ t: 2, label: 'segment 2 (1/2:1): onset' }]);
    expect(merged.config).toEqual({ segments: ['0:1/2', '1/2:1'] });
    expect(merged.sections.map((s) => s.title)).toEqual(['Segments', 'Rate limit: segment 2 (1/2:1)']);
  });
});
