import { hmac } from 'k6/crypto';
import { b64decode, b64encode } from 'k6/encoding';
import { BEARER, HEADER, JWT_ALGORITHM } from '../../src/schema/catalog.ts';
import type { Credentials } from './config.ts';

let cached: { token: string; iat: number } | undefined;

/** An HS256 JWT `{iss, iat}` signed with the base64-decoded service secret, as the Event API expects. */
export function signJwt(secretBase64: string, serviceId: string, iat: number): string {
  const header = b64encode(JSON.stringify({ alg: JWT_ALGORITHM, typ: 'JWT' }), 'rawurl');
  const claims = b64encode(JSON.stringify({ iss: serviceId, iat }), 'rawurl');
  const input = `${header}.${claims}`;
  return `${input}.${hmac('sha256', b64decode(secretBase64, 'std'), input, 'base64rawurl')}`;
}

/** The credential header for a request at `nowMs`; a JWT is re-signed once it is `refreshSeconds` old. */
export function credentialHeaders(credentials: Credentials, nowMs: number): Record<string, string> {
  switch (credentials.kind) {
    case 'key':
      return { [HEADER.key]: credentials.key };
    case 'jwt': {
      const now = Math.floor(nowMs / 1000);
      if (cached === undefined || now - cached.iat >= credentials.refreshSeconds) {
        cached = { token: signJwt(credentials.secret, credentials.serviceId, now), iat: now };
      }
      return { [HEADER.authorization]: `${BEARER} ${cached.token}` };
    }
    case 'none':
      return {};
  }
}
