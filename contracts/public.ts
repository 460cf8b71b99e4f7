/**
 * webex-connect-event-kit/pact — Pact helpers for a consumer team's own Event API client: a ready PactV4
 * interaction for every documented response code (and its variants), the provider-state names the mock
 * understands, and a helper that registers an interaction on the team's PactV4 instance.
 */
export {
  type AddInteractionOptions,
  addEventApiInteraction,
  BEARER_JWT_PATTERN,
  CONTRACT_NOW_ISO,
  CONTRACT_NOW_MS,
  CONTRACT_SEED,
  type ContractRequest,
  type ContractResponse,
  type ContractState,
  type Credentials,
  checkClientResult,
  contractCredentialHeaders,
  contractResponseBody,
  type EventApiInteraction,
  type EventApiInteractionOptions,
  type ExpectedEntry,
  eventApiInteractions,
  exampleTransids,
  type PactV4Like,
  type ReferenceOutcome,
  type ReferenceSuiteOptions,
  runReferenceSuite,
  STATE,
  sendInteraction,
  TRANSID_PATTERN,
  type V4InteractionWithResponse,
} from './index.ts';
