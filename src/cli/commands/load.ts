import type { Command } from 'commander';
import { readConfigFile, readEnvConfig, resolveSettings } from '../../config.ts';
import { EMIT_KINDS, emitK6Operator } from '../../distributed/emit.ts';
import { runSegments } from '../../distributed/run-segments.ts';
import { EvkitError } from '../../errors.ts';
import { ENGINES, type Engine, type LoadProgress } from '../../load/engines.ts';
import { runLoad } from '../../load/run.ts';
import { loadTenantFile } from '../../mock/tenant-file.ts';
import { note } from '../output.ts';

interface LoadFlags {
  target?: string;
  rate?: string;
  duration?: string;
  eventsPerRequest?: string;
  expectedTps?: string;
  seed?: string;
  corpus?: string;
  engine?: string;
  allowRemote?: boolean;
  maxRate?: string;
  executionSegment?: string;
  executionSegmentSequence?: string;
  tenant?: string;
  reportsDir?: string;
  segments?: string;
  emit?: string;
  out?: string;
  parallelism?: string;
}

/** Settings of `evkit load` (config-file key and EVKIT_* name in brackets; the scripts read the same names). */
const DEFAULTS = {
  /** [target, EVKIT_TARGET] base URL; '' = start the embedded mock for the run. */
  target: '',
  /** [rate, EVKIT_RATE] req/s; the ramp's peak for rate-limit; 0 = the script's default. */
  rate: 0,
  /** [duration, EVKIT_DURATION] k6 syntax; '' = the script's default. */
  duration: '',
  /** [eventsPerRequest, EVKIT_EVENTS_PER_REQUEST] 0 = the corpus cases' own. */
  eventsPerRequest: 0,
  /** [expectedTps, EVKIT_EXPECTED_TPS] 0 = the embedded mock's TPS, else 100. */
  expectedTps: 0,
  /** [seed, EVKIT_SEED] seed of the generated corpus. */
  seed: 1,
  /** [corpus, EVKIT_CORPUS] a corpus file; '' = generate one into the run folder. */
  corpus: '',
  /** [engine, EVKIT_ENGINE] k6, harness or auto. */
  engine: 'auto',
  /** [allowRemote, EVKIT_ALLOW_REMOTE] */
  allowRemote: false,
  /** [maxRate, EVKIT_MAX_RATE] req/s cap; 0 = none (required for a remote target). */
  maxRate: 0,
  /** [executionSegment, EVKIT_EXECUTION_SEGMENT] */
  executionSegment: '',
  /** [executionSegmentSequence, EVKIT_EXECUTION_SEGMENT_SEQUENCE] */
  executionSegmentSequence: '',
  /** [loadTenant, EVKIT_LOAD_TENANT] tenant file of the embedded mock and the corpus; '' = the built-in one. */
  loadTenant: '',
  /** [reportsDir, EVKIT_REPORTS_DIR] */
  reportsDir: 'reports',
  /** [segments, EVKIT_SEGMENTS] engine instances at once, one execution segment each; 0 = one plain run. */
  segments: 0,
  /** [emit, EVKIT_EMIT] k6-operator: write manifests instead of running; '' = run. */
  emit: '',
  /** [emitDir, EVKIT_EMIT_DIR] where --emit writes. */
  emitDir: 'dist/k6-operator',
  /** [parallelism, EVKIT_PARALLELISM] runner pods of --emit k6-operator. */
  parallelism: 1,
};

/** One progress line: elapsed, sent, per-code counts, dropped. */
export function progressLine(p: LoadProgress): string {
  const codes = Object.entries(p.byCode)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, n]) => `${code}=${n}`)
    .join(' ');
  return `[${p.engine}] ${Math.round(p.elapsedMs / 1000)}s sent=${p.sent}${codes ? ` ${codes}` : ''} dropped=${p.dropped}`;
}

const positiveOrUndefined = (n: number, flag: string): number | undefined => {
  if (!Number.isFinite(n) || n < 0)
    throw new EvkitError('E_USAGE', `${flag} must be a number >= 0, got ${n}`);
  return n === 0 ? undefined : n;
};

