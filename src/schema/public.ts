/**
 * webex-connect-event-kit/schema — the single source of truth for the Event API: the response-code catalog
 * (codes, descriptions, envelope forms), field and header names, paths, regions, the zod request and response
 * schemas, the tenant-file schema and the evaluator options.
 */
export {
  ACCEPTED_CODE,
  BEARER,
  BURST_FACTOR,
  BURST_MAX_EXTRA,
  burstBand,
  CATALOG,
  CODE,
  CORRELATIONID_MAX_BYTES,
  type CodeInfo,
  DESCRIPTION,
  type Description,
  type EnvelopeForm,
  type ErrorCode,
  EVENT_PATH,
  EVENT_PATHS,
  FIELD,
  HEADER,
  invalidParamDescription,
  isResponseCode,
  JWT_ALGORITHM,
  JWT_VALIDITY_SECONDS,
  type Level,
  mandatoryParamDescription,
  RATE_LIMIT_CODE,
  REGION_BASE_URL,
  RESPONSE_CODES,
  RESPONSE_FIELD,
  type Region,
  type ResponseCode,
} from './catalog.ts';
export { DEFAULT_TENANT_FILE_INPUT, defaultTenantFile } from './default-tenant.ts';
export { BURST_LABEL, GUESS_LABEL } from './fidelity.ts';
export {
  DEFAULT_EVALUATOR_OPTIONS,
  type EvaluatorOptions,
  evaluatorOptionsSchema,
  STAGE_NAMES,
  type StageName,
} from './options.ts';
export {
  correlationIdSchema,
  type Event,
  type EventRequest,
  EXPIRY_PATTERN,
  eventRequestSchema,
  eventSchema,
  evtidSchema,
  expirySchema,
  notifyUrlSchema,
  parametersSchema,
  parseExpiry,
  utf8ByteLength,
} from './request.ts';
export {
  type Envelope,
  envelopeEntries,
  envelopeForm,
  envelopeSchema,
  type ResponseEntry,
  responseEntrySchema,
} from './response.ts';
export {
  faultsSchema,
  latencySchema,
  notifySchema,
  rateLimitSchema,
  type Service,
  serviceKeySchema,
  serviceSchema,
  type Tenant,
  type TenantFile,
  type TenantFileInput,
  type TenantInput,
  tenantEventSchema,
  tenantFileSchema,
  tenantSchema,
} from './tenant.ts';
