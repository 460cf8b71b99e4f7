import type { MockEngine } from './engine.ts';
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

/** A control API answer: HTTP status and JSON payload. */
export interface ControlAnswer {
  readonly status: number;
  readonly payload: unknown;
}

type Handler = (engine: MockEngine, body: unknown) => ControlAnswer | Promise<ControlAnswer>;

const ok = (payload: unknown): ControlAnswer => ({ status: 200, payload });
const bad = (error: string, extra: Record<string, unknown> = {}): ControlAnswer => ({
  status: 400,
  payload: { ok: false, error, ...extra },
});

const asObject = (body: unknown): Record<string, unknown> | undefined =>
  body !== null && typeof body === 'object' && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : undefined;

/** The control routes: `METHOD path` (below the prefix) to handler. */
const ROUTES: Readonly<Record<string, Handler>> = {
  'GET /counters': (engine) => ok(engine.counters()),
  'POST /reset': (engine) => {
    engine.reset();
    return ok({ ok: true });
  },
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
    return result.ok ? ok(result) : { status: 400, payload: result };
  },
};

/** Answer one control request; an unknown route is 404, a known path with another method 405. */
export async function handleControl(
  engine: MockEngine,
  method: string,
  path: string,
  body: unknown,
): Promise<ControlAnswer> {
  const sub = path.slice(CONTROL_PREFIX.length).replace(/\/$/, '');
  const handler = ROUTES[`${method} ${sub}`];
  if (handler) return handler(engine, body);
  const methods = Object.keys(ROUTES)
    .filter((r) => r.endsWith(` ${sub}`))
    .map((r) => r.split(' ')[0]);
  if (methods.length > 0)
    return { status: 405, payload: { ok: false, error: `use ${methods.join(' or ')}` } };
  return {
    status: 404,
    payload: { ok: false, error: `no control route ${sub}; known: ${Object.keys(ROUTES).join(', ')}` },
  };
}
