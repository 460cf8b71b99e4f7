import { FIELD, isResponseCode } from '../schema/index.ts';
import type { MockEngine, TenantResult } from './engine.ts';
import type { JournalQuery } from './journal.ts';
import { isRequestLevelCode, REQUEST_LEVEL_CODES } from './next-answers.ts';
import {
  applyProviderState,
  PROVIDER_STATE_NAMES,
  PROVIDER_STATES,
  type ProviderStateName,
} from './states.ts';

/** The state of an interaction that names none: a freshly reset mock. */
const NO_STATE: ProviderStateName = 'the default tenant';

/** Every control path starts with this prefix. */
export const CONTROL_PREFIX = '/__evkit';
/** The health and readiness route: open without the admin token. */
export const HEALTH_PATH = `${CONTROL_PREFIX}/health`;

/** A control API answer: HTTP status and JSON payload. */
export interface ControlAnswer {
  readonly status: number;
  readonly payload: unknown;
}

type Handler = (
  engine: MockEngine,
  body: unknown,
  query: URLSearchParams,
) => ControlAnswer | Promise<ControlAnswer>;

const ok = (payload: unknown): ControlAnswer => ({ status: 200, payload });
/** An error answer in the documented shape `{"error", "status"}` (plus details such as `problems`). */
const failure = (status: number, error: string, extra: Record<string, unknown> = {}): ControlAnswer => ({
  status,
  payload: { error, status, ...extra },
});
const bad = (error: string, extra: Record<string, unknown> = {}): ControlAnswer => failure(400, error, extra);

const asObject = (body: unknown): Record<string, unknown> | undefined =>
  body !== null && typeof body === 'object' && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : undefined;

/** `GET /__evkit/health`: 200 while the mock takes requests, 503 once it drains. */
export function healthAnswer(closing: boolean): ControlAnswer {
  return closing
    ? { status: 503, payload: { status: 'draining', ready: false } }
    : { status: 200, payload: { status: 'ok', ready: true } };
}

const tenantAnswer = (result: TenantResult, extra: Record<string, unknown> = {}): ControlAnswer =>
  result.ok ? ok({ ok: true, tenantId: result.tenantId, ...extra }) : bad(result.error);

const JOURNAL_PARAMS = ['tenantId', 'code', FIELD.evtid, FIELD.correlationid, 'since'];

/** `?tenantId=&code=&evtid=&correlationid=&since=` as a journal query, or what is wrong with it. */
export function parseJournalQuery(query: URLSearchParams): JournalQuery | { error: string } {
  const unknown = [...query.keys()].filter((k) => !JOURNAL_PARAMS.includes(k));
  if (unknown.length > 0)
    return { error: `unknown parameter(s) ${unknown.join(', ')}; expected ${JOURNAL_PARAMS.join(', ')}` };
  const out: { -readonly [K in keyof JournalQuery]: JournalQuery[K] } = {};
  const code = query.get('code');
  if (code !== null) {
    if (!isResponseCode(code)) return { error: `code=${code} is not a response code of the Event API` };
    out.code = code;
  }
  const since = query.get('since');
  if (since !== null) {
    const ms = /^\d+$/.test(since)
      ? Number(since)
      : /(Z|[+-]\d{2}:\d{2})$/i.test(since)
        ? Date.parse(since)
        : Number.NaN;
    if (Number.isNaN(ms)) return { error: 'since= takes an ISO time with a zone or epoch milliseconds' };
    out.sinceMs = ms;
  }
  for (const name of ['tenantId', FIELD.evtid, FIELD.correlationid] as const) {
    const value = query.get(name);
    if (value !== null) out[name] = value;
  }
  return out;
}

