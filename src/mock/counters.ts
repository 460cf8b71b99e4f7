import type { Admission } from '../evaluate/index.ts';
import { RESPONSE_CODES, type ResponseCode } from '../schema/index.ts';

/** One wall-clock-aligned second of one tenant, as the rate limiter decided it (requests, not events). */
export interface RateWindowCount {
  /** Epoch ms of the window start. */
  start: number;
  tenantId: string;
  /** Admitted at the provisioned rate ("Queued"). */
  queued: number;
  /** Admitted in the burst band ("Queued in burst mode"). */
  burst: number;
  /** Answered 7020. */
  rejected: number;
}

/**
 * Notifications: created (one per processed event with a notify URL), delivered, given up, dropped at the
 * backlog cap, in progress; and requests answered 7005 because their tenant's backlog was full.
 */
export interface NotificationCounts {
  queued: number;
  delivered: number;
  failed: number;
  /** Waiting notifications given up unsent to make room (the tenant's `notify.maxPending` was reached). */
  dropped: number;
  /** Requests answered 7005 because their tenant had `notify.maxPending` notifications pending. */
  rejectedBacklog: number;
  pending: number;
}

/** Connections of the HTTP server. */
export interface ConnectionCounts {
  /** Connections closed at once because `maxConnections` were open. */
  dropped: number;
}

/** The processing queue of accepted events. */
export interface QueueCounts {
  /** Events accepted (1002) into the queue. */
  accepted: number;
  /** Events processed. */
  processed: number;
  /** Events waiting to be processed. */
  pending: number;
  /** Requests answered 7005 because their tenant's queue was full. */
  rejectedFull: number;
}

/** What `GET /__evkit/counters` answers. */
export interface MockCounters {
  /** Envelope entries per code (a per-event answer counts each of its entries). */
  byCode: Record<ResponseCode, number>;
  /** Requests admitted in burst mode. */
  burst: number;
  /** The most recent 600 one-second windows that saw a rate decision, oldest first. */
  windows: RateWindowCount[];
  notifications: NotificationCounts;
  queue: QueueCounts;
  /** Event requests whose client had gone (reset) before they could be evaluated: not evaluated, no code. */
  abandoned: number;
  connections: ConnectionCounts;
}

/** How many one-second windows the counters keep. */
export const WINDOW_HISTORY = 600;

/** The mutable counters of one mock; `snapshot()` copies them for the control API. */
export interface CounterStore {
  readonly byCode: Record<ResponseCode, number>;
  readonly notifications: {
    queued: number;
    delivered: number;
    failed: number;
    dropped: number;
    rejectedBacklog: number;
  };
  readonly connections: ConnectionCounts;
  readonly queue: { accepted: number; processed: number; rejectedFull: number };
  recordCodes(codes: readonly ResponseCode[]): void;
  recordAdmission(tenantId: string, admission: Admission, nowMs: number): void;
  recordAbandoned(): void;
  snapshot(pendingEvents: number, pendingNotifications: number): MockCounters;
  reset(): void;
}

function zeroCodes(): Record<ResponseCode, number> {
  const out = {} as Record<ResponseCode, number>;
  for (const c of RESPONSE_CODES) out[c] = 0;
  return out;
}

/** Create an empty counter store. */
export function createCounters(): CounterStore {
  const byCode = zeroCodes();
  const notifications = { queued: 0, delivered: 0, failed: 0, dropped: 0, rejectedBacklog: 0 };
  const connections: ConnectionCounts = { dropped: 0 };
  const queue = { accepted: 0, processed: 0, rejectedFull: 0 };
  let burst = 0;
  let abandoned = 0;
  let windows: RateWindowCount[] = [];
  const current = new Map<string, RateWindowCount>();

  return {
    byCode,
    notifications,
    connections,
    queue,
    recordCodes(codes) {
      for (let i = 0; i < codes.length; i++) byCode[codes[i] as ResponseCode] += 1;
    },
    recordAdmission(tenantId, admission, nowMs) {
      const start = nowMs - (nowMs % 1000);
      let w = current.get(tenantId);
      if (w === undefined || w.start !== start) {
        w = { start, tenantId, queued: 0, burst: 0, rejected: 0 };
        current.set(tenantId, w);
        windows.push(w);
        if (windows.length > WINDOW_HISTORY * 2) windows = windows.slice(-WINDOW_HISTORY);
      }
      if (admission === 'queued') w.queued += 1;
      else if (admission === 'burst') {
        w.burst += 1;
        burst += 1;
      } else w.rejected += 1;
    },
    recordAbandoned() {
      abandoned += 1;
    },
    snapshot(pendingEvents, pendingNotifications) {
      return {
        byCode: { ...byCode },
        burst,
        windows: windows.slice(-WINDOW_HISTORY).map((w) => ({ ...w })),
        notifications: { ...notifications, pending: pendingNotifications },
        queue: { ...queue, pending: pendingEvents },
        abandoned,
        connections: { ...connections },
      };
    },
    reset() {
      for (const c of RESPONSE_CODES) byCode[c] = 0;
      notifications.queued = 0;
      notifications.delivered = 0;
      notifications.failed = 0;
      notifications.dropped = 0;
      notifications.rejectedBacklog = 0;
      connections.dropped = 0;
      queue.accepted = 0;
      queue.processed = 0;
      queue.rejectedFull = 0;
      burst = 0;
      abandoned = 0;
      windows = [];
      current.clear();
    },
  };
}
