/**
 * The one preparation of a load run, shared by runLoad, runSegments, the k6-operator emit and find-limit's probe:
 * the tenant file (the embedded mock takes the TPS the user names), the typed configuration with the embedded
 * mock's defaults (TPS, burst, its first key), the corpus (read, or generated and written privately with a
 * redacted copy for the report), and the embedded mock itself.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Case, generateCases } from '../../generators/index.ts';
import { EvkitError } from '../errors.ts';
import { type MockHandle, startMock } from '../mock/index.ts';
import type { TenantFile } from '../schema/index.ts';
import { defaultTenantFile } from '../schema/index.ts';
import { hasCredentials, type LoadRunConfig, loadRunConfig, type ScriptSettings } from './load-config.ts';
import { redact, runSecrets } from './redact.ts';

/** The corpus' file name wherever evkit writes one next to a run (report folder, ConfigMap). */
export const CORPUS_FILE = 'corpus.json';

/** Stands in for the embedded mock's URL until it listens (the checks before the start need a target). */
const EMBEDDED_PLACEHOLDER = 'http://127.0.0.1';

/** What a run is prepared from. */
export interface RunPlanOptions {
  /** Base URL of the target; absent: the embedded mock (unless `embedded` is false). */
  target?: string | undefined;
  /** Whether a run without a target starts the embedded mock (default true). */
  embedded?: boolean | undefined;
  tenantFile?: TenantFile | undefined;
  /** The resolved script settings, typed (the run's flags over the config file and the environment). */
  settings: ScriptSettings;
  /** EVKIT_* variables no table knows, for a user's bundle. */
  other?: Readonly<Record<string, string>> | undefined;
  /** A corpus file (JSON array of cases); absent: generated. */
  corpus?: string | undefined;
  seed?: number | undefined;
  corpusSize?: number | undefined;
}

/** A planned run: nothing started yet. */
export interface RunPlan {
  readonly tenantFile: TenantFile;
  /** Whether the embedded mock is started for it. */
  readonly embedded: boolean;
  /** The settings with the embedded mock's defaults. */
  readonly settings: ScriptSettings;
  /** The typed configuration (the target is the placeholder until the embedded mock listens). */
  readonly config: LoadRunConfig;
  readonly options: RunPlanOptions;
}

/** The first active service key of a tenant file (the embedded mock's credentials). */
export function firstKey(file: TenantFile): string | undefined {
  return file.tenants[0]?.services.flatMap((s) => s.keys).find((k) => k.active)?.value;
}

/**
 * Plan a run: the tenant file (a user who names the TPS the target is provisioned for expects the embedded mock
 * to be provisioned so), the embedded mock's defaults, and the typed configuration. Nothing starts.
 */
export function planRun(options: RunPlanOptions): RunPlan {
  const embedded = options.target === undefined && options.embedded !== false;
  const tenantFile = structuredClone(options.tenantFile ?? defaultTenantFile());
  const first = tenantFile.tenants[0];
  const settings: ScriptSettings = { ...options.settings };
  if (embedded && first) {
    if (settings.expectedTps !== undefined)
      first.rateLimit = { ...first.rateLimit, tps: settings.expectedTps };
    settings.expectedTps ??= first.rateLimit.tps;
    settings.burst ??= first.rateLimit.burst;
    const key = firstKey(tenantFile);
    if (key !== undefined && !hasCredentials(settings)) settings.key = key;
  }
  const config = loadRunConfig(
    settings,
    { target: options.target ?? EMBEDDED_PLACEHOLDER, corpus: options.corpus },
    options.other,
  );
  return { tenantFile, embedded, settings, config, options };
}

