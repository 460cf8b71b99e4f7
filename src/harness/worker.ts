/** The harness worker thread: loads a bundle with the k6 shims and runs its scenarios. */
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { parseDuration, textSummary } from '../../load/lib/index.ts';
import {
  bindThresholds,
  buildSummaryData,
  evaluateThresholds,
  MetricRegistry,
  normaliseScenario,
  observe,
  segmentPlan,
} from '../k6/index.ts';
import { installGlobals } from './globals.ts';
import { loadBundle, unloadRun } from './loader.ts';
import { createCryptoModule } from './modules/crypto.ts';
import { createDataModule } from './modules/data.ts';
import { createEncodingModule } from './modules/encoding.ts';
import { createExecutionModule } from './modules/execution.ts';
import { createHttpModule } from './modules/http.ts';
import { createK6Module } from './modules/k6.ts';
import { createMetricsModule } from './modules/metrics.ts';
import { createLineWriter } from './ndjson-writer.ts';
import type { HarnessResult, WorkerMessage, WorkerRequest } from './protocol.ts';
import { Runtime } from './runtime.ts';
import { type IterationFn, runScenario } from './scheduler.ts';

const port = parentPort;
if (!port) throw new Error('the harness worker must run in a worker thread');
const send = (message: WorkerMessage) => port.postMessage(message);
let phase = 'init';
let externalStop = false;
port.on('message', (m: { type: string }) => {
  if (m.type === 'abort') externalStop = true;
});

function alignedStart(startPhase: number): number {
  const now = Date.now();
  let t = Math.ceil(now / 1000) * 1000 + Math.round(startPhase * 1000);
  while (t < now + 20) t += 1000;
  return t;
}

async function main(req: WorkerRequest): Promise<void> {
  const out = req.outJson ? createLineWriter(req.outJson) : undefined;
  const registry = new MetricRegistry({
    series: req.series ?? [],
    captures: req.captures ?? [],
    ...(out ? { out: (line: string) => out.write(line) } : {}),
  });
  const rt = new Runtime({
    registry,
    env: req.env,
    bundleDir: dirname(req.bundle),
    segment: segmentPlan(req.executionSegment, req.executionSegmentSequence),
    globalTags: req.tags ?? {},
  });
  installGlobals(rt);
  const runId = randomUUID();
  const ns = await loadBundle(req.bundle, runId, {
    k6: createK6Module(rt),
    'k6/http': createHttpModule(rt),
    'k6/metrics': createMetricsModule(rt),
    'k6/data': createDataModule(rt),
    'k6/execution': createExecutionModule(rt),
    'k6/crypto': createCryptoModule(),
    'k6/encoding': createEncodingModule(),
  });
  const options = JSON.parse(JSON.stringify(ns.options ?? {})) as Record<string, unknown>;
  rt.options = options;
  if (req.mode === 'options') {
    send({ type: 'options', options });
    return;
  }

  phase = 'options';
  const rawScenarios = (options.scenarios ?? {}) as Record<string, Record<string, unknown>>;
  if (Object.keys(rawScenarios).length === 0) {
    throw new Error(
      'the harness runs scenarios only: declare options.scenarios with an arrival-rate executor',
    );
  }
  const scenarios = Object.entries(rawScenarios).map(([name, raw]) => normaliseScenario(name, raw));
  const fns = scenarios.map((s) => {
    const fn = ns[s.exec];
    if (typeof fn !== 'function')
      throw new Error(`scenario "${s.name}": the script exports no function "${s.exec}"`);
    return fn as IterationFn;
  });
  const thresholds = bindThresholds(
    registry,
    options.thresholds as Parameters<typeof bindThresholds>[1],
    parseDuration,
  );

  phase = 'setup';
  rt.stage = 'setup';
  const setup = ns.setup;
  const setupData =
    typeof setup === 'function'
      ? (JSON.parse(JSON.stringify((await setup()) ?? null)) as unknown)
      : undefined;

  const t0 = alignedStart(req.startPhase ?? 0);
  registry.setStart(t0);
  rt.testStartEpochMs = t0;
  phase = 'run';
  rt.stage = 'run';
  const stop = () => externalStop || rt.abortReason !== undefined;
  const ticker = setInterval(() => {
    const now = Date.now();
    registry.add(rt.builtin.vus, rt.vusActive, rt.globalTags, now);
    registry.add(rt.builtin.vusMax, rt.vusInitialized, rt.globalTags, now);
    for (const t of thresholds) {
      if (t.abortOnFail && now - t0 >= t.delayAbortEvalMs) {
        const observed = observe(t, now - t0);
        if (!evaluateThresholds([t], now - t0)[0]?.ok) {
          rt.abortReason ??= `threshold ${t.selector.key}: ${t.expression.source} crossed (observed ${observed})`;
        }
      }
    }
    send({
      type: 'progress',
      progress: {
        elapsedMs: Math.max(0, now - t0),
        totals: registry.totals(),
        dropped: rt.builtin.droppedIterations.sink.count,
        vusActive: rt.vusActive,
        errors: rt.errorCount,
      },
    });
  }, 1000);
  const elu = performance.eventLoopUtilization();
  const runs = await Promise.all(
    scenarios.map((s, i) => runScenario(rt, s, fns[i] as IterationFn, setupData, t0, stop)),
  );
  clearInterval(ticker);
  rt.stop.abort();
  const durationMs = Date.now() - t0;

  phase = 'teardown';
  rt.stage = 'teardown';
  if (typeof ns.teardown === 'function') await (ns.teardown as (d: unknown) => unknown)(setupData);

  phase = 'summary';
  rt.stage = 'summary';
  const results = evaluateThresholds(thresholds, durationMs);
  const summary = buildSummaryData(rt, results, durationMs, setupData);
  const handle = ns.handleSummary;
  const outputs =
    typeof handle === 'function'
      ? ((await (handle as (d: unknown) => unknown)(structuredClone(summary))) as Record<
          string,
          string | ArrayBuffer
        >)
      : { stdout: textSummary(summary) };
  out?.close();
  unloadRun(runId);

  const seconds = Math.ceil(durationMs / 1000);
  const planned: number[] = [];
  for (const r of runs) {
    r.planned.forEach((n, i) => {
      planned[i] = (planned[i] ?? 0) + n;
    });
  }
  const result: HarnessResult = {
    startEpochMs: t0,
    durationMs,
    options,
    summary,
    thresholds: results,
    thresholdsOk: results.every((r) => r.ok),
    series: registry.series(seconds),
    captures: registry.captures(),
    planned: Array.from({ length: Math.max(seconds, planned.length) }, (_, i) => planned[i] ?? 0),
    dropped: runs.reduce((n, r) => n + r.dropped, 0),
    interrupted: rt.iterationsInterrupted,
    errors: { count: rt.errorCount, first: rt.errors },
    abortReason: rt.abortReason ?? (externalStop ? 'interrupted' : undefined),
    failedMessage: rt.failedMessage,
    summaryOutputs: outputs ?? {},
    segment: rt.segment.label,
    eventLoopUtilization: performance.eventLoopUtilization(elu).utilization,
  };
  send({ type: 'result', result });
}

main(workerData as WorkerRequest).catch((error: unknown) => {
  const e = error instanceof Error ? error : new Error(String(error));
  send({ type: 'error', message: e.message, stack: e.stack, phase });
});
