import type { EvaluatorOptions, Tenant } from '../schema/index.ts';
import { HEADER } from '../schema/index.ts';
import { headerValue, presentedCredential } from './credentials.ts';
import type { PresentedCredential, RawRequest } from './types.ts';

/** Finds the tenant a request belongs to from its credentials, without verifying them. */
export interface TenantResolver {
  /** The tenant of a request (its credentials read and, a JWT, decoded for the purpose). */
  resolve(raw: RawRequest): Tenant;
  /** The tenant of a request whose credentials were read already (stage `tenant`: the JWT decoded once). */
  resolvePresented(raw: RawRequest, credential: PresentedCredential): Tenant;
}

/**
 * Index tenants by service key and JWT service id. A request whose credentials name no tenant goes to the
 * first one (it will be answered 7001, 7002 or 7010 by that tenant's rules).
 */
export function createTenantResolver(tenants: readonly Tenant[], options: EvaluatorOptions): TenantResolver {
  const first = tenants[0];
  if (!first) throw new RangeError('at least one tenant is required');
  const byKey = new Map<string, Tenant>();
  const byServiceId = new Map<string, Tenant>();
  for (const tenant of tenants) {
    for (const service of tenant.services) {
      byServiceId.set(service.id, tenant);
      for (const key of service.keys) byKey.set(key.value, tenant);
    }
  }
  if (tenants.length === 1) return { resolve: () => first, resolvePresented: () => first };
  const resolvePresented = (raw: RawRequest, credential: PresentedCredential): Tenant => {
    // Any Authorization header routes by the JWT's `iss` (a blank one, or one without a JWT, to the first
    // tenant), even where the credentials stage then reads the key: this is how the mock has always routed.
    if (headerValue(raw, HEADER.authorization)) {
      const iss = credential.kind === 'jwt' ? credential.decoded?.iss : undefined;
      return iss ? (byServiceId.get(iss as string) ?? first) : first;
    }
    return (credential.kind === 'key' && credential.key && byKey.get(credential.key)) || first;
  };
  return {
    resolve: (raw) => resolvePresented(raw, presentedCredential(raw, options)),
    resolvePresented,
  };
}
