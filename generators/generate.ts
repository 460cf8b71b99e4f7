/** generateCases: seeded corpora of valid and invalid requests, from the schemas and the mutation table. */
import { EvkitError } from '../src/errors.ts';
import { createRandom, type Random } from '../src/random.ts';
import type { TenantFile } from '../src/schema/index.ts';
import { ACCEPTED_CODE, CATALOG, defaultTenantFile, type ResponseCode } from '../src/schema/index.ts';
import { createBaseFactory, type ValidBase } from './base.ts';
import type { Case, CaseKind, Expected } from './case.ts';
import { fileContext } from './context.ts';
import {
  holdsUnder,
  MUTATION_CODES,
  MUTATIONS,
  type Mutated,
  type Mutation,
  type MutationCode,
  type MutationContext,
} from './mutations.ts';

/** Options of `generateCases`. */
export interface GenerateOptions {
  readonly kind: CaseKind;
  readonly count: number;
  readonly seed: number;
  /** Only this code: 1002 with kind valid, a mutation code with kind invalid or mixed. */
  readonly code?: ResponseCode | undefined;
  /** Default: the default tenant file. */
  readonly tenantFile?: TenantFile | undefined;
  /** The clock expiries and JWTs are relative to, epoch ms; default `Date.now()`. */
  readonly now?: number | undefined;
  /** Events per request: 1..maxEvents (default 3). */
  readonly maxEvents?: number | undefined;
  /** The loopback port of generated notify URLs (default 9090). */
  readonly notifyPort?: number | undefined;
}

/** Defaults of the optional settings. */
export const GENERATE_DEFAULTS = { maxEvents: 3, notifyPort: 9090 } as const;

/** Invalid cases made from one base before a fresh one is generated (mixed runs use each base once). */
const BASE_REUSE = 2;
/** Fresh bases tried when no mutation of the wanted codes applies to one. */
const BASE_ATTEMPTS = 8;

const VALID_EXPECTED: Expected = { code: ACCEPTED_CODE, form: CATALOG[ACCEPTED_CODE].form };

function checkOptions(o: GenerateOptions): void {
  if (!Number.isSafeInteger(o.count) || o.count < 0) {
    throw new EvkitError('E_USAGE', `count must be a whole number >= 0, got ${o.count}`);
  }
  if (!Number.isSafeInteger(o.seed))
    throw new EvkitError('E_USAGE', `seed must be a whole number, got ${o.seed}`);
  const maxEvents = o.maxEvents ?? GENERATE_DEFAULTS.maxEvents;
  if (!Number.isSafeInteger(maxEvents) || maxEvents < 1) {
    throw new EvkitError('E_USAGE', `maxEvents must be a whole number >= 1, got ${maxEvents}`);
  }
  if (o.code === undefined) return;
  if (!CATALOG[o.code].requestTriggered) {
    throw new EvkitError('E_CODE_NOT_BY_REQUEST', `${o.code} is not provoked by a single request`, {
      details: { code: o.code },
    });
  }
  if ((o.code === ACCEPTED_CODE) !== (o.kind === 'valid')) {
    throw new EvkitError('E_CODE_KIND', `--code ${o.code} does not go with --kind ${o.kind}`, {
      details: { code: o.code, kind: o.kind, acceptedCode: ACCEPTED_CODE },
    });
  }
}

/** Mutations to draw from, by code in catalog order (codes with none left out). */
function mutationPlan(file: TenantFile, code: ResponseCode | undefined): Mutation[][] {
  return MUTATION_CODES.filter((c) => code === undefined || c === code)
    .map((c) => MUTATIONS.filter((m) => m.code === c && holdsUnder(m, file.evaluator)))
    .filter((ms) => ms.length > 0);
}

