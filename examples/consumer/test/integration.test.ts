/** order-service against evkit's mock endpoint, as a test double in an integration test. */

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MockHandle, startMock } from 'webex-connect-event-kit/mock';
import { sendOrderCreated } from '../src/event-api.ts';

let mock: MockHandle;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(async () => {
  await mock.close({ drainDeadlineMs: 1_000 });
});
beforeEach(() => mock.reset());

const config = () => ({ baseUrl: mock.url, auth: { type: 'key' as const, key: 'evkit-demo-key' } });
const order = { id: 'order-1', evtid: '4460', phone: '+14155550100' };

describe('order-service with the mock Event API', () => {
  it('queues an order event, and the mock recorded exactly what the service sent', async () => {
    const outcome = await sendOrderCreated(config(), order);
    expect(outcome.kind).toBe('queued');
    expect(mock.counters().byCode['1002']).toBe(1);
    const [sent, ...more] = mock.requests();
    expect(more).toEqual([]);
    expect(sent?.evtids).toEqual(['4460']);
    expect(sent?.correlationids).toEqual(['order-1']);
    expect(sent?.codes).toEqual(['1002']);
    expect(sent?.headers.key).toBe('[redacted]');
  });

  it('retries later when the next answer is an internal error', async () => {
    mock.planAnswers('7005', 1);
    expect(await sendOrderCreated(config(), order)).toEqual({ kind: 'retry-later', code: '7005' });
    expect((await sendOrderCreated(config(), order)).kind).toBe('queued');
  });

  it('backs off when the transaction limit is reached', async () => {
    await mock.setState('the transaction limit is reached');
    expect(await sendOrderCreated(config(), order)).toEqual({ kind: 'retry-later', code: '7020' });
  });

  it('reports a missing mandatory parameter per event', async () => {
    const outcome = await sendOrderCreated(config(), { ...order, phone: '' });
    expect(outcome.kind).toBe('partly-rejected');
  });

  it('is refused with a key the tenant does not know', async () => {
    const outcome = await sendOrderCreated({ ...config(), auth: { type: 'key', key: 'nope' } }, order);
    expect(outcome).toEqual({ kind: 'rejected', reason: 'unauthorised', code: '7001' });
  });

  it('sees the rate limit lowered at run time', async () => {
    mock.updateTenant({ rateLimit: { tps: 1, burst: false } });
    const outcomes = await Promise.all([1, 2, 3].map(() => sendOrderCreated(config(), order)));
    expect(outcomes.filter((o) => o.kind === 'retry-later').length).toBeGreaterThan(0);
  });
});
