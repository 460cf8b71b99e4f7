import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Tenant } from '../schema/index.ts';
import { HEADER } from '../schema/index.ts';
import { checkDestination, loopbackLookup } from './destination.ts';
import { ATTEMPT_HEADER } from './notification.ts';

/** A tenant's notification settings (retries, delay, timeout, allowed hosts, signature, cap). */
export type NotifySettings = Tenant['notify'];

/** One notification to deliver. */
export interface NotifyJob {
  /** The tenant whose backlog the job counts in (`notify.maxPending` is per tenant). */
  readonly tenantId: string;
  readonly url: string;
  /** The raw JSON body; the signature is computed over exactly these bytes. */
  readonly body: string;
  /** The service's notifySecret: when set, the POST carries `x-hub-signature: <hex HMAC>`. */
  readonly secret: string | undefined;
  readonly settings: NotifySettings;
  /** For logs. */
  readonly transid: string;
}

/** What the notifier tells its owner about each job's end. */
export interface NotifierHooks {
  delivered(job: NotifyJob, attempts: number): void;
  failed(job: NotifyJob, reason: string, attempts: number): void;
  /** A waiting job given up to make room for a newer one (the tenant's backlog was at `maxPending`). */
  dropped(job: NotifyJob): void;
}

/** Pending jobs by state: sending now, waiting for a free slot, waiting for their retry time. */
export interface PendingByState {
  inFlight: number;
  waiting: number;
  retrying: number;
}

/** A notification not delivered nor given up, as `--journal-file` lists it at the end of a drain. */
export interface UnfinishedNotification {
  readonly tenantId: string;
  readonly transid: string;
  readonly url: string;
  readonly state: keyof PendingByState;
  /** Attempts made so far. */
  readonly attempts: number;
  /** The raw JSON body, as it would be sent (re-sign it with the service's notifySecret to replay it). */
  readonly body: string;
}

/** Delivers notifications with retries; at most one success per job; a bounded backlog per tenant. */
export interface Notifier {
  send(job: NotifyJob): void;
  /** Jobs neither delivered nor failed yet (in flight, waiting or between retries). */
  pending(): number;
  /** Pending jobs of one tenant. */
  pendingOf(tenantId: string): number;
  /** Pending jobs by state, over all tenants. */
  pendingByState(): PendingByState;
  /** Every pending job (for the journal file of a drain). */
  unfinished(): UnfinishedNotification[];
  /**
   * Resolves true once nothing is pending, or false when `deadlineMs` (epoch ms) passes or `signal` aborts
   * first.
   */
  whenIdle(deadlineMs: number, signal?: AbortSignal): Promise<boolean>;
  /** Give up every pending job without counting it (reset, or a drain deadline); returns how many. */
  abandon(): number;
  /** Abandon everything and close the keep-alive sockets. */
  close(): void;
}

/** The algorithms `x-hub-signature` may use (the platform documents SHA-256 and SHA-512). */
export type SignatureAlgorithm = NotifySettings['signature'];

/**
 * The x-hub-signature value of a body: the hex HMAC of the raw body, without a prefix (the platform documents
 * none).
 */
export function hubSignature(secret: string, body: string, algorithm: SignatureAlgorithm = 'sha256'): string {
  return createHmac(algorithm, secret).update(body).digest('hex');
}

/** The one status the platform's outbound webhooks count as delivered. */
export const DELIVERED_STATUS = 200;

/** Statuses after which the platform's outbound webhooks do not retry (its documented list). */
export const NO_RETRY_STATUSES: ReadonlySet<number> = new Set([
  ...range(202, 208),
  226,
  ...range(300, 308),
  400,
  402,
  ...range(404, 411),
  ...range(414, 416),
  418,
  505,
]);

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** What one answer of a receiver means: delivered, given up at once, or tried again. */
export type AttemptVerdict = 'delivered' | 'final' | 'retry';

/** Classify a receiver's HTTP status by the documented webhook rules. */
export function verdictOf(status: number): AttemptVerdict {
  if (status === DELIVERED_STATUS) return 'delivered';
  return NO_RETRY_STATUSES.has(status) ? 'final' : 'retry';
}

interface Attempt {
  readonly job: NotifyJob;
  readonly url: URL;
  attempt: number;
  /** Epoch ms at which a retry is due. */
  dueAt: number;
}

/** A FIFO over an array with a moving head, compacted as it goes (no per-item allocation beyond the slot). */
interface Fifo<T> {
  items: (T | undefined)[];
  head: number;
}

