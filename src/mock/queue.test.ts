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
  notifyUrl: 'http://127.0.0.1:9/notify',
  acceptedAt: 0,
  events: ids.map(event),
});

describe('processing queue', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('processes each tenant at its rate, in acceptance order', () => {
    const seen: string[] = [];
    const q = createProcessingQueue(
      { rateOf: () => 100, capacityOf: () => 1000 },
      {
        event: (_r, e) => seen.push(e.transid),
        silent: () => {},
      },
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
    const q = createProcessingQueue(
      { rateOf: () => 1, capacityOf: () => 4 },
      {
        event: (_r, e) => seen.push(e.transid),
        silent: () => {},
      },
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

  it('keeps silent events as counts, in order with the others, paced and bounded the same', () => {
    const seen: string[] = [];
    const q = createProcessingQueue(
      { rateOf: () => 100, capacityOf: () => 250 },
      {
        event: (_r, e) => seen.push(e.transid),
        silent: (tenantId, count) => seen.push(`${tenantId}:${count}`),
      },
    );
    const processed = () => seen.reduce((sum, x) => sum + (x.includes(':') ? Number(x.split(':')[1]) : 1), 0);
    for (let i = 0; i < 120; i++) q.enqueueSilent('t', 1);
    q.enqueue(request('t', 'a', 'b'));
    q.enqueueSilent('t', 3);
    q.enqueueSilent('t', 0);
    for (let i = 0; i < 125; i++) q.enqueueSilent('t', 1);
    expect(q.pending()).toBe(250);
    expect(q.isFull('t')).toBe(true);
    vi.advanceTimersByTime(1000);
    // One second at 100/s, taken from the merged run of 120 in chunks of each tick's tokens.
    const first = processed();
    expect(first).toBeGreaterThanOrEqual(99);
    expect(first).toBeLessThanOrEqual(101);
    expect(seen.every((x) => x.startsWith('t:'))).toBe(true);
    expect(q.flush()).toBe(250 - first);
    // The rest of the first run, the request's two events, then the second run (3 + 125 merged).
    expect(seen.slice(-4)).toEqual([`t:${120 - first}`, 'a', 'b', 't:128']);
    expect(processed()).toBe(250);
    expect(q.pending()).toBe(0);
    q.stop();
  });
});
