/**
 * The errors of the toolkit: one table keyed by code. Each code has its family (which sets the exit code), the
 * type of its details, and the fix a user can apply, written once here from those details — a throw site says
 * what went wrong and hands over the facts; it never writes a fix of its own.
 */
import { dirname } from 'node:path';

/** Exit codes of `evkit`: 0 passed, 1 a check failed, 2 usage or configuration, 3 internal. */
export const EXIT = { ok: 0, checkFailed: 1, usage: 2, internal: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What kind of failure a code is; the family sets the exit code. */
export const FAMILY_EXIT = {
  usage: EXIT.usage,
  config: EXIT.usage,
  tool: EXIT.usage,
  check: EXIT.checkFailed,
  network: EXIT.checkFailed,
  internal: EXIT.internal,
} as const satisfies Record<string, ExitCode>;
export type ErrorFamily = keyof typeof FAMILY_EXIT;

/** Where a setting came from, as the settings resolver names it. */
export type SettingOrigin =
  | { readonly kind: 'flag'; readonly name: string }
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'file'; readonly name: string; readonly file: string };

/** One row of the table: the family, and the fix from the row's details (absent where no fix applies). */
interface ErrorSpec<D> {
  readonly family: ErrorFamily;
  readonly fix: ((details: D) => string | undefined) | undefined;
}

/** A row whose details have type D. */
function row<D extends object = Record<never, never>>(
  family: ErrorFamily,
  fix?: (details: D) => string | undefined,
): ErrorSpec<D> {
  return { family, fix };
}

/** File-system faults on a path the user named, and their fixes. */
export const OUTPUT_FAULT_FIX = {
  ENOENT: (path: string) => `create it first (mkdir -p ${dirname(path)}) or write somewhere else`,
  ENOTDIR: () => 'choose a path under a folder',
  EISDIR: () => 'name a file inside it',
  EEXIST: () => 'name a folder, or remove the file',
  EACCES: () => 'write somewhere you may write',
  EROFS: () => 'write somewhere else',
} as const satisfies Record<string, (path: string) => string>;
export type OutputFaultCode = keyof typeof OUTPUT_FAULT_FIX;

/** Why a URL cannot be reached (the pre-flight check), and the fix of each. */
export const REACH_FAILURE_FIX = {
  dns: 'check the host name',
  refused: 'start the service, or check the port',
  unreachable: 'check the address and the network',
  reset: 'check that it speaks HTTP(S) on that port',
  timeout: 'check the address',
  tls: 'check the certificate (NODE_EXTRA_CA_CERTS adds a CA), or use http:// if it does not speak TLS',
} as const;
export type ReachFailure = keyof typeof REACH_FAILURE_FIX;

const TENANT_FILE_FIX = 'compare with the default tenant file that `evkit tenant` prints';
const CORPUS_FIX = 'pass a JSON array of cases (evkit generate --format k6 --out corpus.json)';
const VERIFIER_FIX = 'check the pact files or the broker selectors, and that the provider URL is reachable';

/** What to do when a contract does not hold, by the check that failed. */
const CONTRACT_FIX = {
  'verify-provider':
    'states cannot be set on a real provider: verify those interactions against the mock, or filter with PACT_PROVIDER_NO_STATE=true',
  'verify-mock': 'read the mismatches above; each reproduction line replays the interaction',
  'consumer-suite': 'read the failing interactions above: a failing interaction is not written to the pact',
  codes: 'the tenant file must make every code reachable (docs/contracts.md)',
  answer: undefined,
} as const;

/** Flag combinations that are refused, and the fix of each. */
export const FLAG_RULE_FIX = {
  'emit-sets-segments': 'drop --segments and --execution-segment(-sequence)',
  'parallelism-needs-emit': 'use --segments to run several instances here',
  'segments-set-segment': 'drop --execution-segment and --execution-segment-sequence',
  'proxy-only': 'add --proxy <base URL>, or drop them',
  'proxy-plain-http': 'drop --tls/--cert (the proxy talks HTTPS to an https:// upstream itself)',
  'cert-with-key': 'give both PEM files, or --tls for a generated certificate',
  'one-of': 'pass one',
  'burst-needs-tps': 'e.g. --expected-tps 200 --expected-burst',
  'start-below-max': 'start below the maximum rate',
  'contract-needs-tps':
    'to check a remote tenant against its contract, use --expected-tps (and --expected-burst)',
} as const;
export type FlagRule = keyof typeof FLAG_RULE_FIX;

