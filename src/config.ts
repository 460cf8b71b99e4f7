import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { EvkitError } from './errors.ts';

/** Config file names, looked up in the working directory in this order. */
export const CONFIG_FILES = ['evkit.config.json', 'evkit.config.yaml', 'evkit.config.yml'] as const;
/** Environment variables that configure evkit start with this prefix (EVKIT_TARGET, EVKIT_RATE, ...). */
export const ENV_PREFIX = 'EVKIT_';

/** The config file of a directory: its name, path and settings. */
export interface ConfigFile {
  readonly name: string;
  readonly path: string;
  readonly data: Record<string, unknown>;
}

/**
 * Read the config file of a directory, if any. A malformed file, or two config files at once (which one would
 * win is a guess a user should not have to make), is a configuration error.
 */
export function readConfig(dir: string): ConfigFile | undefined {
  const present = CONFIG_FILES.filter((name) => existsSync(join(dir, name)));
  if (present.length > 1) {
    throw new EvkitError('E_CONFIG', `found ${present.join(' and ')}: evkit reads one config file`, {
      details: { dir, files: present, problem: 'two-files' },
    });
  }
  const name = present[0];
  if (name === undefined) return undefined;
  const path = join(dir, name);
  const text = readFileSync(path, 'utf8');
  let data: unknown;
  try {
    data = name.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw new EvkitError('E_CONFIG', `cannot parse ${name}: ${(cause as Error).message}`, {
      details: { path: name, problem: 'syntax' },
      cause,
    });
  }
  // An empty YAML file holds no settings.
  if (data === null && !name.endsWith('.json')) return { name, path, data: {} };
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new EvkitError('E_CONFIG', `${name} must hold an object of settings`, {
      details: { path, problem: 'shape' },
    });
  }
  return { name, path, data: data as Record<string, unknown> };
}
