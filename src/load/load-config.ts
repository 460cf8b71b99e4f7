/**
 * The one typed configuration of a load run's script. `evkit load` resolves it with the settings table
 * (defaults < config file < EVKIT_* < flags); a programmatic run reads the environment through the same table.
 * From it, once each: the script's `__ENV` (scriptEnv), the effective configuration with the scripts' defaults
 * (the same configOf the scripts run in k6), and from that the plan, the guard and the report's settings.
 */
import {
  type ConfigValues,
  configOf,
  ENV,
  type LoadConfig,
  type ScriptName,
  scriptScenarios,
  valuesEnv,
} from '../../load/lib/index.ts';
import { EvkitError } from '../errors.ts';
import { envNameOf, parseSetting, type Setting, type SettingsOf } from '../settings.ts';
import { RUN_SETTINGS, SCRIPT_SETTINGS } from './settings.ts';

/** Every setting a load script reads that a user sets, by config-file key. */
export const SCRIPT_TABLE = { ...RUN_SETTINGS, ...SCRIPT_SETTINGS };

/** The typed script settings of a run, by config-file key; undefined: the script's default. */
export type ScriptSettings = Partial<SettingsOf<typeof SCRIPT_TABLE>>;

const TABLE_NAMES: ReadonlySet<string> = new Set(
  Object.entries(SCRIPT_TABLE).map(([key, setting]) => envNameOf(key, setting)),
);
/** Names evkit sets itself for every run (never the user's). */
const OWN_NAMES: ReadonlySet<string> = new Set([ENV.target, ENV.corpus, ENV.summaryFile]);

/**
 * The script settings of EVKIT_* variables, each checked by the table (E_CONFIG naming the variable), and the
 * EVKIT_* variables no table knows (a user's bundle may read them), passed on as they are.
 */
export function scriptSettingsOfEnv(env: Readonly<Record<string, string | undefined>>): {
  settings: ScriptSettings;
  other: Record<string, string>;
} {
  const settings: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(SCRIPT_TABLE)) {
    const name = envNameOf(key, setting);
    const value = env[name];
    if (value === undefined || value === '' || OWN_NAMES.has(name)) continue;
    settings[key] = parseSetting(setting as Setting<unknown>, value, { kind: 'env', name });
  }
  return { settings: settings as ScriptSettings, other: otherScriptEnv(env) };
}

/** The EVKIT_* variables of an environment that no setting of the table names: a user's bundle may read them. */
export function otherScriptEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const other: Record<string, string> = {};
  for (const [name, value] of Object.entries(env))
    if (name.startsWith('EVKIT_') && value !== undefined && !TABLE_NAMES.has(name) && !OWN_NAMES.has(name))
      other[name] = value;
  return other;
}

/** Whether the settings name credentials (a service key or a JWT secret). */
export const hasCredentials = (s: ScriptSettings): boolean =>
  s.key !== undefined || s.jwtSecret !== undefined;

/** The settings without those left unset. */
export function definedSettings(s: ScriptSettings): ScriptSettings {
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as ScriptSettings;
}

/** The one typed configuration of a run's script. */
export interface LoadRunConfig {
  /** Every value the script reads, typed, by its key in ENV: the one source of its `__ENV`. */
  readonly values: ConfigValues;
  /** The values with the scripts' defaults (configOf, as the script computes it in k6). */
  readonly config: LoadConfig;
  /** EVKIT_* variables no table knows, for a user's bundle, as given. */
  readonly other: Readonly<Record<string, string>>;
}

/** Build the configuration from the typed settings and what evkit sets itself; a bad combination is E_CONFIG. */
export function loadRunConfig(
  settings: ScriptSettings,
  own: { target: string; corpus: string | undefined; summaryFile?: string | undefined },
  other: Readonly<Record<string, string>> = {},
): LoadRunConfig {
  const { jwtRefreshS, target: _ignored, ...rest } = settings;
  const values: ConfigValues = {
    ...rest,
    jwtRefreshSeconds: jwtRefreshS,
    target: own.target,
    corpus: own.corpus === '' ? undefined : own.corpus,
    summaryFile: own.summaryFile,
  };
  let config: LoadConfig;
  try {
    config = configOf(values);
  } catch (cause) {
    throw new EvkitError('E_SCRIPT_SETTING', (cause as Error).message, { cause });
  }
  return { values, config, other };
}

/** The script's `__ENV`: every set value under its EVKIT_* name (k6 reads them as text), and the others. */
export function scriptEnv(run: LoadRunConfig): Record<string, string> {
  return { ...run.other, ...valuesEnv(run.values) };
}

/** A built-in script's `options.scenarios`, computed from the configuration as the script computes them. */
export function builtinOptions(script: ScriptName, run: LoadRunConfig): Record<string, unknown> {
  try {
    return { scenarios: scriptScenarios(script, run.config) };
  } catch (cause) {
    throw new EvkitError('E_SCRIPT_SETTING', (cause as Error).message, { cause });
  }
}
