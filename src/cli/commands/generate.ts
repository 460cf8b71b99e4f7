import type { Command } from 'commander';
import {
  type CaseKind,
  type CorpusFormat,
  formatCases,
  generateCases,
  holdsUnder,
  MUTATIONS,
  STATES_AND_SHAPES,
} from '../../../generators/index.ts';
import { EvkitError } from '../../errors.ts';
import { loadTenantFile } from '../../mock/index.ts';
import type { TenantFile } from '../../schema/index.ts';
import { defaultTenantFile, isResponseCode } from '../../schema/index.ts';
import { addSettingOptions, resolveCommandSettings } from '../../settings.ts';
import { ALL_CONFIG_KEYS, GENERATE_SETTINGS } from '../command-settings.ts';
import { note, renderTable, writeOutput } from '../output.ts';

interface GenerateFlags {
  code?: string;
  out?: string;
  now?: string;
  list?: boolean;
}

function parseNow(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /(Z|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new EvkitError('E_USAGE', `--now must be an ISO time with a zone, got "${value}"`, {
      details: { flag: '--now', example: '2026-01-15T12:00:00Z', value },
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
  const command = program
    .command('generate')
    .description('generate seeded valid and invalid Event API requests (cases) as NDJSON or a k6 corpus')
    .option('--code <code>', 'only cases of this response code (1002 with valid; an error code otherwise)')
    .option('--out <file>', 'write the cases to a file instead of stdout')
    .option('--now <iso>', 'the clock expiries and JWT iat are relative to (default: the current time)')
    .option('--list', 'list the named mutations and how 7005 and 7020 are reached, then exit');
  addSettingOptions(command, GENERATE_SETTINGS).action((flags: GenerateFlags) => {
    const { values: s } = resolveCommandSettings(GENERATE_SETTINGS, {
      flags: flags as Record<string, unknown>,
      env: process.env,
      cwd: process.cwd(),
      allKeys: ALL_CONFIG_KEYS,
    });
    const tenantFile =
      s.generateTenant === undefined ? defaultTenantFile() : loadTenantFile(s.generateTenant);
    if (flags.list) {
      process.stdout.write(listing(tenantFile));
      return;
    }
    const kind: CaseKind = s.generateKind;
    const format: CorpusFormat = s.generateFormat;
    if (flags.code !== undefined && !isResponseCode(flags.code)) {
      throw new EvkitError('E_UNKNOWN_CODE', `--code ${flags.code} is not a documented response code`, {
        details: { code: flags.code },
      });
    }
    const cases = generateCases({
      kind,
      count: s.generateCount,
      seed: s.generateSeed,
      code: flags.code,
      tenantFile,
      now: parseNow(flags.now),
      maxEvents: s.generateMaxEvents,
      notifyPort: s.generateNotifyPort,
    });
    const text = formatCases(cases, format);
    if (flags.out === undefined) process.stdout.write(text);
    else writeOutput(flags.out, text);
    const invalid = cases.filter((c) => c.kind === 'invalid').length;
    note(
      `evkit generate: ${cases.length} case(s), ${cases.length - invalid} valid and ${invalid} invalid, seed ${s.generateSeed}${flags.out === undefined ? '' : ` -> ${flags.out} (${format})`}`,
    );
  });
}