function toCase(
  base: ValidBase,
  id: string,
  seed: number,
  mutation: Mutation | undefined,
  mutated: Mutated | undefined,
): Case {
  let body = base.text;
  let bodyEncoding: Case['bodyEncoding'] = 'utf8';
  if (mutated?.bytes !== undefined) {
    body = Buffer.from(mutated.bytes).toString('base64');
    bodyEncoding = 'base64';
  } else if (mutated?.text !== undefined) body = mutated.text;
  else if (mutated?.json !== undefined) body = JSON.stringify(mutated.json);
  let expected = VALID_EXPECTED;
  if (mutation) {
    const description = mutated?.description ?? mutation.description;
    expected =
      description === undefined
        ? { code: mutation.code, form: mutation.form }
        : { code: mutation.code, form: mutation.form, description };
  }
  return {
    id,
    kind: mutation ? 'invalid' : 'valid',
    mutation: mutation?.name ?? 'valid',
    method: 'POST',
    path: base.path,
    headers: { ...(mutated?.headers ?? base.headers) },
    body,
    bodyEncoding,
    sourceIp: mutated?.sourceIp ?? base.sourceIp,
    expected,
    seed,
  };
}

/** Try the mutations of one code on a base, from a random start; the first that applies wins. */
function mutateWith(
  mutations: readonly Mutation[],
  base: ValidBase,
  ctx: MutationContext,
  random: Random,
): [Mutation, Mutated] | undefined {
  const start = random.int(0, mutations.length - 1);
  for (let j = 0; j < mutations.length; j++) {
    const m = mutations[(start + j) % mutations.length] as Mutation;
    const mutated = m.apply(base, ctx);
    if (mutated) return [m, mutated];
  }
  return undefined;
}

/**
 * Generate `count` cases, deterministically for the same options. Valid cases come from json-schema-faker
 * (generators/base.ts); invalid ones mutate a valid base, spread round-robin over the codes; mixed runs
 * alternate valid and invalid, each invalid case reusing the base of the valid case before it.
 */
export function generateCases(options: GenerateOptions): Case[] {
  checkOptions(options);
  const tenantFile = options.tenantFile ?? defaultTenantFile();
  const file = fileContext(tenantFile);
  const nowMs = options.now ?? Date.now();
  const random = createRandom(options.seed);
  const factory = createBaseFactory({
    file,
    nowMs,
    maxEvents: options.maxEvents ?? GENERATE_DEFAULTS.maxEvents,
    notifyPort: options.notifyPort ?? GENERATE_DEFAULTS.notifyPort,
  });
  const ctx: MutationContext = { random, nowMs, file };
  const plan = options.kind === 'valid' ? [] : mutationPlan(tenantFile, options.code);
  if (options.kind !== 'valid' && plan.length === 0) {
    throw new EvkitError(
      'E_NO_MUTATION',
      `no mutation of ${options.code ?? 'any code'} holds under this tenant file's evaluator options`,
      { details: { code: options.code, under: 'options' } },
    );
  }

  const cases: Case[] = [];
  let base: ValidBase | undefined;
  let uses = 0;
  let turn = 0;
  for (let i = 0; i < options.count; i++) {
    const id = `${options.seed}-${i}`;
    if (options.kind === 'valid' || (options.kind === 'mixed' && i % 2 === 0)) {
      base = factory.next(random);
      uses = 0;
      cases.push(toCase(base, id, options.seed, undefined, undefined));
      continue;
    }
    let made: [Mutation, Mutated] | undefined;
    for (let attempt = 0; attempt < BASE_ATTEMPTS && !made; attempt++) {
      if (!base || uses >= BASE_REUSE || attempt > 0) {
        base = factory.next(random);
        uses = 0;
      }
      for (let k = 0; k < plan.length && !made; k++) {
        made = mutateWith(plan[(turn + k) % plan.length] as Mutation[], base, ctx, random);
        if (made) turn = (turn + k + 1) % plan.length;
      }
    }
    if (!made || !base) {
      throw new EvkitError(
        'E_NO_MUTATION',
        `no mutation of ${options.code ?? 'any code'} applies to this tenant file`,
        { details: { code: options.code, under: 'tenant' } },
      );
    }
    uses += 1;
    cases.push(toCase(base, id, options.seed, made[0], made[1]));
  }
  return cases;
}

/** The mutation codes a run draws from (for reports: which codes a corpus covers). */
export function plannedCodes(tenantFile: TenantFile, code?: ResponseCode): MutationCode[] {
  return mutationPlan(tenantFile, code).map((ms) => (ms[0] as Mutation).code);
}
