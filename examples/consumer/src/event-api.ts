/**
 * order-service's own client for the Webex Connect Event API: it posts order events and turns the answer into
 * what the service does next. (Written by the service's team; evkit only tests it.)
 */
import { createHmac } from 'node:crypto';

/** How the service authenticates. */
export type Auth =
  | { type: 'key'; key: string }
  | { type: 'jwt'; serviceId: string; secret: string }
  | { type: 'token'; token: string }
  | { type: 'none' };

export interface EventApiConfig {
  baseUrl: string;
  auth: Auth;
}

/** What the service does with an answer. */
export type Outcome =
  | { kind: 'queued'; transids: string[] }
  | { kind: 'retry-later'; code: string }
  | { kind: 'rejected'; reason: 'bad-request' | 'unauthorised' | 'forbidden' | 'expired'; code: string }
  | { kind: 'partly-rejected'; rejected: { index: number; code: string; description: string }[] };

const PATH = '/resources/v1/events/externalevent';

const REASONS: Record<string, 'retry-later' | 'bad-request' | 'unauthorised' | 'forbidden' | 'expired'> = {
  '7000': 'bad-request',
  '7001': 'unauthorised',
  '7002': 'unauthorised',
  '7003': 'bad-request',
  '7004': 'bad-request',
  '7005': 'retry-later',
  '7010': 'forbidden',
  '7019': 'expired',
  '7020': 'retry-later',
  '7025': 'bad-request',
};

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/** An HS256 JWT whose issuer is the service id, signed with the decoded service secret. */
export function signJwt(serviceId: string, secret: string, nowMs = Date.now()): string {
  const head = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = base64url(JSON.stringify({ iss: serviceId, iat: Math.floor(nowMs / 1000) }));
  const signature = createHmac('sha256', Buffer.from(secret, 'base64')).update(`${head}.${body}`).digest();
  return `${head}.${body}.${base64url(signature)}`;
}

function authHeaders(auth: Auth): Record<string, string> {
  switch (auth.type) {
    case 'key':
      return { key: auth.key };
    case 'jwt':
      return { authorization: `Bearer ${signJwt(auth.serviceId, auth.secret)}` };
    case 'token':
      return { authorization: `Bearer ${auth.token}` };
    case 'none':
      return {};
  }
}

interface Entry {
  code?: unknown;
  description?: unknown;
  transid?: unknown;
}

function outcomeOf(payload: unknown): Outcome {
  const response = (payload as { response?: unknown } | null)?.response;
  if (Array.isArray(response)) {
    const entries = response as Entry[];
    const rejected = entries
      .map((e, index) => ({ index, code: String(e.code), description: String(e.description) }))
      .filter((e) => e.code !== '1002');
    if (rejected.length === 0) return { kind: 'queued', transids: entries.map((e) => String(e.transid)) };
    return { kind: 'partly-rejected', rejected };
  }
  const entry = (response ?? {}) as Entry;
  const code = String(entry.code);
  const reason = REASONS[code];
  if (reason === undefined)
    throw new Error(`unexpected answer from the Event API: ${JSON.stringify(payload)}`);
  if (reason === 'retry-later') return { kind: 'retry-later', code };
  return { kind: 'rejected', reason, code };
}

/** Post a request body (an object, or raw text with its content type) and say what to do next. */
export async function postEvents(
  config: EventApiConfig,
  body: object | { text: string; contentType: string },
): Promise<Outcome> {
  const raw = 'text' in body && typeof body.text === 'string' && 'contentType' in body;
  const answer = await fetch(`${config.baseUrl}${PATH}`, {
    method: 'POST',
    headers: {
      'content-type': raw ? String(body.contentType) : 'application/json',
      ...authHeaders(config.auth),
    },
    body: raw ? String(body.text) : JSON.stringify(body),
  });
  // The Event API answers HTTP 200 for every outcome: the code in the body decides.
  return outcomeOf(await answer.json());
}

/** Send one order's event: the service's everyday call. */
export function sendOrderCreated(
  config: EventApiConfig,
  order: { id: string; evtid: string; phone: string },
): Promise<Outcome> {
  return postEvents(config, {
    events: [
      {
        evtid: order.evtid,
        correlationid: order.id,
        parameters: { orderId: order.id, ContactNumber: order.phone },
      },
    ],
  });
}
