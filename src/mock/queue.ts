import type { AcceptedEvent } from '../evaluate/types.ts';

/** The accepted events of one request, waiting to be processed in order. */
export interface QueuedRequest {
  readonly tenantId: string;
  readonly serviceId: string;
  /** Where to notify: the request's `notifyurl`, else the service's notifyUrl, else none. */
  readonly notifyUrl: string | undefined;
  readonly acceptedAt: number;
  readonly events: readonly AcceptedEvent[];
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
  items: (QueuedRequest | undefined)[];
  head: number;
  /** Index of the next event within items[head]. */
  eventIndex: number;
  size: number;
  tokens: number;
}

const TICK_MS = 10;
const IDLE_TICKS_BEFORE_STOP = 100;

/**
 * Create the processing queue. `process` is called once per event, in acceptance order per tenant; each tenant
 * is paced by a token bucket refilled at its rate and holding at most one second of tokens.
 */
export function createProcessingQueue(
  limits: QueueLimits,
  process: (request: QueuedRequest, event: AcceptedEvent) => void,
): ProcessingQueue {
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

  const take = (q: TenantQueue, max: number): number => {
    let n = 0;
    while (n < max && q.size > 0) {
      const request = q.items[q.head] as QueuedRequest;
      const event = request.events[q.eventIndex] as AcceptedEvent;
      q.eventIndex += 1;
      if (q.eventIndex >= request.events.length) {
        q.items[q.head] = undefined;
        q.head += 1;
        q.eventIndex = 0;
      }
      q.size -= 1;
      total -= 1;
      n += 1;
      process(request, event);
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
      if (n > 0) q.tokens -= take(q, n);
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
      q.size += n;
      total += n;
      idleTicks = 0;
      if (timer === undefined) {
        lastTick = Date.now();
        timer = setInterval(tick, TICK_MS);
        // The server keeps the process alive; a queue alone must not.
        timer.unref();
      }
    },
    pending: () => total,
    flush() {
      let n = 0;
      for (const q of queues.values()) n += take(q, q.size);
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
