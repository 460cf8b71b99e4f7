import type { Command } from 'commander';
import { z } from 'zod';
import { parseDuration } from '../load/lib/index.ts';
import { ENV_PREFIX, readConfig } from './config.ts';
import { EvkitError } from './errors.ts';

/**
 * The one place where a command's flags, EVKIT_* environment and config file are validated: each command has a
 * table of settings, each setting one zod schema, and every error names what the user wrote (`--count`,
 * `EVKIT_RATE`, `rate` in evkit.config.json), the value, the allowed range and the fix — before anything starts.
 * Precedence: defaults < config file < EVKIT_* < flags.
 */

/** The schema of one setting's value: accepts what a flag or variable holds (text) and what a file holds. */
export interface ValueKind<T> {
  readonly schema: z.ZodType<T>;
  /** The allowed values in words, e.g. "a whole number from 1 to 100000". */
  readonly allowed: string;
  /** How commander reads the flag: `<n>` takes a value, `switch` none. */
  readonly arg: string | 'switch';
}

/** One setting of a command. */
export interface Setting<T> {
  readonly kind: ValueKind<T>;
  /** The value when no source sets it; undefined: "not set" (the script's or the engine's own default). */
  readonly default: T | undefined;
  /** The flag, e.g. `--count`; absent: file and environment only (secrets, the scripts' thresholds). */
  readonly flag?: string;
  /** The EVKIT_* name (default: from the key, `eventsPerRequest` → `EVKIT_EVENTS_PER_REQUEST`). */
  readonly env?: string;
  readonly description: string;
  /** How the default reads in help when it is not a plain value ("the script's default"). */
  readonly defaultText?: string;
  /** An example value for the fix line. */
  readonly example: string;
  /** Never from a flag (it would land in shell history); redacted in reports. */
  readonly secret?: boolean;
}

/** A command's settings, by config-file key. */
export type SettingsTable = Readonly<Record<string, Setting<unknown>>>;

/** The typed values of a table: a setting without a default may be undefined. */
export type SettingsOf<T extends SettingsTable> = {
  -readonly [K in keyof T]: T[K] extends Setting<infer V> & { readonly default: infer D }
    ? undefined extends D
      ? V | undefined
      : V
    : never;
};

/** Declare one setting, keeping its value type (from its kind) and whether it has a default. */
export function setting<T, const D extends NoInfer<T> | undefined>(
  s: Omit<Setting<T>, 'default'> & { readonly default: D },
): Setting<T> & { readonly default: D } {
  return s;
}

/** Where a value came from, as the user wrote it. */
export type SettingSource =
  | { readonly kind: 'flag'; readonly name: string }
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'file'; readonly name: string; readonly file: string };

const numberText = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;

/** A whole number in [min, max]. */
export function integer(min: number, max: number = Number.MAX_SAFE_INTEGER): ValueKind<number> {
  const top = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
  return {
    schema: z.preprocess(numberText, z.number().int().min(min).max(max)),
    allowed:
      min === Number.MIN_SAFE_INTEGER
        ? 'a whole number'
        : max === Number.MAX_SAFE_INTEGER
          ? `a whole number, ${top}`
          : `a whole number ${top}`,
    arg: '<n>',
  };
}

/** A number above 0 (or from `min`), below `below` (exclusive) or up to `max`. */
export function positiveNumber(
  options: { below?: number; max?: number; min?: number } = {},
): ValueKind<number> {
  let schema = options.min === undefined ? z.number().gt(0) : z.number().min(options.min);
  if (options.below !== undefined) schema = schema.lt(options.below);
  if (options.max !== undefined) schema = schema.max(options.max);
  const low = options.min === undefined ? 'above 0' : `from ${options.min}`;
  const high =
    options.below !== undefined
      ? ` up to (not including) ${options.below}`
      : options.max !== undefined
        ? ` to ${options.max}`
        : '';
  return { schema: z.preprocess(numberText, schema), allowed: `a number ${low}${high}`, arg: '<n>' };
}

/** One of a fixed list of words. */
export function choice<T extends string>(values: readonly T[]): ValueKind<T> {
  return {
    schema: z.enum(values as unknown as [T, ...T[]]),
    allowed: values.length === 1 ? String(values[0]) : `one of ${values.join(', ')}`,
    arg: '<name>',
  };
}

/** Any non-empty text (a path, a host, a token). */
export function text(arg = '<value>'): ValueKind<string> {
  return { schema: z.string().trim().min(1), allowed: 'a non-empty text', arg };
}

/** An http(s) base URL. */
export function baseUrl(): ValueKind<string> {
  return {
    schema: z
      .string()
      .trim()
      .refine((v) => /^https?:\/\/[^/\s]+/.test(v) && URL.canParse(v)),
    allowed: 'an http:// or https:// base URL, e.g. http://127.0.0.1:8080',
    arg: '<url>',
  };
}

/** A switch: true/false, 1/0 from text. */
export function switchFlag(): ValueKind<boolean> {
  return {
    schema: z.preprocess(
      (v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v),
      z.boolean(),
    ),
    allowed: 'true or false',
    arg: 'switch',
  };
}

