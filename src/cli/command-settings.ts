import { CASE_KINDS, CORPUS_FORMATS, GENERATE_DEFAULTS } from '../../generators/index.ts';
import { EMIT_KINDS } from '../distributed/index.ts';
import { DEFAULT_FIND_LIMIT_OPTIONS } from '../limit/index.ts';
import { ENGINES, RUN_SETTINGS, SCRIPT_SETTINGS } from '../load/index.ts';
import { DEFAULT_DRAIN_DEADLINE_MS, DEFAULT_MAX_CONNECTIONS } from '../mock/index.ts';
import { LIMITER_COUNTS, LIMITER_WINDOWS } from '../schema/index.ts';
import {
  baseUrl,
  choice,
  integer,
  positiveNumber,
  type SettingsTable,
  setting,
  switchFlag,
  text,
} from '../settings.ts';

/**
 * The settings of each command, by config-file key (the EVKIT_* name follows from the key unless given). One
 * evkit.config.json/.yaml serves every command: a key no table knows is refused, with a "did you mean".
 */

const s = setting;

/** `--allow-remote` of the commands that load a target (load, find-limit). */
const ALLOW_REMOTE_SETTING = s({
  kind: switchFlag(),
  default: false,
  flag: '--allow-remote',
  description: 'allow a target outside loopback (needs --max-rate)',
  example: 'true',
});

/** `--tenant <file>` of the commands that read a tenant file (generate, mock). */
const TENANT_FILE_SETTING = s({
  kind: text('<file>'),
  default: undefined,
  flag: '--tenant',
  description: 'tenant file, JSON or YAML',
  defaultText: 'the built-in one, see `evkit tenant`',
  example: 'tenant.yaml',
});

/** `evkit load`. */
export const LOAD_SETTINGS = {
  ...RUN_SETTINGS,
  seed: s({
    kind: integer(Number.MIN_SAFE_INTEGER),
    default: 1,
    flag: '--seed',
    description: 'seed of the generated corpus',
    example: '1',
  }),
  corpus: s({
    kind: text('<file>'),
    default: undefined,
    flag: '--corpus',
    description: 'a corpus (JSON array of cases, `evkit generate --format k6`) instead of a generated one',
    example: 'corpus.json',
  }),
  loadTenant: s({
    kind: text('<file>'),
    default: undefined,
    flag: '--tenant',
    description: 'tenant file of the embedded mock and the generated corpus',
    example: 'tenant.yaml',
  }),
  engine: s({
    kind: choice(['auto', ...ENGINES] as const),
    default: 'auto',
    flag: '--engine',
    description: `${ENGINES.join(' or ')}; auto: k6 when it is on PATH, else the harness`,
    example: 'harness',
  }),
  allowRemote: ALLOW_REMOTE_SETTING,
  maxRate: s({
    kind: positiveNumber(),
    default: undefined,
    flag: '--max-rate',
    description: 'refuse to plan more than this many req/s',
    example: '20',
  }),
  executionSegment: s({
    kind: text('<seg>'),
    default: undefined,
    flag: '--execution-segment',
    description: 'run this share of the test, e.g. 0:1/2',
    example: '0:1/2',
  }),
  executionSegmentSequence: s({
    kind: text('<seq>'),
    default: undefined,
    flag: '--execution-segment-sequence',
    description: 'all shares of the test, e.g. 0,1/2,1',
    example: '0,1/2,1',
  }),
  reportsDir: s({
    kind: text('<dir>'),
    default: 'reports',
    flag: '--reports-dir',
    description: 'where run folders go',
    example: 'reports',
  }),
  segments: s({
    kind: integer(1, 64),
    default: undefined,
    flag: '--segments',
    description: 'run n engine instances at once, one execution segment each, merged into one report',
    example: '2',
  }),
  emit: s({
    kind: choice(EMIT_KINDS),
    default: undefined,
    flag: '--emit',
    description: 'write manifests of this kind instead of running',
    example: 'k6-operator',
  }),
  emitDir: s({
    kind: text('<dir>'),
    default: 'dist/k6-operator',
    flag: '--out',
    description: 'where --emit writes',
    example: 'dist/k6-operator',
  }),
  parallelism: s({
    kind: integer(1, 1000),
    default: undefined,
    flag: '--parallelism',
    description: 'runner pods of --emit k6-operator',
    defaultText: '1',
    example: '4',
  }),
  ...SCRIPT_SETTINGS,
} satisfies SettingsTable;

