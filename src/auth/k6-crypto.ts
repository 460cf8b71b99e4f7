/**
 * The JWT signer's crypto seam over k6's own modules, given by the caller: load/lib/auth.ts passes k6/crypto
 * and k6/encoding; tests pass the harness's versions of them. No imports: it runs in a k6 bundle.
 */
import type { JwtCrypto } from './jwt.ts';

/** What the seam uses of `k6/crypto`. */
export interface K6CryptoLike {
  hmac(algorithm: string, secret: ArrayBuffer, input: string, encoding: 'base64rawurl'): string;
}

/** What the seam uses of `k6/encoding`. */
export interface K6EncodingLike {
  b64encode(input: string, encoding: 'rawurl'): string;
  b64decode(input: string, encoding: 'std'): ArrayBuffer;
}

/** The signer's seam over k6/crypto and k6/encoding; a key is the secret's decoded bytes. */
export function k6JwtCrypto(crypto: K6CryptoLike, encoding: K6EncodingLike): JwtCrypto<ArrayBuffer> {
  return {
    secretKey: (secretBase64) => encoding.b64decode(secretBase64, 'std'),
    hmac: (hash, key, input) => crypto.hmac(hash, key, input, 'base64rawurl'),
    base64url: (text) => encoding.b64encode(text, 'rawurl'),
  };
}
