import { SignJWT } from 'jose';
import { BEARER, HEADER, JWT_ALGORITHM } from '../schema/catalog.ts';
import type { Credentials } from './types.ts';

/** The service secret is shown base64-encoded; the token is signed with the decoded bytes (as documented). */
export function decodeSecret(secret: string): Uint8Array {
  return new Uint8Array(Buffer.from(secret, 'base64'));
}

/** Sign an HS256 JWT for a service: `iss` = service id, `iat` = the clock's time in whole seconds. */
export async function signServiceJwt(serviceId: string, secret: string, nowMs: number): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: JWT_ALGORITHM, typ: 'JWT' })
    .setIssuer(serviceId)
    .setIssuedAt(Math.floor(nowMs / 1000))
    .sign(decodeSecret(secret));
}

/** The credential headers for one request (lower-case names). */
export async function credentialHeaders(
  credentials: Credentials,
  nowMs: number,
): Promise<Record<string, string>> {
  switch (credentials.type) {
    case 'key':
      return { [HEADER.key]: credentials.key };
    case 'jwt':
      return {
        [HEADER.authorization]: `${BEARER} ${await signServiceJwt(credentials.serviceId, credentials.secret, nowMs)}`,
      };
    case 'token':
      return { [HEADER.authorization]: `${BEARER} ${credentials.token}` };
    case 'none':
      return {};
  }
}