/** `evkit generate`. */
export const GENERATE_SETTINGS = {
  generateKind: s({
    kind: choice(CASE_KINDS),
    default: 'mixed',
    flag: '--kind',
    description: 'valid, invalid, or mixed (half valid, half invalid over the codes)',
    example: 'valid',
  }),
  generateCount: s({
    kind: integer(1, 1_000_000),
    default: 10,
    flag: '--count',
    description: 'number of cases',
    example: '10',
  }),
  generateSeed: s({
    kind: integer(Number.MIN_SAFE_INTEGER),
    default: 1,
    flag: '--seed',
    description: 'seed: the same seed and --now give identical bytes',
    example: '1',
  }),
  generateTenant: TENANT_FILE_SETTING,
  generateFormat: s({
    kind: choice(CORPUS_FORMATS),
    default: 'ndjson',
    flag: '--format',
    description: 'ndjson, or k6 (a JSON array for SharedArray)',
    example: 'k6',
  }),
  generateMaxEvents: s({
    kind: integer(1, 1000),
    default: GENERATE_DEFAULTS.maxEvents,
    flag: '--max-events',
    description: 'events per request, 1..n',
    example: '3',
  }),
  generateNotifyPort: s({
    kind: integer(1, 65_535),
    default: GENERATE_DEFAULTS.notifyPort,
    flag: '--notify-port',
    description: 'port of the loopback notify URLs',
    example: '9090',
  }),
} satisfies SettingsTable;

/** `evkit mock`. */
export const MOCK_SETTINGS = {
  mockTenant: TENANT_FILE_SETTING,
  mockPort: s({
    kind: integer(0, 65_535),
    default: 0,
    flag: '--port',
    description: 'port to listen on (0 = a free one)',
    example: '8080',
  }),
  mockHost: s({
    kind: text('<host>'),
    default: '127.0.0.1',
    flag: '--host',
    description: 'address to listen on (beyond loopback the control API needs EVKIT_ADMIN_TOKEN)',
    example: '127.0.0.1',
  }),
  mockDrainDeadline: s({
    kind: integer(0, 3_600_000),
    default: DEFAULT_DRAIN_DEADLINE_MS,
    flag: '--drain-deadline',
    description: 'ms allowed to drain the queue and notifications on shutdown',
    example: '10000',
  }),
  mockMaxConnections: s({
    kind: integer(1, 1_000_000),
    default: DEFAULT_MAX_CONNECTIONS,
    flag: '--max-connections',
    description: 'open connections allowed; more are closed at once and counted (keep it below ulimit -n)',
    example: '1024',
  }),
  mockJournalSize: s({
    kind: integer(0, 10_000_000),
    default: undefined,
    flag: '--journal-size',
    description: 'request journal entries kept per tenant (0 = off)',
    defaultText: "each tenant's journalSize, 100",
    example: '1000',
  }),
  mockTenantText: s({
    kind: text(),
    default: undefined,
    description:
      "the tenant file's content, JSON or YAML (containers: EVKIT_MOCK_TENANT_TEXT; wins over --tenant)",
    example: '{"version":1,"tenants":[...]}',
  }),
  adminToken: s({
    kind: text(),
    default: undefined,
    secret: true,
    description: "the control API's bearer token",
    example: '<token>',
  }),
} satisfies SettingsTable;

/**
 * Settings of `evkit find-limit`. Shared keys (target, seed, maxRate, allowRemote, reportsDir, expectedTps)
 * mean what they mean for `evkit load`; the others start with findLimit (EVKIT_FIND_LIMIT_*).
 */
