import { runEvkit } from './cli.ts';

/** No broker settings leak in from the environment running the tests: each test sets its own. */
export const NO_BROKER_ENV = {
  PACT_BROKER_BASE_URL: undefined,
  PACT_BROKER_TOKEN: undefined,
  PACT_BROKER_USERNAME: undefined,
  PACT_BROKER_PASSWORD: undefined,
};

/** Run `evkit <args>` in a child process with exactly the given broker environment. */
export async function evkitWithBrokerEnv(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  const run = await runEvkit(args, { env: { ...NO_BROKER_ENV, ...env } });
  return { code: run.code ?? -1, out: run.stdout, err: run.stderr };
}