/** Credentials that are missing or half set, and the fix of each. */
export const CREDENTIALS_FIX = {
  'probe-jwt-pair': 'set both to probe with a JWT (the bare-JWT probe), or neither',
  'probe-no-key': 'export EVKIT_KEY=<a key of the tenant> (never pass it as a flag)',
  'pods-jwt-pair':
    "set EVKIT_SERVICE_ID (the JWT's iss) to sign JWTs in the pods, or unset EVKIT_JWT_SECRET to use a service key",
} as const;
export type CredentialsProblem = keyof typeof CREDENTIALS_FIX;

/** The last three lines a tool printed, as one line. */
function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}

/** A flag, variable or key with an example value, as the fix for that source. */
function exampleFor(origin: SettingOrigin, example: string): string {
  switch (origin.kind) {
    case 'flag':
      return `e.g. ${origin.name} ${example}`;
    case 'env':
      return `e.g. ${origin.name}=${example}, or unset it`;
    case 'file':
      return `e.g. "${origin.name}": ${example} in ${origin.file}, or remove the key`;
  }
}

/**
 * Every error code. Families: usage (exit 2), config (exit 2), tool (a program or package is missing, exit 2),
 * check (a check failed, exit 1), network (exit 1), internal (exit 3).
 */
export const ERRORS = {
  // Usage: what the user typed or passed.
  /** A value of a flag or option; the fix shows an example. */
  E_USAGE: row<{ readonly flag?: string; readonly example?: string; readonly value?: unknown }>(
    'usage',
    (d) => (d.flag !== undefined && d.example !== undefined ? `e.g. ${d.flag} ${d.example}` : undefined),
  ),
  /** Flags that do not go together (or one that needs another). */
  E_FLAGS: row<{ readonly flags: readonly string[]; readonly rule: FlagRule }>(
    'usage',
    (d) => FLAG_RULE_FIX[d.rule],
  ),
  /** A setting from a flag, EVKIT_* or the config file out of its range. */
  E_SETTING: row<{ readonly origin: SettingOrigin; readonly value: unknown; readonly example: string }>(
    'usage',
    (d) => exampleFor(d.origin, d.example),
  ),
  E_UNKNOWN_SCRIPT: row<{ readonly script: string; readonly known: readonly string[] }>(
    'usage',
    (d) => `use ${d.known.join(', ')}, or the path of a k6 bundle (.js)`,
  ),
  E_UNKNOWN_CODE: row<{ readonly code: string }>(
    'usage',
    () => '`evkit generate --list` shows the codes and their mutations',
  ),
  E_CODE_KIND: row<{ readonly code: string; readonly kind: string; readonly acceptedCode: string }>(
    'usage',
    (d) =>
      `use --code ${d.acceptedCode} only with --kind valid, and an error code with --kind invalid or mixed`,
  ),
  E_CODE_NOT_BY_REQUEST: row<{ readonly code: string }>(
    'usage',
    () => 'it is a state or a load shape: `evkit generate --list` says how to reach it',
  ),
  /** No mutation of a code holds under the evaluator options, or applies to the tenant file. */
  E_NO_MUTATION: row<{ readonly code: string | undefined; readonly under: 'options' | 'tenant' }>(
    'usage',
    (d) =>
      d.under === 'options'
        ? '`evkit generate --list` shows each mutation and the options it needs'
        : '7001 needs keys or JWT secrets, 7010 an allowlist, 7025 an event with mandatory parameters',
  ),
  /** The reference suite found no generated case for an interaction. */
  E_NO_CASE: row<{ readonly code: string; readonly label: string; readonly seed: number }>(
    'usage',
    () =>
      'the tenant file lacks what this interaction needs (docs/contracts.md lists it per code), or pass another seed',
  ),
  E_URL: row<{ readonly flag: string; readonly value: string }>(
    'usage',
    (d) => `e.g. ${d.flag} http://127.0.0.1:8080`,
  ),
  E_UNREACHABLE: row<{
    readonly flag: string;
    readonly target: string;
    readonly code: string;
    readonly failure: ReachFailure | undefined;
  }>('usage', (d) => (d.failure === undefined ? 'check the URL' : REACH_FAILURE_FIX[d.failure])),
  /** A target outside loopback without --allow-remote. */
  E_REMOTE_TARGET: row<{ readonly host: string; readonly action: 'load' | 'probe'; readonly rate?: number }>(
    'usage',
    (d) =>
      d.action === 'load'
        ? 'a load test can hurt a real tenant: pass --allow-remote and a --max-rate cap (requests/s) to go on'
        : `pass --allow-remote to go on; requests stay paced at --rate (now ${d.rate}/s; a sandbox tenant allows 1/s)`,
  ),
  E_RATE_CAP: row<{ readonly peakRate: number; readonly maxRate: number }>(
    'usage',
    () => 'lower --rate (or --expected-tps for rate-limit), or raise --max-rate',
  ),
  E_DURATION_SHORT: row<{ readonly minimumMs: number; readonly durationMs: number }>(
    'usage',
    (d) =>
      `e.g. --duration ${d.minimumMs / 1000}s: shorter, the limiter's window still holds the ramp down when the recovery phase begins`,
  ),
  E_CORPUS: row<{ readonly path: string }>('usage', () => CORPUS_FIX),
  E_OUTPUT: row<{ readonly path: string; readonly code: OutputFaultCode }>('usage', (d) =>
    OUTPUT_FAULT_FIX[d.code](d.path),
  ),
  E_RUN_ID: row<{ readonly runId: string }>(
    'usage',
    () => 'use letters, digits, ".", "_" and "-" only (newRunId makes one)',
  ),
  E_PACTS_DIR: row<{
    readonly dir: string;
    readonly problem: 'file' | 'create' | 'foreign';
    readonly foreign?: readonly string[];
  }>('usage', (d) =>
    d.problem === 'create'
      ? 'name a folder under a directory that exists and is writable'
      : `name a new or empty pacts folder (contracts --out, start --pacts-dir)${d.problem === 'foreign' ? '; evkit only ever removes the pact files it wrote itself' : ''}`,
  ),
  E_PACT_FILE: row<{ readonly file: string; readonly missing?: readonly string[] }>(
    'usage',
    () => 'pass pact files (JSON, written by a Pact consumer test)',
  ),
  E_NOT_FOUND: row<{ readonly path: string; readonly defaultFolder: boolean }>('usage', (d) =>
    d.defaultFolder
      ? 'run evkit contracts first (it writes ./pacts)'
      : 'check the path: pass a pact file or a folder of pact files (*.json)',
  ),
  E_PROVIDER_MISMATCH: row<{ readonly files: readonly string[]; readonly providers: readonly string[] }>(
    'usage',
    () =>
      'pass --provider <name> and only the pacts of that provider (the verifier would skip the others silently)',
  ),
  E_LISTEN: row<{ readonly host: string; readonly port: number; readonly code: string | undefined }>(
    'usage',
    (d) =>
      d.code === 'EADDRINUSE' ? 'choose another --port, or 0 for a free one' : 'check --host and --port',
  ),
  E_TLS_FILE: row<{ readonly path: string }>(
    'usage',
    () => 'give PEM files to --cert and --key, or use --tls for a generated certificate',
  ),
  E_MOCK_CONTROL: row<{
    readonly operation: string;
    readonly state?: string;
    readonly problems?: readonly unknown[];
  }>('usage', (d) =>
    d.operation === 'setClock'
      ? 'pass a Date, epoch milliseconds, an ISO time with a zone, or null for real time'
      : d.operation === 'updateTenant'
        ? 'the rate limit and faults take the shapes of the tenant file (docs/mock.md)'
        : undefined,
  ),
  E_SECRET_IN_MANIFEST: row<{ readonly variable: string; readonly secret: string }>(
    'usage',
    (d) => `create the Secret "${d.secret}" instead (docs/load.md, Distributed runs)`,
  ),
  /** A command that needs a target got none. */
  E_NO_TARGET: row<{ readonly command: 'probe' | 'emit' }>('usage', (d) =>
    d.command === 'probe'
      ? 'e.g. evkit probe --target http://127.0.0.1:8080 --dry-run'
      : 'pass --target with the Event API base URL the pods should load (and --allow-remote --max-rate)',
  ),
  E_NO_EVTID: row('usage', () => 'pass --evtid <id> (an event of the tenant without mandatory parameters)'),
  E_REQUEST_BODY: row<{ readonly issues: readonly unknown[] }>(
    'usage',
    () => 'fix the body, or create the client with validate: false to send it anyway',
  ),

  // Configuration: files, environment, credentials.
  /** The config file: two at once, a syntax error, or not an object. */
  E_CONFIG: row<{
    readonly path?: string;
    readonly dir?: string;
    readonly files?: readonly string[];
    readonly problem: 'two-files' | 'syntax' | 'shape';
  }>('config', (d) =>
    d.problem === 'two-files'
      ? `merge them into one and remove the other (${(d.files ?? []).slice(1).join(', ')})`
      : d.problem === 'syntax'
        ? `fix the syntax of ${d.path ?? 'the file'} or remove it`
        : undefined,
  ),
  E_CONFIG_KEY: row<{ readonly key: string; readonly file: string; readonly guess: string | undefined }>(
    'config',
    (d) =>
      d.guess === undefined
        ? 'remove it; the known keys are in the README (Configuration)'
        : `did you mean "${d.guess}"?`,
  ),
  E_CREDENTIALS: row<{ readonly variables: readonly string[]; readonly problem: CredentialsProblem }>(
    'config',
    (d) => CREDENTIALS_FIX[d.problem],
  ),
  E_TENANT_FILE: row<{
    readonly file: string;
    readonly problem: 'read' | 'syntax' | 'invalid';
    readonly problems?: readonly unknown[];
  }>('config', (d) =>
    d.problem === 'read'
      ? 'check the path; `evkit tenant > tenant.yaml` writes a file to start from'
      : d.problem === 'syntax'
        ? `fix the syntax; ${TENANT_FILE_FIX}`
        : TENANT_FILE_FIX,
  ),
  /** The tenant file lacks what a command needs. */
  E_TENANT_LACKS: row<{
    readonly need: 'usable-tenant' | 'jwt-service';
    readonly tenants?: readonly string[];
  }>('config', (d) =>
    d.need === 'usable-tenant'
      ? 'give a tenant one event, one active service key (or a jwtSecret), and allow 127.0.0.1'
      : 'give a service of the tenant a jwtSecret',
  ),
  E_CLIENT_TARGET: row<{ readonly regions: readonly string[] }>(
    'config',
    (d) => `pass baseUrl, or one of the regions: ${d.regions.join(', ')}`,
  ),
  E_BROKER_CONFIG: row<{ readonly need: 'url' | 'auth'; readonly url?: string }>('config', (d) =>
    d.need === 'auth'
      ? 'set both, or use PACT_BROKER_TOKEN instead'
      : d.url === undefined
        ? 'pass --broker-url <url> or set PACT_BROKER_BASE_URL'
        : 'use http(s)://host[:port]',
  ),
  E_VERSION: row<{ readonly cwd?: string; readonly need: 'git' | 'provider-version' }>('config', (d) =>
    d.need === 'git'
      ? 'run inside a git checkout, or pass --consumer-version (publish) / --version (can-i-deploy)'
      : 'pass --provider-version (e.g. the provider git commit)',
  ),
  /** A load script refused its settings (init or options phase). */
  E_SCRIPT_SETTING: row<{ readonly bundle?: string; readonly stack?: string | undefined }>(
    'config',
    () => 'check the EVKIT_* settings the script reads (docs/load.md)',
  ),
  /** The k6-operator manifests would not fit a ConfigMap. */
  E_CONFIGMAP_SIZE: row<{
    readonly bytes: number;
    readonly files: readonly string[];
    readonly dir?: string;
    readonly written?: readonly string[];
  }>('config', (d) =>
    [
      'generate a smaller corpus (--count), or put the files on a PersistentVolumeClaim and set spec.script.volumeClaim: {name, file} in the TestRun instead of spec.script.configMap',
      d.dir === undefined
        ? undefined
        : `${(d.written ?? []).join(' and ')} are in ${d.dir}, ready to copy to a volume`,
    ]
      .filter((s) => s !== undefined)
      .join('; '),
  ),
  /** k6 refused the script or its options (k6 exit 104/107); the fix is what k6 printed last. */
  E_K6_SCRIPT: row<{ readonly stderr: string }>('config', (d) => lastLines(d.stderr)),
  E_VERIFIER_SETUP: row<{ readonly transcript?: string }>('config', () => VERIFIER_FIX),

  // Tools and packages that are missing.
  E_TOOL_MISSING: row<{ readonly tool: string }>('tool', (d) =>
    d.tool === 'k6'
      ? 'install k6, or use --engine harness'
      : d.tool === '@pact-foundation/pact-cli'
        ? 'npm i -D @pact-foundation/pact-cli (and install without --omit=optional: its binary is a platform package)'
        : `npm i -D ${d.tool}`,
  ),

  // Checks that failed (exit 1).
  /** can-i-deploy said no. */
  E_CHECK_FAILED: row<{ readonly deployable: boolean | null }>('check', (d) =>
    d.deployable === null
      ? 'verification results are missing: run the provider verification, or pass --retry-while-unknown'
      : 'a verification failed: fix the provider or the contract, then verify again',
  ),
  /** A contract does not hold: a verification, the consumer suite, or an answer that is not the envelope. */
  E_CONTRACT: row<{
    readonly check: 'verify-provider' | 'verify-mock' | 'consumer-suite' | 'codes' | 'answer';
    readonly dir?: string;
    readonly codes?: readonly string[];
    readonly failed?: readonly string[];
    readonly httpStatus?: number;
    readonly body?: string;
    readonly issues?: readonly unknown[];
  }>('check', (d) => CONTRACT_FIX[d.check]),
  E_BROKER: row<{
    readonly output: string;
    readonly brokerUrl?: string;
    readonly exitCode?: number | null;
    readonly environment?: string;
    readonly missingVerdict?: true;
  }>('check', (d) =>
    d.environment !== undefined
      ? `create it first (pact-broker create-environment --name ${d.environment}), or check --environment`
      : d.missingVerdict === true
        ? undefined
        : 'read the broker message above; for 401/403 check PACT_BROKER_TOKEN or PACT_BROKER_USERNAME/PASSWORD',
  ),
  E_NETWORK: row<{
    readonly url: string;
    readonly timeoutMs?: number;
    readonly broker?: true;
    readonly output?: string;
  }>('network', (d) =>
    d.broker === true
      ? 'check --broker-url / PACT_BROKER_BASE_URL and that the broker is up (raise --retries for a flaky network)'
      : d.timeoutMs === undefined
        ? undefined
        : 'raise the client timeout or check that the endpoint is up',
  ),

  // Internal: evkit's own fault or a broken installation (exit 3).
  E_BUNDLE: row<{ readonly file: string; readonly issues: readonly { kind: string; message: string }[] }>(
    'internal',
    (d) => d.issues.map((i) => `${i.kind}: ${i.message}`).join('; '),
  ),
  /** k6 itself failed; the fix is what it printed last. */
  E_K6: row<{ readonly stderr: string }>('internal', (d) =>
    d.stderr.trim().split('\n').slice(-3).join(' | '),
  ),
  E_INSTALL: row<{ readonly package: string }>(
    'internal',
    (d) => `the ${d.package} package is a dependency of evkit; reinstall dependencies`,
  ),
  E_VERIFIER: row<{ readonly transcript?: string }>('internal', () => VERIFIER_FIX),
  E_INTERNAL: row<{
    readonly transcript?: string;
    readonly stack?: string | undefined;
    readonly bundle?: string;
    readonly tenantFile?: string;
    readonly issues?: readonly unknown[];
  }>('internal'),
} as const;

