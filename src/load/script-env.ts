import { ENV } from '../../load/lib/names.ts';

/** The run settings a load script reads through `__ENV`. */
export interface ScriptSettings {
  readonly target: string;
  readonly rate?: number | undefined;
  readonly duration?: string | undefined;
  readonly eventsPerRequest?: number | undefined;
  readonly expectedTps?: number | undefined;
  readonly burst?: boolean | undefined;
  readonly corpus: string;
}

/** The settings as the scripts' EVKIT_* variables; unset and empty values are left out. */
export function scriptSettingsEnv(settings: ScriptSettings): Record<string, string> {
  const env: Record<string, string> = {};
  const set = (k: string, v: string | number | boolean | undefined) => {
    if (v !== undefined && v !== '') env[k] = String(v);
  };
  set(ENV.target, settings.target);
  set(ENV.rate, settings.rate);
  set(ENV.duration, settings.duration);
  set(ENV.eventsPerRequest, settings.eventsPerRequest);
  set(ENV.expectedTps, settings.expectedTps);
  set(ENV.burst, settings.burst);
  set(ENV.corpus, settings.corpus);
  return env;
}
