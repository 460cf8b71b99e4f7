import type { ProviderStateName } from '../src/mock/index.ts';

/**
 * The provider states our interactions use, named once. The names are type-checked against the mock's own
 * table (src/mock/states.ts), so a renamed state breaks the build instead of a verification at night.
 */
export const STATE = {
  /** Fix the provider's clock: every interaction sends it, so expiry and JWT iat never go stale. */
  clock: 'the clock reads',
  rateLimited: 'the transaction limit is reached',
  burst: 'the tenant is in burst mode',
  internalError: 'the service has an internal error',
  ipNotAllowlisted: 'the source IP is not allowlisted',
} as const satisfies Record<string, ProviderStateName>;
export type ContractState = (typeof STATE)[keyof typeof STATE];

/**
 * The fixed time every interaction runs at, given to the provider as the `now` param of its state. Request
 * bodies (expiry) and the client's JWT `iat` are computed from it, so the pact verifies on any future day.
 */
export const CONTRACT_NOW_ISO = '2025-06-02T12:00:00.000Z';
export const CONTRACT_NOW_MS = Date.parse(CONTRACT_NOW_ISO);

/** The params of a state: always the fixed clock. */
export function stateParams(): { now: string } {
  return { now: CONTRACT_NOW_ISO };
}