/** A k6 duration ("30s", "1m30s") of at least `minMs`. */
export function duration(minMs = 1): ValueKind<string> {
  return {
    schema: z
      .string()
      .trim()
      .refine((v) => {
        try {
          return parseDuration(v) >= minMs;
        } catch {
          return false;
        }
      }),
    allowed: `a k6 duration of at least ${minMs >= 1000 ? `${minMs / 1000}s` : `${minMs}ms`}, e.g. 30s, 5m, 1m30s`,
    arg: '<duration>',
  };
}

/** `eventsPerRequest` → `EVKIT_EVENTS_PER_REQUEST`. */
export function envNameOf(key: string, setting: Setting<unknown>): string {
  return setting.env ?? `${ENV_PREFIX}${key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/** `--max-rate` → `maxRate`, as commander names the option's value. */
function flagAttribute(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
}

function defaultShown(setting: Setting<unknown>): string | undefined {
  if (setting.defaultText !== undefined) return setting.defaultText;
  if (setting.default === undefined || setting.default === false) return undefined;
  return String(setting.default);
}

/** Add a table's flags to a command; the help shows each default once, unquoted. */
export function addSettingOptions(command: Command, table: SettingsTable): Command {
  for (const [, setting] of Object.entries(table)) {
    if (setting.flag === undefined || setting.secret) continue;
    const shown = defaultShown(setting);
    const description = `${setting.description}${shown === undefined ? '' : ` (default: ${shown})`}`;
    command.option(
      setting.kind.arg === 'switch' ? setting.flag : `${setting.flag} ${setting.kind.arg}`,
      description,
    );
  }
  return command;
}

function named(source: SettingSource): string {
  return source.kind === 'file' ? `${source.name} in ${source.file}` : source.name;
}

/** The example value as the source would spell it (a file's strings in quotes). */
function exampleIn(source: SettingSource, setting: Setting<unknown>): string {
  return source.kind === 'file' && setting.kind.arg !== '<n>'
    ? show(setting.example)
    : String(setting.example);
}

/** Parse one value from one source, or throw the error that names it (exit 2). */
export function parseSetting<T>(setting: Setting<T>, value: unknown, source: SettingSource): T {
  const parsed = setting.kind.schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new EvkitError('E_SETTING', `${named(source)} must be ${setting.kind.allowed}, got ${show(value)}`, {
    details: { origin: source, value, example: exampleIn(source, setting) },
  });
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cur = row[j] ?? 0;
      row[j] = Math.min(cur + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] ?? 0;
}

/** The closest known name, when it is close enough to be a typo. */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(name.toLowerCase(), k.toLowerCase());
    if (best === undefined || d < best.d) best = { name: k, d };
  }
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.name : undefined;
}

/** The values of a table with the source of each value that was set. */
export interface ResolvedSettings<T extends SettingsTable> {
  readonly values: SettingsOf<T>;
  readonly sources: Partial<Record<keyof T, SettingSource>>;
}

/**
 * Resolve a command's settings: defaults < config file < EVKIT_* < flags, each value checked where it was written.
 * `allKeys` are the config-file keys of every command (one file serves them all): any other key is refused.
 */
export function resolveCommandSettings<T extends SettingsTable>(
  table: T,
  sources: {
    flags: Record<string, unknown>;
    env: NodeJS.ProcessEnv;
    cwd: string;
    allKeys: readonly string[];
  },
): ResolvedSettings<T> {
  const values: Record<string, unknown> = {};
  const from: Record<string, SettingSource> = {};
  for (const [key, setting] of Object.entries(table)) values[key] = setting.default;

  const config = readConfig(sources.cwd);
  if (config) {
    for (const [key, value] of Object.entries(config.data)) {
      if (!sources.allKeys.includes(key)) {
        const guess = didYouMean(key, sources.allKeys);
        throw new EvkitError('E_CONFIG_KEY', `unknown setting "${key}" in ${config.name}`, {
          details: { key, file: config.path, guess },
        });
      }
      const setting = table[key];
      if (setting === undefined) continue;
      const source: SettingSource = { kind: 'file', name: key, file: config.name };
      values[key] = parseSetting(setting, value, source);
      from[key] = source;
    }
  }
  for (const [key, setting] of Object.entries(table)) {
    const name = envNameOf(key, setting);
    const value = sources.env[name];
    if (value === undefined || value === '') continue;
    const source: SettingSource = { kind: 'env', name };
    values[key] = parseSetting(setting, value, source);
    from[key] = source;
  }
  for (const [key, setting] of Object.entries(table)) {
    if (setting.flag === undefined || setting.secret) continue;
    const value = sources.flags[flagAttribute(setting.flag)];
    if (value === undefined) continue;
    const source: SettingSource = { kind: 'flag', name: setting.flag };
    values[key] = parseSetting(setting, value, source);
    from[key] = source;
  }
  return { values: values as SettingsOf<T>, sources: from as Partial<Record<keyof T, SettingSource>> };
}

/** How a resolved value reads in an error about it ("--rate", "EVKIT_RATE", "rate in evkit.config.json"). */
export function sourceName(source: SettingSource | undefined, fallback: string): string {
  return source ? named(source) : fallback;
}
