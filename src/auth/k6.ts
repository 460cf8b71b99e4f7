/**
 * The auth room's face for k6 bundles: the JWT signer over k6/crypto and the credentials, without the
 * node:crypto seam (a bundle cannot load it). Node code imports index.ts.
 */
export { CREDENTIAL_HEADER_NAMES, type Credentials, credentialHeaders } from './credentials.ts';
export { signServiceJwt } from './jwt.ts';
export { k6JwtCrypto } from './k6-crypto.ts';
