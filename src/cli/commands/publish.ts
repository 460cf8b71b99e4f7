import type { Command } from 'commander';
import { brokerTarget, gitBranch, gitCommit, parseCount, publishPacts } from '../../pact/index.ts';
import { note } from '../output.ts';

interface PublishFlags {
  pacts: string;
  brokerUrl?: string;
  consumerVersion?: string;
  branch?: string;
  tag: string[];
  buildUrl?: string;
  retries?: string;
  merge?: boolean;
}

/** `evkit publish`: publish the pacts folder to a Pact Broker through the official pact CLI. */
export function definePublish(program: Command): void {
  program
    .command('publish')
    .description(
      'publish pacts to a Pact Broker (auth from PACT_BROKER_TOKEN or PACT_BROKER_USERNAME/PACT_BROKER_PASSWORD)',
    )
    .option('--pacts <dir|file>', 'the pacts to publish', 'pacts')
    .option('--broker-url <url>', 'the broker (default: PACT_BROKER_BASE_URL)')
    .option('--consumer-version <version>', 'the consumer version (default: git rev-parse HEAD)')
    .option('--branch <name>', 'the consumer branch (default: the current git branch)')
    .option('--tag <tag>', 'a version tag (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .option('--build-url <url>', 'the CI build that produced the pacts')
    .option('--retries <n>', 'HTTP retries of the CLI against the broker (default 2)')
    .option('--merge', 'merge into an existing pact of the same version instead of overwriting it')
    .action(async (flags: PublishFlags) => {
      const broker = brokerTarget(flags.brokerUrl);
      const result = await publishPacts({
        pacts: flags.pacts,
        broker,
        consumerVersion: flags.consumerVersion ?? gitCommit(),
        branch: flags.branch ?? gitBranch(),
        tags: flags.tag,
        buildUrl: flags.buildUrl,
        ...(flags.retries === undefined ? {} : { retries: parseCount('--retries', flags.retries) }),
        merge: flags.merge === true,
      });
      note(result.output);
      process.stdout.write(
        `published ${result.files.length} pact file(s) as version ${result.consumerVersion}` +
          `${result.branch ? ` on branch ${result.branch}` : ''} to ${broker.url} (auth: ${broker.auth})\n`,
      );
    });
}
