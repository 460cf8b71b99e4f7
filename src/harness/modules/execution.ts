import type { Runtime } from '../runtime.ts';

/** The `k6/execution` module: stable objects whose getters read the current iteration's context. */
export function createExecutionModule(rt: Runtime): Record<string, unknown> {
  const need = () => {
    const ctx = rt.context();
    if (!ctx) throw new Error('k6/execution: scenario and vu information is only available in VU code');
    return ctx;
  };
  const scenario = {
    get name() {
      return need().scenario.def.name;
    },
    get executor() {
      return need().scenario.def.executor;
    },
    get startTime() {
      return need().scenario.startEpochMs;
    },
    get progress() {
      const s = need().scenario;
      return Math.min(1, Math.max(0, (Date.now() - s.startEpochMs) / s.def.durationMs));
    },
    get iterationInInstance() {
      return need().iterationInInstance;
    },
    get iterationInTest() {
      return need().iterationInTest;
    },
  };
  const vu = {
    get idInInstance() {
      return need().vu.idInInstance;
    },
    get idInTest() {
      return need().vu.idInTest;
    },
    get iterationInInstance() {
      return need().vu.iterationInScenario;
    },
    get iterationInScenario() {
      return need().vu.iterationInScenario;
    },
    get tags() {
      return { ...need().scenario.tags };
    },
    get metrics() {
      return { tags: { ...need().scenario.tags }, metadata: {} };
    },
  };
  const instance = {
    get iterationsInterrupted() {
      return rt.iterationsInterrupted;
    },
    get iterationsCompleted() {
      return rt.iterationsCompleted;
    },
    get vusActive() {
      return rt.vusActive;
    },
    get vusInitialized() {
      return rt.vusInitialized;
    },
    get currentTestRunDuration() {
      return Date.now() - rt.testStartEpochMs;
    },
  };
  const test = {
    abort(reason?: string): never {
      rt.abortReason = reason ?? 'test aborted';
      throw new Error(`test aborted: ${rt.abortReason}`);
    },
    fail(message?: string): void {
      rt.failedMessage = message ?? 'test marked as failed';
    },
    get options() {
      return rt.options;
    },
  };
  return { scenario, vu, instance, test };
}
