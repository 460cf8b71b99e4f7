/** find-limit: the search for a tenant's rate limit, its contract checks and its report. */

export type { LimitContract } from './contract.ts';
export { contractVerdicts } from './contract.ts';
export { type EngineProbeOptions, engineProbe } from './engine-probe.ts';
export { findLimitReport, findLimitText } from './report.ts';
export { DEFAULT_FIND_LIMIT_OPTIONS, findLimit } from './search.ts';
export type { FindLimitOptions, Probe, ProbePlan, ProbeRecord, Sample } from './types.ts';