export const FIND_LIMIT_SETTINGS = {
  target: s({
    kind: baseUrl(),
    default: undefined,
    flag: '--target',
    description: 'base URL of the Event API',
    defaultText: 'start the embedded mock endpoint',
    example: 'http://127.0.0.1:8080',
  }),
  findLimitTenant: s({
    kind: text('<file>'),
    default: undefined,
    flag: '--tenant',
    description: 'tenant file of the embedded mock (and of the generated requests)',
    defaultText: 'the built-in one',
    example: 'tenant.yaml',
  }),
  findLimitTps: s({
    kind: positiveNumber(),
    default: undefined,
    flag: '--tps',
    description: 'embedded mock only: its provisioned TPS',
    defaultText: "the tenant file's",
    example: '100',
  }),
  findLimitBurst: s({
    kind: switchFlag(),
    default: undefined,
    flag: '--burst',
    description:
      'embedded mock only: turn burst mode on (an opt-in: it is documented for the Messaging API only); --no-burst turns it off',
    defaultText: "the tenant file's",
    example: 'true',
  }),
  findLimitWindow: s({
    kind: choice(LIMITER_WINDOWS),
    default: undefined,
    flag: '--window',
    description: 'embedded mock only: its limiter window',
    defaultText: "the tenant file's",
    example: 'fixed',
  }),
  findLimitCountBy: s({
    kind: choice(LIMITER_COUNTS),
    default: undefined,
    flag: '--count-by',
    description: 'embedded mock only: what its limiter counts',
    defaultText: "the tenant file's",
    example: 'requests',
  }),
  findLimitStartRate: s({
    kind: positiveNumber(),
    default: DEFAULT_FIND_LIMIT_OPTIONS.startRate,
    flag: '--start-rate',
    description: 'first probe rate, req/s',
    example: '20',
  }),
  maxRate: s({
    kind: positiveNumber(),
    default: undefined,
    flag: '--max-rate',
    description: 'never offer more than this, req/s (required with --allow-remote)',
    defaultText: String(DEFAULT_FIND_LIMIT_OPTIONS.maxRate),
    example: '1000',
  }),
  findLimitBudgetSeconds: s({
    kind: positiveNumber(),
    default: DEFAULT_FIND_LIMIT_OPTIONS.budgetSeconds,
    flag: '--budget-seconds',
    description: 'test-time budget of all probes',
    example: '60',
  }),
  findLimitBudgetRequests: s({
    kind: integer(1),
    default: DEFAULT_FIND_LIMIT_OPTIONS.budgetRequests,
    flag: '--budget-requests',
    description: 'request budget of all probes',
    example: '300000',
  }),
  findLimitTolerance: s({
    kind: positiveNumber({ below: 1 }),
    default: DEFAULT_FIND_LIMIT_OPTIONS.tolerance,
    flag: '--tolerance',
    description: 'stop when the provisioned rate is known to this fraction',
    example: '0.03',
  }),
  expectedTps: s({
    kind: positiveNumber(),
    default: undefined,
    flag: '--expected-tps',
    description: 'the contracted TPS: exit 1 when the tenant gives less, or more than TPS + band',
    example: '200',
  }),
  expectedBurst: s({
    kind: switchFlag(),
    default: false,
    flag: '--expected-burst',
    description: 'the contract includes burst mode (band min(0.5 × TPS, 100)); with --expected-tps',
    example: 'true',
  }),
  allowRemote: ALLOW_REMOTE_SETTING,
  seed: s({
    kind: integer(0),
    default: 1,
    flag: '--seed',
    description: 'seed of the generated requests',
    example: '1',
  }),
  reportsDir: s({
    kind: text('<dir>'),
    default: 'reports',
    flag: '--reports-dir',
    description: 'where the report folder goes',
    example: 'reports',
  }),
} satisfies SettingsTable;

/** Settings of `evkit probe` beyond its own flags. */
export const PROBE_SETTINGS = {
  probeRate: s({
    kind: positiveNumber(),
    default: 1,
    flag: '--rate',
    description: 'requests per second, at most (1 is what a sandbox tenant allows)',
    example: '1',
  }),
} satisfies SettingsTable;

/** Every key a config file may hold. */
export const ALL_CONFIG_KEYS: readonly string[] = [
  ...new Set([
    ...Object.keys(LOAD_SETTINGS),
    ...Object.keys(GENERATE_SETTINGS),
    ...Object.keys(MOCK_SETTINGS),
    ...Object.keys(FIND_LIMIT_SETTINGS),
    ...Object.keys(PROBE_SETTINGS),
  ]),
];
