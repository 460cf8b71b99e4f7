/**
 * `evkit load --emit k6-operator`: write what a Kubernetes cluster needs to run a load script on N pods —
 * a ConfigMap with the bundle and its corpus and a TestRun — without running anything here.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Case } from '../../generators/index.ts';
import { ENV, valuesEnv } from '../../load/lib/index.ts';
import { type ErrorDetails, EvkitError, isEvkitError } from '../errors.ts';
import { readScriptOptions } from '../harness/index.ts';
import {
  builtinOptions,
  CORPUS_FILE,
  guardTarget,
  peakPlannedRate,
  planRun,
  prepareRun,
  type RunLoadOptions,
  resolveBundle,
  runSettings,
  scriptEnv,
  scriptSettingsOfEnv,
} from '../load/index.ts';
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
export { CORPUS_FILE } from '../load/index.ts';

/** Settings that must never be written into a manifest: they go through the Secret. */
const SECRET_ENV: readonly string[] = [ENV.key, ENV.jwtSecret];
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
  | 'settings'
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

/**
 * Build the bundle and the corpus and write `<dir>/testrun.yaml` (ConfigMap + TestRun) with the bundle and
 * corpus next to it; throws E_CONFIG (exit 2) when they do not fit a ConfigMap.
 */
export async function emitK6Operator(options: EmitOptions): Promise<EmitResult> {
  const target = options.target;
  if (target === undefined || target === '') {
    throw new EvkitError(
      'E_NO_TARGET',
      '--emit k6-operator needs --target: the pods cannot reach an embedded mock',
      { details: { command: 'emit' } },
    );
  }
  const processEnv = options.processEnv ?? process.env;
  const parallelism = options.parallelism ?? 1;
  const dir = resolve(options.outDir ?? join('dist', 'k6-operator'));
  const { name, bundle, known } = await resolveBundle(options.script);
  const bundleFile = basename(bundle);
  for (const k of Object.keys(options.env ?? {}))
    if (SECRET_ENV.includes(k))
      throw new EvkitError('E_SECRET_IN_MANIFEST', `${k} is a secret and cannot go into a manifest`, {
        details: { variable: k, secret: OPERATOR_SECRET.name },
      });
  const { settings } = runSettings({
    ...options,
    settings: options.settings ?? scriptSettingsOfEnv(processEnv).settings,
  });
  const jwt = settings.jwtSecret !== undefined || settings.serviceId !== undefined;
  if (jwt && settings.serviceId === undefined) {
    throw new EvkitError('E_CREDENTIALS', `${ENV.jwtSecret} is set but ${ENV.serviceId} is not`, {
      details: { variables: [ENV.jwtSecret, ENV.serviceId], problem: 'pods-jwt-pair' },
    });
  }
  const secretName = jwt ? ENV.jwtSecret : ENV.key;
  const secretKeys = { [secretName]: OPERATOR_SECRET.keys[secretName] };

  // The same preparation as a run, without a mock: the pods load the target; the corpus goes to the ConfigMap.
  // The secrets stay out of here: a placeholder stands in for the one the pods read from the Secret.
  const placeholder = jwt ? Buffer.from('placeholder').toString('base64') : 'placeholder';
  const { key: _key, jwtSecret: _secret, ...plain } = settings;
  const plan = planRun({
    target,
    embedded: false,
    tenantFile: options.tenantFile,
    settings: { ...plain, [jwt ? 'jwtSecret' : 'key']: placeholder },
    corpus: options.corpus,
    seed: options.seed,
    corpusSize: options.corpusSize,
  });
  const prepared = await prepareRun(plan, { place: 'none', processEnv });
  const { cases, invalidWithCredentials } = withoutCredentials(prepared.cases);
  const corpus = JSON.stringify(cases);
  const content = await readFile(bundle, 'utf8');
  // The files go to the folder first: over 1 MiB they are what a volume would hold instead.
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, bundleFile), content);
  await writeFile(join(dir, CORPUS_FILE), corpus);

  // The runners' plain environment: the typed settings but the secrets; the corpus sits next to the bundle.
  const { key: _k, jwtSecret: _j, summaryFile: _s, ...manifestValues } = prepared.config.values;
  const env = valuesEnv({ ...manifestValues, corpus: CORPUS_FILE });

  // Plan check as `evkit load` does it: the whole test's peak rate, whatever the pods split it into.
  const scriptOptions = known
    ? builtinOptions(known, prepared.config)
    : await readScriptOptions(bundle, {
        ...scriptEnv(prepared.config),
        [ENV.corpus]: join(dir, CORPUS_FILE),
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
    if (isEvkitError(error) && error.code === 'E_CONFIGMAP_SIZE') {
      throw new EvkitError('E_CONFIGMAP_SIZE', error.message, {
        details: {
          ...(error.details as ErrorDetails<'E_CONFIGMAP_SIZE'>),
          dir,
          written: [bundleFile, CORPUS_FILE],
        },
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
