import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { HEADER } from '../schema/catalog.ts';
import type { Tenant } from '../schema/tenant.ts';
import { checkDestination } from './destination.ts';
import { ATTEMPT_HEADER } from './notification.ts';

/** A tenant's notification settings (retries, delay, timeout, allowed hosts). */
export type NotifySettings = Tenant['notify'];

/** One notification to deliver. */
export interface NotifyJob {
  readonly url: string;
  /** The raw JSON body; the signature is computed over exactly these bytes. */
  readonly body: string;
  /** The service's notifySecret: when set, the POST carries `x-hub-signature: sha256=<hex>`. */
  readonly secret: string | undefined;
  readonly settings: NotifySettings;
  /** For logs. */
  readonly transid: string;
}

/** What the notifier tells its owner about each job's end. */
export interface NotifierHooks {
  delivered(job: NotifyJob, attempts: number): void;
  failed(job: NotifyJob, reason: string, attempts: number): void;
}

/** Delivers notifications with retries; at most one success per job. */
export interface Notifier {
  send(job: NotifyJob): void;
  /** Jobs neither delivered nor failed yet (in flight, waiting or between retries). */
  pending(): number;
  /** Resolves true once nothing is pending, or false when `deadlineMs` (epoch ms) passes first. */
  whenIdle(deadlineMs: number): Promise<boolean>;
  /** Give up every pending job without counting it (reset, or a drain deadline); returns how many. */
  abandon(): number;
  /** Abandon everything and close the keep-alive sockets. */
  close(): void;
}

/** The x-hub-signature value of a body: `sha256=` and the hex HMAC-SHA256 of the raw body. */
export function hubSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

interface Attempt {
  readonly job: NotifyJob;
  readonly url: URL;
  readonly headers: Record<string, string>;
  attempt: number;
  readonly epoch: number;
}

const MAX_IN_FLIGHT = 64;

/** Create a notifier: FIFO, at most 64 POSTs in flight, `1 + retries` attempts `retryDelayMs` apart. */
export function createNotifier(hooks: NotifierHooks): Notifier {
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  let waiting: Attempt[] = [];
  let inFlight = 0;
  let pendingJobs = 0;
  // Work started before `abandon` reports to nobody: its epoch is stale.
  let epoch = 0;
  const timers = new Set<NodeJS.Timeout>();
  const requests = new Set<http.ClientRequest>();
  let idleWaiters: (() => void)[] = [];

  const settle = (): void => {
    pendingJobs -= 1;
    if (pendingJobs === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  };

  const pump = (): void => {
    while (inFlight < MAX_IN_FLIGHT && waiting.length > 0) start(waiting.shift() as Attempt);
  };

  const start = (a: Attempt): void => {
    inFlight += 1;
    const secure = a.url.protocol === 'https:';
    const req = (secure ? https : http).request(a.url, {
      method: 'POST',
      agent: secure ? httpsAgent : httpAgent,
      headers: { ...a.headers, [ATTEMPT_HEADER]: String(a.attempt) },
      timeout: a.job.settings.timeoutMs,
    });
    requests.add(req);
    let done = false;
    const finish = (ok: boolean, reason: string): void => {
      if (done) return;
      done = true;
      inFlight -= 1;
      requests.delete(req);
      if (a.epoch === epoch) {
        if (ok) {
          hooks.delivered(a.job, a.attempt);
          settle();
        } else if (a.attempt <= a.job.settings.retries) {
          const timer = setTimeout(() => {
            timers.delete(timer);
            if (a.epoch !== epoch) return;
            a.attempt += 1;
            waiting.push(a);
            pump();
          }, a.job.settings.retryDelayMs);
          timer.unref();
          timers.add(timer);
        } else {
          hooks.failed(a.job, reason, a.attempt);
          settle();
        }
      }
      pump();
    };
    req.on('response', (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      finish(status >= 200 && status < 300, `HTTP ${status}`);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${a.job.settings.timeoutMs} ms`)));
    req.on('error', (error) => finish(false, error.message));
    req.end(a.job.body);
  };

  const abandon = (): number => {
    const dropped = pendingJobs;
    epoch += 1;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    for (const r of requests) r.destroy();
    requests.clear();
    waiting = [];
    pendingJobs = 0;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
    return dropped;
  };

  return {
    send(job) {
      pendingJobs += 1;
      const verdict = checkDestination(job.url, job.settings.allowHosts);
      if (!verdict.ok) {
        hooks.failed(job, verdict.reason, 0);
        settle();
        return;
      }
      const headers: Record<string, string> = {
        [HEADER.contentType]: 'application/json',
        'content-length': String(Buffer.byteLength(job.body)),
        'user-agent': 'evkit-mock',
      };
      if (job.secret !== undefined) headers[HEADER.hubSignature] = hubSignature(job.secret, job.body);
      waiting.push({ job, url: verdict.url, headers, attempt: 1, epoch });
      pump();
    },
    pending: () => pendingJobs,
    whenIdle(deadlineMs) {
      if (pendingJobs === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(pendingJobs === 0), Math.max(0, deadlineMs - Date.now()));
        idleWaiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
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
