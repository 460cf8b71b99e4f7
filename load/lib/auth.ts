import { hmac } from 'k6/crypto';
import { b64decode, b64encode } from 'k6/encoding';
import {
  type Credentials,
  credentialHeaders as headersOf,
  k6JwtCrypto,
  signServiceJwt,
} from '../../src/auth/k6.ts';

/** The one JWT signer over k6/crypto and k6/encoding (no Node APIs in a bundle). */
const crypto = k6JwtCrypto({ hmac }, { b64encode, b64decode });

/** The refresh age of a JWT when the credentials name none (the configuration's default). */
const DEFAULT_REFRESH_SECONDS = 3000;

let cached: { token: string; iat: number } | undefined;

/** An HS256 JWT `{iss, iat}` signed with the base64-decoded service secret, as the Event API expects. */
export function signJwt(secretBase64: string, serviceId: string, iat: number): string {
  return signServiceJwt(crypto, serviceId, crypto.secretKey(secretBase64), iat * 1000);
}

/** The credential header for a request at `nowMs`; a JWT is re-signed once it is `refreshSeconds` old. */
export function credentialHeaders(credentials: Credentials, nowMs: number): Record<string, string> {
  return headersOf(credentials, (c) => {
    const now = Math.floor(nowMs / 1000);
    if (cached === undefined || now - cached.iat >= (c.refreshSeconds ?? DEFAULT_REFRESH_SECONDS)) {
      cached = { token: signJwt(c.secret, c.serviceId, now), iat: now };
    }
    return cached.token;
  });
}
