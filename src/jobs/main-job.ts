import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { EvkitError, isEvkitError } from '../errors.ts';
import type { LoadProgress } from '../load/index.ts';
import { type RunLoadOptions, redact, runLoad, runSecrets } from '../load/index.ts';
import { type MockHandle, startMock } from '../mock/index.ts';
import { runConsumerSuite, verifyPacts, verifyRunReport } from '../pact/index.ts';
import type { RunReport, RunReportInput } from '../report/index.ts';
import { newRunId, writeReportsIndex, writeRunReport } from '../report/index.ts';
import { CATALOG, defaultTenantFile, RATE_LIMIT_CODE, RESPONSE_CODES } from '../schema/index.ts';

/** One step of the main job and how it went. */
export interface StepOutcome {
  readonly step: string;
  readonly ok: boolean;
  readonly figures: string;
  readonly report: string | undefined;
  readonly durationMs: number;
}

/** Settings of the main job. */
export interface MainJobOptions {
  readonly reportsDir: string;
  readonly pactsDir: string;
  readonly throughput: { readonly rate: number; readonly duration: string };
  readonly rateLimit: { readonly duration: string };
  readonly onProgress: (line: string) => void;
}

/** The main job's default settings: short enough for two minutes, long enough to show 7020 behaviour. */
export const MAIN_JOB_DEFAULTS: MainJobOptions = {
  reportsDir: 'reports',
  pactsDir: 'pacts',
  throughput: { rate: 50, duration: '8s' },
  rateLimit: { duration: '20s' },
  onProgress: () => {},
};

/** What the main job did: one outcome per step, the index page, and the whole time taken. */
export interface MainJobResult {
  readonly steps: readonly StepOutcome[];
  readonly index: string;
  readonly ok: boolean;
  readonly durationMs: number;
}

const codesLine = (r: RunReport) =>
  Object.entries(r.totals.byCode)
    .map(([c, n]) => `${c}×${n}`)
    .join(' ');

/** A sink for a step's chatter, kept to print when the step fails. */
function chatter(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

function contractsReport(
  files: readonly string[],
  codes: readonly string[],
  interactions: number,
  durationMs: number,
): RunReportInput {
  const checks = RESPONSE_CODES.map((c) => ({
    name: `an interaction expects ${c} (${CATALOG[c].message})`,
    ok: codes.includes(c),
    detail: codes.includes(c) ? 'covered' : 'missing',
  }));
  return {
    version: 1,
    runId: newRunId('contracts'),
    kind: 'contracts',
    title: 'Pact consumer contracts (evkit-client -> webex-connect-event-api)',
    startedAt: new Date(Date.now() - durationMs).toISOString(),
    durationMs,
    target: 'Pact mock server',
    seed: 0,
    config: { files },
    totals: { requests: interactions, byCode: {}, burst: 0, dropped: 0 },
    checks,
    sections: [{ title: 'Pact files', text: files.join('\n'), charts: [] }],
    ok: checks.every((c) => c.ok),
  };
}

/**
 * The main job, against the embedded mock endpoint: the consumer contracts, their verification, a short
 * throughput run and a rate-limit run; every run writes its report, and reports/index.html links them.
 */
export async function runMainJob(options: MainJobOptions = MAIN_JOB_DEFAULTS): Promise<MainJobResult> {
  const started = Date.now();
  const steps: StepOutcome[] = [];
  const progress = options.onProgress;
  const step = async (name: string, body: () => Promise<Omit<StepOutcome, 'step' | 'durationMs'>>) => {
    const t0 = Date.now();
    progress(`▶ ${name} ...`);
    try {
      const outcome = await body();
      steps.push({ step: name, durationMs: Date.now() - t0, ...outcome });
    } catch (error) {
      const message = isEvkitError(error)
        ? `[${error.code}] ${error.message}`
        : String((error as Error)?.stack ?? error);
      steps.push({ step: name, ok: false, figures: message, report: undefined, durationMs: Date.now() - t0 });
    }
    const last = steps[steps.length - 1] as StepOutcome;
    progress(`${last.ok ? '✔' : '✘'} ${name} (${(last.durationMs / 1000).toFixed(1)} s): ${last.figures}`);
  };
  const tenantFile = defaultTenantFile();
  const mock: MockHandle = await startMock({ tenantFile });
  progress(`embedded mock endpoint at ${mock.url}`);
  try {
    await step('contracts', async () => {
      const out = chatter();
      try {
        const run = await runConsumerSuite({ out: options.pactsDir, report: out.stream });
        const written = await writeRunReport(
          contractsReport(run.files, run.codes, run.interactions, run.durationMs),
          options.reportsDir,
          { index: false },
        );
        return {
          ok: true,
          figures: `${run.interactions} interactions, ${run.codes.length}/${RESPONSE_CODES.length} codes`,
          report: written.files.html,
        };
      } catch (error) {
        progress(out.text());
        throw error;
      }
    });
    await step('verify', async () => {
      const result = await verifyPacts({ pacts: [options.pactsDir], mockUrl: mock.url });
      // The pacts carry the tenant's key in their requests: the report and the log show it redacted.
      const secrets = runSecrets(tenantFile, process.env);
      const written = await writeRunReport(
        redact({ ...verifyRunReport(result), runId: newRunId('verify') }, secrets),
        options.reportsDir,
        { index: false },
      );
      await writeFile(join(dirname(written.files.html), 'verifier.log'), redact(result.transcript, secrets));
      const passed = result.interactions.filter((i) => i.status === 'passed').length;
      return {
        ok: result.ok,
        figures: `${passed}/${result.interactions.length} interactions verified`,
        report: written.files.html,
      };
    });
    const onProgress = (p: LoadProgress) =>
      progress(
        `  ${(p.elapsedMs / 1000).toFixed(0)} s: sent ${p.sent} ${Object.entries(p.byCode)
          .map(([c, n]) => `${c}×${n}`)
          .join(' ')}`,
      );
    // A load run against the embedded mock, from a clean slate; the figures name the 7020 onset if any.
    const load = (
      settings: Omit<RunLoadOptions, 'target' | 'engine' | 'tenantFile' | 'reportsDir' | 'onProgress'>,
    ) =>
      step(settings.script, async () => {
        await resetMock(mock.url);
        const run = await runLoad({
          ...settings,
          target: mock.url,
          targetIsEmbeddedMock: true,
          engine: 'auto',
          tenantFile,
          reportsDir: options.reportsDir,
          onProgress,
        });
        const onset = run.report.markers.find((m) => m.label.includes(RATE_LIMIT_CODE));
        return {
          ok: run.exitCode === 0,
          figures: `${run.engine}: ${codesLine(run.report)}${onset ? `; ${onset.label} at ${onset.t} s` : ''}`,
          report: run.written?.files.html,
        };
      });
    await load({
      script: 'throughput',
      rate: options.throughput.rate,
      duration: options.throughput.duration,
    });
    await load({
      script: 'rate-limit',
      duration: options.rateLimit.duration,
      expectedTps: tenantFile.tenants[0]?.rateLimit.tps,
      burst: tenantFile.tenants[0]?.rateLimit.burst,
    });
  } finally {
    await mock.close({ drainDeadlineMs: 0 });
  }
  const index = await writeReportsIndex(options.reportsDir);
  return { steps, index, ok: steps.every((s) => s.ok), durationMs: Date.now() - started };
}

async function resetMock(url: string): Promise<void> {
  const res = await fetch(`${url}/__evkit/reset`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
  });
  if (!res.ok) throw new EvkitError('E_INTERNAL', `the mock refused a reset: HTTP ${res.status}`);
}
