/**
 * `evkit load --emit k6-operator`: write what a Kubernetes cluster needs to run a load script on N pods —
 * a ConfigMap with the bundle and its corpus and a TestRun — without running anything here.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { type Case, generateCases } from '../../generators/index.ts';
import { ENV } from '../../load/lib/names.ts';
import { EvkitError, isEvkitError } from '../errors.ts';
import { readScriptOptions } from '../harness/index.ts';
import { guardTarget, peakPlannedRate } from '../load/guard.ts';
import { type RunLoadOptions, resolveBundle } from '../load/run.ts';
import { scriptSettingsEnv } from '../load/script-env.ts';
import { defaultTenantFile } from '../schema/default-tenant.ts';
import { HEADER } from '../schema/index.ts';
import { k6OperatorManifests, type OperatorManifests } from './k6-operator.ts';

/** The emit targets `--emit` accepts. */
export const EMIT_KINDS = ['k6-operator'] as const;
export type EmitKind = (typeof EMIT_KINDS)[number];

/** The Kubernetes Secret the runners read credentials from, and its keys by environment variable. */
export const OPERATOR_SECRET = {
  name: 'evkit',
  keys: { [ENV.key]: 'key', [ENV.jwtSecret]: 'jwt-secret' },
} as const;

/** The file the manifests go to, inside the output folder. */
export const TESTRUN_FILE = 'testrun.yaml';
/** The corpus' file name in the ConfigMap (the bundle opens it relative to itself). */
export const CORPUS_FILE = 'corpus.json';

/** Settings that must never be written into a manifest: they go through the Secret. */
const SECRET_ENV: readonly string[] = [ENV.key, ENV.jwtSecret];
/** Settings evkit sets itself (paths of this machine mean nothing in a pod). */
const OWN_ENV: readonly string[] = [ENV.target, ENV.corpus, ENV.summaryFile];
const SCRIPT_ENV: readonly string[] = Object.values(ENV);
const CREDENTIAL_HEADERS: readonly string[] = [HEADER.key, HEADER.authorization];

/** Options of an emit: the load run's settings, where to write, and how many pods. */
export type EmitOptions = Pick<
  RunLoadOptions,
  | 'script'
  | 'target'
  | 'rate'
  | 'duration'
  | 'eventsPerRequest'
  | 'expectedTps'
  | 'burst'
  | 'seed'
  | 'corpus'
  | 'corpusSize'
  | 'tenantFile'
  | 'allowRemote'
  | 'maxRate'
> & {
  /** Extra script settings by EVKIT_* name; secret names are refused here. */
  env?: Record<string, string> | undefined;
  /** Runner pods (default 1); the operator gives each an execution segment. */
  parallelism?: number | undefined;
  /** Output folder (default dist/k6-operator). */
  outDir?: string | undefined;
  /** The environment EVKIT_* script settings and the sign-in kind are read from (default process.env). */
  processEnv?: NodeJS.ProcessEnv | undefined;
};

/** What an emit wrote and what to run next. */
export interface EmitResult {
  readonly file: string;
  readonly dir: string;
  readonly manifests: OperatorManifests;
  /** Environment variable -> key of the `evkit` Secret the TestRun reads. */
  readonly secretKeys: Readonly<Record<string, string>>;
  /** Commands to run the test in a cluster, in order. */
  readonly commands: readonly string[];
  /** Warnings a user should read (e.g. invalid cases that carry their own credentials). */
  readonly warnings: readonly string[];
}

function readCorpus(file: string): Case[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new EvkitError('E_USAGE', `cannot read the corpus ${file}`, {
      cause,
      hint: 'pass a JSON array of cases (evkit generate --format k6)',
    });
  }
  if (!Array.isArray(data))
    throw new EvkitError('E_USAGE', `the corpus ${file} is not a JSON array of cases`, {
      hint: 'pass a JSON array of cases (evkit generate --format k6)',
    });
  return data as Case[];
}

/** Valid cases get the runner's own credentials, so their generated keys and JWTs stay out of the ConfigMap. */
function withoutCredentials(cases: readonly Case[]): { cases: Case[]; invalidWithCredentials: number } {
  let invalidWithCredentials = 0;
  const out = cases.map((c) => {
    const names = Object.keys(c.headers ?? {});
    const carries = names.some((n) => CREDENTIAL_HEADERS.includes(n.toLowerCase()));
    if (!carries) return c;
    if (c.kind !== 'valid') {
      invalidWithCredentials += 1;
      return c;
    }
    const headers = Object.fromEntries(
      Object.entries(c.headers).filter(([n]) => !CREDENTIAL_HEADERS.includes(n.toLowerCase())),
    );
    return { ...c, headers };
  });
  return { cases: out, invalidWithCredentials };
}

