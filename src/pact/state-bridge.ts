import type { IncomingMessage, ServerResponse } from 'node:http';

/** The path the Pact verifier posts provider-state changes to (pact-js's verification proxy). */
export const STATE_SETUP_PATH = '/_pactSetup';

/** The outcome of setting one provider state. */
export type StateOutcome =
  | { readonly ok: true; readonly values: Record<string, unknown> }
  | { readonly ok: false; readonly error: string };

/** Sets a provider state on the target, or says why it cannot. */
export type StateSetter = (state: string, params: Record<string, unknown>) => Promise<StateOutcome>;

/** One state change the verifier asked for, and what came of it. */
export interface StateCall {
  readonly state: string;
  readonly params: Record<string, unknown>;
  /** `set`, `failed` (the target refused it or is unreachable) or `not-settable` (a real provider). */
  readonly status: 'set' | 'failed' | 'not-settable';
  readonly error?: string;
}

/** Set states through the mock's control API (`POST /__evkit/state`). */
export function mockStateSetter(mockUrl: string, adminToken?: string): StateSetter {
  return async (state, params) => {
    let res: Response;
    try {
      res = await fetch(`${mockUrl}/__evkit/state`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(adminToken === undefined ? {} : { authorization: `Bearer ${adminToken}` }),
        },
        body: JSON.stringify({ state, params }),
      });
    } catch (cause) {
      return {
        ok: false,
        error: `cannot reach the mock's control API at ${mockUrl}: ${(cause as Error).message}`,
      };
    }
    const payload = (await res.json().catch(() => ({}))) as {
      values?: Record<string, unknown>;
      error?: string;
    };
    if (res.ok) return { ok: true, values: payload.values ?? {} };
    return { ok: false, error: payload.error ?? `the mock answered HTTP ${res.status} to the state change` };
  };
}

/** The request shape the verification proxy hands its filter (express, with the JSON body parsed). */
type ProxyRequest = IncomingMessage & { body?: unknown; path?: string };

/**
 * A request filter for pact-js's verification proxy that handles state changes itself. pact-js would only warn
 * about a missing handler and only print a failing one; here a state the target refuses answers HTTP 400, which
 * the verifier counts as a failed state change (a 5xx would make it retry for minutes). A real provider
 * (`setter` undefined) cannot set states: each call is recorded as `not-settable` and the interaction runs anyway.
 */
export function stateFilter(setter: StateSetter | undefined, calls: StateCall[]) {
  return (req: ProxyRequest, res: ServerResponse, next: () => void): void => {
    if (req.method !== 'POST' || (req.path ?? req.url) !== STATE_SETUP_PATH) {
      next();
      return;
    }
    const body = (req.body ?? {}) as { state?: unknown; params?: unknown; action?: unknown };
    const state = String(body.state ?? '');
    const params = (body.params ?? {}) as Record<string, unknown>;
    const answer = (status: number, payload: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    // Each state resets the mock before it applies itself, so there is nothing to tear down.
    if (body.action === 'teardown') {
      answer(200, {});
      return;
    }
    if (!setter) {
      calls.push({
        state,
        params,
        status: 'not-settable',
        error: 'a real provider cannot be put into a state',
      });
      answer(200, {});
      return;
    }
    setter(state, params).then(
      (outcome) => {
        if (outcome.ok) {
          calls.push({ state, params, status: 'set' });
          answer(200, outcome.values);
        } else {
          calls.push({ state, params, status: 'failed', error: outcome.error });
          answer(400, { error: outcome.error });
        }
      },
      (cause: unknown) => {
        calls.push({ state, params, status: 'failed', error: String(cause) });
        answer(400, { error: String(cause) });
      },
    );
  };
}
