import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { signJwt as signWith, unsecuredJwt as unsecuredWith } from '../src/auth/jwt.ts';
import { nodeJwtCrypto } from '../src/auth/node-crypto.ts';
import { base64ToBytes } from '../src/evaluate/credentials.ts';
import { defaultTenantFile } from '../src/schema/default-tenant.ts';
import { generateCases } from './generate.ts';

const secret = new TextEncoder().encode('a-test-secret-of-enough-length-0123');
const signJwt = (...a: Parameters<typeof signWith<Uint8Array>> extends [unknown, ...infer R] ? R : never) =>
  signWith(nodeJwtCrypto, ...a);
const unsecuredJwt = (payload: Record<string, unknown>) => unsecuredWith(nodeJwtCrypto, payload);

describe('the one JWT signer (node:crypto seam) agrees with jose', () => {
  it('signs HS256 tokens jose verifies, with the claims given', async () => {
    const token = signJwt({ iss: 'svc-demo', iat: 1_768_478_400 }, secret, { typ: 'JWT' });
    const { payload, protectedHeader } = await compactVerify(token, secret, { algorithms: ['HS256'] });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ iss: 'svc-demo', iat: 1_768_478_400 });
  });

  it('signs HS512 when asked, which an HS256-only verifier refuses', async () => {
    const token = signJwt({ iss: 's', iat: 1 }, secret, {}, 'HS512');
    await expect(compactVerify(token, secret, { algorithms: ['HS512'] })).resolves.toBeDefined();
    await expect(compactVerify(token, secret, { algorithms: ['HS256'] })).rejects.toThrow();
  });

  it('a token signed with another secret does not verify', async () => {
    const token = signJwt(
      { iss: 's', iat: 1 },
      new TextEncoder().encode('another-secret-entirely-0000000000'),
    );
    await expect(compactVerify(token, secret, { algorithms: ['HS256'] })).rejects.toThrow();
  });

  it('makes unsecured tokens that decode to alg none', () => {
    const token = unsecuredJwt({ iss: 's', iat: 2 });
    expect(token.endsWith('.')).toBe(true);
    expect(decodeProtectedHeader(token).alg).toBe('none');
    expect(decodeJwt(token)).toEqual({ iss: 's', iat: 2 });
  });

  it('valid JWT cases carry a token of the service, issued at the injected clock', async () => {
    const now = Date.UTC(2026, 0, 15, 12, 0, 30, 700);
    const service = defaultTenantFile().tenants[0]?.services[0];
    if (!service?.jwtSecret) throw new Error('default tenant has no JWT service');
    const bearer = generateCases({ kind: 'valid', count: 50, seed: 3, now })
      .map((c) => c.headers.authorization)
      .filter((a): a is string => a !== undefined);
    expect(bearer.length).toBeGreaterThan(5);
    for (const header of bearer) {
      const token = header.replace(/^Bearer /, '');
      const { payload } = await compactVerify(token, base64ToBytes(service.jwtSecret), {
        algorithms: ['HS256'],
      });
      const claims = JSON.parse(new TextDecoder().decode(payload)) as {
        iss: string;
        iat: number;
        exp?: number;
      };
      expect(claims.iss).toBe(service.id);
      expect(claims.iat).toBe(Math.floor(now / 1000));
      if (claims.exp !== undefined) expect(claims.exp).toBeGreaterThan(now / 1000);
    }
  });
});