/** The control routes: `METHOD path` (below the prefix) to handler. */
const ROUTES: Readonly<Record<string, Handler>> = {
  'GET /health': () => healthAnswer(false),
  'GET /counters': (engine) => ok(engine.counters()),
  'POST /reset': (engine, body) => {
    const tenantId = asObject(body)?.tenantId;
    if (tenantId === undefined) {
      engine.reset();
      return ok({ ok: true });
    }
    if (typeof tenantId !== 'string') return bad('expected {} or {"tenantId": "<tenant id>"}');
    return tenantAnswer(engine.resetTenant(tenantId));
  },
  'GET /requests': (engine, _body, query) => {
    const parsed = parseJournalQuery(query);
    if ('error' in parsed) return bad(parsed.error);
    const requests = engine.requests(parsed);
    return ok({ count: requests.length, requests });
  },
  'DELETE /requests': (engine, _body, query) => {
    const tenantId = query.get('tenantId') ?? undefined;
    return ok({ ok: true, cleared: engine.clearRequests(tenantId) });
  },
  'POST /next': (engine, body) => {
    const request = asObject(body);
    const count = request?.count ?? 1;
    const tenantId = request?.tenantId;
    if (
      request === undefined ||
      !isRequestLevelCode(request.code) ||
      typeof count !== 'number' ||
      !Number.isInteger(count) ||
      count < 1 ||
      (tenantId !== undefined && typeof tenantId !== 'string')
    )
      return bad(
        `expected {"code": one of ${REQUEST_LEVEL_CODES.join(', ')}, "count"?: integer >= 1 (1), "tenantId"?}`,
      );
    return tenantAnswer(engine.planAnswers(request.code, count, tenantId), { code: request.code, count });
  },
  'GET /next': (engine) => ok({ planned: engine.plannedAnswers() }),
  'POST /clock': (engine, body) => {
    const now = asObject(body)?.now;
    if (now === null) {
      engine.setClock(null);
      return ok({ ok: true, now: null });
    }
    const ms = typeof now === 'string' && /(Z|[+-]\d{2}:\d{2})$/i.test(now) ? Date.parse(now) : Number.NaN;
    if (Number.isNaN(ms)) return bad('expected {"now": "<ISO time with a zone>"} or {"now": null}');
    engine.setClock(ms);
    return ok({ ok: true, now: new Date(ms).toISOString(), nowMs: ms });
  },
  'POST /tenant': (engine, body) => {
    const update = asObject(body);
    if (update === undefined) return bad('expected {"tenantId"?, "rateLimit"?, "faults"?}');
    const unknown = Object.keys(update).filter((k) => !['tenantId', 'rateLimit', 'faults'].includes(k));
    if (unknown.length > 0)
      return bad(`unknown field(s) ${unknown.join(', ')}; expected tenantId, rateLimit, faults`);
    const result = engine.updateTenant(update);
    return result.ok
      ? ok({
          ok: true,
          tenant: { id: result.tenant.id, rateLimit: result.tenant.rateLimit, faults: result.tenant.faults },
        })
      : bad(result.error, result.problems ? { problems: result.problems } : {});
  },
  'GET /states': () =>
    ok({
      states: PROVIDER_STATE_NAMES.map((name) => ({ name, description: PROVIDER_STATES[name].description })),
    }),
  'POST /state': async (engine, body) => {
    const request = asObject(body);
    // A Pact verifier posts an empty state for an interaction that names none: it runs on a fresh default tenant.
    const state = request?.state ?? '';
    const result = await applyProviderState(engine, state === '' ? NO_STATE : state, request?.params);
    return result.ok ? ok(result) : bad(result.error);
  },
};

/** Answer one control request; an unknown route is 404, a known path with another method 405. */
export async function handleControl(
  engine: MockEngine,
  method: string,
  path: string,
  body: unknown,
  query: URLSearchParams = new URLSearchParams(),
): Promise<ControlAnswer> {
  const sub = path.slice(CONTROL_PREFIX.length).replace(/\/$/, '');
  const handler = ROUTES[`${method} ${sub}`];
  if (handler) return handler(engine, body, query);
  const methods = Object.keys(ROUTES)
    .filter((r) => r.endsWith(` ${sub}`))
    .map((r) => r.split(' ')[0]);
  if (methods.length > 0) return failure(405, `use ${methods.join(' or ')}`);
  return failure(404, `no control route ${sub}; known: ${Object.keys(ROUTES).join(', ')}`);
}
