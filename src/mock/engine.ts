import { randomUUID } from 'node:crypto';
import type { Clock, Evaluation, EvaluatorServices, RawRequest } from '../evaluate/index.ts';
import {
  createTenantResolver,
  DEFAULT_MAX_JSON_DEPTH,
  evaluateIntake,
  intake,
  type TenantResolver,
} from '../evaluate/index.ts';
import { EVENT_PATH, faultsSchema, rateLimitSchema, type Tenant, type TenantFile } from '../schema/index.ts';
import { type CounterStore, createCounters, type MockCounters } from './counters.ts';
import { createFaultInjector, type MockFaultInjector } from './fault-injector.ts';
import {
  createRequestJournal,
  type JournalEntry,
  type JournalQuery,
  type RequestJournal,
} from './journal.ts';
import type { Logger } from './log.ts';
import {
  createNextAnswers,
  forcedEvaluation,
  type NextAnswers,
  type PlannedAnswers,
  type RequestLevelCode,
} from './next-answers.ts';
import { buildNotification } from './notification.ts';
import { createNotifier, type Notifier, type UnfinishedNotification } from './notifier.ts';
import { createProcessingQueue, type ProcessingQueue, type QueuedRequest } from './queue.ts';
import { createRateLimiter, type LimiterMode, type MockRateLimiter } from './rate-limiter.ts';
import type { StateTarget } from './states.ts';
import { problemsFromIssues, type TenantFileProblem } from './tenant-file.ts';

/** What `close()` reports once the queue is drained or the deadline passed. */
export interface DrainReport {
  /** Accepted events processed over the mock's life. */
  processed: number;
  /** Notifications answered 200 (the one status the platform counts as delivered). */
  delivered: number;
  /** Accepted events whose processing or notification had not finished at the deadline. */
  remaining: number;
  /** Notifications given up (all retries failed, a no-retry status, or the destination is not allowed). */
  failed: number;
  /** Notifications dropped unsent at the backlog cap (`notify.maxPending`) over the mock's life. */
  dropped: number;
  /** What `remaining` was, by state, when the drain ended. */
  left: DrainLeft;
  /**
   * Connections the drain closed instead of waiting for: answers unflushed for 1 s (a client that does not
   * read), or still open at the deadline or when the drain was interrupted.
   */
  connectionsCut: number;
  /** Whether the drain was cut short (a second signal, or `close({signal})` aborted) before its deadline. */
  interrupted: boolean;
}

/** How a drain may end early, and who hears of the notifications it leaves. */
export interface DrainOptions {
  /** Aborting it ends the wait for notifications at once. */
  readonly signal?: AbortSignal | undefined;
  /** Called once with every notification still pending when the drain ends (before they are given up). */
  readonly onUnfinished?: ((list: UnfinishedNotification[]) => void) | undefined;
  /** Connections the HTTP server cut while closing (see {@link DrainReport.connectionsCut}); default 0. */
  readonly connectionsCut?: number | undefined;
}

/** Unfinished work by state at the end of a drain. */
export interface DrainLeft {
  /** Accepted events not processed yet. */
  queued: number;
  /** Notifications being sent. */
  inFlight: number;
  /** Notifications waiting for a free sending slot. */
  waiting: number;
  /** Notifications waiting for their retry time. */
  retrying: number;
}

/** The engine's answer to one event request. */
export interface EngineAnswer {
  readonly evaluation: Evaluation;
  /** The envelope, serialized. */
  readonly json: string;
  /** How long to hold the answer (injected latency). */
  readonly latencyMs: number;
}

/** `POST /__evkit/tenant`: which tenant (default: the first) and what to replace. */
export interface TenantUpdate {
  readonly tenantId?: unknown;
  readonly rateLimit?: unknown;
  readonly faults?: unknown;
}

/** The result of a tenant update. */
export type TenantUpdateResult =
  | { readonly ok: true; readonly tenant: Tenant }
  | { readonly ok: false; readonly error: string; readonly problems?: readonly TenantFileProblem[] };

/** Whether a per-tenant operation found its tenant. */
export type TenantResult =
  | { readonly ok: true; readonly tenantId: string }
  | { readonly ok: false; readonly error: string };

