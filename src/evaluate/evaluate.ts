import { CODE, DESCRIPTION, FIELD, type ResponseCode } from '../schema/catalog.ts';
import type { EvaluatorOptions, StageName } from '../schema/options.ts';
import type { ResponseEntry } from '../schema/response.ts';
import type { Tenant } from '../schema/tenant.ts';
import { STAGES } from './stages.ts';
import type {
  AcceptedEvent,
  Evaluation,
  EvaluatorServices,
  RawRequest,
  RequestOutcome,
  StageContext,
} from './types.ts';

/** The transid of entry `index` of one answer: the base UUID, then `base_1`, `base_2`, ... */
export function transidAt(base: string, index: number): string {
  return index === 0 ? base : `${base}_${index}`;
}

function firstCorrelationId(events: readonly unknown[] | undefined): string | undefined {
  const first = events?.[0];
  if (first === null || typeof first !== 'object') return undefined;
  const c = (first as Record<string, unknown>)[FIELD.correlationid];
  return typeof c === 'string' && c !== '' ? c : undefined;
}

function requestLevel(ctx: StageContext, stage: StageName, out: RequestOutcome): Evaluation {
  const entry: ResponseEntry = {
    code: out.code,
    description: out.description,
    transid: ctx.services.ids.next(),
  };
  // 7020 carries the first event's correlationid, as its official example does.
  if (out.code === CODE.rateLimited) {
    const c = firstCorrelationId(ctx.events);
    if (c !== undefined) entry.correlationid = c;
  }
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
 * Evaluate one raw request for one tenant: run the stages in `options.stageOrder` until one answers for the
 * whole request; otherwise answer per event. Pure but for the injected services. Synchronous unless a stage
 * needs to wait (JWT verification), so the mock's hot path costs no promise for key-authenticated requests.
 */
export function evaluate(
  raw: RawRequest,
  tenant: Tenant,
  options: EvaluatorOptions,
  services: EvaluatorServices,
): Evaluation | Promise<Evaluation> {
  const ctx: StageContext = {
    raw,
    tenant,
    options,
    services,
    serviceId: undefined,
    body: undefined,
    events: undefined,
    admission: undefined,
    eventOutcomes: undefined,
  };
  return runStagesFrom(ctx, 0);
}

/** {@link evaluate}, always as a Promise. */
export async function evaluateRequest(
  raw: RawRequest,
  tenant: Tenant,
  options: EvaluatorOptions,
  services: EvaluatorServices,
): Promise<Evaluation> {
  return evaluate(raw, tenant, options, services);
}

function runStagesFrom(ctx: StageContext, start: number): Evaluation | Promise<Evaluation> {
  const order = ctx.options.stageOrder;
  for (let i = start; i < order.length; i++) {
    const name = order[i] as StageName;
    const result = STAGES[name](ctx);
    if (result instanceof Promise) {
      return result.then((out) => (out ? requestLevel(ctx, name, out) : runStagesFrom(ctx, i + 1)));
    }
    if (result) return requestLevel(ctx, name, result);
  }
  return perEventAnswer(ctx);
}

function perEventAnswer(ctx: StageContext): Evaluation {
  const { services, tenant } = ctx;
  const base = services.ids.next();
  const acceptedDescription = ctx.admission === 'burst' ? DESCRIPTION.queuedInBurstMode : DESCRIPTION.queued;
  const accepted: AcceptedEvent[] = [];
  const codes: ResponseCode[] = [];
  const entries: ResponseEntry[] = (ctx.eventOutcomes ?? []).map((o, index) => {
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
  const notify = ctx.body?.[FIELD.notifyurl];
  return {
    envelope: { response: entries },
    decidedBy: 'perEvent',
    codes,
    tenantId: tenant.id,
    serviceId: ctx.serviceId,
    accepted,
    notifyUrl: typeof notify === 'string' && notify !== '' ? notify : undefined,
    admitted: ctx.admission !== undefined && ctx.admission !== 'rejected',
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
