/** Shared helpers of the mock endpoint's integration tests: HTTP calls, JWTs, a notification receiver. */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { base64ToBytes } from '../src/evaluate/credentials.ts';
import { EVENT_PATH } from '../src/schema/catalog.ts';
import { DEFAULT_TENANT_FILE_INPUT } from '../src/schema/default-tenant.ts';
import { type TenantFile, tenantFileSchema } from '../src/schema/tenant.ts';

/** The default tenant's credentials (src/schema/default-tenant.ts). */
export const DEMO = {
  key: 'evkit-demo-key',
  inactiveKey: 'evkit-inactive-key',
  serviceId: 'svc-demo',
  jwtSecret: 'ZXZraXQtZGVtby1qd3Qtc2VjcmV0LTAxMjM0NTY3ODk=',
} as const;

/** A keep-alive agent for tests that send many requests. */
export function keepAliveAgent(maxSockets = 20): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets });
}

/** What a test sees of an HTTP answer. */
export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: unknown;
}

/** Send one request; the body may be bytes (for invalid UTF-8) or text. */
export function request(
  url: string,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Uint8Array;
    localAddress?: string;
    agent?: http.Agent;
  } = {},
): Promise<HttpAnswer> {
  const target = new URL(options.path ?? EVENT_PATH, url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      target,
      {
        method: options.method ?? 'POST',
        headers: options.headers ?? {},
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        ...(options.agent ? { agent: options.agent } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** POST an event body with the demo key unless other headers are given. */
export function postEvents(
  url: string,
  body: unknown,
  headers: Record<string, string> = { key: DEMO.key, 'content-type': 'application/json' },
  extra: { localAddress?: string; agent?: http.Agent } = {},
): Promise<HttpAnswer> {
  return request(url, { headers, body: typeof body === 'string' ? body : JSON.stringify(body), ...extra });
}

/** POST a JSON body to the control API. */
export async function control(
  url: string,
  path: string,
  body?: unknown,
  method = 'POST',
): Promise<HttpAnswer> {
  return request(url, {
    method,
    path: `/__evkit${path}`,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Sign a JWT the way the service expects (HS256 with the base64-decoded secret), with overrides for tests. */
export function signJwt(
  claims: { iss?: string; iatSeconds: number; expSeconds?: number },
  options: { secret?: string; alg?: 'HS256' | 'HS384' | 'HS512' } = {},
): Promise<string> {
  let jwt = new SignJWT({})
    .setProtectedHeader({ alg: options.alg ?? 'HS256' })
    .setIssuer(claims.iss ?? DEMO.serviceId)
    .setIssuedAt(claims.iatSeconds);
  if (claims.expSeconds !== undefined) jwt = jwt.setExpirationTime(claims.expSeconds);
  return jwt.sign(base64ToBytes(options.secret ?? DEMO.jwtSecret));
}

/** One POST the receiver got. */
export interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The status the receiver answered. */
  status: number;
}

/** A local notification receiver; `answer` decides the status of each POST (default 200). */
export async function startReceiver(
  answer: (delivery: Omit<Delivery, 'status'>, index: number) => number | 'hang' = () => 200,
): Promise<{ url: string; deliveries: Delivery[]; close(): Promise<void> }> {
  const deliveries: Delivery[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const d = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const status = answer(d, deliveries.length);
      if (status === 'hang') return;
      deliveries.push({ ...d, status });
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/notify`,
    deliveries,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Poll until `check` is true, at most `timeoutMs`; returns whether it became true. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

/** Run async jobs with a concurrency limit, keeping result order. */
export async function pool<T, R>(
  items: readonly T[],
  concurrency: number,
  run: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await run(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}

/** The default tenant file with its first tenant and first service patched. */
export function tenantFile(
  patch: Record<string, unknown>,
  service: Record<string, unknown> = {},
): TenantFile {
  const base = DEFAULT_TENANT_FILE_INPUT.tenants[0] as Record<string, unknown> & {
    services: Record<string, unknown>[];
  };
  return tenantFileSchema.parse({
    version: 1,
    tenants: [{ ...base, services: [{ ...base.services[0], ...service }], ...patch }],
  });
}

/** A loopback port nobody listens on (bound, then closed): connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
