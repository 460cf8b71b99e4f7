/**
 * The JWT of a request is decoded once: stage `tenant` decodes it (the tenant is named by its `iss`) and stage
 * `credentials` judges the decoded claims; after the signature check the payload is not parsed again. Counted
 * with spies on jose's decoders, in the mock's engine (two tenants, so the token routes the request) and in
 * `evaluate` given a resolver.
 */
import * as jose from 'jose';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { base64ToBytes } from '../src/evaluate/credentials.ts';
import { evaluate, fixedServices } from '../src/evaluate/evaluate.ts';
import { createTenantResolver } from '../src/evaluate/tenant.ts';
import { createEngine } from '../src/mock/engine.ts';
import { createLogger } from '../src/mock/log.ts';
import { DEFAULT_TENANT_FILE_INPUT } from '../src/schema/default-tenant.ts';
import { tenantFileSchema } from '../src/schema/tenant.ts';

vi.mock('jose', async (importOriginal) => {
  const original = await importOriginal<typeof import('jose')>();
  return {
    ...original,
    decodeJwt: vi.fn(original.decodeJwt),
    decodeProtectedHeader: vi.fn(original.decodeProtectedHeader),
    compactVerify: vi.fn(original.compactVerify),
  };
});

const SECOND_SECRET = btoa('second-tenant-jwt-secret-0123456789');
const file = tenantFileSchema.parse({
  ...structuredClone(DEFAULT_TENANT_FILE_INPUT),
  tenants: [
    ...structuredClone(DEFAULT_TENANT_FILE_INPUT.tenants),
    {
      id: 'second',
      services: [
        { id: 'svc-second', keys: [{ value: 'second-key', active: true }], jwtSecret: SECOND_SECRET },
      ],
      events: [{ evtid: 'E-1' }],
      allowlist: [],
    },
  ],
});

function sign(iss: string, secret: string, iatSeconds: number): Promise<string> {
  return new jose.SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(iss)
    .setIssuedAt(iatSeconds)
    .sign(base64ToBytes(secret));
}

const body = new TextEncoder().encode(JSON.stringify({ events: [{ evtid: 'E-1' }] }));
const counts = () => ({
  decodeJwt: vi.mocked(jose.decodeJwt).mock.calls.length,
  decodeProtectedHeader: vi.mocked(jose.decodeProtectedHeader).mock.calls.length,
  compactVerify: vi.mocked(jose.compactVerify).mock.calls.length,
});

describe('the JWT is decoded once per request', () => {
  beforeEach(() => vi.clearAllMocks());

  it('in the mock: the second tenant, routed by iss, accepts the token; one decode per request', async () => {
    const engine = createEngine(file, { log: createLogger(undefined) });
    const token = await sign('svc-second', SECOND_SECRET, Math.floor(Date.now() / 1000));
    vi.clearAllMocks();
    const headers = { authorization: `Bearer ${token}` };
    const first = await engine.answer(headers, body, '127.0.0.1');
    expect(first.evaluation.tenantId).toBe('second');
    expect(first.evaluation.codes).toEqual(['1002']);
    expect(counts()).toEqual({ decodeJwt: 1, decodeProtectedHeader: 1, compactVerify: 1 });
    // The second time the verified signature is remembered: still one decode, no verification.
    await engine.answer(headers, body, '127.0.0.1');
    expect(counts()).toEqual({ decodeJwt: 2, decodeProtectedHeader: 2, compactVerify: 1 });
  });

  it('in evaluate with a resolver, and for a token the credentials stage refuses', async () => {
    const now = Date.UTC(2026, 0, 15, 12, 0, 0);
    const resolver = createTenantResolver(file.tenants, file.evaluator);
    const old = await sign('svc-second', SECOND_SECRET, now / 1000 - 2 * 3600);
    vi.clearAllMocks();
    const raw = { headers: { authorization: `Bearer ${old}` }, body, sourceIp: '127.0.0.1' };
    const e = await evaluate(raw, resolver, file.evaluator, fixedServices(now));
    expect(e.tenantId).toBe('second');
    expect(e.codes).toEqual(['7001']);
    expect(counts()).toMatchObject({ decodeJwt: 1, decodeProtectedHeader: 1 });
  });

  it('the count can fail: the resolver on its own decodes again', async () => {
    const resolver = createTenantResolver(file.tenants, file.evaluator);
    const token = await sign('svc-second', SECOND_SECRET, 1);
    vi.clearAllMocks();
    const raw = { headers: { authorization: `Bearer ${token}` }, body, sourceIp: '127.0.0.1' };
    const tenant = resolver.resolve(raw);
    await evaluate(raw, tenant, file.evaluator, fixedServices(1000));
    expect(counts().decodeJwt).toBe(2);
  });
});
