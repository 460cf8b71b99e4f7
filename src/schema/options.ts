import { z } from 'zod';

/** The evaluator's stages, in the default order (see docs/evaluator.md). */
export const STAGE_NAMES = [
  'allowlist',
  'credentials',
  'json',
  'events',
  'expiry',
  'fault',
  'rateLimit',
  'perEvent',
] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/**
 * Every behaviour the reference leaves undocumented, as a named option. Defaults are the project's choices
 * (README, "Defaults where the reference is silent").
 */
export const evaluatorOptionsSchema = z.strictObject({
  stageOrder: z
    .array(z.enum(STAGE_NAMES))
    .refine((a) => a.length === STAGE_NAMES.length && new Set(a).size === a.length, {
      message: `expected each stage exactly once: ${STAGE_NAMES.join(', ')}`,
    })
    .refine(
      (a) => ['events', 'expiry', 'perEvent'].every((s) => a.indexOf('json') < a.indexOf(s as StageName)),
      {
        message: 'json must come before events, expiry and perEvent',
      },
    )
    .default([...STAGE_NAMES]),
  unknownFields: z
    .enum(['ignore', 'reject'])
    .default('ignore')
    .describe('unknown body or event fields: ignored, or 7004'),
  evtidAsNumber: z
    .enum(['reject', 'coerce'])
    .default('reject')
    .describe('evtid sent as a JSON number: 7004, or read as its decimal string'),
  emptyKey: z
    .enum(['missing', 'invalid'])
    .default('missing')
    .describe('an empty key header: 7002 (missing) or 7001 (invalid)'),
  nullEvents: z
    .enum(['missing', 'invalid'])
    .default('missing')
    .describe('"events": null: 7003 (missing) or 7004 (invalid)'),
  expiryOffsets: z
    .enum(['reject', 'accept'])
    .default('reject')
    .describe('expiry with a +hh:mm offset: 7004, or converted to UTC'),
  bearerPrefix: z
    .enum(['required', 'optional'])
    .default('required')
    .describe('Authorization must read "Bearer <JWT>", or a bare token is accepted'),
  mandatoryParamDescription: z
    .enum(['literal', 'template'])
    .default('literal')
    .describe('7025 description: the official literal, or the parameter name filled in'),
});
export type EvaluatorOptions = z.infer<typeof evaluatorOptionsSchema>;

/** The default evaluator options. */
export const DEFAULT_EVALUATOR_OPTIONS: EvaluatorOptions = evaluatorOptionsSchema.parse({});
