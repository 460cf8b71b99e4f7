/**
 * 7005 and 7020 cannot be provoked by one request: they are a state of the service or a shape of the load.
 * This table says how to reach each, for `evkit generate --list`, the contracts and the load scripts.
 */
// A type-only import: the state names are checked against the mock's table at compile time, nothing is loaded.
import type { ProviderStateName } from '../src/mock/index.ts';
import { CATALOG, CODE, type EnvelopeForm, type ResponseCode } from '../src/schema/index.ts';
import type { RequestTriggeredCode } from './mutations.ts';

/** The codes that no single request provokes. */
export type StateCode = Exclude<ResponseCode, RequestTriggeredCode>;

/** One way to reach a state code: a provider state of the mock, a tenant-file setting, or a load shape. */
export type StateOrShape =
  | {
      readonly name: string;
      readonly via: 'state';
      readonly state: ProviderStateName;
      readonly summary: string;
    }
  | { readonly name: string; readonly via: 'tenant-file'; readonly setting: string; readonly summary: string }
  | { readonly name: string; readonly via: 'shape'; readonly shape: string; readonly summary: string };

/** How to reach 7005 and 7020, by code. */
export const STATES_AND_SHAPES = {
  [CODE.internalError]: [
    {
      name: 'internal-error-state',
      via: 'state',
      state: 'the service has an internal error',
      summary: 'every request that reaches the fault stage answers 7005 (POST /__evkit/state)',
    },
    {
      name: 'internal-error-rate',
      via: 'tenant-file',
      setting: 'faults.internalErrorRate / faults.internalErrorNext',
      summary: 'a seeded share of requests, or the next N, answer 7005',
    },
    {
      name: 'queue-full',
      via: 'shape',
      shape: 'more accepted events waiting than queueCapacity',
      summary: 'once the processing queue is full, further requests answer 7005',
    },
  ],
  [CODE.rateLimited]: [
    {
      name: 'transaction-limit-reached',
      via: 'state',
      state: 'the transaction limit is reached',
      summary: 'the rate limiter rejects every request until reset (POST /__evkit/state)',
    },
    {
      name: 'above-tps-and-burst',
      via: 'shape',
      shape: 'arrival rate above TPS + burst band, min(0.5 × TPS, 100), within one window',
      summary: 'requests beyond the provisioned rate and the burst band of a window answer 7020',
    },
    {
      name: 'burst-budget-spent',
      via: 'tenant-file',
      setting: 'rateLimit.burstBudgetSeconds',
      summary: 'arrivals above TPS after the seconds of burst allowed per minute are spent answer 7020',
    },
  ],
} as const satisfies Record<StateCode, readonly StateOrShape[]>;

/** The envelope form a state code is answered in. */
export function stateCodeForm(code: StateCode): EnvelopeForm {
  return CATALOG[code].form;
}