/** The runners' plain environment: EVKIT_* script settings of the environment, then the flags; never a secret. */
function runnerEnv(
  options: EmitOptions,
  target: string,
  processEnv: NodeJS.ProcessEnv,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(processEnv))
    if (v !== undefined && SCRIPT_ENV.includes(k) && !SECRET_ENV.includes(k) && !OWN_ENV.includes(k))
      env[k] = v;
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (SECRET_ENV.includes(k))
      throw new EvkitError('E_USAGE', `${k} is a secret and cannot go into a manifest`, {
        hint: `create the Secret "${OPERATOR_SECRET.name}" instead (docs/load.md, Distributed runs)`,
      });
    env[k] = v;
  }
  // The corpus path is relative to the bundle: both sit in the ConfigMap's folder.
  return {
    ...env,
    ...scriptSettingsEnv({
      target,
      rate: options.rate,
      duration: options.duration,
      eventsPerRequest: options.eventsPerRequest,
      expectedTps: options.expectedTps,
      burst: options.burst,
      corpus: CORPUS_FILE,
    }),
  };
}

/**
 * Build the bundle and the corpus and write `<dir>/testrun.yaml` (ConfigMap + TestRun) with the bundle and
 * corpus next to it; throws E_CONFIG (exit 2) when they do not fit a ConfigMap.
 */
export async function emitK6Operator(options: EmitOptions): Promise<EmitResult> {
  const target = options.target;
  if (target === undefined || target === '') {
    throw new EvkitError(
      'E_USAGE',
      '--emit k6-operator needs --target: the pods cannot reach an embedded mock',
      {
        hint: 'pass --target with the Event API base URL the pods should load (and --allow-remote --max-rate)',
      },
    );
  }
  const processEnv = options.processEnv ?? process.env;
  const parallelism = options.parallelism ?? 1;
  const dir = resolve(options.outDir ?? join('dist', 'k6-operator'));
  const { name, bundle } = await resolveBundle(options.script);
  const bundleFile = basename(bundle);

  const generated =
    options.corpus === undefined
      ? generateCases({
          kind: 'valid',
          count: options.corpusSize ?? 200,
          seed: options.seed ?? 1,
          tenantFile: options.tenantFile ?? defaultTenantFile(),
        })
      : readCorpus(resolve(options.corpus));
  const { cases, invalidWithCredentials } = withoutCredentials(generated);
  const corpus = JSON.stringify(cases);
  const content = await readFile(bundle, 'utf8');
  // The files go to the folder first: over 1 MiB they are what a volume would hold instead.
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, bundleFile), content);
  await writeFile(join(dir, CORPUS_FILE), corpus);

  const env = runnerEnv(options, target, processEnv);
  const jwt = processEnv[ENV.jwtSecret] !== undefined || env[ENV.serviceId] !== undefined;
  if (jwt && env[ENV.serviceId] === undefined) {
    throw new EvkitError('E_USAGE', `${ENV.jwtSecret} is set but ${ENV.serviceId} is not`, {
      hint: `set ${ENV.serviceId} (the JWT's iss) to sign JWTs in the pods, or unset ${ENV.jwtSecret} to use a service key`,
    });
  }
  const secretName = jwt ? ENV.jwtSecret : ENV.key;
  const secretKeys = { [secretName]: OPERATOR_SECRET.keys[secretName] };

  // Plan check as `evkit load` does it: the whole test's peak rate, whatever the pods split it into.
  // The init code checks the sign-in settings; a placeholder stands in for the secret, which stays out of here.
  const scriptOptions = await readScriptOptions(bundle, {
    ...env,
    [ENV.corpus]: join(dir, CORPUS_FILE),
    [secretName]: jwt ? Buffer.from('placeholder').toString('base64') : 'placeholder',
  });
  guardTarget(target, {
    allowRemote: options.allowRemote ?? false,
    maxRate: options.maxRate ?? 0,
    peakRate: peakPlannedRate(scriptOptions),
  });

  let manifests: OperatorManifests;
  try {
    manifests = k6OperatorManifests({
      name: `evkit-${name}`,
      parallelism,
      script: { file: bundleFile, content },
      dataFiles: { [CORPUS_FILE]: corpus },
      env,
      secretEnv: { [secretName]: { secret: OPERATOR_SECRET.name, key: OPERATOR_SECRET.keys[secretName] } },
    });
  } catch (error) {
    if (isEvkitError(error) && error.code === 'E_CONFIG') {
      throw new EvkitError(error.code, error.message, {
        details: { ...error.details, dir },
        hint: `${error.hint ?? ''}; ${bundleFile} and ${CORPUS_FILE} are in ${dir}, ready to copy to a volume`,
        cause: error,
      });
    }
    throw error;
  }
  const file = join(dir, TESTRUN_FILE);
  await writeFile(file, manifests.yaml);
  const testRunName = (manifests.testRun.metadata as { name: string }).name;
  const secretValue = jwt ? '<JWT secret, base64>' : '<service key>';
  return {
    file,
    dir,
    manifests,
    secretKeys,
    commands: [
      `kubectl create secret generic ${OPERATOR_SECRET.name} --from-literal=${OPERATOR_SECRET.keys[secretName]}='${secretValue}'`,
      `kubectl apply -f ${file}`,
      `kubectl get testrun ${testRunName} -w`,
    ],
    warnings:
      invalidWithCredentials > 0
        ? [
            `${invalidWithCredentials} invalid case(s) of the corpus carry their own credentials into the ConfigMap`,
          ]
        : [],
  };
}
