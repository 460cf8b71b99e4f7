import type { AcceptedEvent } from '../evaluate/index.ts';

/** The accepted events of one request, waiting to be processed in order. */
export interface QueuedRequest {
  readonly tenantId: string;
  readonly serviceId: string;
  /** Where to notify: the request's `notifyurl`, else the service's notifyUrl (events without one are silent). */
  readonly notifyUrl: string;
  readonly acceptedAt: number;
  readonly events: readonly AcceptedEvent[];
}

/**
 * Accepted events that need nothing but their turn (no notification): kept as a count, not as objects, so a
 * busy mock does not hold every request body until the next tick.
 */
interface SilentRun {
  count: number;
}

/** What the queue calls as it processes, in acceptance order per tenant. */
export interface QueueProcessor {
  /** One event of a request enqueued with {@link ProcessingQueue.enqueue}. */
  event(request: QueuedRequest, event: AcceptedEvent): void;
  /** `count` events enqueued with {@link ProcessingQueue.enqueueSilent}. */
  silent(tenantId: string, count: number): void;
}

/** Per-tenant limits of the queue. */
export interface QueueLimits {
  /** Events processed per second (the tenant's provisioned TPS). */
  rateOf(tenantId: string): number;
  /** Events that may wait (the tenant's queueCapacity). */
  capacityOf(tenantId: string): number;
}

/** Bounded per-tenant FIFO queues of accepted events, processed at each tenant's provisioned rate. */
export interface ProcessingQueue {
  /** Whether a tenant's queue has no free slot (a new request is then answered 7005). */
  isFull(tenantId: string): boolean;
  enqueue(request: QueuedRequest): void;
  /** Queue `count` events that need only to be counted as processed (no notification). */
  enqueueSilent(tenantId: string, count: number): void;
  /** Events waiting, over all tenants. */
  pending(): number;
  /** Process everything now, ignoring the rate (drain on close); returns how many events. */
  flush(): number;
  /** Drop everything (reset); returns how many events were dropped. */
  clear(): number;
  /** Stop the pacing timer. */
  stop(): void;
}

interface TenantQueue {
  // Consumed slots are cleared to undefined so processed requests can be collected.
  items: (QueuedRequest | SilentRun | undefined)[];
  head: number;
  /** Index of the next event within items[head]. */
  eventIndex: number;
  size: number;
  tokens: number;
}

const TICK_MS = 10;
const IDLE_TICKS_BEFORE_STOP = 100;

/**
 * Create the processing queue. `processor` sees every event once, in acceptance order per tenant; each tenant is
 * paced by a token bucket refilled at its rate and holding at most one second of tokens.
 */
export function createProcessingQueue(limits: QueueLimits, processor: QueueProcessor): ProcessingQueue {
  const queues = new Map<string, TenantQueue>();
  let total = 0;
  let timer: NodeJS.Timeout | undefined;
  let lastTick = 0;
  let idleTicks = 0;

  const queueOf = (tenantId: string): TenantQueue => {
    let q = queues.get(tenantId);
    if (q === undefined) {
      q = { items: [], head: 0, eventIndex: 0, size: 0, tokens: 0 };
      queues.set(tenantId, q);
    }
    return q;
  };

  const advance = (q: TenantQueue): void => {
    q.items[q.head] = undefined;
    q.head += 1;
    q.eventIndex = 0;
  };

  const added = (q: TenantQueue, n: number): void => {
    q.size += n;
    total += n;
    idleTicks = 0;
    if (timer === undefined) {
      lastTick = Date.now();
      timer = setInterval(tick, TICK_MS);
      // The server keeps the process alive; a queue alone must not.
      timer.unref();
    }
  };

  const take = (tenantId: string, q: TenantQueue, max: number): number => {
    let n = 0;
    while (n < max && q.size > 0) {
      const item = q.items[q.head] as QueuedRequest | SilentRun;
      if ('count' in item) {
        const k = Math.min(item.count, max - n);
        item.count -= k;
        if (item.count === 0) advance(q);
        q.size -= k;
        total -= k;
        n += k;
        processor.silent(tenantId, k);
        continue;
      }
      const event = item.events[q.eventIndex] as AcceptedEvent;
      q.eventIndex += 1;
      if (q.eventIndex >= item.events.length) advance(q);
      q.size -= 1;
      total -= 1;
      n += 1;
      processor.event(item, event);
    }
    // Compact once the consumed prefix dominates, so the array does not grow forever.
    if (q.head > 1024 && q.head * 2 > q.items.length) {
      q.items = q.items.slice(q.head);
      q.head = 0;
    }
    if (q.size === 0) {
      q.items = [];
      q.head = 0;
      q.eventIndex = 0;
    }
    return n;
  };

  const tick = (): void => {
    const now = Date.now();
    const elapsed = now - lastTick;
    lastTick = now;
    for (const [tenantId, q] of queues) {
      if (q.size === 0) {
        q.tokens = 0;
        continue;
      }
      const rate = limits.rateOf(tenantId);
      q.tokens = Math.min(q.tokens + (rate * elapsed) / 1000, Math.max(rate, 1));
      const n = Math.floor(q.tokens);
      if (n > 0) q.tokens -= take(tenantId, q, n);
    }
    // Stop only after a second without work: under load the queue empties every tick, and re-arming the
    // interval on the next request costs the hot path more than an idle tick does.
    idleTicks = total === 0 ? idleTicks + 1 : 0;
    if (idleTicks > IDLE_TICKS_BEFORE_STOP && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  return {
    isFull(tenantId) {
      const q = queues.get(tenantId);
      return q !== undefined && q.size >= limits.capacityOf(tenantId);
    },
    enqueue(request) {
      const n = request.events.length;
      if (n === 0) return;
      const q = queueOf(request.tenantId);
      q.items.push(request);
      added(q, n);
    },
    enqueueSilent(tenantId, count) {
      if (count <= 0) return;
      const q = queueOf(tenantId);
      const tail = q.items[q.items.length - 1];
      // Merge into the run at the tail: consecutive silent requests cost one counter, not one object each.
      if (tail !== undefined && 'count' in tail) tail.count += count;
      else q.items.push({ count });
      added(q, count);
    },
    pending: () => total,
    flush() {
      let n = 0;
      for (const [tenantId, q] of queues) n += take(tenantId, q, q.size);
      return n;
    },
    clear() {
      const dropped = total;
      queues.clear();
      total = 0;
      return dropped;
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}
