/** The evaluator: a pipeline of typed stages from a raw request to the exact envelope. */

export { base64ToBytes, checkCredentials, constantTimeEqual, headerValue } from './credentials.ts';
export { evaluate, evaluateIntake, evaluateRequest, fixedServices, intake } from './evaluate.ts';
export { compileAllowlist, isValidAllowlistEntry, parseIp } from './ip.ts';
export { DEFAULT_MAX_JSON_DEPTH } from './stages.ts';
export type { TenantResolver } from './tenant.ts';
export { createTenantResolver } from './tenant.ts';
export type {
  AcceptedEvent,
  Admission,
  Clock,
  Evaluation,
  EvaluatorServices,
  FaultInjector,
  RateLimiter,
  RawRequest,
} from './types.ts';
