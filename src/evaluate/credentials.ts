import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import type { EvaluatorOptions, Service, Tenant } from '../schema/index.ts';
import { BEARER, HEADER, JWT_ALGORITHM, JWT_VALIDITY_SECONDS } from '../schema/index.ts';
import type { DecodedJwt, PresentedCredential, RawRequest } from './types.ts';

/** The verdict of the credentials check. */
export type CredentialVerdict =
  | { readonly ok: true; readonly serviceId: string }
  | { readonly ok: false; readonly reason: 'missing' | 'invalid'; readonly detail: string };

/** A single header value (the first, when repeated). */
export function headerValue(raw: RawRequest, name: string): string | undefined {
  const v = raw.headers[name];
  return typeof v === 'string' ? v : v?.[0];
}

/** Compare two strings in time that depends only on their lengths, not on where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  // charCodeAt past the end is NaN, and NaN | 0 is 0: the length difference already counts.
  for (let i = 0; i < n; i++) diff |= (a.charCodeAt(i) ^ b.charCodeAt(i)) | 0;
  return diff === 0;
}

/** Base64 (standard or URL alphabet) to bytes, without Node's Buffer. */
export function base64ToBytes(value: string): Uint8Array {
  const normal = value.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(normal + '='.repeat((4 - (normal.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Tokens whose signature was already verified, per service secret; time claims are checked on every use. */
const verifiedTokens = new Map<string, { iat: number; exp: number | undefined }>();
const VERIFIED_CACHE_LIMIT = 10_000;
const secretBytes = new Map<string, Uint8Array>();

function keyOfSecret(secret: string): Uint8Array {
  let bytes = secretBytes.get(secret);
  if (!bytes) {
    bytes = base64ToBytes(secret);
    secretBytes.set(secret, bytes);
  }
  return bytes;
}

function checkTimeClaims(iat: number, exp: number | undefined, nowMs: number): string | undefined {
  const now = nowMs / 1000;
  if (iat > now + 60) return 'iat is in the future';
  if (now - iat > JWT_VALIDITY_SECONDS) return `token older than ${JWT_VALIDITY_SECONDS / 60} minutes`;
  if (exp !== undefined && now >= exp) return 'token expired (exp)';
  return undefined;
}

/**
 * Decode a JWT's protected header and claims, without verifying them: the one decoding of a request's token
 * (stage `tenant` reads `iss` from it, stage `credentials` the rest).
 */
export function decodeJwtToken(
  token: string,
): { decoded: DecodedJwt; error?: never } | { decoded?: never; error: string } {
  try {
    const { alg } = decodeProtectedHeader(token);
    const { iss, iat, exp } = decodeJwt(token);
    return { decoded: { alg, iss, iat, exp } };
  } catch (cause) {
    return { error: (cause as Error).message };
  }
}

async function verifyJwt(
  token: string,
  jwt: DecodedJwt | undefined,
  decodeError: string,
  tenant: Tenant,
  nowMs: number,
): Promise<CredentialVerdict> {
  if (jwt === undefined) return { ok: false, reason: 'invalid', detail: `malformed JWT: ${decodeError}` };
  const { alg, iss } = jwt;
  if (alg !== JWT_ALGORITHM)
    return { ok: false, reason: 'invalid', detail: `JWT alg ${String(alg)} is not ${JWT_ALGORITHM}` };
  const service: Service | undefined = tenant.services.find((s) => s.id === iss && s.jwtSecret !== undefined);
  if (!service?.jwtSecret)
    return { ok: false, reason: 'invalid', detail: `no service with a JWT secret has id ${String(iss)}` };
  const cacheKey = `${service.jwtSecret}\u0000${token}`;
  let claims = verifiedTokens.get(cacheKey);
  if (!claims) {
    try {
      // The signature only: the claims verified are the ones decoded already, from the same token.
      await compactVerify(token, keyOfSecret(service.jwtSecret), { algorithms: [JWT_ALGORITHM] });
    } catch (cause) {
      return { ok: false, reason: 'invalid', detail: `JWT rejected: ${(cause as Error).message}` };
    }
    if (typeof jwt.iat !== 'number')
      return { ok: false, reason: 'invalid', detail: 'JWT has no numeric iat' };
    if (jwt.exp !== undefined && typeof jwt.exp !== 'number') {
      return { ok: false, reason: 'invalid', detail: 'JWT exp is not a number' };
    }
    claims = { iat: jwt.iat, exp: jwt.exp };
    if (verifiedTokens.size >= VERIFIED_CACHE_LIMIT) verifiedTokens.clear();
    verifiedTokens.set(cacheKey, claims);
  }
  const timeProblem = checkTimeClaims(claims.iat, claims.exp, nowMs);
  if (timeProblem) return { ok: false, reason: 'invalid', detail: timeProblem };
  return { ok: true, serviceId: service.id };
}

function verifyKey(key: string, tenant: Tenant): CredentialVerdict {
  // Compare against every key of the tenant, so the time taken does not tell which one came close.
  let found: { serviceId: string; active: boolean } | undefined;
  for (const service of tenant.services) {
    for (const k of service.keys) {
      if (constantTimeEqual(k.value, key) && !found) found = { serviceId: service.id, active: k.active };
    }
  }
  if (!found) return { ok: false, reason: 'invalid', detail: 'unknown service key' };
  if (!found.active) return { ok: false, reason: 'invalid', detail: 'inactive service key' };
  return { ok: true, serviceId: found.serviceId };
}

/** Extract the JWT from an Authorization header value, per the `bearerPrefix` option. */
export function bearerToken(authorization: string, options: EvaluatorOptions): string | undefined {
  const m = /^(\S+)\s+(\S+)$/.exec(authorization.trim());
  if (m) return m[1]?.toLowerCase() === BEARER.toLowerCase() ? m[2] : undefined;
  return options.bearerPrefix === 'optional' && !/\s/.test(authorization.trim())
    ? authorization.trim()
    : undefined;
}

const NO_CREDENTIAL: PresentedCredential = { kind: 'none' };
const BAD_AUTHORIZATION: PresentedCredential = { kind: 'badAuthorization' };

/** Read the credentials a request presents: a non-blank `Authorization` wins over `key`; a JWT is decoded here. */
export function presentedCredential(raw: RawRequest, options: EvaluatorOptions): PresentedCredential {
  const authorization = headerValue(raw, HEADER.authorization);
  if (authorization !== undefined && authorization.trim() !== '') {
    const token = bearerToken(authorization, options);
    if (token === undefined) return BAD_AUTHORIZATION;
    const { decoded, error } = decodeJwtToken(token);
    return { kind: 'jwt', token, decoded, error: error ?? '' };
  }
  const key = headerValue(raw, HEADER.key);
  return key === undefined ? NO_CREDENTIAL : { kind: 'key', key };
}

/**
 * Judge presented credentials for a tenant: neither is "missing". Only a JWT needs a Promise (signature
 * verification); keys are answered at once, which keeps the mock's hot path synchronous.
 */
export function judgeCredential(
  credential: PresentedCredential,
  tenant: Tenant,
  options: EvaluatorOptions,
  nowMs: number,
): CredentialVerdict | Promise<CredentialVerdict> {
  switch (credential.kind) {
    case 'jwt':
      return verifyJwt(credential.token, credential.decoded, credential.error, tenant, nowMs);
    case 'badAuthorization':
      return { ok: false, reason: 'invalid', detail: `Authorization must read "${BEARER} <JWT>"` };
    case 'none':
      return { ok: false, reason: 'missing', detail: 'no key header and no Authorization header' };
    case 'key':
      if (credential.key === '') {
        return options.emptyKey === 'missing'
          ? { ok: false, reason: 'missing', detail: 'empty key header' }
          : { ok: false, reason: 'invalid', detail: 'empty key header' };
      }
      return verifyKey(credential.key, tenant);
  }
}

/** Check a request's credentials: {@link presentedCredential}, then {@link judgeCredential}. */
export function checkCredentials(
  raw: RawRequest,
  tenant: Tenant,
  options: EvaluatorOptions,
  nowMs: number,
): CredentialVerdict | Promise<CredentialVerdict> {
  return judgeCredential(presentedCredential(raw, options), tenant, options, nowMs);
}
