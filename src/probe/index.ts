/** Conformance probing of an Event API endpoint: the probe set, how answers are read and judged, the runner. */
export { answerProblems, answerShape, type ProbeAnswer, parseAnswer } from './answer.ts';
export { type BehaviourVerdict, judge, type Observation, observedTenantFile } from './judge.ts';
export { BEHAVIOUR_IDS, type BehaviourId, type Probe, type ProbeContext, probePlan } from './probes.ts';
export {
  PROXY_JOURNAL_PATH,
  PROXY_RECORDS_PATH,
  type ProxyHandle,
  type ProxyOptions,
  startProxy,
} from './proxy.ts';
export { type ProxyRecord, type Rejudged, rejudgeRecording } from './recording.ts';
export { curlLine, planText, probeReport, verdictsText } from './report.ts';
export {
  guardProbeTarget,
  type PlannedRequest,
  type ProbeCredentials,
  type ProbeExchange,
  plannedRequest,
  planWallTimeMs,
  runProbes,
} from './run.ts';
