/** The generators: seeded valid and invalid Event API requests (cases) for contracts, the mock and k6. */
export { CASE_KINDS, type Case, type CaseKind, type Expected } from './case.ts';
export { caseToCurl, shellQuote } from './curl.ts';
export { CORPUS_FORMATS, type CorpusFormat, caseBodyBytes, formatCases } from './format.ts';
export { GENERATE_DEFAULTS, type GenerateOptions, generateCases, plannedCodes } from './generate.ts';
export {
  holdsUnder,
  MUTATION_CODES,
  MUTATIONS,
  type Mutation,
  type MutationCode,
  type RequestTriggeredCode,
} from './mutations.ts';
export { STATES_AND_SHAPES, type StateCode, type StateOrShape } from './scenarios.ts';
