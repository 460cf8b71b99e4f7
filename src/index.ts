/**
 * webex-connect-event-kit — the toolkit's most used names in one import. Each area has its own subpath
 * with its whole public face: `/schema`, `/generators`, `/mock`, `/pact`, `/client`, `/k6`.
 */
export { type Case, type CorpusFormat, formatCases, generateCases, MUTATIONS } from '../generators/index.ts';
export { createEventClient, type EventClient, type SendResult } from './client/index.ts';
export { type MockHandle, PROVIDER_STATE_NAMES, type StartMockOptions, startMock } from './mock/index.ts';
export { packageVersion } from './package-root.ts';
export {
  CATALOG,
  DESCRIPTION,
  EVENT_PATH,
  HEADER,
  RESPONSE_CODES,
  type ResponseCode,
  type TenantFile,
} from './schema/index.ts';
