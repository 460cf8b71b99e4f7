/** The one JWT signer: jose verifies its tokens, and each seam gives the tokens the four old signers gave. */
import { compactVerify, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { createCryptoModule, createEncodingModule } from '../harness/index.ts';
import { bearer, credentialHeaders } from './credentials.ts';
import { serviceClaims, signJwt, signServiceJwt, unsecuredJwt } from './jwt.ts';
import { type K6CryptoLike, type K6EncodingLike, k6JwtCrypto } from './k6-crypto.ts';
import { decodeSecret, nodeJwtCrypto } from './node-crypto.ts';

const secretBase64 = 'ZXZraXQtZGVtby1qd3Qtc2VjcmV0LTAxMjM0NTY3ODk=';
const nowMs = 1_768_478_430_700;
// k6/crypto and k6/encoding as the harness gives them to a bundle.
const k6 = k6JwtCrypto(
  createCryptoModule() as unknown as K6CryptoLike,
  createEncodingModule() as unknown as K6EncodingLike,
);

/** What the signers before this module gave for these inputs (jose's SignJWT, node:crypto, k6/crypto). */
const OLD = {
  // src/client/auth.ts (jose, header {alg, typ}) and load/lib/auth.ts (k6/crypto): the same token.
  service:
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdmMtZGVtbyIsImlhdCI6MTc2ODQ3ODQzMH0.ShFRjbalU-Prb8SfiAbR-9C1Gj5Zi08nKoASFqcuAzU',
  // src/mock/states.ts (jose, header {alg} only).
  state:
    'eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJzdmMtZGVtbyIsImlhdCI6MTc2ODQ3ODQzMH0.Q3vxMe2tQEYbUe3td58K2-PaGUJyhFzgxytZVMKi1pk',
  // generators/jwt.ts (node:crypto): HS512, a non-ASCII claim and an exp.
  hs512:
    'eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdmMtw6kiLCJpYXQiOjEsImV4cCI6MzYwMX0.wBG_L1_eY1wfzuwKgjSq05drC765ysGouNeVGTaiAmrraVIWgdxqDaqDYFaAPndy_vHZWcqR3jsQEfY-OB7hwA',
} as const;

describe('the one JWT signer', () => {
  it('gives the old tokens over node:crypto', () => {
    const key = nodeJwtCrypto.secretKey(secretBase64);
    expect(signServiceJwt(nodeJwtCrypto, 'svc-demo', key, nowMs)).toBe(OLD.service);
    expect(signJwt(nodeJwtCrypto, serviceClaims('svc-demo', nowMs), key)).toBe(OLD.state);
    expect(
      signJwt(
        nodeJwtCrypto,
        { iss: 'svc-é', iat: 1, exp: 3601 },
        decodeSecret(secretBase64),
        { typ: 'JWT' },
        'HS512',
      ),
    ).toBe(OLD.hs512);
  });

  it('gives the same tokens over k6/crypto and k6/encoding', () => {
    const key = k6.secretKey(secretBase64);
    expect(signServiceJwt(k6, 'svc-demo', key, nowMs)).toBe(OLD.service);
    expect(signJwt(k6, serviceClaims('svc-demo', nowMs), key)).toBe(OLD.state);
    expect(signJwt(k6, { iss: 'svc-é', iat: 1, exp: 3601 }, key, { typ: 'JWT' }, 'HS512')).toBe(OLD.hs512);
    expect(unsecuredJwt(k6, { iss: 's', iat: 2 })).toBe(unsecuredJwt(nodeJwtCrypto, { iss: 's', iat: 2 }));
  });

  it('signs tokens jose verifies with the decoded secret, and no other secret', async () => {
    const token = signServiceJwt(nodeJwtCrypto, 'svc-demo', nodeJwtCrypto.secretKey(secretBase64), nowMs);
    const { payload, protectedHeader } = await compactVerify(token, decodeSecret(secretBase64), {
      algorithms: ['HS256'],
    });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ iss: 'svc-demo', iat: 1_768_478_430 });
    await expect(
      compactVerify(token, new TextEncoder().encode('another-secret-entirely-0000000000'), {
        algorithms: ['HS256'],
      }),
    ).rejects.toThrow();
    expect(decodeProtectedHeader(unsecuredJwt(nodeJwtCrypto, { iss: 's' })).alg).toBe('none');
  });
});

describe('the one credentials-to-headers function', () => {
  it('sends a key, a signed or given token, or nothing', () => {
    const sign = () => 't0k3n';
    expect(credentialHeaders({ type: 'key', key: 'k1' })).toEqual({ key: 'k1' });
    expect(credentialHeaders({ type: 'token', token: 'abc' })).toEqual({ authorization: 'Bearer abc' });
    expect(credentialHeaders({ type: 'none' })).toEqual({});
    expect(credentialHeaders({ type: 'jwt', serviceId: 's', secret: secretBase64 }, sign)).toEqual({
      authorization: bearer('t0k3n'),
    });
    expect(bearer('x')).toBe('Bearer x');
  });
});
