/** The contracts room's face for the other rooms of evkit; the package's own face is public.ts. */
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
