/** The src/schema room's face for the other rooms of evkit: the package's face (public.ts) and the names only evkit uses. */

export { type AnyStageName, type FixedStageName, type STAGE_NEEDS, stageOrderProblem } from './options.ts';
export * from './public.ts';
export { LIMITER_COUNTS, LIMITER_WINDOWS } from './tenant.ts';
