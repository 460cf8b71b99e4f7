/** The JWT signer's crypto seam over node:crypto (the k6 scripts pass k6/crypto instead). */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { JwtCrypto } from './jwt.ts';

/** Base64url of a string's UTF-8 bytes or of raw bytes, without padding. */
export function base64url(data: string | Uint8Array): string {
  return Buffer.from(data).toString('base64url');
}

/** A service secret is shown base64-encoded; tokens are signed with its decoded bytes (as documented). */
export function decodeSecret(secretBase64: string): Uint8Array {
  return new Uint8Array(Buffer.from(secretBase64, 'base64'));
}

/** An HMAC key made once per secret: importing raw bytes on every signature costs most of the time. */
export function hmacKey(secret: Uint8Array): KeyObject {
  return createSecretKey(secret);
}

let lastSecret: { secretBase64: string; key: KeyObject } | undefined;

/** node:crypto as the signer's seam; a key is a KeyObject or the secret's raw bytes. */
export const nodeJwtCrypto: JwtCrypto<KeyObject | Uint8Array> = {
  // A client signs with one secret request after request: keep the last key.
  secretKey(secretBase64) {
    if (lastSecret?.secretBase64 !== secretBase64) {
      lastSecret = { secretBase64, key: hmacKey(decodeSecret(secretBase64)) };
    }
    return lastSecret.key;
  },
  hmac: (hash, key, input) => createHmac(hash, key).update(input).digest('base64url'),
  base64url,
};
