/**
 * webex-connect-event-kit/pact — Pact helpers for a consumer team's own Event API client: a ready PactV4
 * interaction for every documented response code (and its variants), the provider-state names the mock
 * understands, and a helper that registers an interaction on the team's PactV4 instance.
 */
export type { Credentials } from '../src/client/index.ts';
export { CONTRACT_SEED } from './cases.ts';
export {
  type ContractRequest,
  type ContractResponse,
  type EventApiInteraction,
  type EventApiInteractionOptions,
  eventApiInteractions,
} from './interactions.ts';
export { BEARER_JWT_PATTERN, type ExpectedEntry, exampleTransids, TRANSID_PATTERN } from './matchers.ts';
export {
  type AddInteractionOptions,
  addEventApiInteraction,
  contractCredentialHeaders,
  contractResponseBody,
  type PactV4Like,
  type V4InteractionWithResponse,
} from './pact.ts';
export {
  checkClientResult,
  type ReferenceOutcome,
  type ReferenceSuiteOptions,
  runReferenceSuite,
  sendInteraction,
} from './reference-suite.ts';
export { CONTRACT_NOW_ISO, CONTRACT_NOW_MS, type ContractState, STATE } from './states.ts';
