import { decodeJwt } from 'jose';
import { HEADER } from '../schema/catalog.ts';
import type { EvaluatorOptions } from '../schema/options.ts';
import type { Tenant } from '../schema/tenant.ts';
import { bearerToken, headerValue } from './credentials.ts';
import type { RawRequest } from './types.ts';

/** Finds the tenant a request belongs to from its credentials, without verifying them. */
export interface TenantResolver {
  resolve(raw: RawRequest): Tenant;
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
  if (tenants.length === 1) return { resolve: () => first };
  return {
    resolve(raw) {
      const authorization = headerValue(raw, HEADER.authorization);
      if (authorization) {
        const token = bearerToken(authorization, options);
        try {
          const iss = token ? decodeJwt(token).iss : undefined;
          if (iss) return byServiceId.get(iss) ?? first;
        } catch {
          // A malformed token is answered by the credentials stage.
        }
        return first;
      }
      const key = headerValue(raw, HEADER.key);
      return (key && byKey.get(key)) || first;
    },
  };
}
