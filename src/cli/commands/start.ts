import { mkdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT } from '../../errors.ts';
import { MAIN_JOB_DEFAULTS, runMainJob } from '../../jobs/index.ts';
import { preparePactDir } from '../../pact/index.ts';
import { note, outputError, renderTable } from '../output.ts';

/** `evkit start`: the main job, against the embedded mock endpoint. */
export function defineStart(program: Command): void {
  program
    .command('start')
    .description(
      'the main job: contracts, verification, a throughput and a rate-limit run against the embedded mock; reports/index.html links the reports',
    )
    .option('--reports-dir <dir>', 'where reports go', MAIN_JOB_DEFAULTS.reportsDir)
    .option('--pacts-dir <dir>', 'where pacts go', MAIN_JOB_DEFAULTS.pactsDir)
    .action(async (flags: { reportsDir: string; pactsDir: string }) => {
      // Both folders are checked before the mock starts: a file in the way, or a pacts folder of foreign files,
      // is exit 2 now rather than a failed step later.
      try {
        mkdirSync(flags.reportsDir, { recursive: true });
      } catch (cause) {
        throw outputError(cause, flags.reportsDir, 'the reports folder');
      }
      preparePactDir(resolve(flags.pactsDir));
      const result = await runMainJob({
        ...MAIN_JOB_DEFAULTS,
        reportsDir: flags.reportsDir,
        pactsDir: flags.pactsDir,
        onProgress: note,
      });
      const rel = (p: string | undefined) => (p ? relative(process.cwd(), p) : '-');
      process.stdout.write(
        `\n${renderTable(
          ['step', 'result', 'figures', 'report'],
          result.steps.map((s) => [s.step, s.ok ? 'passed' : 'FAILED', s.figures, rel(s.report)]),
        )}\n\nreports: ${rel(result.index)}  (${(result.durationMs / 1000).toFixed(1)} s in all)\n`,
      );
      process.exitCode = result.ok ? EXIT.ok : EXIT.checkFailed;
    });
}