/** `evkit load <script>`: run a k6 load script with real k6 or the harness and write a report. */
export function defineLoad(program: Command): void {
  program
    .command('load <script>')
    .description(
      'run a k6 load script (throughput, rate-limit, soak, or a bundle .js) with k6 or the harness',
    )
    .option('--target <url>', 'base URL of the Event API (default: start the embedded mock for the run)')
    .option('--rate <n>', 'arrival rate in req/s (rate-limit: the ramp peak)')
    .option('--duration <d>', 'test duration in k6 syntax, e.g. 30s, 5m')
    .option('--events-per-request <n>', 'events per request')
    .option('--expected-tps <n>', "the target's provisioned TPS (rate-limit thresholds)")
    .option('--seed <n>', 'seed of the generated corpus (default 1)')
    .option(
      '--corpus <file>',
      'a corpus (JSON array of cases, `evkit generate --format k6`) instead of a generated one',
    )
    .option('--tenant <file>', 'tenant file of the embedded mock and the generated corpus')
    .option('--engine <engine>', `${ENGINES.join(' or ')} (default: k6 when it is on PATH, else the harness)`)
    .option('--allow-remote', 'allow a target outside loopback (needs --max-rate)')
    .option('--max-rate <n>', 'refuse to plan more than this many req/s')
    .option('--execution-segment <seg>', 'run this share of the test, e.g. 0:1/2')
    .option('--execution-segment-sequence <seq>', 'all shares of the test, e.g. 0,1/2,1')
    .option('--reports-dir <dir>', 'where run folders go (default reports)')
    .option(
      '--segments <n>',
      'run n engine instances at once, one execution segment each, merged into one report',
    )
    .option('--emit <kind>', `write ${EMIT_KINDS.join(', ')} manifests instead of running`)
    .option('--out <dir>', 'where --emit writes (default dist/k6-operator)')
    .option('--parallelism <n>', 'runner pods of --emit k6-operator (default 1)')
    .action(async (script: string, flags: LoadFlags) => {
      const s = resolveSettings(DEFAULTS, {
        file: readConfigFile(process.cwd()),
        env: readEnvConfig(process.env),
        flags: {
          target: flags.target,
          rate: flags.rate,
          duration: flags.duration,
          eventsPerRequest: flags.eventsPerRequest,
          expectedTps: flags.expectedTps,
          seed: flags.seed,
          corpus: flags.corpus,
          engine: flags.engine,
          allowRemote: flags.allowRemote,
          maxRate: flags.maxRate,
          executionSegment: flags.executionSegment,
          executionSegmentSequence: flags.executionSegmentSequence,
          loadTenant: flags.tenant,
          reportsDir: flags.reportsDir,
          segments: flags.segments,
          emit: flags.emit,
          emitDir: flags.out,
          parallelism: flags.parallelism,
        },
      });
      if (s.engine !== 'auto' && !(ENGINES as readonly string[]).includes(s.engine)) {
        throw new EvkitError('E_USAGE', `--engine must be k6, harness or auto, got "${s.engine}"`);
      }
      if (!Number.isSafeInteger(s.seed))
        throw new EvkitError('E_USAGE', `--seed must be a whole number, got ${s.seed}`);
      const tenantFile = s.loadTenant ? loadTenantFile(s.loadTenant) : undefined;
      const common = {
        script,
        target: s.target || undefined,
        rate: positiveOrUndefined(s.rate, '--rate'),
        duration: s.duration || undefined,
        eventsPerRequest: positiveOrUndefined(s.eventsPerRequest, '--events-per-request'),
        expectedTps: positiveOrUndefined(s.expectedTps, '--expected-tps'),
        seed: s.seed,
        corpus: s.corpus || undefined,
        tenantFile,
        allowRemote: s.allowRemote,
        maxRate: positiveOrUndefined(s.maxRate, '--max-rate'),
      };
      const segmented = s.executionSegment !== '' || s.executionSegmentSequence !== '';
      if (s.emit !== '') {
        if (!(EMIT_KINDS as readonly string[]).includes(s.emit))
          throw new EvkitError('E_USAGE', `--emit must be ${EMIT_KINDS.join(' or ')}, got "${s.emit}"`);
        if (segmented || s.segments !== 0)
          throw new EvkitError('E_USAGE', '--emit k6-operator sets the segments per pod: use --parallelism', {
            hint: 'drop --segments and --execution-segment(-sequence)',
          });
        if (!Number.isSafeInteger(s.parallelism) || s.parallelism < 1)
          throw new EvkitError('E_USAGE', `--parallelism must be a whole number >= 1, got ${s.parallelism}`);
        const emitted = await emitK6Operator({ ...common, parallelism: s.parallelism, outDir: s.emitDir });
        for (const w of emitted.warnings) note(`warning: ${w}`);
        note(
          `wrote ${emitted.file} (ConfigMap ${emitted.manifests.bytes} bytes of 1 MiB, parallelism ${s.parallelism}); to run it:`,
        );
        process.stdout.write(`${emitted.commands.join('\n')}\n`);
        return;
      }
      if (flags.parallelism !== undefined)
        throw new EvkitError('E_USAGE', '--parallelism goes with --emit k6-operator', {
          hint: 'use --segments to run several instances here',
        });
      if (!Number.isSafeInteger(s.segments) || s.segments < 0)
        throw new EvkitError('E_USAGE', `--segments must be a whole number >= 1, got ${s.segments}`);
      if (s.segments > 0 && segmented)
        throw new EvkitError('E_USAGE', "--segments sets each instance's execution segment itself", {
          hint: 'drop --execution-segment and --execution-segment-sequence',
        });
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once('SIGINT', onSignal);
      try {
        const run = {
          ...common,
          engine: s.engine as Engine | 'auto',
          reportsDir: s.reportsDir,
          onStdout: (text: string) => process.stdout.write(text),
          onNote: note,
          signal: controller.signal,
        };
        const result =
          s.segments > 0
            ? await runSegments({
                ...run,
                segments: s.segments,
                onProgress: (p) => note(`${progressLine(p)} (${s.segments} instances)`),
              })
            : await runLoad({
                ...run,
                executionSegment: s.executionSegment || undefined,
                executionSegmentSequence: s.executionSegmentSequence || undefined,
                onProgress: (p) => note(progressLine(p)),
              });
        const failed = [...result.report.thresholds, ...result.report.checks].filter((v) => !v.ok);
        for (const v of failed) note(`FAILED ${v.name}: ${v.detail}`);
        note(`${result.report.ok ? 'passed' : 'failed'}: ${result.runDir}`);
        process.exitCode = result.exitCode;
      } finally {
        process.off('SIGINT', onSignal);
      }
    });
}