export type ErrorCode = keyof typeof ERRORS;
/** The details a code carries. */
export type ErrorDetails<C extends ErrorCode> = (typeof ERRORS)[C] extends ErrorSpec<infer D> ? D : never;

/** The exit code of every error code (from its family). */
export const ERROR_CODES = Object.fromEntries(
  Object.entries(ERRORS).map(([code, spec]) => [code, FAMILY_EXIT[spec.family]]),
) as { readonly [C in ErrorCode]: ExitCode };

/** The options of one error: its details (required where the code's details have required keys) and cause. */
type ErrorOptions<C extends ErrorCode> =
  Record<never, never> extends ErrorDetails<C>
    ? [options?: { details?: ErrorDetails<C>; cause?: unknown }]
    : [options: { details: ErrorDetails<C>; cause?: unknown }];

/** The one error class of the toolkit: a stable code, details typed by the code, the original cause. */
export class EvkitError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly details: ErrorDetails<C>;

  constructor(code: C, message: string, ...[options]: ErrorOptions<C>) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EvkitError';
    this.code = code;
    this.details = (options?.details ?? {}) as ErrorDetails<C>;
  }

  /** How to fix it, from the table (undefined where no fix applies). */
  get hint(): string | undefined {
    const fix = ERRORS[this.code].fix as ((d: ErrorDetails<C>) => string | undefined) | undefined;
    return fix?.(this.details);
  }

  /** The family of the code (usage, config, tool, check, network, internal). */
  get family(): ErrorFamily {
    return ERRORS[this.code].family;
  }

  /** The exit code this error maps to. */
  get exitCode(): ExitCode {
    return FAMILY_EXIT[this.family];
  }
}

/**
 * An error from a code and details that crossed a process or module boundary (a child's answer, a rethrow with
 * more details): the details are taken as the code's own.
 */
export function errorFrom(code: ErrorCode, message: string, details: unknown, cause?: unknown): EvkitError {
  return new (
    EvkitError as new (
      code: ErrorCode,
      message: string,
      options: { details: unknown; cause?: unknown },
    ) => EvkitError
  )(code, message, cause === undefined ? { details } : { details, cause });
}

/** Whether a value is an EvkitError (also across module copies). */
export function isEvkitError(value: unknown): value is EvkitError {
  return (
    value instanceof EvkitError || (value instanceof Error && value.name === 'EvkitError' && 'code' in value)
  );
}

/** Whether a string is an error code of the table (e.g. one sent back by a child process). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERRORS, value);
}
