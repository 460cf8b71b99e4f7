import type { Evaluation } from '../evaluate/index.ts';
import type { ResponseEntry, StageName } from '../schema/index.ts';
import { CATALOG, CODE, DESCRIPTION, FIELD, RESPONSE_CODES, type ResponseCode } from '../schema/index.ts';

/** A code the service answers once for the whole request (one envelope object). */
export type RequestLevelCode = Exclude<
  ResponseCode,
  typeof CODE.queued | typeof CODE.mandatoryParameterMissing
>;

/**
 * A forced answer per request-level code: the stage whose answer it stands in for, and its description (the
 * catalog's, but 7004's generic one: its default names `evtid`, a per-event field).
 */
export const FORCED_ANSWER = {
  [CODE.invalidJson]: { stage: 'json', description: DESCRIPTION.invalidJson },
  [CODE.authenticationFailed]: { stage: 'credentials', description: DESCRIPTION.authenticationFailed },
  [CODE.serviceKeyMissing]: { stage: 'credentials', description: DESCRIPTION.serviceKeyMissing },
  [CODE.eventsMissing]: { stage: 'events', description: DESCRIPTION.eventsMissing },
  [CODE.invalidParameters]: { stage: 'events', description: DESCRIPTION.invalidParameters },
  [CODE.internalError]: { stage: 'fault', description: DESCRIPTION.internalError },
  [CODE.ipNotAllowlisted]: { stage: 'allowlist', description: DESCRIPTION.ipNotAllowlisted },
  [CODE.requestExpired]: { stage: 'expiry', description: DESCRIPTION.requestExpired },
  [CODE.rateLimited]: { stage: 'rateLimit', description: DESCRIPTION.rateLimited },
} as const satisfies Record<RequestLevelCode, { stage: StageName; description: string }>;

/** Every request-level code, in catalog order: what `POST /__evkit/next` accepts. */
export const REQUEST_LEVEL_CODES = RESPONSE_CODES.filter(
  (c): c is RequestLevelCode => CATALOG[c].level !== 'event',
);

/** Whether a value is a request-level code. */
export function isRequestLevelCode(value: unknown): value is RequestLevelCode {
  return typeof value === 'string' && (REQUEST_LEVEL_CODES as readonly string[]).includes(value);
}

/** One planned run of forced answers. */
export interface PlannedAnswers {
  readonly code: RequestLevelCode;
  /** How many requests are still to get it. */
  remaining: number;
}

/** "The next N requests of a tenant answer code X": per tenant, in the order they were asked for. */
export interface NextAnswers {
  /** Plan `count` answers of `code` after whatever is already planned for the tenant. */
  add(tenantId: string, code: RequestLevelCode, count: number): void;
  /** The code the tenant's next request must get, consuming it, or undefined to evaluate it. */
  take(tenantId: string): RequestLevelCode | undefined;
  /** What is still planned, by tenant. */
  pending(): Record<string, readonly PlannedAnswers[]>;
  /** Drop the plans of one tenant, or of all. */
  clear(tenantId?: string): void;
}

/** Create an empty plan. */
export function createNextAnswers(): NextAnswers {
  const plans = new Map<string, PlannedAnswers[]>();
  return {
    add(tenantId, code, count) {
      if (count <= 0) return;
      const list = plans.get(tenantId) ?? [];
      list.push({ code, remaining: count });
      plans.set(tenantId, list);
    },
    take(tenantId) {
      // The hot path: one map lookup when nothing is planned.
      const list = plans.get(tenantId);
      const head = list?.[0];
      if (list === undefined || head === undefined) return undefined;
      head.remaining -= 1;
      if (head.remaining === 0) list.shift();
      if (list.length === 0) plans.delete(tenantId);
      return head.code;
    },
    pending() {
      return Object.fromEntries([...plans].map(([id, list]) => [id, list.map((p) => ({ ...p }))]));
    },
    clear(tenantId) {
      if (tenantId === undefined) plans.clear();
      else plans.delete(tenantId);
    },
  };
}

function firstCorrelationId(body: Uint8Array): string | undefined {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(body));
    const events = (parsed as Record<string, unknown> | null)?.[FIELD.events];
    const first: unknown = Array.isArray(events) ? events[0] : undefined;
    const c = (first as Record<string, unknown> | null | undefined)?.[FIELD.correlationid];
    return typeof c === 'string' && c !== '' ? c : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The evaluation of a forced answer: the code's description (`FORCED_ANSWER`), one transid, and for 7020
 * the first event's correlationid, as the evaluator answers it.
 */
export function forcedEvaluation(
  code: RequestLevelCode,
  tenantId: string,
  transid: string,
  body: Uint8Array,
): Evaluation {
  const entry: ResponseEntry = { code, description: FORCED_ANSWER[code].description, transid };
  if (code === CODE.rateLimited) {
    const c = firstCorrelationId(body);
    if (c !== undefined) entry.correlationid = c;
  }
  return {
    envelope: { response: entry },
    decidedBy: FORCED_ANSWER[code].stage,
    codes: [code],
    tenantId,
    serviceId: undefined,
    accepted: [],
    notifyUrl: undefined,
    admitted: false,
  };
}
