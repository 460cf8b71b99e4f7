/** The generators room's face for the other rooms of evkit; the package's own face is public.ts. */
export type { Case, CaseKind, Expected } from './case.ts';
export { CASE_KINDS } from './case.ts';
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
