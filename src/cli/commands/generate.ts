import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import {
  CASE_KINDS,
  type CaseKind,
  CORPUS_FORMATS,
  type CorpusFormat,
  formatCases,
  GENERATE_DEFAULTS,
  generateCases,
  holdsUnder,
  MUTATIONS,
  STATES_AND_SHAPES,
} from '../../../generators/index.ts';
import { readConfigFile, readEnvConfig, resolveSettings } from '../../config.ts';
import { EvkitError } from '../../errors.ts';
import { loadTenantFile } from '../../mock/tenant-file.ts';
import { isResponseCode } from '../../schema/catalog.ts';
import { defaultTenantFile } from '../../schema/default-tenant.ts';
import type { TenantFile } from '../../schema/tenant.ts';
import { note, renderTable } from '../output.ts';

interface GenerateFlags {
  kind?: string;
  code?: string;
  count?: string;
  seed?: string;
  tenant?: string;
  out?: string;
  format?: string;
  now?: string;
  maxEvents?: string;
  notifyPort?: string;
  list?: boolean;
}

/** Settings of `evkit generate`, in the one precedence order (config file and EVKIT_* names in brackets). */
const DEFAULTS = {
  /** [generateKind, EVKIT_GENERATE_KIND] valid, invalid or mixed. */
  generateKind: 'mixed' as string,
  /** [generateCount, EVKIT_GENERATE_COUNT] */
  generateCount: 10,
  /** [generateSeed, EVKIT_GENERATE_SEED] the same seed (and --now) gives the same bytes. */
  generateSeed: 1,
  /** [generateTenant, EVKIT_GENERATE_TENANT] tenant file; '' = the built-in default. */
  generateTenant: '',
  /** [generateFormat, EVKIT_GENERATE_FORMAT] ndjson or k6. */
  generateFormat: 'ndjson' as string,
  /** [generateMaxEvents, EVKIT_GENERATE_MAX_EVENTS] events per request: 1..N. */
  generateMaxEvents: GENERATE_DEFAULTS.maxEvents as number,
  /** [generateNotifyPort, EVKIT_GENERATE_NOTIFY_PORT] port of the loopback notify URLs. */
  generateNotifyPort: GENERATE_DEFAULTS.notifyPort as number,
};

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new EvkitError('E_USAGE', `${name} must be one of ${allowed.join(', ')}, got "${value}"`);
}

function parseNow(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /(Z|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new EvkitError('E_USAGE', `--now must be an ISO time with a zone, got "${value}"`, {
      hint: 'e.g. --now 2026-01-15T12:00:00Z',
    });
  }
  return ms;
}

/** The mutation table and the states/shapes of 7005 and 7020, as text tables. */
function listing(file: TenantFile): string {
  const mutations = renderTable(
    ['code', 'form', 'mutation', 'needs', 'holds', 'what it sends'],
    MUTATIONS.map((m) => [
      m.code,
      m.form,
      m.name,
      [
        ...Object.entries(m.requires).map(([k, v]) => `${k}=${v}`),
        ...m.stagesBefore.map(([a, b]) => `${a}<${b}`),
      ].join(' ') || '-',
      holdsUnder(m, file.evaluator) ? 'yes' : 'no',
      m.summary,
    ]),
  );
  const states = renderTable(
    ['code', 'via', 'name', 'how', 'what happens'],
    Object.entries(STATES_AND_SHAPES).flatMap(([code, ways]) =>
      ways.map((w) => [
        code,
        w.via,
        w.name,
        w.via === 'state' ? `state "${w.state}"` : w.via === 'shape' ? w.shape : w.setting,
        w.summary,
      ]),
    ),
  );
  return `Named mutations (holds: under the tenant file's evaluator options):\n${mutations}\n\nCodes no single request provokes (states and load shapes):\n${states}\n`;
}

/** `evkit generate`: seeded valid and invalid cases as NDJSON or a k6 SharedArray corpus. */
export function defineGenerate(program: Command): void {
  program
    .command('generate')
    .description('generate seeded valid and invalid Event API requests (cases) as NDJSON or a k6 corpus')
    .addOption(
      new Option(
        '--kind <kind>',
        'valid, invalid, or mixed (half valid, half invalid over the codes)',
      ).choices(CASE_KINDS),
    )
    .option('--code <code>', 'only cases of this response code (1002 with valid; an error code otherwise)')
    .option('--count <n>', 'number of cases (default 10)')
    .option('--seed <n>', 'seed: the same seed and --now give identical bytes (default 1)')
    .option('--tenant <file>', 'tenant file, JSON or YAML (default: the built-in one, see `evkit tenant`)')
    .option('--out <file>', 'write the cases to a file instead of stdout')
    .addOption(
      new Option('--format <format>', 'ndjson, or k6 (a JSON array for SharedArray)').choices(CORPUS_FORMATS),
    )
    .option('--now <iso>', 'the clock expiries and JWT iat are relative to (default: the current time)')
    .option('--max-events <n>', `events per request, 1..n (default ${GENERATE_DEFAULTS.maxEvents})`)
    .option('--notify-port <n>', `port of the loopback notify URLs (default ${GENERATE_DEFAULTS.notifyPort})`)
    .option('--list', 'list the named mutations and how 7005 and 7020 are reached, then exit')
    .action((flags: GenerateFlags) => {
      const s = resolveSettings(DEFAULTS, {
        file: readConfigFile(process.cwd()),
        env: readEnvConfig(process.env),
        flags: {
          generateKind: flags.kind,
          generateCount: flags.count,
          generateSeed: flags.seed,
          generateTenant: flags.tenant,
          generateFormat: flags.format,
          generateMaxEvents: flags.maxEvents,
          generateNotifyPort: flags.notifyPort,
        },
      });
      const tenantFile = s.generateTenant === '' ? defaultTenantFile() : loadTenantFile(s.generateTenant);
      if (flags.list) {
        process.stdout.write(listing(tenantFile));
        return;
      }
      const kind: CaseKind = oneOf('--kind', s.generateKind, CASE_KINDS);
      const format: CorpusFormat = oneOf('--format', s.generateFormat, CORPUS_FORMATS);
      if (flags.code !== undefined && !isResponseCode(flags.code)) {
        throw new EvkitError('E_USAGE', `--code ${flags.code} is not a documented response code`, {
          hint: '`evkit generate --list` shows the codes and their mutations',
        });
      }
      const cases = generateCases({
        kind,
        count: Number(s.generateCount),
        seed: Number(s.generateSeed),
        code: flags.code,
        tenantFile,
        now: parseNow(flags.now),
        maxEvents: Number(s.generateMaxEvents),
        notifyPort: Number(s.generateNotifyPort),
      });
      const text = formatCases(cases, format);
      if (flags.out === undefined) process.stdout.write(text);
      else writeFileSync(flags.out, text);
      const invalid = cases.filter((c) => c.kind === 'invalid').length;
      note(
        `evkit generate: ${cases.length} case(s), ${cases.length - invalid} valid and ${invalid} invalid, seed ${s.generateSeed}${flags.out === undefined ? '' : ` -> ${flags.out} (${format})`}`,
      );
    });
}
