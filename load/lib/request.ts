import { b64decode } from 'k6/encoding';
import http from 'k6/http';
import { credentialHeaders } from './auth.ts';
import { classifyBody, type Outcome } from './classify.ts';
import type { LoadConfig } from './config.ts';
import { recordOutcome } from './metrics.ts';
import type { Payload } from './payload.ts';

/** Pick a payload for an iteration: round robin over the corpus by the test-wide iteration number. */
export function pick<T>(items: readonly T[], iteration: number): T {
  const item = items[iteration % items.length];
  if (item === undefined) throw new Error('empty payload list');
  return item;
}

/**
 * Send one payload with `http.asyncRequest` (so async iterations run unchanged in k6 and the harness),
 * classify the answer by its body code and record the metrics. Resolves to the outcome and latency.
 */
export async function send(
  payload: Payload,
  config: LoadConfig,
  tags: Record<string, string>,
): Promise<{ outcome: Outcome; latencyMs: number }> {
  const headers = payload.credentials
    ? { ...payload.headers, ...credentialHeaders(config.credentials, Date.now()) }
    : payload.headers;
  const body = payload.base64 ? b64decode(payload.body, 'std') : payload.body;
  const res = await http.asyncRequest('POST', `${config.target}${payload.path}`, body, {
    headers,
    tags: { ...tags, name: 'event' },
    timeout: config.timeout,
    responseType: 'text',
  });
  const outcome = classifyBody(res.body);
  recordOutcome(outcome, res.timings.duration, payload.expected, payload.id, tags);
  return { outcome, latencyMs: res.timings.duration };
}
