import { AsyncLocalStorage } from 'node:async_hooks';
import type { ArrivalScenario, Metric, MetricRegistry, SegmentPlan, Tags } from '../k6/index.ts';

/** One VU of a scenario. */
export interface VuState {
  readonly idInInstance: number;
  readonly idInTest: number;
  iterationInScenario: number;
  busy: boolean;
}

/** A running scenario of this instance. */
export interface ScenarioState {
  readonly def: ArrivalScenario;
  /** Epoch ms the scenario started (k6's exec.scenario.startTime). */
  startEpochMs: number;
  iterationInInstance: number;
  /** `__ENV` inside this scenario: the test's env plus the scenario's. */
  readonly env: Record<string, string>;
  /** Tags every sample of this scenario carries. */
  readonly tags: Tags;
}

/** What an iteration runs in, kept per async context so interleaved VUs see their own values. */
export interface IterationContext {
  readonly vu: VuState;
  readonly scenario: ScenarioState;
  readonly iterationInTest: number;
  readonly iterationInInstance: number;
}

/** Where the script is in k6's life cycle (init-only APIs check it). */
export type Stage = 'init' | 'setup' | 'run' | 'teardown' | 'summary';

/** The built-in metrics the harness emits. */
export interface BuiltinMetrics {
  httpReqs: Metric;
  httpReqDuration: Metric;
  httpReqWaiting: Metric;
  httpReqReceiving: Metric;
  httpReqFailed: Metric;
  dataSent: Metric;
  dataReceived: Metric;
  iterations: Metric;
  iterationDuration: Metric;
  droppedIterations: Metric;
  vus: Metric;
  vusMax: Metric;
  checks: Metric;
}

/** The state of one harness run, shared by the k6 module shims. */
export class Runtime {
  readonly als = new AsyncLocalStorage<IterationContext>();
  stage: Stage = 'init';
  readonly registry: MetricRegistry;
  readonly builtin: BuiltinMetrics;
  readonly env: Record<string, string>;
  readonly bundleDir: string;
  readonly segment: SegmentPlan;
  readonly globalTags: Tags;
  /** Set once the bundle is loaded (k6's exported `options`). */
  options: Record<string, unknown> = {};
  readonly checks = new Map<string, { passes: number; fails: number }>();
  /** Aborted when the test ends or is aborted: in-flight requests give up. */
  readonly stop = new AbortController();
  abortReason: string | undefined;
  failedMessage: string | undefined;
  testStartEpochMs = Date.now();
  iterationsCompleted = 0;
  iterationsInterrupted = 0;
  vusActive = 0;
  vusInitialized = 0;
  readonly errors: string[] = [];
  errorCount = 0;

  constructor(init: {
    registry: MetricRegistry;
    env: Record<string, string>;
    bundleDir: string;
    segment: SegmentPlan;
    globalTags?: Tags;
  }) {
    this.registry = init.registry;
    this.env = init.env;
    this.bundleDir = init.bundleDir;
    this.segment = init.segment;
    this.globalTags = init.globalTags ?? {};
    const r = this.registry;
    this.builtin = {
      httpReqs: r.define('http_reqs', 'counter'),
      httpReqDuration: r.define('http_req_duration', 'trend', 'time'),
      httpReqWaiting: r.define('http_req_waiting', 'trend', 'time'),
      httpReqReceiving: r.define('http_req_receiving', 'trend', 'time'),
      httpReqFailed: r.define('http_req_failed', 'rate'),
      dataSent: r.define('data_sent', 'counter', 'data'),
      dataReceived: r.define('data_received', 'counter', 'data'),
      iterations: r.define('iterations', 'counter'),
      iterationDuration: r.define('iteration_duration', 'trend', 'time'),
      droppedIterations: r.define('dropped_iterations', 'counter'),
      vus: r.define('vus', 'gauge'),
      vusMax: r.define('vus_max', 'gauge'),
      checks: r.define('checks', 'rate'),
    };
  }

  /** The current iteration's context, if code runs inside one. */
  context(): IterationContext | undefined {
    return this.als.getStore();
  }

  /** Tags of a sample recorded now, merged with the caller's. */
  tags(extra?: Readonly<Record<string, unknown>>): Tags {
    const base = this.context()?.scenario.tags ?? this.globalTags;
    if (extra === undefined) return base;
    const out: Record<string, string> = { ...base };
    for (const k in extra) out[k] = String(extra[k]);
    return out;
  }

  /** Throw unless in the init context (open, SharedArray, metric constructors). */
  requireInit(what: string): void {
    if (this.stage !== 'init') throw new Error(`${what} is only available in the init context`);
  }

  /** Record an iteration's uncaught exception, as k6 logs it and goes on. */
  recordError(error: unknown): void {
    this.errorCount += 1;
    if (this.errors.length < 10)
      this.errors.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
}
