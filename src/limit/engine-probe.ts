import { join } from 'node:path';
import { EvkitError } from '../errors.ts';
import type { LoadProgress } from '../load/index.ts';
import { planRun, prepareRun, runLoad } from '../load/index.ts';
import type { TenantFile } from '../schema/index.ts';
import { isResponseCode } from '../schema/index.ts';
import type { Probe, ProbePlan, Sample } from './types.ts';

/** Where and how the probes run. */
export interface EngineProbeOptions {
  readonly target: string;
  readonly tenantFile: TenantFile;
  readonly workDir: string;
  readonly seed: number;
  readonly allowRemote: boolean;
  readonly maxRate: number;
  readonly onProgress?: (plan: ProbePlan, p: LoadProgress) => void;
}

/**
 * A probe that is one short run of the throughput script through the harness (constant arrival rate, then an
 * optional back-off stage), with per-request samples. The corpus is generated once and shared by every probe.
 */
export async function engineProbe(options: EngineProbeOptions): Promise<Probe> {
  // The run preparation of evkit load, once: the corpus every probe reads, in the work folder.
  const prep = planRun({
    target: options.target,
    tenantFile: options.tenantFile,
    settings: {},
    seed: options.seed,
    corpusSize: 100,
  });
  const { corpusFile: corpus } = await prepareRun(prep, {
    place: { file: join(options.workDir, 'find-limit-corpus.json') },
  });
  return async (plan) => {
    const env: Record<string, string> = {};
    if (plan.backOff) {
      env.EVKIT_BACKOFF_RATE = String(plan.backOff.rate);
      env.EVKIT_BACKOFF_DURATION = `${Math.round(plan.backOff.durationS * 1000)}ms`;
    }
    const run = await runLoad({
      script: 'throughput',
      target: options.target,
      engine: 'harness',
      rate: plan.rate,
      duration: `${Math.round(plan.durationS * 1000)}ms`,
      eventsPerRequest: plan.eventsPerRequest,
      corpus,
      tenantFile: options.tenantFile,
      env,
      allowRemote: options.allowRemote,
      maxRate: options.maxRate,
      startPhase: plan.startPhase,
      captureRequests: true,
      writeReport: false,
      reportsDir: options.workDir,
      onProgress: (p) => options.onProgress?.(plan, p),
    });
    const samples: Sample[] = run.requests.map((r) => ({
      t: r.t,
      code: isResponseCode(r.code) ? r.code : 'other',
      burst: r.burst,
      latencyMs: r.latencyMs,
    }));
    if (samples.length === 0) {
      throw new EvkitError(
        'E_INTERNAL',
        `probe "${plan.label}" returned no samples: the engine ran but captured no requests`,
      );
    }
    const startedAt = Math.min(...samples.map((s) => s.t));
    return { samples, startedAt, durationMs: run.report.durationMs, dropped: run.report.totals.dropped };
  };
}
