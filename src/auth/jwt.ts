/**
 * The one JWT signer: compact HS256 (or HS384/HS512 for tokens the service must refuse) over a small crypto seam.
 *
 * Pure JavaScript without Node APIs, so a k6 bundle can use it: Node passes node:crypto (`./node-crypto.ts`),
 * the k6 scripts pass k6/crypto and k6/encoding (load/lib/auth.ts). The key type is the seam's own (a Node
 * KeyObject or bytes, a k6 ArrayBuffer), so each side imports a secret once and signs with it many times.
 */
import { JWT_ALGORITHM } from '../schema/catalog.ts';

/** The HMAC hash of each algorithm a token may name (HS256 is the only one the service accepts). */
export const HMAC_HASH = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const;
export type HmacAlgorithm = keyof typeof HMAC_HASH;
export type HmacHash = (typeof HMAC_HASH)[HmacAlgorithm];

/** What signing needs of a platform: HMAC and base64url, both without padding. */
export interface JwtCrypto<Key> {
  /** The key of a service secret as the platform shows it (base64 of the secret's bytes). */
  secretKey(secretBase64: string): Key;
  /** HMAC of the UTF-8 bytes of `input`, as base64url without padding. */
  hmac(hash: HmacHash, key: Key, input: string): string;
  /** The UTF-8 bytes of `text` as base64url without padding. */
  base64url(text: string): string;
}

/** The two first segments of a compact JWS: header and payload, base64url of their JSON. */
export function jwtSigningInput<Key>(
  crypto: JwtCrypto<Key>,
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
): string {
  return `${crypto.base64url(JSON.stringify(header))}.${crypto.base64url(JSON.stringify(payload))}`;
}

/**
 * Sign a JWT: the header is `{alg, ...header}` (HS256 unless said), the payload as given, in its key order.
 * The token is a function of its inputs: signing twice gives the same string.
 */
export function signJwt<Key>(
  crypto: JwtCrypto<Key>,
  payload: Record<string, unknown>,
  key: Key,
  header: Record<string, unknown> = {},
  algorithm: HmacAlgorithm = JWT_ALGORITHM,
): string {
  const input = jwtSigningInput(crypto, { alg: algorithm, ...header }, payload);
  return `${input}.${crypto.hmac(HMAC_HASH[algorithm], key, input)}`;
}

/** An unsecured JWT (`alg: none`, empty signature), which the service must refuse. */
export function unsecuredJwt<Key>(crypto: JwtCrypto<Key>, payload: Record<string, unknown>): string {
  return `${jwtSigningInput(crypto, { alg: 'none', typ: 'JWT' }, payload)}.`;
}

/** A service token's claims as the Event API expects them: `iss` = the service id, `iat` in whole seconds. */
export function serviceClaims(serviceId: string, nowMs: number): { iss: string; iat: number } {
  return { iss: serviceId, iat: Math.floor(nowMs / 1000) };
}

/** The header a client sends with a service token (`typ` is optional; the clients name it). */
export const SERVICE_JWT_HEADER = { typ: 'JWT' } as const;

/** Sign a service token `{iss, iat}` (HS256, `typ: JWT`) with the secret's key at `nowMs`. */
export function signServiceJwt<Key>(
  crypto: JwtCrypto<Key>,
  serviceId: string,
  key: Key,
  nowMs: number,
): string {
  return signJwt(crypto, serviceClaims(serviceId, nowMs), key, SERVICE_JWT_HEADER);
}
