/**
 * The one credentials union and the one function that turns it into request headers. Free of Node APIs: the
 * client, the generators and the k6 scripts all use it; each passes its own signer for JWT credentials.
 */
import { BEARER, HEADER } from '../schema/catalog.ts';

/** JWT credentials: the service id (the token's `iss`) and its secret as the platform shows it (base64). */
export interface JwtCredentials {
  readonly type: 'jwt';
  /** The service id: the token's `iss`. */
  readonly serviceId: string;
  /** The service secret as the platform shows it (base64); the token is signed with its decoded bytes. */
  readonly secret: string;
  /** Re-sign a token once it is this old (seconds); without it, a signer signs for every request. */
  readonly refreshSeconds?: number;
}

/** How a request authenticates: a service key, a JWT to sign, a given token, or nothing (to provoke 7002). */
export type Credentials =
  | { readonly type: 'key'; readonly key: string }
  | JwtCredentials
  /** A ready-made token sent as `Authorization: Bearer <token>` (e.g. one that should be refused). */
  | { readonly type: 'token'; readonly token: string }
  | { readonly type: 'none' };

/** The kinds of credentials, in the union's order. */
export type CredentialsType = Credentials['type'];

/** Signs the token of JWT credentials (the caller's clock and cache). */
export type JwtSigner = (credentials: JwtCredentials) => string;

/** The `Authorization` header value of a token. */
export function bearer(token: string): string {
  return `${BEARER} ${token}`;
}

/**
 * The credential headers of one request (lower-case names): `key`, or `authorization: Bearer <token>`; JWT
 * credentials need the caller's signer.
 */
export function credentialHeaders(credentials: Exclude<Credentials, JwtCredentials>): Record<string, string>;
export function credentialHeaders(credentials: Credentials, sign: JwtSigner): Record<string, string>;
export function credentialHeaders(credentials: Credentials, sign?: JwtSigner): Record<string, string> {
  switch (credentials.type) {
    case 'key':
      return { [HEADER.key]: credentials.key };
    case 'jwt':
      if (sign === undefined) throw new TypeError('JWT credentials need a signer');
      return { [HEADER.authorization]: bearer(sign(credentials)) };
    case 'token':
      return { [HEADER.authorization]: bearer(credentials.token) };
    case 'none':
      return {};
  }
}

/** The header names credentials may set (a request carries its own or none of them). */
export const CREDENTIAL_HEADER_NAMES: readonly string[] = [HEADER.key, HEADER.authorization];