/** The mock without HTTP: the evaluator plus its stateful services, queue, notifications and counters. */
export interface MockEngine extends StateTarget {
  /**
   * Synchronous for key-authenticated requests; a Promise only when a JWT must be verified. `path` (as
   * requested, for the journal) defaults to the event path.
   */
  answer(
    headers: RawRequest['headers'],
    body: Uint8Array,
    socketIp: string,
    path?: string,
  ): EngineAnswer | Promise<EngineAnswer>;
  /** Count an event request whose client was gone before it could be evaluated. */
  abandoned(): void;
  counters(): MockCounters;
  updateTenant(update: TenantUpdate): TenantUpdateResult;
  /** The request journal's entries that match, oldest first. */
  requests(query?: JournalQuery): JournalEntry[];
  /** Forget the journal of one tenant, or of all; returns how many entries were forgotten. */
  clearRequests(tenantId?: string): number;
  /** The next `count` requests of a tenant (default: the first) answer `code`, after what is planned already. */
  planAnswers(code: RequestLevelCode, count: number, tenantId?: string): TenantResult;
  /** The forced answers still planned, by tenant. */
  plannedAnswers(): Record<string, readonly PlannedAnswers[]>;
  /**
   * One tenant back to the tenant file: its settings, limiter windows, fault sequences, planned answers and
   * journal. Mock-wide state (counters, clock, provider states, the queue) is left alone.
   */
  resetTenant(tenantId: string): TenantResult;
  /** Count a connection the server closed at once because it had `maxConnections` open. */
  connectionDropped(): void;
  /**
   * Process what is queued, wait for notifications until `deadlineMs` (epoch ms) or until `signal` aborts, then
   * stop and report what was left.
   */
  drain(deadlineMs: number, options?: DrainOptions): Promise<DrainReport>;
}

/** Engine settings beyond the tenant file. */
export interface EngineOptions {
  /** The clock of the rate windows and their counters (default: real time). */
  readonly rateClock?: Clock;
  /** Bodies nested deeper than this answer 7000 (default 32). */
  readonly maxJsonDepth?: number;
  readonly log: Logger;
  /** Log one line per event request (off by default: it costs throughput). */
  readonly logRequests?: boolean;
  /** The request journal's size for every tenant, over the tenant file's `journalSize`. */
  readonly journalSize?: number;
}

// Documentation ranges (RFC 5737): no real client has these, so the "not allowlisted" state cannot match.
const OUTSIDE_ALLOWLIST = ['192.0.2.1'];
const OUTSIDE_SOURCE_IP = '198.51.100.1';

