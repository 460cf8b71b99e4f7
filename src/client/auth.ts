import {
  type Credentials,
  credentialHeaders as headersOf,
  nodeJwtCrypto,
  signServiceJwt as sign,
} from '../auth/index.ts';

export { decodeSecret } from '../auth/index.ts';

/** Sign an HS256 JWT for a service: `iss` = service id, `iat` = the clock's time in whole seconds. */
export async function signServiceJwt(serviceId: string, secret: string, nowMs: number): Promise<string> {
  return sign(nodeJwtCrypto, serviceId, nodeJwtCrypto.secretKey(secret), nowMs);
}

/** The credential headers for one request (lower-case names); a JWT is signed at `nowMs`. */
export async function credentialHeaders(
  credentials: Credentials,
  nowMs: number,
): Promise<Record<string, string>> {
  return headersOf(credentials, (c) =>
    sign(nodeJwtCrypto, c.serviceId, nodeJwtCrypto.secretKey(c.secret), nowMs),
  );
}
