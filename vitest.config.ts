import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const INCLUDE = ['src/**/*.test.ts', 'generators/**/*.test.ts', 'test/**/*.test.ts', 'load/**/*.test.ts'];

/**
 * Files whose assertions compare per-second rates, or deadlines of a few hundred milliseconds, with the wall
 * clock: they run in a group of their own, two at a time, before the others, so that the other files' load
 * does not starve their load generators and servers.
 */
const TIMING = [
  'test/load-e2e.test.ts',
  'test/distributed-segments.test.ts',
  'test/mock-bounds.test.ts',
  'test/mock-drain-stuck.test.ts',
];

/**
 * The longest files (most of their time is spent waiting for child processes and real-time runs), started
 * first so that none of them is left running alone at the end. Without a cache of earlier runs (a fresh
 * clone) vitest would order by file size.
 */
const LONGEST_FIRST = [
  'test/load-e2e.test.ts',
  'test/package-consumer.test.ts',
  'test/find-limit-http.test.ts',
  'test/main-job.test.ts',
  'test/runs-trust.test.ts',
  'test/contracts-verify.test.ts',
  'test/report-browser.test.ts',
  'test/load-cli.test.ts',
  'test/probe.test.ts',
  'test/broker-can-i-deploy.test.ts',
  'test/broker-record.test.ts',
  'test/find-limit.test.ts',
  'test/mock-fuzz.test.ts',
  'src/load/harness/harness.test.ts',
  'test/distributed-emit.test.ts',
  'test/mock-cli.test.ts',
  'test/generators-cli.test.ts',
];

const ROOT = fileURLToPath(new URL('./', import.meta.url));
const rank = (spec: TestSpecification) => {
  const i = LONGEST_FIRST.indexOf(spec.moduleId.slice(ROOT.length));
  return i === -1 ? LONGEST_FIRST.length : i;
};

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // The base order (groups, projects, then earlier durations or size), with the known long files first.
    return (await super.sort(files)).sort(
      (a, b) =>
        a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder ||
        (a.project.name === b.project.name ? rank(a) - rank(b) : a.project.name < b.project.name ? -1 : 1),
    );
  }
}

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    sequence: { sequencer: LongestFirst },
    // GitHub's workflow parser imports JSON without import attributes: let vite transform it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
    env: {
      PACT_DO_NOT_TRACK: 'true',
      SCARF_ANALYTICS: 'false',
      // The tests start evkit (and Node) in child processes often: Node's compile cache halves each start-up.
      NODE_COMPILE_CACHE: `${ROOT}.evkit-tmp/node-compile-cache`,
    },
    projects: [
      {
        extends: true,
        test: { name: 'timing', include: TIMING, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        // Most files wait (child processes, servers, real-time runs): more workers than cores.
        test: {
          name: 'default',
          include: INCLUDE,
          exclude: [...configDefaults.exclude, ...TIMING],
          maxWorkers: 5,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
