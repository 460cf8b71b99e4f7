/** What the generators need to know about a tenant file, computed once per `generateCases` call. */

import type { KeyObject } from 'node:crypto';
import { hmacKey } from '../src/auth/index.ts';
import { EvkitError } from '../src/errors.ts';
import { base64ToBytes, compileAllowlist } from '../src/evaluate/index.ts';
import type { EvaluatorOptions, Service, Tenant, TenantFile } from '../src/schema/index.ts';
import { type ValueMaker, valueMaker } from './values.ts';

/** A service that can sign JWTs, with its secret as an HMAC key. */
export interface JwtService {
  readonly service: Service;
  readonly secret: KeyObject;
}

/** One tenant's credentials, events and addresses, as the generators use them. */
export interface TenantContext {
  readonly tenant: Tenant;
  readonly activeKeys: readonly string[];
  readonly inactiveKeys: readonly string[];
  readonly jwtServices: readonly JwtService[];
  readonly evtids: readonly string[];
  /** Mandatory custom parameters by evtid, each with the maker of its realistic values. */
  readonly mandatoryOf: ReadonlyMap<string, readonly (readonly [string, ValueMaker])[]>;
  /** Events with mandatory custom parameters (7025 needs one). */
  readonly mandatoryEvents: Tenant['events'];
  /** A loopback address the allowlist admits (valid cases come from it); none: no case can be sent. */
  readonly insideIp: string | undefined;
  /** A loopback address outside the allowlist, when the allowlist is set (7010). */
  readonly outsideIp: string | undefined;
}

/** The tenant file as the generators see it. */
export interface FileContext {
  readonly options: EvaluatorOptions;
  readonly tenants: readonly TenantContext[];
  /** The tenants valid cases are made for. */
  readonly usable: readonly UsableTenant[];
  /** Every key value and service id of the file: an "unknown" one must be none of these. */
  readonly knownKeys: ReadonlySet<string>;
  readonly knownServiceIds: ReadonlySet<string>;
  /** A key that is no service's secret: tokens signed with it are badly signed. */
  readonly wrongKey: KeyObject;
  /**
   * Whether the first tenant admits an address: requests whose credentials name no tenant (unknown key, no
   * credentials, a JWT of an unknown service) are judged by the first tenant's rules.
   */
  readonly fallbackAdmits: (ip: string) => boolean;
}

// Candidates in 127.0.0.0/8, which every machine can send from (Linux routes the whole block to loopback).
const LOOPBACK_CANDIDATES = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.1.1', '127.10.0.1', '127.255.0.2'];

function tenantContext(tenant: Tenant): TenantContext {
  const allow = compileAllowlist(tenant.allowlist);
  const open = tenant.allowlist.length === 0;
  const keys = tenant.services.flatMap((s) => s.keys);
  return {
    tenant,
    activeKeys: keys.filter((k) => k.active).map((k) => k.value),
    inactiveKeys: keys.filter((k) => !k.active).map((k) => k.value),
    jwtServices: tenant.services.flatMap((service) =>
      service.jwtSecret === undefined ? [] : [{ service, secret: hmacKey(base64ToBytes(service.jwtSecret)) }],
    ),
    evtids: tenant.events.map((e) => e.evtid),
    mandatoryOf: new Map(
      tenant.events.map((e) => [e.evtid, e.mandatoryParameters.map((p) => [p, valueMaker(p)] as const)]),
    ),
    mandatoryEvents: tenant.events.filter((e) => e.mandatoryParameters.length > 0),
    insideIp: open ? '127.0.0.1' : LOOPBACK_CANDIDATES.find((ip) => allow.matches(ip)),
    outsideIp: open ? undefined : LOOPBACK_CANDIDATES.find((ip) => !allow.matches(ip)),
  };
}

/** A tenant valid cases can be made for: an event, a usable credential and a loopback address it admits. */
export type UsableTenant = TenantContext & { readonly insideIp: string };

/** Whether valid cases can be made for a tenant. */
export function isUsable(t: TenantContext): t is UsableTenant {
  return (
    t.insideIp !== undefined && t.evtids.length > 0 && (t.activeKeys.length > 0 || t.jwtServices.length > 0)
  );
}

/** Build the generators' view of a tenant file; throws E_TENANT_FILE when no tenant can take a valid case. */
export function fileContext(file: TenantFile): FileContext {
  const tenants = file.tenants.map(tenantContext);
  const usable = tenants.filter(isUsable);
  if (usable.length === 0) {
    throw new EvkitError(
      'E_TENANT_LACKS',
      'no tenant has an event, an active key or JWT secret, and an allowlist that admits a loopback address',
      {
        details: { need: 'usable-tenant', tenants: file.tenants.map((t) => t.id) },
      },
    );
  }
  const first = file.tenants[0];
  const fallback = first && first.allowlist.length > 0 ? compileAllowlist(first.allowlist) : undefined;
  // A handful of addresses are asked about again and again: remember the answers.
  const admitted = new Map<string, boolean>();
  const secrets = new Set(
    file.tenants.flatMap((t) => t.services.flatMap((s) => (s.jwtSecret ? [s.jwtSecret] : []))),
  );
  let wrong = 'evkit: deliberately not a service secret';
  while (secrets.has(btoa(wrong))) wrong += '!';
  return {
    options: file.evaluator,
    tenants,
    usable,
    knownKeys: new Set(file.tenants.flatMap((t) => t.services.flatMap((s) => s.keys.map((k) => k.value)))),
    knownServiceIds: new Set(file.tenants.flatMap((t) => t.services.map((s) => s.id))),
    wrongKey: hmacKey(new TextEncoder().encode(wrong)),
    fallbackAdmits: (ip) => {
      let ok = admitted.get(ip);
      if (ok === undefined) {
        ok = fallback === undefined || fallback.matches(ip);
        admitted.set(ip, ok);
      }
      return ok;
    },
  };
}
