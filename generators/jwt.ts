/**
 * A synchronous JWT signer for generated cases.
 *
 * `generateCases` is synchronous and jose signs only asynchronously (WebCrypto), so the generators sign with
 * node:crypto's HMAC. That keeps the pure layer pure: HMAC is a function of its inputs and does no I/O (no
 * files, sockets or clocks). jwt.test.ts verifies every token shape with jose, the library the evaluator uses.
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { JWT_ALGORITHM } from '../src/schema/catalog.ts';

/** The HMAC algorithms a generated token may name (HS256 is the only one the service accepts). */
export const HMAC_HASH = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const;
export type HmacAlgorithm = keyof typeof HMAC_HASH;

/** Base64url of a string's UTF-8 bytes or of raw bytes, without padding. */
export function base64url(data: string | Uint8Array): string {
  return Buffer.from(data).toString('base64url');
}

/** The two first segments of a compact JWS: header and payload, base64url of their JSON. */
export function jwtSigningInput(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
}

/** An HMAC key made once per secret: importing raw bytes on every signature costs most of the time. */
export function hmacKey(secret: Uint8Array): KeyObject {
  return createSecretKey(secret);
}

/** Sign a JWT with an HMAC algorithm (HS256 by default) and the secret's raw bytes or its key. */
export function signJwt(
  payload: Record<string, unknown>,
  secret: Uint8Array | KeyObject,
  header: Record<string, unknown> = {},
  algorithm: HmacAlgorithm = JWT_ALGORITHM,
): string {
  const input = jwtSigningInput({ alg: algorithm, ...header }, payload);
  const signature = createHmac(HMAC_HASH[algorithm], secret).update(input).digest('base64url');
  return `${input}.${signature}`;
}

/** An unsecured JWT (`alg: none`, empty signature), which the service must refuse. */
export function unsecuredJwt(payload: Record<string, unknown>): string {
  return `${jwtSigningInput({ alg: 'none', typ: 'JWT' }, payload)}.`;
}
