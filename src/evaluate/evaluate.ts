import type { ResponseEntry } from '../schema/index.ts';
import {
  CODE,
  DESCRIPTION,
  type EvaluatorOptions,
  FIELD,
  type ResponseCode,
  type StageName,
  stageOrderProblem,
} from '../schema/index.ts';
import { FIXED_STAGES, STAGES, type TenantSource, tenantStage } from './stages.ts';
import {
  type AcceptedEvent,
  type AddedField,
  type CompleteContext,
  type Evaluation,
  type EvaluatorServices,
  type Intake,
  type RawRequest,
  RequestOutcome,
  type StageBase,
} from './types.ts';

/** The transid of entry `index` of one answer: the base UUID, then `base_1`, `base_2`, ... */
export function transidAt(base: string, index: number): string {
  return index === 0 ? base : `${base}_${index}`;
}

/**
 * The context the runner threads: what the stages established so far. Every field exists from the start (one
 * object shape on the hot path); the types of the stages say which a stage may read (src/evaluate/types.ts).
 */
interface Threaded extends StageBase {
  tenant: Intake['tenant'];
  credential: Intake['credential'];
  sourceIp: string;
  jsonBytes: Uint8Array;
  serviceId: string | undefined;
  body: Readonly<Record<string, unknown>> | undefined;
  events: readonly unknown[] | undefined;
  admission: CompleteContext['admission'] | undefined;
  eventOutcomes: CompleteContext['eventOutcomes'] | undefined;
}

function requestLevel(ctx: Threaded, stage: StageName, out: RequestOutcome): Evaluation {
  const entry: ResponseEntry = {
    code: out.code,
    description: out.description,
    transid: ctx.services.ids.next(),
  };
  if (out.correlationid !== undefined) entry.correlationid = out.correlationid;
  return {
    envelope: { response: entry },
    decidedBy: stage,
    codes: [out.code],
    tenantId: ctx.tenant.id,
    serviceId: ctx.serviceId,
    accepted: [],
    notifyUrl: undefined,
    admitted: ctx.admission !== undefined && ctx.admission !== 'rejected',
  };
}

/**
 * The fixed stages, always first and in this order: `tenant` (the credentials read once, a JWT decoded once, and
 * the tenant they name, or the given one), `sourceIp`, `jsonDepth`. What they establish is what the mock looks
 * at before the ordered stages (its planned answers).
 */
export function intake(
  raw: RawRequest,
  tenants: TenantSource,
  options: EvaluatorOptions,
  services: EvaluatorServices,
): Intake {
  const { tenant, credential } = tenantStage(raw, options, tenants);
  // One object threads the whole evaluation; sourceIp and jsonBytes hold the raw values until their stages run.
  const ctx: Threaded = {
    raw,
    options,
    services,
    tenant,
    credential,
    sourceIp: raw.sourceIp,
    jsonBytes: raw.body,
    serviceId: undefined,
    body: undefined,
    events: undefined,
    admission: undefined,
    eventOutcomes: undefined,
  };
  ctx.sourceIp = FIXED_STAGES.sourceIp(ctx);
  ctx.jsonBytes = FIXED_STAGES.jsonDepth(ctx);
  return ctx;
}

/**
 * Evaluate one raw request: the fixed stages (see {@link intake}; `tenants` is the tenant, or a resolver that
 * finds it from the credentials), then the ordered stages in `options.stageOrder` until one answers for the whole
 * request; otherwise answer per event. Pure but for the injected services. Synchronous unless a stage needs to
 * wait (JWT verification), so the mock's hot path costs no promise for key-authenticated requests.
 */
export function evaluate(
  raw: RawRequest,
  tenants: TenantSource,
  options: EvaluatorOptions,
  services: EvaluatorServices,
): Evaluation | Promise<Evaluation> {
  return evaluateIntake(intake(raw, tenants, options, services));
}

/** {@link evaluate}, always as a Promise. */
export async function evaluateRequest(
  raw: RawRequest,
  tenants: TenantSource,
  options: EvaluatorOptions,
  services: EvaluatorServices,
): Promise<Evaluation> {
  return evaluate(raw, tenants, options, services);
}

/** Stage orders checked already (options built in code skip the schema), and the last one (the usual case). */
const checkedOrders = new WeakSet<readonly StageName[]>();
let lastChecked: readonly StageName[] | undefined;

/** Throw a RangeError naming the stages when a stage of `order` comes before one it needs. */
function assertStageOrder(order: readonly StageName[]): void {
  if (order === lastChecked) return;
  if (checkedOrders.has(order)) {
    lastChecked = order;
    return;
  }
  const problem = stageOrderProblem(order);
  if (problem !== undefined) throw new RangeError(`evaluator option stageOrder: expected ${problem}`);
  checkedOrders.add(order);
  lastChecked = order;
}

