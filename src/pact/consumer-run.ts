import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { EvkitError } from '../errors.ts';
import { importPeer } from '../optional-deps.ts';
import type { TenantFile } from '../schema/index.ts';
import { isResponseCode, RESPONSE_CODES, type ResponseCode } from '../schema/index.ts';
import { pacticipants } from './names.ts';
import { preparePactDir, writeMarker } from './pact-dir.ts';
import { pactFiles } from './publish.ts';

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

/** The file pact-js writes for a consumer and provider. */
export function pactFileName(consumer: string, provider: string): string {
  return `${consumer}-${provider}.json`;
}

/**
 * Run evkit's reference consumer suite (its own client through every interaction) and check what it wrote.
 * pact-js merges into an existing file, so the pact files an earlier run wrote are removed first — and nothing
 * else: a folder of files evkit did not write is refused before the run (exit 2).
 */
export async function runConsumerSuite(options: {
  out: string;
  tenantFile?: TenantFile;
  /** Where a line per interaction goes (default stderr: stdout is for results). */
  report?: NodeJS.WritableStream;
}): Promise<ConsumerRunResult> {
  const started = Date.now();
  const dir = resolve(options.out);
  const names = pacticipants();
  preparePactDir(dir);
  const report = options.report ?? process.stderr;
  const { runReferenceSuite } = await importPeer(
    () => import('../../contracts/index.ts'),
    '@pact-foundation/pact',
    'evkit contracts',
  );
  const outcomes = await runReferenceSuite({
    dir,
    ...names,
    tenantFile: options.tenantFile,
    onOutcome: (o) =>
      report.write(
        `  ${o.passed ? 'ok  ' : 'FAIL'} ${o.description}${o.error ? `\n       ${o.error.split('\n').join('\n       ')}` : ''}\n`,
      ),
  });
  const failed = outcomes.filter((o) => !o.passed);
  if (failed.length > 0 || outcomes.length === 0) {
    throw new EvkitError(
      'E_CONTRACT',
      `the consumer suite failed (${failed.length} of ${outcomes.length} interactions)`,
      {
        details: { check: 'consumer-suite', dir, failed: failed.map((o) => o.id) },
      },
    );
  }
  const files = pactFiles(dir).filter((f) => f.endsWith(pactFileName(names.consumer, names.provider)));
  writeMarker(
    dir,
    files.map((f) => basename(f)),
  );
  const { interactions, codes } = pactCodes(files);
  const missing = RESPONSE_CODES.filter((c) => !codes.includes(c));
  if (missing.length > 0) {
    throw new EvkitError('E_CONTRACT', `the pacts miss documented codes: ${missing.join(', ')}`, {
      details: { check: 'codes', dir, codes },
    });
  }
  return { dir, files, interactions, codes, durationMs: Date.now() - started };
}