/** Create the engine for a validated tenant file. */
export function createEngine(file: TenantFile, options: EngineOptions): MockEngine {
  const log = options.log;
  const maxDepth = options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH;
  const evaluatorOptions = file.evaluator;
  let fixedNow: number | undefined;
  const clock: Clock = { now: () => fixedNow ?? Date.now() };

  // Tenants as configured (file, then control API updates), and as the evaluator sees them (states applied).
  let configured: Tenant[] = [...file.tenants];
  let effective: Tenant[] = configured;
  const byId = new Map<string, Tenant>();
  let resolver: TenantResolver;
  let outsideAllowlist = false;

  const rebuild = (): void => {
    effective = outsideAllowlist
      ? configured.map((t) => ({ ...t, allowlist: OUTSIDE_ALLOWLIST }))
      : configured;
    byId.clear();
    for (const t of effective) byId.set(t.id, t);
    resolver = createTenantResolver(effective, evaluatorOptions);
  };
  rebuild();

  const counters: CounterStore = createCounters();
  const limiter: MockRateLimiter = createRateLimiter(
    configured,
    options.rateClock ? { clock: options.rateClock } : {},
  );
  const faults: MockFaultInjector = createFaultInjector(configured);
  const journalSizeOf = (t: Tenant): number => options.journalSize ?? t.journalSize;
  const journal: RequestJournal = createRequestJournal(configured.map((t) => [t.id, journalSizeOf(t)]));
  const nextAnswers: NextAnswers = createNextAnswers();
  const unknownTenant = (id: unknown): { ok: false; error: string } => ({
    ok: false,
    error: `unknown tenant ${JSON.stringify(id)}; known: ${configured.map((t) => t.id).join(', ')}`,
  });

  const notifier: Notifier = createNotifier({
    delivered: () => {
      counters.notifications.delivered += 1;
    },
    failed: (job, reason, attempts) => {
      counters.notifications.failed += 1;
      log.warn('notification failed', { transid: job.transid, url: job.url, reason, attempts });
    },
    dropped: () => {
      counters.notifications.dropped += 1;
    },
  });

  const processEvent = (request: QueuedRequest, event: QueuedRequest['events'][number]): void => {
    counters.queue.processed += 1;
    const tenant = byId.get(request.tenantId);
    if (tenant === undefined) return;
    const service = tenant.services.find((s) => s.id === request.serviceId);
    counters.notifications.queued += 1;
    notifier.send({
      tenantId: request.tenantId,
      url: request.notifyUrl,
      body: JSON.stringify(buildNotification(event, request.serviceId, request.acceptedAt, clock.now())),
      secret: service?.notifySecret,
      settings: tenant.notify,
      transid: event.transid,
    });
  };

  const queue: ProcessingQueue = createProcessingQueue(
    {
      rateOf: (id) => byId.get(id)?.rateLimit.tps ?? 1,
      capacityOf: (id) => byId.get(id)?.queueCapacity ?? 0,
    },
    {
      event: processEvent,
      silent: (_tenantId, count) => {
        counters.queue.processed += count;
      },
    },
  );

  const services: EvaluatorServices = {
    clock,
    ids: { next: randomUUID },
    maxJsonDepth: maxDepth,
    sourceOverride: () => (outsideAllowlist ? OUTSIDE_SOURCE_IP : undefined),
    rateLimiter: {
      admit(tenantId, weight) {
        const now = limiter.clock.now();
        const admission = limiter.admitAt(tenantId, weight, now);
        counters.recordAdmission(tenantId, admission, now);
        return admission;
      },
    },
    faults: {
      internalError(tenantId) {
        if (faults.internalError(tenantId)) return true;
        // A full queue is the mock's own internal error: the request is answered 7005 before the limiter.
        if (queue.isFull(tenantId)) {
          counters.queue.rejectedFull += 1;
          return true;
        }
        // So is a full notification backlog: new work is refused rather than held without bound.
        const tenant = byId.get(tenantId);
        if (tenant !== undefined && notifier.pendingOf(tenantId) >= tenant.notify.maxPending) {
          counters.notifications.rejectedBacklog += 1;
          return true;
        }
        return false;
      },
    },
  };

  const accept = (tenant: Tenant, evaluation: Evaluation): void => {
    const serviceId = evaluation.serviceId ?? '';
    let notifyUrl = evaluation.notifyUrl;
    if (notifyUrl === undefined) notifyUrl = tenant.services.find((s) => s.id === serviceId)?.notifyUrl;
    counters.queue.accepted += evaluation.accepted.length;
    // Without a notification to send, processing is only a count: the queue keeps no objects for it.
    if (notifyUrl === undefined) {
      queue.enqueueSilent(tenant.id, evaluation.accepted.length);
      return;
    }
    queue.enqueue({
      tenantId: tenant.id,
      serviceId,
      notifyUrl,
      acceptedAt: clock.now(),
      events: evaluation.accepted,
    });
  };

  /** Count, journal, queue the accepted events, log, and render the answer of one evaluated request. */
  const finish = (
    tenant: Tenant,
    raw: RawRequest,
    evaluation: Evaluation,
    path: string,
    body: Uint8Array,
    forced: boolean,
  ): EngineAnswer => {
    counters.recordCodes(evaluation.codes);
    journal.record(path, raw.headers, body, raw.sourceIp, evaluation, forced);
    if (evaluation.accepted.length > 0) accept(tenant, evaluation);
    if (options.logRequests) {
      log.info('event request', {
        sourceIp: raw.sourceIp,
        tenantId: tenant.id,
        codes: evaluation.codes,
        headers: raw.headers,
      });
    }
    return {
      evaluation,
      json: JSON.stringify(evaluation.envelope),
      latencyMs: faults.latencyMs(tenant.id),
    };
  };

  const reset = (): void => {
    fixedNow = undefined;
    outsideAllowlist = false;
    configured = [...file.tenants];
    rebuild();
    limiter.reset();
    faults.setForcedError(false);
    for (const t of configured) {
      limiter.configure(t.id, t.rateLimit);
      faults.configure(t.id, t.faults);
    }
    queue.clear();
    notifier.abandon();
    counters.reset();
    journal.clear();
    nextAnswers.clear();
  };

  return {
    answer(headers, body, socketIp, path = EVENT_PATH) {
      // The fixed stages (tenant, source address, nesting), then a planned answer, else the ordered stages.
      const start = intake({ headers, body, sourceIp: socketIp }, resolver, evaluatorOptions, services);
      const { tenant } = start;
      const raw: RawRequest =
        start.sourceIp === socketIp ? start.raw : { headers, body, sourceIp: start.sourceIp };
      const forced = nextAnswers.take(tenant.id);
      if (forced !== undefined)
        return finish(tenant, raw, forcedEvaluation(forced, tenant.id, randomUUID(), body), path, body, true);
      const evaluation = evaluateIntake(start);
      return evaluation instanceof Promise
        ? evaluation.then((e) => finish(tenant, raw, e, path, body, false))
        : finish(tenant, raw, evaluation, path, body, false);
    },

    requests: (query) => journal.query(query),
    clearRequests: (tenantId) => journal.clear(tenantId),
    planAnswers(code, count, tenantId) {
      const tenant = tenantId === undefined ? configured[0] : byId.get(tenantId);
      if (tenant === undefined) return unknownTenant(tenantId);
      nextAnswers.add(tenant.id, code, count);
      return { ok: true, tenantId: tenant.id };
    },
    plannedAnswers: () => nextAnswers.pending(),
    resetTenant(tenantId) {
      const original = file.tenants.find((t) => t.id === tenantId);
      if (original === undefined) return unknownTenant(tenantId);
      configured = configured.map((t) => (t.id === tenantId ? original : t));
      rebuild();
      limiter.configure(original.id, original.rateLimit);
      faults.configure(original.id, original.faults);
      nextAnswers.clear(original.id);
      journal.clear(original.id);
      return { ok: true, tenantId: original.id };
    },

    abandoned: () => counters.recordAbandoned(),
    connectionDropped: () => {
      counters.connections.dropped += 1;
    },
    counters: () => counters.snapshot(queue.pending(), notifier.pending()),

    updateTenant(update) {
      const tenant =
        update.tenantId === undefined ? configured[0] : configured.find((t) => t.id === update.tenantId);
      if (tenant === undefined)
        return { ok: false, error: `unknown tenant ${JSON.stringify(update.tenantId)}` };
      const rateLimit =
        update.rateLimit === undefined
          ? { success: true as const, data: tenant.rateLimit }
          : rateLimitSchema.safeParse(
              { ...tenant.rateLimit, ...(update.rateLimit as object) },
              { reportInput: true },
            );
      const nextFaults =
        update.faults === undefined
          ? { success: true as const, data: tenant.faults }
          : faultsSchema.safeParse({ ...tenant.faults, ...(update.faults as object) }, { reportInput: true });
      if (!rateLimit.success || !nextFaults.success) {
        const issues = [
          ...(rateLimit.success
            ? []
            : rateLimit.error.issues.map((i) => ({ ...i, path: ['rateLimit', ...i.path] }))),
          ...(nextFaults.success
            ? []
            : nextFaults.error.issues.map((i) => ({ ...i, path: ['faults', ...i.path] }))),
        ];
        return { ok: false, error: 'invalid tenant update', problems: problemsFromIssues(issues) };
      }
      const next: Tenant = { ...tenant, rateLimit: rateLimit.data, faults: nextFaults.data };
      configured = configured.map((t) => (t === tenant ? next : t));
      rebuild();
      limiter.configure(next.id, next.rateLimit);
      if (update.faults !== undefined) faults.configure(next.id, next.faults);
      return { ok: true, tenant: next };
    },

    async drain(deadlineMs, drainOptions = {}) {
      const { signal } = drainOptions;
      queue.stop();
      queue.flush();
      const idle = await notifier.whenIdle(deadlineMs, signal);
      drainOptions.onUnfinished?.(notifier.unfinished());
      const left: DrainLeft = { queued: queue.pending(), ...notifier.pendingByState() };
      const remaining = left.queued + left.inFlight + left.waiting + left.retrying;
      const interrupted = !idle && signal?.aborted === true;
      if (!idle)
        log.warn(interrupted ? 'drain interrupted' : 'drain deadline passed', { remaining, ...left });
      notifier.close();
      return {
        processed: counters.queue.processed,
        delivered: counters.notifications.delivered,
        remaining,
        failed: counters.notifications.failed,
        dropped: counters.notifications.dropped,
        left,
        connectionsCut: drainOptions.connectionsCut ?? 0,
        interrupted,
      };
    },

    reset,
    setClock(nowMs) {
      fixedNow = nowMs ?? undefined;
    },
    setLimiterMode(mode: LimiterMode) {
      limiter.setMode(mode);
    },
    setForcedInternalError(on) {
      faults.setForcedError(on);
    },
    setSourceOutsideAllowlist(on) {
      outsideAllowlist = on;
      rebuild();
    },
    stateContext: () => ({ tenant: configured[0] as Tenant, nowMs: clock.now() }),
  };
}
