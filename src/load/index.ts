/** Load runs: settings, plan, preparation, the engines (k6 or the harness) and the run report. */

export type { Engine, LoadProgress } from './engines.ts';
export { ENGINES } from './engines.ts';
export { guardTarget, peakPlannedRate } from './guard.ts';
export type { ScriptSettings } from './load-config.ts';
export { builtinOptions, SCRIPT_TABLE, scriptEnv, scriptSettingsOfEnv } from './load-config.ts';
export type { PreparedRun } from './prepare.ts';
export { CORPUS_FILE, planRun, prepareRun } from './prepare.ts';
export { redact, runSecrets } from './redact.ts';
export type { RunLoadOptions, RunLoadResult } from './run.ts';
export { planLoadRun, resolveBundle, runLoad, runSettings } from './run.ts';
export { RUN_SETTINGS, SCRIPT_SETTINGS } from './settings.ts';