/**
 * The ordered stages after {@link intake}, in `stageOrder` (the options the intake was given). The intake is
 * the context the stages thread: evaluate it once.
 */
export function evaluateIntake(start: Intake): Evaluation | Promise<Evaluation> {
  assertStageOrder(start.options.stageOrder);
  // The intake object itself threads on (what `intake` made has every field already; a field missing from one
  // made elsewhere reads as undefined, as it would until its stage runs).
  const ctx = start as Threaded;
  return runStagesFrom(ctx, 0);
}

/**
 * Run the ordered stages from `start`. The option schema (and {@link assertStageOrder}) refuses an order where a
 * stage comes before one it needs (`STAGE_NEEDS`), so each stage finds what its input type promises; the cast
 * below is where that check stands in for the compiler, which cannot follow an order that is data.
 */
function runStagesFrom(ctx: Threaded, start: number): Evaluation | Promise<Evaluation> {
  const order = ctx.options.stageOrder;
  for (let i = start; i < order.length; i++) {
    const name = order[i] as StageName;
    const stage = STAGES[name] as unknown as ThreadedStage;
    const result = stage.run(ctx);
    if (result instanceof Promise) {
      return result.then((out: unknown) => {
        if (out instanceof RequestOutcome) return requestLevel(ctx, name, out);
        if (stage.adds !== undefined) store(ctx, stage.adds, out);
        return runStagesFrom(ctx, i + 1);
      });
    }
    if (result instanceof RequestOutcome) return requestLevel(ctx, name, result);
    if (stage.adds !== undefined) store(ctx, stage.adds, result);
  }
  return perEventAnswer(ctx as Threaded & CompleteContext);
}

/**
 * Put a stage's value in its field. A store per field name: `ctx[field] = value` with the name varying would be
 * a megamorphic keyed store, which profiling showed to cost the runner more than every stage but `json`.
 */
function store(ctx: Threaded, field: NonNullable<ThreadedStage['adds']>, value: unknown): void {
  switch (field) {
    case 'serviceId':
      ctx.serviceId = value as Threaded['serviceId'];
      return;
    case 'body':
      ctx.body = value as Threaded['body'];
      return;
    case 'events':
      ctx.events = value as Threaded['events'];
      return;
    case 'admission':
      ctx.admission = value as Threaded['admission'];
      return;
    case 'eventOutcomes':
      ctx.eventOutcomes = value as Threaded['eventOutcomes'];
      return;
  }
}

/** A stage as the runner calls it: on the threaded context, its value going in its field. */
interface ThreadedStage {
  readonly run: (ctx: Threaded) => unknown;
  readonly adds: { [S in StageName]: AddedField<S> }[StageName];
}

function perEventAnswer(ctx: CompleteContext): Evaluation {
  const { services, tenant } = ctx;
  const base = services.ids.next();
  const acceptedDescription = ctx.admission === 'burst' ? DESCRIPTION.queuedInBurstMode : DESCRIPTION.queued;
  const accepted: AcceptedEvent[] = [];
  const codes: ResponseCode[] = [];
  const entries: ResponseEntry[] = ctx.eventOutcomes.map((o, index) => {
    const transid = transidAt(base, index);
    codes.push(o.code);
    if (o.code === CODE.queued && o.evtid !== undefined) {
      accepted.push({
        index,
        evtid: o.evtid,
        correlationid: o.correlationid,
        transid,
        parameters: o.parameters,
        burst: ctx.admission === 'burst',
      });
    }
    return {
      code: o.code,
      description: o.description ?? acceptedDescription,
      transid,
      correlationid: o.correlationid,
    };
  });
  const notify = ctx.body[FIELD.notifyurl];
  return {
    envelope: { response: entries },
    decidedBy: 'perEvent',
    codes,
    tenantId: tenant.id,
    serviceId: ctx.serviceId,
    accepted,
    notifyUrl: typeof notify === 'string' && notify !== '' ? notify : undefined,
    admitted: ctx.admission !== 'rejected',
  };
}

/** Services for tests and generators' checks: a fixed clock, counting ids, a limiter that admits all. */
export function fixedServices(
  nowMs: number,
  admission: 'queued' | 'burst' | 'rejected' = 'queued',
): EvaluatorServices {
  let n = 0;
  return {
    clock: { now: () => nowMs },
    ids: {
      next: () => {
        n += 1;
        return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
      },
    },
    rateLimiter: { admit: () => admission },
  };
}
