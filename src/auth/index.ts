/** Credentials and JWT signing, one module each, usable from Node and from a k6 bundle. */
export type { Credentials } from './credentials.ts';
export { bearer, CREDENTIAL_HEADER_NAMES, credentialHeaders } from './credentials.ts';
export type { HmacAlgorithm } from './jwt.ts';
export { serviceClaims, signJwt, signServiceJwt, unsecuredJwt } from './jwt.ts';
export { k6JwtCrypto } from './k6-crypto.ts';
export { decodeSecret, hmacKey, nodeJwtCrypto } from './node-crypto.ts';