/** Read a corpus file: a JSON array of cases (`evkit generate --format k6`). */
export function readCorpus(path: string): Case[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new EvkitError('E_CORPUS', `cannot read the corpus ${path}: ${(cause as Error).message}`, {
      details: { path },
      cause,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new EvkitError('E_CORPUS', `the corpus ${path} is not JSON: ${(cause as Error).message}`, {
      details: { path },
      cause,
    });
  }
  if (!Array.isArray(data) || data.length === 0) {
    throw new EvkitError('E_CORPUS', `the corpus ${path} must be a non-empty JSON array of cases`, {
      details: { path },
    });
  }
  return data as Case[];
}

/** Where a generated corpus goes. */
export type CorpusPlace =
  /** A temporary folder of its own, removed by close (it holds the tenant's keys). */
  | 'private'
  /** A file of the caller's. */
  | { readonly file: string }
  /** Nowhere: the caller writes its own form of the cases. */
  | 'none';

/** A prepared run: the embedded mock started (when planned), the corpus in place. */
export interface PreparedRun {
  readonly plan: RunPlan;
  readonly mock: MockHandle | undefined;
  readonly target: string;
  /** The typed configuration with the real target and the corpus file the engine reads. */
  readonly config: LoadRunConfig;
  readonly cases: Case[];
  /** The corpus file the engine reads: the given one, or the one written; undefined with place 'none'. */
  readonly corpusFile: string | undefined;
  /** Secrets the run knows of (for redaction). */
  readonly secrets: string[];
  /** Stop the embedded mock and remove the private corpus. */
  close(): Promise<void>;
}

/**
 * Prepare a planned run: read a given corpus (a missing or malformed one is exit 2 before anything starts), start
 * the embedded mock, and write a generated corpus (`place`) with a redacted copy in `copyDir` (the report folder).
 */
export async function prepareRun(
  plan: RunPlan,
  how: {
    place?: CorpusPlace | undefined;
    copyDir?: string | undefined;
    /** Where the script's handleSummary writes k6's summary data (EVKIT_SUMMARY_FILE). */
    summaryFile?: string | undefined;
    onNote?: ((text: string) => void) | undefined;
    /** The note of the embedded mock's start, from its URL. */
    mockNote?: ((url: string) => string) | undefined;
    /** The environment whose secret variables are redacted too (default process.env). */
    processEnv?: NodeJS.ProcessEnv | undefined;
  } = {},
): Promise<PreparedRun> {
  const { options } = plan;
  const given = options.corpus === undefined ? undefined : resolve(options.corpus);
  const givenCases = given === undefined ? undefined : readCorpus(given);
  const secrets = runSecrets(plan.tenantFile, {
    ...(how.processEnv ?? process.env),
    ...(plan.settings.key === undefined ? {} : { EVKIT_KEY: plan.settings.key }),
    ...(plan.settings.jwtSecret === undefined ? {} : { EVKIT_JWT_SECRET: plan.settings.jwtSecret }),
  });
  let mock: MockHandle | undefined;
  let privateDir: string | undefined;
  const close = async () => {
    await mock?.close({ drainDeadlineMs: 1000 });
    if (privateDir) await rm(privateDir, { recursive: true, force: true });
  };
  try {
    if (plan.embedded) {
      mock = await startMock({ tenantFile: plan.tenantFile });
      how.onNote?.(how.mockNote?.(mock.url) ?? `target: the embedded mock endpoint at ${mock.url}`);
    }
    const target = options.target ?? (mock as MockHandle).url;
    let cases = givenCases ?? [];
    let corpusFile = given;
    if (givenCases === undefined) {
      cases = generateCases({
        kind: 'valid',
        count: options.corpusSize ?? 200,
        seed: options.seed ?? 1,
        tenantFile: plan.tenantFile,
      });
      const place = how.place ?? 'private';
      if (place === 'private') {
        privateDir = await mkdtemp(resolve(tmpdir(), 'evkit-corpus-'));
        corpusFile = resolve(privateDir, CORPUS_FILE);
      } else if (place !== 'none') corpusFile = place.file;
      if (corpusFile !== undefined) await writeFile(corpusFile, JSON.stringify(cases));
      if (how.copyDir !== undefined)
        await writeFile(join(how.copyDir, CORPUS_FILE), JSON.stringify(redact(cases, secrets)));
    }
    const config = loadRunConfig(
      plan.settings,
      { target, corpus: corpusFile, summaryFile: how.summaryFile },
      plan.config.other,
    );
    return { plan, mock, target, config, cases, corpusFile, secrets, close };
  } catch (error) {
    await close();
    throw error;
  }
}
