/** The control operations of a running mock as typed methods (the same as its control API, without HTTP). */
import type { z } from 'zod';
import { EvkitError } from '../errors.ts';
import type { faultsSchema, rateLimitSchema, Tenant } from '../schema/index.ts';
import type { MockCounters } from './counters.ts';
import type { MockEngine, TenantResult } from './engine.ts';
import type { JournalEntry, JournalQuery } from './journal.ts';
import type { RequestLevelCode } from './next-answers.ts';
import { applyProviderState, type ProviderStateName } from './states.ts';

/** A tenant update: which tenant (default the first) and what to replace, as in the tenant file. */
export interface MockTenantUpdate {
  readonly tenantId?: string;
  readonly rateLimit?: z.input<typeof rateLimitSchema>;
  readonly faults?: z.input<typeof faultsSchema>;
}

/** The control operations of a running mock. */
export interface MockControl {
  /**
   * Set a provider state by its exact name (`PROVIDER_STATE_NAMES`): a reset, the clock fixed when `now` is
   * given, then the state's effect. Resolves to the values an interaction may take from the state.
   */
  setState(
    name: ProviderStateName,
    params?: { readonly now?: string },
  ): Promise<Record<string, string | number>>;
  /** Fix the evaluator's clock (expiry, JWT iat/exp), or `null` for real time. */
  setClock(now: Date | string | number | null): void;
  /** Replace a tenant's rate limit or faults at run time; resolves to the tenant as it now is. */
  updateTenant(update: MockTenantUpdate): Tenant;
  /**
   * Back to the tenant file: counters, forced states, clock, limiter windows, planned answers, journal, queue.
   * With a tenant id, only that tenant (its settings, windows, planned answers, journal), so parallel tests can
   * each own a tenant.
   */
  reset(tenantId?: string): void;
  /** Requests, codes, rate windows, queue and notifications so far (GET /__evkit/counters). */
  counters(): MockCounters;
  /** The request journal, oldest first, narrowed by the query (GET /__evkit/requests). */
  requests(query?: JournalQuery): JournalEntry[];
  /** Forget the journal of one tenant, or of all (DELETE /__evkit/requests); returns how many entries. */
  clearRequests(tenantId?: string): number;
  /** The next `count` requests of a tenant (default: the first) answer `code` (POST /__evkit/next). */
  planAnswers(code: RequestLevelCode, count: number, tenantId?: string): void;
}

function toEpochMs(now: Date | string | number): number {
  const ms = now instanceof Date ? now.getTime() : typeof now === 'number' ? now : Date.parse(now);
  if (!Number.isFinite(ms)) {
    throw new EvkitError('E_MOCK_CONTROL', `setClock: ${String(now)} is not a time`, {
      details: { operation: 'setClock' },
    });
  }
  return ms;
}

function orThrow(result: TenantResult, what: string): void {
  if (!result.ok)
    throw new EvkitError('E_MOCK_CONTROL', `${what}: ${result.error}`, { details: { operation: what } });
}

/** The control methods over an engine. */
export function controlMethods(engine: MockEngine): MockControl {
  return {
    async setState(name, params) {
      const result = await applyProviderState(engine, name, params ?? {});
      if (!result.ok)
        throw new EvkitError('E_MOCK_CONTROL', result.error, {
          details: { operation: 'setState', state: name },
        });
      return result.values;
    },
    setClock: (now) => engine.setClock(now === null ? null : toEpochMs(now)),
    updateTenant(update) {
      const result = engine.updateTenant(update);
      if (!result.ok) {
        throw new EvkitError('E_MOCK_CONTROL', `updateTenant: ${result.error}`, {
          details: { operation: 'updateTenant', problems: result.problems ?? [] },
        });
      }
      return result.tenant;
    },
    reset(tenantId) {
      if (tenantId === undefined) engine.reset();
      else orThrow(engine.resetTenant(tenantId), 'reset');
    },
    counters: () => engine.counters(),
    requests: (query) => engine.requests(query),
    clearRequests: (tenantId) => engine.clearRequests(tenantId),
    planAnswers: (code, count, tenantId) => orThrow(engine.planAnswers(code, count, tenantId), 'planAnswers'),
  };
}
