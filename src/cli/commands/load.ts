import type { Command } from 'commander';
import { parseDuration } from '../../../load/lib/index.ts';
import { emitK6Operator, runSegments } from '../../distributed/index.ts';
import { EvkitError } from '../../errors.ts';
import { runLoad, SCRIPT_TABLE, type ScriptSettings } from '../../load/index.ts';
import { loadTenantFile } from '../../mock/index.ts';
import { addSettingOptions, resolveCommandSettings } from '../../settings.ts';
import { ALL_CONFIG_KEYS, LOAD_SETTINGS } from '../command-settings.ts';
import { note } from '../output.ts';
import { progressPrinter } from '../progress.ts';

/** `evkit load <script>`: run a k6 load script with real k6 or the harness and write a report. */
export function defineLoad(program: Command): void {
  const command = program
    .command('load <script>')
    .description(
      'run a k6 load script (throughput, rate-limit, soak, or a bundle .js) with k6 or the harness',
    );
  addSettingOptions(command, LOAD_SETTINGS).action(async (script: string, flags: Record<string, unknown>) => {
    const { values: s, sources } = resolveCommandSettings(LOAD_SETTINGS, {
      flags,
      env: process.env,
      cwd: process.cwd(),
      allKeys: ALL_CONFIG_KEYS,
    });
    const tenantFile = s.loadTenant ? loadTenantFile(s.loadTenant) : undefined;
    // The script's settings, typed, from the one resolution above (defaults < config file < EVKIT_* < flags).
    const settings = Object.fromEntries(
      Object.keys(SCRIPT_TABLE).map((key) => [key, s[key as keyof typeof SCRIPT_TABLE]]),
    ) as ScriptSettings;
    const common = {
      script,
      target: s.target,
      rate: s.rate,
      duration: s.duration,
      eventsPerRequest: s.eventsPerRequest,
      expectedTps: s.expectedTps,
      seed: s.seed,
      corpus: s.corpus,
      tenantFile,
      allowRemote: s.allowRemote,
      maxRate: s.maxRate,
      settings,
    };
    const segmented = s.executionSegment !== undefined || s.executionSegmentSequence !== undefined;
    if (s.emit !== undefined) {
      if (segmented || s.segments !== undefined)
        throw new EvkitError('E_FLAGS', '--emit k6-operator sets the segments per pod: use --parallelism', {
          details: { flags: ['--emit', '--segments', '--execution-segment'], rule: 'emit-sets-segments' },
        });
      const parallelism = s.parallelism ?? 1;
      const emitted = await emitK6Operator({ ...common, parallelism, outDir: s.emitDir });
      for (const w of emitted.warnings) note(`warning: ${w}`);
      note(
        `wrote ${emitted.file} (ConfigMap ${emitted.manifests.bytes} bytes of 1 MiB, parallelism ${parallelism}); to run it:`,
      );
      process.stdout.write(`${emitted.commands.join('\n')}\n`);
      return;
    }
    if (sources.parallelism !== undefined)
      throw new EvkitError('E_FLAGS', '--parallelism goes with --emit k6-operator', {
        details: { flags: ['--parallelism', '--emit'], rule: 'parallelism-needs-emit' },
      });
    if (s.segments !== undefined && segmented)
      throw new EvkitError('E_FLAGS', "--segments sets each instance's execution segment itself", {
        details: { flags: ['--segments', '--execution-segment'], rule: 'segments-set-segment' },
      });
    const printer = progressPrinter(process.stderr, {
      totalMs: s.duration === undefined ? undefined : parseDuration(s.duration),
      ...(s.segments === undefined ? {} : { suffix: `(${s.segments} instances)` }),
    });
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.once('SIGINT', onSignal);
    try {
      const run = {
        ...common,
        engine: s.engine,
        reportsDir: s.reportsDir,
        onStdout: (text: string) => process.stdout.write(text),
        onNote: note,
        signal: controller.signal,
      };
      const segments = s.segments;
      const result =
        segments !== undefined
          ? await runSegments({
              ...run,
              segments,
              onProgress: printer.update,
            })
          : await runLoad({
              ...run,
              executionSegment: s.executionSegment,
              executionSegmentSequence: s.executionSegmentSequence,
              onProgress: printer.update,
            });
      printer.done();
      const failed = [...result.report.thresholds, ...result.report.checks].filter((v) => !v.ok);
      for (const v of failed) note(`FAILED ${v.name}: ${v.detail}`);
      note(`${result.report.ok ? 'passed' : 'failed'}: ${result.runDir}`);
      process.exitCode = result.exitCode;
    } finally {
      printer.done();
      process.off('SIGINT', onSignal);
    }
  });
}
