import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AcceptedEvent } from '../evaluate/types.ts';
import { createProcessingQueue, type QueuedRequest } from './queue.ts';

const event = (transid: string): AcceptedEvent => ({
  index: 0,
  evtid: '4451',
  correlationid: '',
  transid,
  parameters: {},
  burst: false,
});
const request = (tenantId: string, ...ids: string[]): QueuedRequest => ({
  tenantId,
  serviceId: 's',
  notifyUrl: undefined,
  acceptedAt: 0,
  events: ids.map(event),
});

describe('processing queue', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('processes each tenant at its rate, in acceptance order', () => {
    const seen: string[] = [];
    const q = createProcessingQueue({ rateOf: () => 100, capacityOf: () => 1000 }, (_r, e) =>
      seen.push(e.transid),
    );
    const ids = Array.from({ length: 300 }, (_, i) => `e${i}`);
    for (let i = 0; i < 300; i += 3) q.enqueue(request('t', ...ids.slice(i, i + 3)));
    expect(q.pending()).toBe(300);
    vi.advanceTimersByTime(1000);
    expect(seen.length).toBeGreaterThanOrEqual(99);
    expect(seen.length).toBeLessThanOrEqual(101);
    vi.advanceTimersByTime(2100);
    expect(seen).toEqual(ids);
    expect(q.pending()).toBe(0);
    q.stop();
  });

  it('is full at its capacity; flush processes everything at once; clear drops', () => {
    const seen: string[] = [];
    const q = createProcessingQueue({ rateOf: () => 1, capacityOf: () => 4 }, (_r, e) =>
      seen.push(e.transid),
    );
    q.enqueue(request('t', 'a', 'b', 'c'));
    expect(q.isFull('t')).toBe(false);
    expect(q.isFull('other')).toBe(false);
    q.enqueue(request('t', 'd'));
    expect(q.isFull('t')).toBe(true);
    expect(q.flush()).toBe(4);
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
    q.enqueue(request('t', 'e'));
    expect(q.clear()).toBe(1);
    expect(q.pending()).toBe(0);
    q.stop();
  });
});