const fifo = <T>(): Fifo<T> => ({ items: [], head: 0 });
const sizeOf = <T>(f: Fifo<T>): number => f.items.length - f.head;
const peek = <T>(f: Fifo<T>): T | undefined => f.items[f.head];
function shift<T>(f: Fifo<T>): T | undefined {
  if (f.head >= f.items.length) return undefined;
  const item = f.items[f.head];
  f.items[f.head] = undefined;
  f.head += 1;
  if (f.head === f.items.length) {
    f.items = [];
    f.head = 0;
  } else if (f.head > 1024 && f.head * 2 > f.items.length) {
    f.items = f.items.slice(f.head);
    f.head = 0;
  }
  return item;
}

/** One tenant's jobs. Retries of a tenant share one delay, so its retry FIFO is ordered by due time. */
interface Lane {
  readonly ready: Fifo<Attempt>;
  readonly retrying: Fifo<Attempt>;
  readonly sending: Set<Attempt>;
}

const laneSize = (lane: Lane): number => sizeOf(lane.ready) + sizeOf(lane.retrying) + lane.sending.size;

const MAX_IN_FLIGHT = 64;

/**
 * Create a notifier: FIFO per tenant, at most 64 POSTs in flight, `1 + retries` attempts `retryDelayMs` apart;
 * one timer for all retries (not one per job), so a backlog costs only its jobs.
 */
