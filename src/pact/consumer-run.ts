import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EvkitError } from '../errors.ts';
import { isResponseCode, RESPONSE_CODES, type ResponseCode } from '../schema/catalog.ts';
import { preparePactDir, writeMarker } from './pact-dir.ts';
import { pactFiles } from './publish.ts';

/** The consumer suite's vitest config (contracts/ is not part of the root test run). */
export const CONSUMER_CONFIG = fileURLToPath(new URL('../../contracts/vitest.config.ts', import.meta.url));

/** What a consumer run wrote. */
export interface ConsumerRunResult {
  readonly dir: string;
  readonly files: readonly string[];
  readonly interactions: number;
  /** The response codes the written interactions expect, in catalog order. */
  readonly codes: readonly ResponseCode[];
  readonly durationMs: number;
}

/** The response codes a pact's interactions expect (every entry of object and array envelopes). */
export function pactCodes(files: readonly string[]): { interactions: number; codes: ResponseCode[] } {
  const seen = new Set<ResponseCode>();
  let interactions = 0;
  for (const file of files) {
    const pact = JSON.parse(readFileSync(file, 'utf8')) as {
      interactions?: { response?: { body?: { content?: { response?: unknown } } } }[];
    };
    for (const i of pact.interactions ?? []) {
      interactions += 1;
      const r = i.response?.body?.content?.response;
      for (const entry of Array.isArray(r) ? r : [r]) {
        const code = (entry as { code?: unknown } | undefined)?.code;
        if (isResponseCode(code)) seen.add(code);
      }
    }
  }
  return { interactions, codes: RESPONSE_CODES.filter((c) => seen.has(c)) };
}

/**
 * Run the consumer suite through vitest's node API and check what it wrote: the pact files of the previous run are
 * removed first (pact-js merges into existing files; nothing evkit did not write is touched), and a run that misses a documented code fails.
 */
export async function runConsumerSuite(options: {
  out: string;
  /** Where vitest's reporter writes (default stderr: stdout is for results). */
  report?: NodeJS.WritableStream;
}): Promise<ConsumerRunResult> {
  const started = Date.now();
  const dir = resolve(options.out);
  // Refuse a folder of foreign files before vitest starts (exit 2), and remove only the pacts evkit wrote.
  preparePactDir(dir);
  process.env.EVKIT_PACT_DIR = dir;
  process.env.PACT_DO_NOT_TRACK ??= 'true';
  const stream = (options.report ?? process.stderr) as NodeJS.WriteStream;
  // vitest colours its reporter unless told not to: no escape codes into a file or a pipe (FORCE_COLOR wins).
  if (stream.isTTY !== true && process.env.FORCE_COLOR === undefined) process.env.NO_COLOR ??= '1';
  const { startVitest } = await import('vitest/node');
  const vitest = await startVitest(
    [],
    { config: CONSUMER_CONFIG, run: true, watch: false },
    {},
    {
      stdout: stream,
      stderr: stream,
    },
  );
  const failed = vitest.state.getCountOfFailedTests() + vitest.state.getUnhandledErrors().length;
  const ran = vitest.state.getFiles().length;
  await vitest.close();
  // vitest sets a failing exit code itself; the verdict here is ours, given as an error or a result.
  process.exitCode = undefined;
  if (failed > 0 || ran === 0) {
    throw new EvkitError('E_CONTRACT', `the consumer suite failed (${failed} failing, ${ran} files run)`, {
      details: { dir },
      hint: 'read the vitest output above: a failing consumer test writes no pact',
    });
  }
  const files = pactFiles(dir);
  writeMarker(
    dir,
    files.map((f) => basename(f)),
  );
  const { interactions, codes } = pactCodes(files);
  const missing = RESPONSE_CODES.filter((c) => !codes.includes(c));
  if (missing.length > 0) {
    throw new EvkitError('E_CONTRACT', `the pacts miss documented codes: ${missing.join(', ')}`, {
      details: { dir, codes },
      hint: 'add an interaction per missing code to contracts/interactions.ts',
    });
  }
  return { dir, files, interactions, codes, durationMs: Date.now() - started };
}
