/**
 * order-service's own k6 script: a short burst of order events, counted by what the Event API answered.
 * Bundle: npm run build:load; run: k6 run -e TARGET=... -e EVENT_API_KEY=... dist/order-load.js
 * (or `npx evkit load dist/order-load.js`, which also starts the embedded mock when no --target is given).
 */
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import type { Options } from 'k6/options';
import { ACCEPTED_CODE, classifyBody, EVENT_PATH, HEADER, RATE_LIMIT_CODE } from 'webex-connect-event-kit/k6';

export const options: Options = {
  scenarios: {
    orders: {
      executor: 'constant-arrival-rate',
      rate: 20,
      timeUnit: '1s',
      duration: '2s',
      preAllocatedVUs: 5,
    },
  },
  thresholds: { order_queued: ['count>0'], order_unexpected: ['count==0'] },
};

const queued = new Counter('order_queued');
const limited = new Counter('order_rate_limited');
const unexpected = new Counter('order_unexpected');

let sent = 0;

export default async function (): Promise<void> {
  sent += 1;
  const body = JSON.stringify({ events: [{ evtid: '4451', correlationid: `order-${sent}` }] });
  const res = await http.asyncRequest('POST', `${__ENV.EVKIT_TARGET ?? __ENV.TARGET}${EVENT_PATH}`, body, {
    headers: {
      'content-type': 'application/json',
      [HEADER.key]: __ENV.EVKIT_KEY ?? __ENV.EVENT_API_KEY ?? '',
    },
    responseType: 'text',
  });
  const outcome = classifyBody(typeof res.body === 'string' ? res.body : null);
  if (outcome.code === ACCEPTED_CODE) queued.add(1);
  else if (outcome.code === RATE_LIMIT_CODE) limited.add(1);
  else unexpected.add(1);
}