export function createNotifier(hooks: NotifierHooks): Notifier {
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  let lanes = new Map<string, Lane>();
  let inFlight = 0;
  let pendingJobs = 0;
  // Work started before `abandon` reports to nobody: its epoch is stale.
  let epoch = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryTimerAt = Number.POSITIVE_INFINITY;
  const requests = new Set<http.ClientRequest>();
  let idleWaiters: (() => void)[] = [];

  const laneOf = (tenantId: string): Lane => {
    let lane = lanes.get(tenantId);
    if (lane === undefined) {
      lane = { ready: fifo(), retrying: fifo(), sending: new Set() };
      lanes.set(tenantId, lane);
    }
    return lane;
  };

  const settle = (): void => {
    pendingJobs -= 1;
    if (pendingJobs === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  };

  const pump = (): void => {
    if (inFlight >= MAX_IN_FLIGHT) return;
    for (const lane of lanes.values()) {
      while (inFlight < MAX_IN_FLIGHT && sizeOf(lane.ready) > 0) start(lane, shift(lane.ready) as Attempt);
    }
  };

  const armRetryTimer = (): void => {
    let next = Number.POSITIVE_INFINITY;
    for (const lane of lanes.values()) {
      const head = peek(lane.retrying);
      if (head !== undefined && head.dueAt < next) next = head.dueAt;
    }
    if (next === retryTimerAt) return;
    if (retryTimer !== undefined) clearTimeout(retryTimer);
    retryTimer = undefined;
    retryTimerAt = next;
    if (next === Number.POSITIVE_INFINITY) return;
    retryTimer = setTimeout(onRetryTimer, Math.max(0, next - Date.now()));
    retryTimer.unref();
  };

  const onRetryTimer = (): void => {
    retryTimer = undefined;
    retryTimerAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    for (const lane of lanes.values()) {
      while ((peek(lane.retrying)?.dueAt ?? Number.POSITIVE_INFINITY) <= now) {
        lane.ready.items.push(shift(lane.retrying) as Attempt);
      }
    }
    armRetryTimer();
    pump();
  };

  const start = (lane: Lane, a: Attempt): void => {
    inFlight += 1;
    lane.sending.add(a);
    const startedEpoch = epoch;
    const secure = a.url.protocol === 'https:';
    const headers: Record<string, string> = {
      [HEADER.contentType]: 'application/json',
      'content-length': String(Buffer.byteLength(a.job.body)),
      'user-agent': 'evkit-mock',
      [ATTEMPT_HEADER]: String(a.attempt),
    };
    // Computed per attempt rather than kept: a backlog then holds only the body.
    if (a.job.secret !== undefined) {
      headers[HEADER.hubSignature] = hubSignature(a.job.secret, a.job.body, a.job.settings.signature);
    }
    const req = (secure ? https : http).request(a.url, {
      method: 'POST',
      agent: secure ? httpsAgent : httpAgent,
      headers,
      // `localhost` names go to loopback without asking a DNS resolver; other names resolve as usual.
      lookup: loopbackLookup as LookupFunction,
    });
    requests.add(req);
    // The whole attempt, answer body included, gets `timeoutMs` (not a socket idle time a trickling receiver
    // could renew for ever), so no receiver can hold a sending slot.
    const deadline = setTimeout(
      () => req.destroy(new Error(`no answer within ${a.job.settings.timeoutMs} ms`)),
      a.job.settings.timeoutMs,
    );
    deadline.unref();
    // The sending slot is free once the request is over (its socket back with the agent or closed), not at
    // the verdict: a job started earlier would wait in the agent's queue, its deadline running.
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      clearTimeout(deadline);
      inFlight -= 1;
      requests.delete(req);
      pump();
    };
    let done = false;
    const finish = (verdict: AttemptVerdict, reason: string): void => {
      if (done) return;
      done = true;
      if (startedEpoch === epoch) {
        lane.sending.delete(a);
        if (verdict === 'delivered') {
          hooks.delivered(a.job, a.attempt);
          settle();
        } else if (verdict === 'retry' && a.attempt <= a.job.settings.retries) {
          a.attempt += 1;
          a.dueAt = Date.now() + a.job.settings.retryDelayMs;
          lane.retrying.items.push(a);
          armRetryTimer();
        } else {
          hooks.failed(a.job, reason, a.attempt);
          settle();
        }
      }
    };
    req.on('response', (res) => {
      res.on('error', () => {});
      res.resume();
      const status = res.statusCode ?? 0;
      const verdict = verdictOf(status);
      finish(verdict, verdict === 'final' ? `HTTP ${status} (not retried)` : `HTTP ${status}`);
    });
    req.on('error', (error) => finish('retry', error.message));
    req.on('close', () => {
      finish('retry', 'the connection closed before an answer');
      release();
    });
    req.end(a.job.body);
  };

  /** Make room in a full lane: drop its oldest waiting job, else its oldest retrying one. */
  const dropOldest = (lane: Lane): boolean => {
    const victim = shift(lane.ready) ?? shift(lane.retrying);
    if (victim === undefined) return false;
    hooks.dropped(victim.job);
    settle();
    return true;
  };

  const abandon = (): number => {
    const dropped = pendingJobs;
    epoch += 1;
    if (retryTimer !== undefined) clearTimeout(retryTimer);
    retryTimer = undefined;
    retryTimerAt = Number.POSITIVE_INFINITY;
    for (const r of requests) r.destroy();
    // Each destroyed request still ends through `release`, which gives its sending slot back.
    requests.clear();
    lanes = new Map();
    pendingJobs = 0;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
    return dropped;
  };

  return {
    send(job) {
      const verdict = checkDestination(job.url, job.settings.allowHosts);
      pendingJobs += 1;
      if (!verdict.ok) {
        hooks.failed(job, verdict.reason, 0);
        settle();
        return;
      }
      const lane = laneOf(job.tenantId);
      if (laneSize(lane) >= job.settings.maxPending && !dropOldest(lane)) {
        // Everything pending is in flight: the newest job is the one given up.
        hooks.dropped(job);
        settle();
        return;
      }
      lane.ready.items.push({ job, url: verdict.url, attempt: 1, dueAt: 0 });
      pump();
    },
    pending: () => pendingJobs,
    pendingOf: (tenantId) => {
      const lane = lanes.get(tenantId);
      return lane === undefined ? 0 : laneSize(lane);
    },
    pendingByState() {
      const out: PendingByState = { inFlight: 0, waiting: 0, retrying: 0 };
      for (const lane of lanes.values()) {
        out.inFlight += lane.sending.size;
        out.waiting += sizeOf(lane.ready);
        out.retrying += sizeOf(lane.retrying);
      }
      return out;
    },
    unfinished() {
      const out: UnfinishedNotification[] = [];
      const add = (a: Attempt | undefined, state: keyof PendingByState, attempts: number): void => {
        if (a === undefined) return;
        const { tenantId, transid, url, body } = a.job;
        out.push({ tenantId, transid, url, state, attempts, body });
      };
      for (const lane of lanes.values()) {
        for (const a of lane.sending) add(a, 'inFlight', a.attempt - 1);
        for (let i = lane.ready.head; i < lane.ready.items.length; i++) {
          const a = lane.ready.items[i];
          add(a, 'waiting', (a?.attempt ?? 1) - 1);
        }
        // A retrying attempt's number is already the next one.
        for (let i = lane.retrying.head; i < lane.retrying.items.length; i++) {
          const a = lane.retrying.items[i];
          add(a, 'retrying', (a?.attempt ?? 1) - 1);
        }
      }
      return out;
    },
    whenIdle(deadlineMs, signal) {
      if (pendingJobs === 0) return Promise.resolve(true);
      if (signal?.aborted) return Promise.resolve(false);
      return new Promise((resolve) => {
        const end = (idle: boolean): void => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve(idle);
        };
        const onAbort = (): void => end(pendingJobs === 0);
        const timer = setTimeout(() => end(pendingJobs === 0), Math.max(0, deadlineMs - Date.now()));
        signal?.addEventListener('abort', onAbort, { once: true });
        idleWaiters.push(() => end(true));
      });
    },
    abandon,
    close() {
      abandon();
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
