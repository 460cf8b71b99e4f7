/** The main job (`evkit start`): contracts, verification and a load run against the embedded mock. */
export { MAIN_JOB_DEFAULTS, runMainJob } from './main-job.ts';
