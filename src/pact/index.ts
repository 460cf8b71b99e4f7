/** Pact: the consumer suite, provider verification, and the broker commands through the pact CLI. */
export { brokerTarget } from './broker-config.ts';
export { canIDeploy } from './can-i-deploy.ts';
export { runConsumerSuite } from './consumer-run.ts';
export { parseCount } from './flags.ts';
export { gitBranch, gitCommit } from './git.ts';
export { pacticipants } from './names.ts';
export { preparePactDir } from './pact-dir.ts';
export { publishPacts } from './publish.ts';
export type { RecordKind } from './record.ts';
export { RECORD_KINDS, recordInEnvironment } from './record.ts';
export type { VerifyOptions } from './verify.ts';
export { verifyPacts } from './verify.ts';
export { renderVerifyJunit, renderVerifyText, verifyRunReport } from './verify-report.ts';
