import { z } from 'zod';

/**
 * The evaluator's fixed first stages, always in this order and never listed in `stageOrder`: `tenant` (the
 * credentials name the tenant, the JWT decoded once), `sourceIp` (the socket's address or, for a tenant that
 * trusts its proxy, `X-Forwarded-For`'s left-most entry), `jsonDepth` (a body nested too deep is handed on as
 * not JSON). None of them answers on its own.
 */
export const FIXED_STAGE_NAMES = ['tenant', 'sourceIp', 'jsonDepth'] as const;
export type FixedStageName = (typeof FIXED_STAGE_NAMES)[number];

/** The evaluator's ordered stages, in the default order (README, "The evaluator"). */
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
/** A fixed or an ordered stage. */
export type AnyStageName = FixedStageName | StageName;

/**
 * The stages each stage needs to have run before it: what they establish is its input (src/evaluate/types.ts
 * types each stage's input from this table). The one source of truth of which stage orders can work.
 */
export const STAGE_NEEDS = {
  tenant: [],
  sourceIp: ['tenant'],
  jsonDepth: [],
  allowlist: ['tenant', 'sourceIp'],
  credentials: ['tenant'],
  json: ['jsonDepth'],
  events: ['tenant', 'json'],
  expiry: ['json'],
  fault: ['tenant'],
  rateLimit: ['tenant', 'events'],
  perEvent: ['tenant', 'events'],
} as const satisfies Record<AnyStageName, readonly AnyStageName[]>;

/** What each stage establishes for later ones, in words (for the messages about a bad order). */
export const STAGE_ESTABLISHES = {
  tenant: 'the tenant and the presented credentials',
  sourceIp: 'the source address',
  jsonDepth: 'the body to parse',
  allowlist: 'nothing',
  credentials: 'the service id',
  json: 'the parsed body',
  events: 'the events list',
  expiry: 'nothing',
  fault: 'nothing',
  rateLimit: 'the admission',
  perEvent: 'the per-event outcomes',
} as const satisfies Record<AnyStageName, string>;

/** The ordered stages `stage` needs before it (fixed stages always run first, so they are left out). */
function orderedNeeds(stage: StageName): readonly StageName[] {
  return (STAGE_NEEDS[stage] as readonly AnyStageName[]).filter((s): s is StageName =>
    (STAGE_NAMES as readonly string[]).includes(s),
  );
}

/** A stage of an order that runs before a stage it needs: `[stage, needed]`. */
export type MisplacedNeed = readonly [stage: StageName, needs: StageName];

/** Every stage of `order` that comes before (or without) a stage it needs. */
export function misplacedNeeds(order: readonly StageName[]): MisplacedNeed[] {
  const out: MisplacedNeed[] = [];
  order.forEach((stage, i) => {
    for (const needed of orderedNeeds(stage)) {
      const at = order.indexOf(needed);
      if (at === -1 || at > i) out.push([stage, needed]);
    }
  });
  return out;
}

/**
 * A valid order as close to `order` as can be: each step takes the first stage of `order` (then of the default
 * order, for a stage `order` lacks) whose needs have run.
 */
export function repairedOrder(order: readonly StageName[]): StageName[] {
  const wanted = [...new Set([...order, ...STAGE_NAMES])].filter((s) =>
    (STAGE_NAMES as readonly string[]).includes(s),
  );
  const out: StageName[] = [];
  while (out.length < wanted.length) {
    const next = wanted.find((s) => !out.includes(s) && orderedNeeds(s).every((n) => out.includes(n)));
    // The needs table has no cycle, so some stage is always ready; the guard keeps a broken table finite.
    if (next === undefined) break;
    out.push(next);
  }
  return out;
}

/**
 * Why an order cannot work, in words to follow "expected", or undefined when it can: each stage exactly once, and
 * each after the stages it needs (naming them, with a valid order to use instead).
 */
export function stageOrderProblem(order: readonly StageName[]): string | undefined {
  if (order.length !== STAGE_NAMES.length || new Set(order).size !== order.length) {
    return `each stage exactly once: ${STAGE_NAMES.join(', ')} (${FIXED_STAGE_NAMES.join(', ')} always run first and are not listed)`;
  }
  const misplaced = misplacedNeeds(order);
  if (misplaced.length === 0) return undefined;
  const why = misplaced
    .map(
      ([stage, needed]) =>
        `${stage} needs ${needed} before it (${needed} establishes ${STAGE_ESTABLISHES[needed]})`,
    )
    .join('; ');
  return `a stage order where every stage comes after the stages it needs: ${why}; for example: ${repairedOrder(order).join(', ')}`;
}

/**
 * At the type level: `true` when every stage of the tuple `O` comes after the stages it needs, else a message
 * naming the first stage that does not. Code that writes an order down checks it with {@link checkedStageOrder}.
 */
export type StageOrderCheck<
  O extends readonly StageName[],
  Done extends AnyStageName = FixedStageName,
> = O extends readonly [infer H extends StageName, ...infer R extends readonly StageName[]]
  ? Exclude<(typeof STAGE_NEEDS)[H][number], Done> extends never
    ? StageOrderCheck<R, Done | H>
    : `${H} needs ${Exclude<(typeof STAGE_NEEDS)[H][number], Done> & string} before it`
  : true;

/** An order written in code, refused by the type checker when a stage comes before a stage it needs. */
export function checkedStageOrder<const O extends readonly StageName[]>(
  order: O & (StageOrderCheck<O> extends true ? unknown : StageOrderCheck<O>),
): StageName[] {
  return [...order];
}

// The default order satisfies its own needs (checked by the compiler).
const defaultOrderIsValid: StageOrderCheck<typeof STAGE_NAMES> = true;
void defaultOrderIsValid;

/**
 * Every behaviour the reference leaves undocumented, as a named option. Defaults are the project's choices
 * (README, "Defaults where the reference is silent").
 */
export const evaluatorOptionsSchema = z.strictObject({
  stageOrder: z
    .array(z.enum(STAGE_NAMES))
    .superRefine((order, ctx) => {
      const problem = stageOrderProblem(order);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', input: order, message: problem });
    })
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
